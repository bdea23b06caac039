"""Querysets of what a person may see, for list endpoints: filtered in SQL, never per row.

The rules are those of ``permissions``: members see their projects' documents and paragraphs and
every layer except answer keys, which only curators and owners see; superusers see all.
They become two SQL sets here, ``_member_projects`` and ``_readable_layers`` (whose condition
is ``permissions.readable_layer_sql``),
which PostgreSQL computes once per query; as raw SQL they also cost far less to build per
request than the equivalent nested ORM expressions. An anonymous user sees nothing (the
schema generator calls these without a signed-in user).
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from annotations.models import Annotation, Document, Layer, Membership, Paragraph, Relation
from annotations.permissions import readable_layer_sql

_MEMBERSHIP = Membership._meta.db_table
_LAYER = Layer._meta.db_table
_MEMBER_PROJECTS_SQL = f'SELECT m.project_id FROM "{_MEMBERSHIP}" m WHERE m.user_id = %s'
_READABLE_LAYERS_SQL = (
    f'SELECT l.id FROM "{_LAYER}" l JOIN "{_MEMBERSHIP}" m ON m.project_id = l.project_id AND m.user_id = %s '
    f"WHERE {readable_layer_sql(layer='l', membership='m')}"
)


def _member_projects(user) -> RawSQL:
    return RawSQL(_MEMBER_PROJECTS_SQL, [user.pk])


def _readable_layers(user) -> RawSQL:
    return RawSQL(_READABLE_LAYERS_SQL, [user.pk])


def visible_documents(user) -> QuerySet[Document]:
    documents = Document.objects.select_related("project")
    if not user.is_authenticated:
        return documents.none()
    return documents if user.is_superuser else documents.filter(project_id__in=_member_projects(user))


def visible_paragraphs(user) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.all()
    if not user.is_authenticated:
        return paragraphs.none()
    return paragraphs if user.is_superuser else paragraphs.filter(document__project_id__in=_member_projects(user))


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.select_related("owner")
    if not user.is_authenticated:
        return layers.none()
    return layers if user.is_superuser else layers.filter(pk__in=_readable_layers(user))


def visible_annotations(user) -> QuerySet[Annotation]:
    annotations = Annotation.objects.select_related("author")
    if not user.is_authenticated:
        return annotations.none()
    return annotations if user.is_superuser else annotations.filter(layer_id__in=_readable_layers(user))


def visible_relations(user) -> QuerySet[Relation]:
    relations = Relation.objects.select_related("author")
    if not user.is_authenticated:
        return relations.none()
    return relations if user.is_superuser else relations.filter(layer_id__in=_readable_layers(user))
