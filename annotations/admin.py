"""Django admin for every model; list pages select what they show in one query (no query per row).

Spans and relations are read-only here: their writes go through the services (the quote check,
the version, the change log), which the admin's forms would bypass.
"""
from django.contrib import admin

from annotations.models import (
    Annotation,
    ChangeEvent,
    Comment,
    Document,
    Invitation,
    Layer,
    Membership,
    Paragraph,
    Project,
    Relation,
    Suggestion,
    SuggestionDecision,
)


class ListAdmin(admin.ModelAdmin):
    """The list page selects every foreign key it shows in the same query (no query per row)."""

    def get_list_select_related(self, request):
        fields = {field.name for field in self.model._meta.get_fields() if field.many_to_one}
        return [name for name in self.list_display if name in fields]


def _preview(field: str, length: int = 80):
    """A list column with the start of a long text field."""
    return admin.display(description=field)(lambda self, row: getattr(row, field)[:length])


class ReadOnlyAdmin(ListAdmin):
    """Shows rows and their fields; adds, changes and deletes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(ListAdmin):
    list_display = ["name", "slug", "labels", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ListAdmin):
    list_display = ["project", "user", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["project__name", "user__username"]
    autocomplete_fields = ["project", "user"]


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "kind", "text"]
    ordering = ["position"]


@admin.register(Document)
class DocumentAdmin(ListAdmin):
    list_display = ["title", "project", "source_format", "source_name", "created_at"]
    list_filter = ["source_format"]
    search_fields = ["title", "source_name"]
    readonly_fields = ["content_hash", "created_at"]
    autocomplete_fields = ["project", "created_by"]
    inlines = [ParagraphInline]


@admin.register(Paragraph)
class ParagraphAdmin(ListAdmin):
    list_display = ["document", "position", "kind", "short_text"]
    list_filter = ["kind"]
    search_fields = ["text", "document__title"]
    autocomplete_fields = ["document"]
    short_text = _preview("text", 100)


@admin.register(Layer)
class LayerAdmin(ListAdmin):
    list_display = ["name", "project", "kind", "owner"]
    list_filter = ["kind"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "owner"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["id", "label", "quote_preview", "document", "layer", "author", "origin", "version"]
    list_filter = ["label", "origin"]
    search_fields = ["quote", "note"]
    raw_id_fields = ["document", "paragraph", "layer", "suggestion", "author"]
    quote_preview = _preview("quote")


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "kind", "target", "document", "layer", "author"]
    list_filter = ["kind"]
    raw_id_fields = ["document", "layer", "source", "target", "author"]


@admin.register(Suggestion)
class SuggestionAdmin(ListAdmin):
    list_display = ["id", "label", "score", "quote_preview", "document", "pipeline_name", "pipeline_version"]
    list_filter = ["label", "pipeline_name"]
    search_fields = ["quote"]
    raw_id_fields = ["document", "paragraph"]
    quote_preview = _preview("quote")


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(ListAdmin):
    list_display = ["id", "suggestion", "user", "decision", "label", "decided_at"]
    list_filter = ["decision"]
    raw_id_fields = ["suggestion", "user", "annotation"]


@admin.register(Invitation)
class InvitationAdmin(ListAdmin):
    list_display = ["id", "project", "role", "use_count", "max_uses", "expires_at", "revoked_at", "created_by"]
    list_filter = ["role"]
    raw_id_fields = ["project", "created_by"]


@admin.register(Comment)
class CommentAdmin(ListAdmin):
    list_display = ["id", "body_preview", "document", "author", "resolved", "created_at"]
    list_filter = ["resolved"]
    search_fields = ["body"]
    raw_id_fields = ["document", "annotation", "author", "resolved_by", "mentions"]
    body_preview = _preview("body")


@admin.register(ChangeEvent)
class ChangeEventAdmin(ListAdmin):
    list_display = ["id", "document", "kind", "action", "object_id", "actor", "created_at"]
    list_filter = ["kind", "action"]
    raw_id_fields = ["document", "layer", "actor"]
