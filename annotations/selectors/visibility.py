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


def _visible(queryset: QuerySet, user, lookup: str, ids) -> QuerySet:
    """``queryset`` where ``lookup`` is in ``ids(user)``: nothing for an anonymous user, everything for a superuser."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(**{lookup: ids(user)})


def visible_documents(user) -> QuerySet[Document]:
    return _visible(Document.objects.select_related("project"), user, "project_id__in", member_projects)


def visible_paragraphs(user) -> QuerySet[Paragraph]:
    return _visible(Paragraph.objects.all(), user, "document__project_id__in", member_projects)


def visible_layers(user) -> QuerySet[Layer]:
    return _visible(Layer.objects.select_related("owner"), user, "pk__in", readable_layers)


def visible_in_layers(model, user) -> QuerySet:
    """The rows of ``model``, kept in layers (spans, relations), that ``user`` may read, with their author."""
    return _visible(model.objects.select_related("author"), user, "layer_id__in", readable_layers)


def visible_annotations(user) -> QuerySet[Annotation]:
    return visible_in_layers(Annotation, user)


def visible_relations(user) -> QuerySet[Relation]:
    return visible_in_layers(Relation, user)
