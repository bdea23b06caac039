"""Reads about layers: which layers a document has (with counts), one layer's spans for the
page to show, the argument maps of many layers and documents at once (agreement, curation),
and the side-by-side comparison of two layers.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotations.agreement import EXACT, OVERLAP, match_spans
from annotations.errors import InvalidInput, NotFound
from annotations.models import Annotation, Document, Layer, Relation
from annotations.permissions import CURATOR_ROLES, readable_layers, role_in
from annotations.representations import (
    LAYER_NAMED,
    RELATION_IN_LAYER,
    SPAN_IN_LAYER,
    layer_data,
    relation_data,
    span_data,
)
from annotations.selectors.maps import argument_maps_get
from annotations.selectors.pseudonyms import layers_named_for


def _count_in_document(model, document_id: int):
    counts = (
        model.objects.filter(layer=OuterRef("pk"), document_id=document_id)
        .order_by()
        .values("layer")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def document_layers_with_counts(*, document: Document, user) -> list[Layer]:
    """The layers of the document's project the user may read, each with ``span_count`` and
    ``relation_count`` in this document; the user's own layer first. One query."""
    role = role_in(document.project_id, user)
    if role is None:
        return []
    layers = (
        Layer.objects.filter(project_id=document.project_id)
        .select_related("owner")
        .annotate(
            span_count=_count_in_document(Annotation, document.pk),
            relation_count=_count_in_document(Relation, document.pk),
        )
    )
    if role not in CURATOR_ROLES and not user.is_superuser:
        layers = layers.filter(pk__in=readable_layers(user))
        layers = layers_named_for(user=user, layers=list(layers), project_id=document.project_id)
    return sorted(layers, key=lambda layer: (layer.owner_id != user.pk, layer.kind != "personal", layer.name, layer.pk))


def project_layers_with_counts(*, project, user) -> list[Layer]:
    """The project's layers the user may read, each with ``span_count`` over all its documents. One query."""
    role = role_in(project.pk, user)
    if role is None:
        return []
    layers = Layer.objects.filter(project=project).select_related("owner").annotate(span_count=Count("annotations"))
    if role not in CURATOR_ROLES and not user.is_superuser:
        layers = layers.filter(pk__in=readable_layers(user))
    return sorted(layers, key=lambda layer: (layer.kind != "personal", layer.name, layer.pk))


def visible_layers_by_id(*, project_id: int, user, layer_ids: Sequence[int]) -> list[Layer]:
    """The layers with these ids, in the order given; 404 for any the user may not read."""
    superuser = getattr(user, "is_superuser", False)
    candidates = Layer.objects.filter(project_id=project_id, pk__in=list(layer_ids)).select_related("owner")
    if not superuser:
        candidates = candidates.filter(pk__in=readable_layers(user))
    found = {layer.pk: layer for layer in candidates}
    layers = []
    for layer_id in layer_ids:
        layer = found.get(layer_id)
        if layer is None:
            raise NotFound(f"No layer {layer_id} in this project that you may see.")
        layers.append(layer)
    return layers if superuser else layers_named_for(user=user, layers=layers, project_id=project_id)


def layer_names(layers: Sequence[Layer]) -> dict[int, str]:
    """A unique display name per layer (its name, with the id added where two share a name)."""
    counts = defaultdict(int)
    for layer in layers:
        counts[layer.name] += 1
    return {layer.pk: layer.name if counts[layer.name] == 1 else f"{layer.name} (#{layer.pk})" for layer in layers}


def layer_spans_get(*, document: Document, layer: Layer) -> dict:
    """One layer's spans and relations in the document, shaped like the document page's own ones."""
    spans = Annotation.objects.filter(document=document, layer=layer).select_related("author").order_by(
        "paragraph_id", "start", "end", "id"
    )
    relations = Relation.objects.filter(document=document, layer=layer).order_by("id")
    return {
        "layer": layer_data(layer),
        "annotations": [span_data(span, SPAN_IN_LAYER) for span in spans],
        "relations": [relation_data(relation, RELATION_IN_LAYER) for relation in relations],
    }


def layers_compare(*, document: Document, first: Layer, second: Layer, match: str = EXACT) -> dict:
    """Two layers of a document side by side: per paragraph, the spans both drew (``same``),
    drew with another label (``relabelled``) and drew alone (``only_first`` / ``only_second``)."""
    if match not in (EXACT, OVERLAP):
        raise InvalidInput(f"match must be 'exact' or 'overlap', not {match!r}.")
    maps = argument_maps_get(documents=[document], layers=[first, second])
    first_map, second_map = maps[(document.pk, first.pk)], maps[(document.pk, second.pk)]
    same = match_spans(first_map.spans, second_map.spans, mode=match, same_label=True)
    used_first = {a.id for a, _ in same}
    used_second = {b.id for _, b in same}
    relabelled = match_spans(
        [s for s in first_map.spans if s.id not in used_first],
        [s for s in second_map.spans if s.id not in used_second],
        mode=match, same_label=False,
    )
    used_first |= {a.id for a, _ in relabelled}
    used_second |= {b.id for _, b in relabelled}
    status_first = {a.id: "same" for a, _ in same} | {a.id: "relabelled" for a, _ in relabelled}
    status_second = {b.id: "same" for _, b in same} | {b.id: "relabelled" for _, b in relabelled}
    partner = {a.id: b for a, b in same + relabelled} | {b.id: a for a, b in same + relabelled}

    def side(spans, status):
        by_paragraph = defaultdict(list)
        for span in spans:
            other = partner.get(span.id)
            by_paragraph[span.paragraph].append({
                "id": int(span.id[1:]), "start": span.start, "end": span.end, "quote": span.quote,
                "label": span.label, "status": status.get(span.id, "only"),
                "other_label": other.label if other else None,
            })
        return by_paragraph

    first_side, second_side = side(first_map.spans, status_first), side(second_map.spans, status_second)
    paragraphs = [
        {
            "position": paragraph.position, "kind": paragraph.kind, "text": paragraph.text,
            "first": first_side.get(paragraph.position, []), "second": second_side.get(paragraph.position, []),
        }
        for paragraph in first_map.paragraphs
    ]
    return {
        "document": document.pk,
        "match": match,
        "first": layer_data(first, LAYER_NAMED) | {"spans": len(first_map.spans)},
        "second": layer_data(second, LAYER_NAMED) | {"spans": len(second_map.spans)},
        "summary": {
            "same": len(same),
            "relabelled": len(relabelled),
            "only_first": len(first_map.spans) - len(used_first),
            "only_second": len(second_map.spans) - len(used_second),
        },
        "paragraphs": paragraphs,
    }
