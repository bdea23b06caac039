"""Finding projects, documents and layers a person may see (404 for everything else)."""
from __future__ import annotations

from django.db.models import Count, QuerySet

from annotations.errors import NotFound
from annotations.models import Document, Layer, Project
from annotations.permissions import CURATOR_ROLES, readable_layers, role_in, role_subquery


def projects_for_user(user) -> QuerySet[Project]:
    """The user's projects, each with ``my_role`` and ``document_count``; all of them for superusers."""
    if not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.annotate(my_role=role_subquery(user, "pk"), document_count=Count("documents"))
    if not user.is_superuser:
        projects = projects.filter(memberships__user=user)
    return projects.order_by("name")


def project_get_for_user(*, slug: str, user) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None or role_in(project, user) is None:
        raise NotFound(f"No project {slug!r} that you are a member of.")
    return project


def document_get_for_user(*, document_id: int, user) -> Document:
    document = Document.objects.select_related("project").filter(pk=document_id).first()
    if document is None or role_in(document.project, user) is None:
        raise NotFound(f"No document {document_id} in a project you are a member of.")
    return document


def layers_visible_to(*, project: Project, user) -> list[Layer]:
    """Layers the user may read in the project (the rule in ``selectors.visibility``), theirs first."""
    role = role_in(project, user)
    if role is None:
        return []
    layers = Layer.objects.filter(project=project).select_related("owner")
    if role not in CURATOR_ROLES and not user.is_superuser:
        layers = layers.filter(pk__in=readable_layers(user))
    return sorted(layers, key=lambda layer: (layer.owner_id != user.pk, layer.kind != "personal", layer.name))


def layer_get_for_user(*, layer_id: int, user) -> Layer:
    layers = Layer.objects.select_related("project", "owner").filter(pk=layer_id)
    if not user.is_superuser:
        layers = layers.filter(pk__in=readable_layers(user))
    layer = layers.first()
    if layer is None:
        raise NotFound(f"No layer {layer_id} that you may see.")
    return layer

