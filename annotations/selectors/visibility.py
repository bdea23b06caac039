"""Querysets of what a person may see, for list endpoints: filtered in SQL, never per row.

An anonymous user sees nothing (the schema generator calls these without a signed-in user).
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.models import Annotation, Document, Layer, Membership, Paragraph, Project, Relation
from annotations.permissions import CURATOR_ROLES


def _member(user, project_ref: str, roles=None):
    memberships = Membership.objects.filter(project=OuterRef(project_ref), user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Exists(memberships)


def visible_projects(user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.all() if user.is_superuser else Project.objects.filter(_member(user, "pk"))


def visible_documents(user) -> QuerySet[Document]:
    documents = Document.objects.select_related("project")
    if not user.is_authenticated:
        return documents.none()
    return documents if user.is_superuser else documents.filter(_member(user, "project_id"))


def visible_paragraphs(user) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.all()
    if not user.is_authenticated:
        return paragraphs.none()
    return paragraphs if user.is_superuser else paragraphs.filter(_member(user, "document__project_id"))


def _layer_rule(user, layer_prefix: str) -> Q:
    project_ref = f"{layer_prefix}project_id"
    return Q(_member(user, project_ref)) & (
        ~Q(**{f"{layer_prefix}kind": Layer.Kind.ANSWER_KEY}) | Q(_member(user, project_ref, CURATOR_ROLES))
    )


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.select_related("owner")
    if not user.is_authenticated:
        return layers.none()
    return layers if user.is_superuser else layers.filter(_layer_rule(user, ""))


def _visible_layer_ids(user) -> QuerySet:
    # A set computed once per query (PostgreSQL hashes it), not a membership check per row.
    return Layer.objects.filter(_layer_rule(user, "")).values("pk")


def visible_annotations(user) -> QuerySet[Annotation]:
    annotations = Annotation.objects.select_related("author")
    if not user.is_authenticated:
        return annotations.none()
    return annotations if user.is_superuser else annotations.filter(layer_id__in=_visible_layer_ids(user))


def visible_relations(user) -> QuerySet[Relation]:
    relations = Relation.objects.select_related("author")
    if not user.is_authenticated:
        return relations.none()
    return relations if user.is_superuser else relations.filter(layer_id__in=_visible_layer_ids(user))
