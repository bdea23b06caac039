"""What the document page needs, in a fixed number of queries whatever the number of spans."""
from __future__ import annotations

from annotations.models import Annotation, Document, Layer, Paragraph, Relation
from annotations.permissions import can_edit_layer, role_in
from annotations.selectors.exports import export_menu_data
from annotations.selectors.collaboration import changes_cursor
from annotations.selectors.projects import layers_visible_to
from annotations.selectors.suggestions import suggestion_page_data


def document_page_data(*, document: Document, user) -> dict:
    """Paragraphs, the layers the user may see, and the spans and relations of the user's own layer.

    The page loads other layers' spans through the API when the person toggles them on.
    """
    project = document.project
    # Read before the spans: a change made meanwhile is then replayed by live.js, never missed.
    cursor = changes_cursor(document=document)
    paragraphs = list(Paragraph.objects.filter(document=document).order_by("position"))
    layers = layers_visible_to(project=project, user=user)
    own_layer = next((layer for layer in layers if layer.kind == Layer.Kind.PERSONAL and layer.owner_id == user.pk), None)
    spans, relations = [], []
    if own_layer is not None:
        spans = list(Annotation.objects.filter(document=document, layer=own_layer).order_by("paragraph_id", "start", "end"))
        relations = list(Relation.objects.filter(document=document, layer=own_layer).order_by("id"))
    role = role_in(project, user)
    return {
        "document": document,
        "project": project,
        "paragraphs": paragraphs,
        "layers": layers,
        "own_layer": own_layer,
        **export_menu_data(document=document, user=user, layers=layers),
        "role": role,
        "can_annotate": own_layer is not None and can_edit_layer(own_layer, user) or role in {"owner", "curator", "annotator"},
        "page_data": {
            "document": {"id": document.pk, "title": document.title},
            "project": {"slug": project.slug, "labels": list(project.labels)},
            "user": {"username": user.get_username(), "role": role},
            "layer": own_layer.pk if own_layer else None,
            "layers": [
                {"id": layer.pk, "name": layer.name, "kind": layer.kind, "owner": layer.owner.username if layer.owner else None}
                for layer in layers
            ],
            "paragraphs": [{"id": p.pk, "position": p.position, "kind": p.kind, "text": p.text} for p in paragraphs],
            "annotations": [
                {
                    "id": a.pk, "paragraph": a.paragraph_id, "start": a.start, "end": a.end, "quote": a.quote,
                    "label": a.label, "note": a.note, "version": a.version, "origin": a.origin,
                }
                for a in spans
            ],
            "relations": [{"id": r.pk, "source": r.source_id, "target": r.target_id, "kind": r.kind} for r in relations],
            # Where live.js starts following changes (annotations/static/annotations/live.js).
            "changes_cursor": cursor,
            # Where suggestions.js starts: status, fallback message, project model, endpoints.
            "suggestions": suggestion_page_data(document=document),
        },
    }
