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


class ReadOnlyAdmin(admin.ModelAdmin):
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
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "labels", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "joined_at"]
    list_filter = ["role"]
    list_select_related = ["project", "user"]
    search_fields = ["project__name", "user__username"]
    autocomplete_fields = ["project", "user"]


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "kind", "text"]
    ordering = ["position"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "source_format", "source_name", "created_at"]
    list_filter = ["source_format"]
    list_select_related = ["project"]
    search_fields = ["title", "source_name"]
    readonly_fields = ["content_hash", "created_at"]
    autocomplete_fields = ["project", "created_by"]
    inlines = [ParagraphInline]


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["document", "position", "kind", "short_text"]
    list_filter = ["kind"]
    list_select_related = ["document"]
    search_fields = ["text", "document__title"]
    autocomplete_fields = ["document"]

    @admin.display(description="text")
    def short_text(self, paragraph):
        return paragraph.text[:100]


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "kind", "owner"]
    list_filter = ["kind"]
    list_select_related = ["project", "owner"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "owner"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["id", "label", "quote_preview", "document", "layer", "author", "origin", "version"]
    list_filter = ["label", "origin"]
    list_select_related = ["document", "layer", "author"]
    search_fields = ["quote", "note"]
    raw_id_fields = ["document", "paragraph", "layer", "suggestion", "author"]

    @admin.display(description="quote")
    def quote_preview(self, annotation):
        return annotation.quote[:80]


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "kind", "target", "document", "layer", "author"]
    list_filter = ["kind"]
    list_select_related = ["source", "target", "document", "layer", "author"]
    raw_id_fields = ["document", "layer", "source", "target", "author"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "score", "quote_preview", "document", "pipeline_name", "pipeline_version"]
    list_filter = ["label", "pipeline_name"]
    list_select_related = ["document"]
    search_fields = ["quote"]
    raw_id_fields = ["document", "paragraph"]

    @admin.display(description="quote")
    def quote_preview(self, suggestion):
        return suggestion.quote[:80]


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(admin.ModelAdmin):
    list_display = ["id", "suggestion", "user", "decision", "label", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["suggestion", "user"]
    raw_id_fields = ["suggestion", "user", "annotation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "role", "use_count", "max_uses", "expires_at", "revoked_at", "created_by"]
    list_filter = ["role"]
    list_select_related = ["project", "created_by"]
    raw_id_fields = ["project", "created_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "body_preview", "document", "author", "resolved", "created_at"]
    list_filter = ["resolved"]
    list_select_related = ["document", "author"]
    search_fields = ["body"]
    raw_id_fields = ["document", "annotation", "author", "resolved_by", "mentions"]

    @admin.display(description="body")
    def body_preview(self, comment):
        return comment.body[:80]


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "kind", "action", "object_id", "actor", "created_at"]
    list_filter = ["kind", "action"]
    list_select_related = ["document", "actor"]
    raw_id_fields = ["document", "layer", "actor"]
