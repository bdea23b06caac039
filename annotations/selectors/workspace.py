"""A document's whole workspace for one layer, for the API: five queries whatever its size."""
from __future__ import annotations

from annotations.errors import NotFound
from annotations.models import Document, Layer, Paragraph
from annotations.permissions import can_edit_layer, remember_roles, role_subquery
from annotations.selectors.projects import layers_visible_to
from annotations.selectors.span_lists import ANNOTATION_LIST, RELATION_LIST, list_page


def document_workspace_get(*, document_id: int, user, layer_id: int | None = None) -> dict:
    """Document, labels, role, the layers the user may read, paragraphs, and the chosen layer's
    spans and relations (default layer: the user's own). NotFound outside the user's projects
    and for layers they may not read."""
    document = (
        Document.objects.select_related("project").filter(pk=document_id)
        .annotate(my_role=role_subquery(user, "project_id")).first()
    )
    if document is None or (document.my_role is None and not user.is_superuser):
        raise NotFound(f"No document {document_id} in a project you are a member of.")
    project = document.project
    remember_roles(user, {project.pk: document.my_role})
    layers = layers_visible_to(project=project, user=user)
    if layer_id is None:
        layer = next((l for l in layers if l.kind == Layer.Kind.PERSONAL and l.owner_id == user.pk), None)
    else:
        layer = next((l for l in layers if l.pk == layer_id), None)
        if layer is None:
            raise NotFound(f"No layer {layer_id} that you may see in this document's project.")
    paragraphs = Paragraph.objects.filter(document=document).order_by("position").values_list("id", "position", "kind", "text")
    spans, relations = [], []
    if layer is not None:
        wanted = {"document": document.pk, "layer": layer.pk}
        _, spans = list_page(ANNOTATION_LIST, user=user, filters=wanted, limit=None)
        _, relations = list_page(RELATION_LIST, user=user, filters=wanted, limit=None)
    return {
        "document": {"id": document.pk, "title": document.title, "project": project.slug},
        "labels": list(project.labels),
        "role": document.my_role if document.my_role is not None else ("owner" if user.is_superuser else None),
        "layer": layer,
        "can_edit": layer is not None and can_edit_layer(layer, user),
        "layers": layers,
        "paragraphs": [
            {"id": pk, "document": document.pk, "position": position, "kind": kind, "text": text}
            for pk, position, kind, text in paragraphs
        ],
        "annotations": spans,
        "relations": relations,
    }
