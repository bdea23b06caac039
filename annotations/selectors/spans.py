"""Reads behind the span endpoints' writes: the objects a write needs, fetched in one query
with the person's role (lists are in ``span_lists``).

The role comes back with the row and primes the per-request role cache
(``permissions.remember_roles``), so the services' permission checks cost no extra query.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model

from annotations.errors import NotFound
from annotations.models import Annotation, Document, Layer, Paragraph, Project, Relation
from annotations.permissions import can_know_of_layer, remember_roles, role_sql, role_subquery
from annotations.selectors.sql import Columns, fetch, table

_PARAGRAPH = Columns(Paragraph, "p")
_DOCUMENT = Columns(Document, "d", ["id", "project_id", "title"])
_PROJECT = Columns(Project, "pr", ["id", "name", "slug", "labels", "is_class", "class_layers_shared"])
_SPAN = Columns(Annotation, "a")
_LAYER = Columns(Layer, "l", ["id", "project_id", "kind", "owner_id", "name"])

PARAGRAPH_FOR_SPAN_SQL = f"""
SELECT {_PARAGRAPH.sql}, {_DOCUMENT.sql}, {_PROJECT.sql},
       {role_sql("d.project_id")},
       l.id, l.name
FROM {table(Paragraph)} p
JOIN {table(Document)} d ON d.id = p.document_id
JOIN {table(Project)} pr ON pr.id = d.project_id
LEFT JOIN {table(Layer)} l ON l.project_id = d.project_id AND l.kind = 'personal' AND l.owner_id = %(user)s
WHERE p.id = %(paragraph)s
"""

SPANS_FOR_WRITE_SQL = f"""
SELECT {_SPAN.sql}, {_LAYER.sql}, {_PROJECT.sql}, {role_sql("l.project_id")}, u.username
FROM {table(Annotation)} a
JOIN {table(Layer)} l ON l.id = a.layer_id
JOIN {table(Project)} pr ON pr.id = l.project_id
LEFT JOIN {table(get_user_model())} u ON u.id = a.author_id
WHERE a.id IN (%(first)s, %(second)s)
"""
# Two scalar parameters, not ``a.id = ANY(%(ids)s)``: PostgreSQL estimates an array parameter
# as ten elements, so its prepared statement never settled on a generic plan and was planned
# again on every request (pg_prepared_statements: custom_plans only; bench/request_cost.py --explain).


def paragraph_get_for_span_create(*, paragraph_id: int, user) -> tuple[Paragraph, Layer | None]:
    """The paragraph (with document and project) and the user's personal layer in its project,
    or None if they have none yet: one statement. NotFound outside the user's projects."""
    rows = fetch(PARAGRAPH_FOR_SPAN_SQL, {"paragraph": paragraph_id, "user": user.pk})
    row = rows[0] if rows else None
    role = row[-3] if row else None
    if row is None or not can_know_of_layer(role, user):
        raise NotFound(f"No paragraph {paragraph_id} in a project you are a member of.")
    paragraph, document, project, rest = _split(row, _PARAGRAPH, _DOCUMENT, _PROJECT)
    paragraph.document, document.project = document, project
    remember_roles(user, {project.pk: role})
    layer_id, layer_name = rest[1], rest[2]
    layer = None
    if layer_id is not None:
        layer = Layer.from_db(
            paragraph._state.db, ["id", "project_id", "kind", "owner_id", "name"],
            [layer_id, project.pk, Layer.Kind.PERSONAL, user.pk, layer_name],
        )
        layer.project = project
    return paragraph, layer


def annotations_get_for_write(*, annotation_ids: list[int], user) -> dict[int, Annotation]:
    """One or two spans by id (a span to change, the ends of a relation) with their layer, project
    and author's name, those the user may see: one statement."""
    if not 1 <= len(annotation_ids) <= 2:
        raise ValueError(f"one or two span ids, not {len(annotation_ids)}")
    first, second = annotation_ids[0], annotation_ids[-1]
    found = {}
    for row in fetch(SPANS_FOR_WRITE_SQL, {"first": first, "second": second, "user": user.pk}):
        span, layer, project, (role, username) = _split(row, _SPAN, _LAYER, _PROJECT)
        if not can_know_of_layer(role, user, layer.kind, layer.owner_id, project):
            continue
        layer.project, span.layer = project, layer
        if span.author_id is not None:
            span.author = get_user_model().from_db(span._state.db, ["id", "username"], [span.author_id, username])
        remember_roles(user, {project.pk: role})
        found[span.pk] = span
    return found


def _split(row, *blocks: Columns):
    """Cut a row into one instance per block, then the remaining values."""
    instances, offset = [], 0
    for block in blocks:
        instances.append(block.build(row[offset:offset + block.width]))
        offset += block.width
    return (*instances, row[offset:])


def annotation_get_for_write(*, annotation_id: int, user) -> Annotation:
    span = annotations_get_for_write(annotation_ids=[annotation_id], user=user).get(annotation_id)
    if span is None:
        raise NotFound(f"No span {annotation_id} in a project you are a member of.")
    return span


def relation_get_for_write(*, relation_id: int, user) -> Relation:
    relation = (
        Relation.objects.select_related("layer__project", "author")
        .filter(pk=relation_id)
        .annotate(my_role=role_subquery(user, "layer__project_id"))
        .first()
    )
    if relation is None or not can_know_of_layer(relation.my_role, user, relation.layer.kind, relation.layer.owner_id,
                                        relation.layer.project):
        raise NotFound(f"No relation {relation_id} in a project you are a member of.")
    remember_roles(user, {relation.layer.project_id: relation.my_role})
    return relation
