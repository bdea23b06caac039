"""Reads behind the span endpoints: the objects a write needs, fetched in one query with the
person's role, and span / relation rows for list endpoints without per-row serializer work.

The role comes back with the row and primes the per-request role cache
(``permissions.remember_roles``), so the services' permission checks cost no extra query.
"""
from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from annotations.errors import NotFound
from annotations.models import Annotation, Layer, Membership, Paragraph, Relation
from annotations.permissions import CURATOR_ROLES, remember_roles


def _role_of(user, project_ref: str) -> Subquery:
    return Subquery(Membership.objects.filter(project=OuterRef(project_ref), user=user).values("role")[:1])


def _visible(role: str | None, user, layer_kind: str | None = None) -> bool:
    if role is None:
        return bool(user.is_superuser)
    return layer_kind != Layer.Kind.ANSWER_KEY or role in CURATOR_ROLES


def paragraph_get_for_span_create(*, paragraph_id: int, user) -> tuple[Paragraph, Layer | None]:
    """The paragraph (with document and project) and the user's personal layer in its project,
    or None if they have none yet: one query. NotFound outside the user's projects."""
    personal = Layer.objects.filter(project=OuterRef("document__project_id"), kind=Layer.Kind.PERSONAL, owner=user)
    paragraph = (
        Paragraph.objects.select_related("document__project")
        .filter(pk=paragraph_id)
        .annotate(
            my_role=_role_of(user, "document__project_id"),
            my_layer_id=Subquery(personal.values("pk")[:1]),
            my_layer_name=Subquery(personal.values("name")[:1]),
        )
        .first()
    )
    if paragraph is None or not _visible(paragraph.my_role, user):
        raise NotFound(f"No paragraph {paragraph_id} in a project you are a member of.")
    project = paragraph.document.project
    remember_roles(user, {project.pk: paragraph.my_role})
    layer = None
    if paragraph.my_layer_id is not None:
        layer = Layer(
            pk=paragraph.my_layer_id, project=project, kind=Layer.Kind.PERSONAL, owner=user, name=paragraph.my_layer_name
        )
        layer._state.adding = False
        layer._state.db = paragraph._state.db
    return paragraph, layer


def annotations_get_for_write(*, annotation_ids: list[int], user) -> dict[int, Annotation]:
    """Spans by id with their layer and project, those the user may see: one query."""
    spans = (
        Annotation.objects.select_related("layer__project", "author")
        .filter(pk__in=annotation_ids)
        .annotate(my_role=_role_of(user, "layer__project_id"))
    )
    found = {}
    for span in spans:
        if _visible(span.my_role, user, span.layer.kind):
            remember_roles(user, {span.layer.project_id: span.my_role})
            found[span.pk] = span
    return found


def annotation_get_for_write(*, annotation_id: int, user) -> Annotation:
    span = annotations_get_for_write(annotation_ids=[annotation_id], user=user).get(annotation_id)
    if span is None:
        raise NotFound(f"No span {annotation_id} in a project you are a member of.")
    return span


def relation_get_for_write(*, relation_id: int, user) -> Relation:
    relation = (
        Relation.objects.select_related("layer__project", "author")
        .filter(pk=relation_id)
        .annotate(my_role=_role_of(user, "layer__project_id"))
        .first()
    )
    if relation is None or not _visible(relation.my_role, user, relation.layer.kind):
        raise NotFound(f"No relation {relation_id} in a project you are a member of.")
    remember_roles(user, {relation.layer.project_id: relation.my_role})
    return relation


# API field name -> column, in the order of ``AnnotationSerializer`` / ``RelationSerializer``.
ANNOTATION_COLUMNS = {
    "id": "id", "document": "document_id", "paragraph": "paragraph_id", "layer": "layer_id", "start": "start",
    "end": "end", "quote": "quote", "label": "label", "note": "note", "origin": "origin",
    "suggestion": "suggestion_id", "author": "author__username", "version": "version",
    "created_at": "created_at", "updated_at": "updated_at",
}
RELATION_COLUMNS = {
    "id": "id", "document": "document_id", "layer": "layer_id", "source": "source_id", "target": "target_id",
    "kind": "kind", "author": "author__username", "created_at": "created_at",
}


def annotation_rows(annotations: QuerySet[Annotation]) -> QuerySet:
    """Tuples of the API's span fields (see ``as_dicts``); sliceable, so pagination applies."""
    return annotations.values_list(*ANNOTATION_COLUMNS.values())


def relation_rows(relations: QuerySet[Relation]) -> QuerySet:
    """Tuples of the API's relation fields (see ``as_dicts``)."""
    return relations.values_list(*RELATION_COLUMNS.values())


def as_dicts(columns: dict[str, str], rows) -> list[dict]:
    """Rows from ``annotation_rows`` / ``relation_rows`` as dicts keyed by API field name."""
    names = tuple(columns)
    return [dict(zip(names, row)) for row in rows]
