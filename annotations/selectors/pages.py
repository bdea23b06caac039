"""What the document page needs, in a fixed number of queries whatever the number of spans."""
from __future__ import annotations

from annotations.models import Annotation, Document, Layer, Paragraph, Relation
from annotations.models.projects import Label
from annotations.permissions import can_edit_layer, can_read_suggestions, role_in
from annotations.representations import (
    RELATION_FIELDS,
    RELATION_IN_LAYER,
    SPAN_FIELDS,
    SPAN_ON_PAGE,
    layer_data,
    rows,
)
from annotations.selectors.collaboration import changes_cursor
from annotations.selectors.exports import export_menu_data
from annotations.selectors.pseudonyms import masks_for_layers
from annotations.selectors.projects import layers_visible_to
from annotations.selectors.preferences import preference_get
from annotations.selectors.suggestions import suggestion_page_data


# Keys that tag a selection (and change a focused span's label); keyboard.js uses the same map.
# The letter doubles as the label's marker in the text, legend and map.
LABEL_KEYS = {
    Label.CLAIM: ("1", "c"),
    Label.EVIDENCE: ("2", "e"),
    Label.COUNTERCLAIM: ("3", "x"),
    Label.MAJOR_CLAIM: ("4", "m"),
    Label.REBUTTAL: ("5", "r"),
}


def label_choices(labels: list[str]) -> list[dict]:
    """The project's labels in legend order, each with its display name and keys."""
    return [
        {"value": label, "name": Label(label).label, "digit": LABEL_KEYS[label][0], "letter": LABEL_KEYS[label][1],
         "marker": LABEL_KEYS[label][1].upper()}
        for label in labels
    ]


def document_page_data(*, document: Document, user, layer: Layer | None = None, layers: list[Layer] | None = None) -> dict:
    """Paragraphs, the layers the user may see, and the spans and relations of the user's own
    layer (or of ``layer``: an exercise's work or key, which the page then writes to).

    The page loads other layers' spans through the API when the person toggles them on.
    """
    project = document.project
    # Read before the spans: a change made meanwhile is then replayed by live.js, never missed.
    cursor = changes_cursor(document=document)
    # Plain rows, not model instances: a long document has thousands of them, and building
    # instances (and their timestamps) was most of the page's server time.
    paragraphs = list(
        Paragraph.objects.filter(document=document).order_by("position").values("id", "position", "kind", "text")
    )
    if layers is None:
        layers = layers_visible_to(project=project, user=user)
    if layer is not None:
        own_layer = layer
    else:
        own_layer = next((l for l in layers if l.kind == Layer.Kind.PERSONAL and l.owner_id == user.pk), None)
    spans, relations = [], []
    if own_layer is not None:
        spans = rows(
            Annotation.objects.filter(document=document, layer=own_layer).order_by("paragraph_id", "start", "end"),
            SPAN_FIELDS, SPAN_ON_PAGE,
        )
        relations = rows(
            Relation.objects.filter(document=document, layer=own_layer).order_by("id"), RELATION_FIELDS, RELATION_IN_LAYER
        )
    role = role_in(project, user)
    suggestions_readable = can_read_suggestions(document, user)
    masks = masks_for_layers(user=user, layers=layers, project_id=project.pk)
    return {
        "document": document,
        "project": project,
        "paragraphs": paragraphs,
        "layers": layers,
        "own_layer": own_layer,
        **export_menu_data(document=document, user=user, layers=layers, masks=masks,
                           offer_own=layer is None and own_layer is None and role in {"owner", "curator", "annotator"}),
        "role": role,
        "label_choices": label_choices(list(project.labels)),
        "hide_suggestions": not suggestions_readable,
        "can_annotate": (can_edit_layer(own_layer, user) if layer is not None else
                         own_layer is not None and can_edit_layer(own_layer, user) or role in {"owner", "curator", "annotator"}),
        "page_data": {
            "document": {"id": document.pk, "title": document.title},
            "project": {"slug": project.slug, "labels": list(project.labels)},
            "user": {"username": user.get_username(), "role": role},
            "layer": own_layer.pk if own_layer else None,
            # The page writes to this layer (an exercise's), so store.js names it in each new span.
            "layer_explicit": layer is not None,
            "layers": [masks.layer(layer_data(layer)) for layer in layers],
            "paragraphs": paragraphs,
            "annotations": spans,
            "relations": relations,
            # Where live.js starts following changes (annotations/static/annotations/live.js).
            "changes_cursor": cursor,
            # Where suggestions.js starts: status, fallback message, project model, endpoints.
            "suggestions": suggestion_page_data(document=document, layer=layer) if suggestions_readable else {"disabled": True},
            # Whether the text shows suggestions, and from which score (remembered per person).
            "preferences": preference_get(user=user),
        },
    }
