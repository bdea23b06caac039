"""The JSON shapes of spans, relations and comments: one definition, read by the API, the
change feed, the list statements and the page data.

Each resource has one table of fields (name -> model attribute or ``relation__field``
lookup). A view of it is a tuple of field names: the API's span is every field; the change
feed, a layer shown next to yours and the document page carry fewer. ``span_data`` builds a
view from a model instance; ``rows`` builds it from ``values_list`` rows (what long pages
use: building instances was most of their time); ``selectors.span_lists`` turns the same
table into SQL columns. ``AnnotationSerializer`` / ``RelationSerializer`` document the full
views in the schema, and a test holds them equal.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

# ---- the fields of each resource ---------------------------------------------------------------

SPAN_FIELDS = {
    "id": "id", "document": "document_id", "paragraph": "paragraph_id", "layer": "layer_id", "start": "start",
    "end": "end", "quote": "quote", "label": "label", "note": "note", "origin": "origin",
    "suggestion": "suggestion_id", "author": "author__username", "version": "version",
    "created_at": "created_at", "updated_at": "updated_at",
}
RELATION_FIELDS = {
    "id": "id", "document": "document_id", "layer": "layer_id", "source": "source_id", "target": "target_id",
    "kind": "kind", "author": "author__username", "created_at": "created_at",
}

# ---- the views of them -----------------------------------------------------------------------------

SPAN = tuple(SPAN_FIELDS)  # the API's span (AnnotationSerializer)
SPAN_IN_FEED = ("id", "document", "paragraph", "layer", "start", "end", "quote", "label", "note", "origin", "version", "author")
SPAN_IN_LAYER = ("id", "paragraph", "start", "end", "quote", "label", "note", "version", "origin", "author")
SPAN_ON_PAGE = ("id", "paragraph", "start", "end", "quote", "label", "note", "version", "origin")

RELATION = tuple(RELATION_FIELDS)  # the API's relation (RelationSerializer)
RELATION_IN_FEED = ("id", "document", "layer", "source", "target", "kind", "author")
RELATION_IN_LAYER = ("id", "source", "target", "kind")


def _getter(lookup: str) -> Callable:
    if "__" not in lookup:
        return lambda instance: getattr(instance, lookup)
    related, attribute = lookup.split("__")
    key = f"{related}_id"
    return lambda instance: getattr(getattr(instance, related), attribute) if getattr(instance, key) is not None else None


_SPAN_GETTERS = {name: _getter(lookup) for name, lookup in SPAN_FIELDS.items()}
_RELATION_GETTERS = {name: _getter(lookup) for name, lookup in RELATION_FIELDS.items()}


def span_data(span, view: Sequence[str] = SPAN) -> dict:
    """A span (an ``Annotation``) in ``view``."""
    return {name: _SPAN_GETTERS[name](span) for name in view}


def relation_data(relation, view: Sequence[str] = RELATION) -> dict:
    """A relation in ``view``."""
    return {name: _RELATION_GETTERS[name](relation) for name in view}


def rows(queryset, fields: dict[str, str], view: Sequence[str]) -> list[dict]:
    """``view`` of every row of ``queryset`` (a queryset of the resource of ``fields``), read as tuples."""
    return [dict(zip(view, row)) for row in queryset.values_list(*(fields[name] for name in view))]


def comment_data(comment, mentions: list[str] | None = None) -> dict:
    """A comment, as the API and the change feed show it (``mentions``: usernames, if already known)."""
    if mentions is None:
        mentions = sorted(user.get_username() for user in comment.mentions.all())
    return {
        "id": comment.pk,
        "document": comment.document_id,
        "annotation": comment.annotation_id,
        "author": comment.author.get_username() if comment.author_id and comment.author else None,
        "body": comment.body,
        "mentions": mentions,
        "resolved": comment.resolved,
        "resolved_by": comment.resolved_by.get_username() if comment.resolved_by_id and comment.resolved_by else None,
        "resolved_at": comment.resolved_at.isoformat() if comment.resolved_at else None,
        "created_at": comment.created_at.isoformat() if comment.created_at else None,
        "updated_at": comment.updated_at.isoformat() if comment.updated_at else None,
    }
