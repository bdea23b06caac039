"""Django admin for every model; list pages select what they show in one query (no query per row).

Spans and relations are read-only here: their writes go through the services (the quote check,
the version, the change log), which the admin's forms would bypass.
"""
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

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


def _is_column(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).concrete
    except FieldDoesNotExist:
        return False  # a method or an admin column such as ``_preview``


def _in_form(field) -> bool:
    """A relation the model's form edits: a foreign key, or a many-to-many without a model of its own between."""
    if field.auto_created or not field.editable or not (field.many_to_one or field.one_to_one or field.many_to_many):
        return False
    return not field.many_to_many or field.remote_field.through._meta.auto_created


class ListAdmin(admin.ModelAdmin):
    """The list page selects every foreign key it shows in the same query (no query per row) and
    can be filtered by every column it shows that has choices or is a yes/no (``list_filter`` adds
    others); the form picks every relation to a model with an admin through autocomplete (never a
    ``<select>`` of a whole table) unless ``raw_id_fields`` names it."""

    def get_autocomplete_fields(self, request):
        return [
            field.name for field in self.model._meta.get_fields()
            if _in_form(field) and field.name not in self.raw_id_fields
            and self.admin_site.is_registered(field.related_model)
        ]

    def get_list_filter(self, request):
        shown = [self.model._meta.get_field(name) for name in self.list_display if _is_column(self.model, name)]
        few_values = [field.name for field in shown if field.choices or isinstance(field, models.BooleanField)]
        return [*few_values, *(name for name in self.list_filter if name not in few_values)]

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
    search_fields = ["project__name", "user__username"]


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "kind", "text"]
    ordering = ["position"]


@admin.register(Document)
class DocumentAdmin(ListAdmin):
    list_display = ["title", "project", "source_format", "source_name", "created_at"]
    search_fields = ["title", "source_name"]
    readonly_fields = ["content_hash", "created_at"]
    inlines = [ParagraphInline]


@admin.register(Paragraph)
class ParagraphAdmin(ListAdmin):
    list_display = ["document", "position", "kind", "short_text"]
    search_fields = ["text", "document__title"]
    short_text = _preview("text", 100)


@admin.register(Layer)
class LayerAdmin(ListAdmin):
    list_display = ["name", "project", "kind", "owner"]
    search_fields = ["name", "project__name"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["id", "label", "quote_preview", "document", "layer", "author", "origin", "version"]
    search_fields = ["quote", "note"]
    raw_id_fields = ["document", "paragraph", "layer", "suggestion", "author"]
    quote_preview = _preview("quote")


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ["id", "source", "kind", "target", "document", "layer", "author"]
    raw_id_fields = ["document", "layer", "source", "target", "author"]


@admin.register(Suggestion)
class SuggestionAdmin(ListAdmin):
    list_display = ["id", "label", "score", "quote_preview", "document", "pipeline_name", "pipeline_version"]
    list_filter = ["pipeline_name"]
    search_fields = ["quote"]
    raw_id_fields = ["document", "paragraph"]
    quote_preview = _preview("quote")


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(ListAdmin):
    list_display = ["id", "suggestion", "user", "decision", "label", "decided_at"]
    raw_id_fields = ["suggestion", "user", "annotation"]


@admin.register(Invitation)
class InvitationAdmin(ListAdmin):
    list_display = ["id", "project", "role", "use_count", "max_uses", "expires_at", "revoked_at", "created_by"]
    raw_id_fields = ["project", "created_by"]


@admin.register(Comment)
class CommentAdmin(ListAdmin):
    list_display = ["id", "body_preview", "document", "author", "resolved", "created_at"]
    search_fields = ["body"]
    raw_id_fields = ["document", "annotation", "author", "resolved_by", "mentions"]
    body_preview = _preview("body")


@admin.register(ChangeEvent)
class ChangeEventAdmin(ListAdmin):
    list_display = ["id", "document", "kind", "action", "object_id", "actor", "created_at"]
    raw_id_fields = ["document", "layer", "actor"]
