"""Querysets of what a person may see, for list endpoints: filtered in SQL, never per row.

Members see their projects' documents and paragraphs, and the layers (with their spans and
relations) that ``permissions`` lets them read; superusers see all. The querysets filter by the
two SQL sets written once in ``permissions`` (``member_projects`` and ``readable_layers``),
which PostgreSQL computes once per query; as raw SQL they also cost far less to build per
request than the equivalent nested ORM expressions. An anonymous user sees nothing (the
schema generator calls these without a signed-in user).
"""
from __future__ import annotations

from django.db.models import QuerySet

from annotations.models import Annotation, Document, Layer, Paragraph, Relation
from annotations.permissions import member_projects, readable_layers


def visible_documents(user) -> QuerySet[Document]:
    documents = Document.objects.select_related("project")
    if not user.is_authenticated:
        return documents.none()
    return documents if user.is_superuser else documents.filter(project_id__in=member_projects(user))


def visible_paragraphs(user) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.all()
    if not user.is_authenticated:
        return paragraphs.none()
    return paragraphs if user.is_superuser else paragraphs.filter(document__project_id__in=member_projects(user))


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.select_related("owner")
    if not user.is_authenticated:
        return layers.none()
    return layers if user.is_superuser else layers.filter(pk__in=readable_layers(user))


def visible_annotations(user) -> QuerySet[Annotation]:
    annotations = Annotation.objects.select_related("author")
    if not user.is_authenticated:
        return annotations.none()
    return annotations if user.is_superuser else annotations.filter(layer_id__in=readable_layers(user))


def visible_relations(user) -> QuerySet[Relation]:
    relations = Relation.objects.select_related("author")
    if not user.is_authenticated:
        return relations.none()
    return relations if user.is_superuser else relations.filter(layer_id__in=readable_layers(user))
