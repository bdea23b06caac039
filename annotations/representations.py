"""The JSON shapes of spans, relations, layers, suggestions and comments: one definition, read
by the API, the change feed, the list statements and the page data.

Each resource has one table of fields (name -> model attribute or ``relation__field``
lookup). A view of it is a tuple of field names: the API's span is every field; the change
feed, a layer shown next to yours and the document page carry fewer. ``span_data`` (likewise
``relation_data``, ``layer_data``, ``suggestion_data``) builds a view from a model instance;
``rows`` builds it from ``values_list`` rows (what long pages use: building instances was most
of their time); ``selectors.span_lists`` turns the same table into SQL columns. The API's
serializers (``AnnotationSerializer``, ``RelationSerializer``, ``LayerSerializer``,
``SuggestionSerializer``) document the full views in the schema, ``api.responses`` derives the
smaller views from them, and tests hold them equal.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

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
LAYER_FIELDS = {"id": "id", "project": "project_id", "kind": "kind", "name": "name", "owner": "owner__username"}
SUGGESTION_FIELDS = {
    "id": "id", "paragraph": "paragraph_id", "start": "start", "end": "end", "quote": "quote", "label": "label",
    "score": "score", "cues": "cues",
}

# ---- the views of them -----------------------------------------------------------------------------

SPAN = tuple(SPAN_FIELDS)  # the API's span (AnnotationSerializer)
SPAN_IN_FEED = ("id", "document", "paragraph", "layer", "start", "end", "quote", "label", "note", "origin", "version", "author")
SPAN_IN_LAYER = ("id", "paragraph", "start", "end", "quote", "label", "note", "version", "origin", "author")
SPAN_ON_PAGE = ("id", "paragraph", "start", "end", "quote", "label", "note", "version", "origin")
SPAN_DELETED = ("id", "paragraph", "layer")  # what the change feed says of a deleted span

RELATION = tuple(RELATION_FIELDS)  # the API's relation (RelationSerializer)
RELATION_IN_FEED = ("id", "document", "layer", "source", "target", "kind", "author")
RELATION_IN_LAYER = ("id", "source", "target", "kind")
RELATION_DELETED = ("id", "layer")

LAYER = tuple(LAYER_FIELDS)  # the API's layer (LayerSerializer)
LAYER_BRIEF = ("id", "name", "kind", "owner")  # on the document page, next to its spans, in a document's list
LAYER_NAMED = ("id", "name", "kind")  # in a comparison, an import's answer, an export's manifest
LAYER_NAME = ("id", "name")  # in curation's choice of layers

SUGGESTION = tuple(SUGGESTION_FIELDS)  # the API's suggestion (SuggestionSerializer)


def _reader(fields: dict[str, str], view: tuple[str, ...]) -> Callable[[object], dict]:
    """A function reading ``view`` from an instance: the plain attributes in one ``attrgetter``
    call (a ``relation__field`` lookup reads ``relation_id`` there), then the related names of
    those that are set. Span and relation writes answer through it twice per request."""
    lookups = [fields[name] for name in view]
    plain = attrgetter(*(lookup.split("__")[0] + "_id" if "__" in lookup else lookup for lookup in lookups))
    related = [(index, *lookup.split("__")) for index, lookup in enumerate(lookups) if "__" in lookup]
    single = len(view) == 1

    def read(instance) -> dict:
        values = (plain(instance),) if single else plain(instance)
        if related:
            values = list(values)
            for index, relation, attribute in related:
                if values[index] is not None:
                    values[index] = getattr(getattr(instance, relation), attribute)
        return dict(zip(view, values))

    return read


def _builder(fields: dict[str, str]) -> Callable[[object, Sequence[str]], dict]:
    readers: dict[tuple[str, ...], Callable[[object], dict]] = {}

    def build(instance, view: Sequence[str]) -> dict:
        key = view if type(view) is tuple else tuple(view)
        reader = readers.get(key)  # views are module constants: each is built once
        if reader is None:
            reader = readers[key] = _reader(fields, key)
        return reader(instance)

    return build


_span, _relation, _layer, _suggestion = map(_builder, (SPAN_FIELDS, RELATION_FIELDS, LAYER_FIELDS, SUGGESTION_FIELDS))


def span_data(span, view: Sequence[str] = SPAN) -> dict:
    """A span (an ``Annotation``) in ``view``."""
    return _span(span, view)


def relation_data(relation, view: Sequence[str] = RELATION) -> dict:
    """A relation in ``view``."""
    return _relation(relation, view)


def layer_data(layer, view: Sequence[str] = LAYER_BRIEF) -> dict:
    """A layer in ``view`` (``owner``: the owner's username, null for a shared layer)."""
    return _layer(layer, view)


def suggestion_data(suggestion, view: Sequence[str] = SUGGESTION) -> dict:
    """A suggestion in ``view``."""
    return _suggestion(suggestion, view)


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
