"""The JSON shapes of spans and relations, built straight from model instances.

They are exactly what ``AnnotationSerializer`` and ``RelationSerializer`` produce (a test
holds them equal); the serializers stay for the OpenAPI schema, these for the hot paths,
where building a ModelSerializer per request costs more than the database work.
"""
from __future__ import annotations

from annotations.models import Annotation, Relation


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def annotation_data(span: Annotation) -> dict:
    return {
        "id": span.pk, "document": span.document_id, "paragraph": span.paragraph_id, "layer": span.layer_id,
        "start": span.start, "end": span.end, "quote": span.quote, "label": span.label, "note": span.note,
        "origin": span.origin, "suggestion": span.suggestion_id,
        "author": _username(span.author) if span.author_id is not None else None,
        "version": span.version, "created_at": span.created_at, "updated_at": span.updated_at,
    }


def relation_data(relation: Relation) -> dict:
    return {
        "id": relation.pk, "document": relation.document_id, "layer": relation.layer_id,
        "source": relation.source_id, "target": relation.target_id, "kind": relation.kind,
        "author": _username(relation.author) if relation.author_id is not None else None,
        "created_at": relation.created_at,
    }
