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
from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan, MapSuggestionSource
from annotations.errors import InvalidInput, NotFound
from annotations.models import Annotation, Document, Layer, Paragraph, Relation
from annotations.permissions import CURATOR_ROLES, role_in


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
        layers = layers.exclude(kind=Layer.Kind.ANSWER_KEY)
    return sorted(layers, key=lambda layer: (layer.owner_id != user.pk, layer.kind != "personal", layer.name, layer.pk))


def project_layers_with_counts(*, project, user) -> list[Layer]:
    """The project's layers the user may read, each with ``span_count`` over all its documents. One query."""
    role = role_in(project.pk, user)
    if role is None:
        return []
    layers = Layer.objects.filter(project=project).select_related("owner").annotate(span_count=Count("annotations"))
    if role not in CURATOR_ROLES and not user.is_superuser:
        layers = layers.exclude(kind=Layer.Kind.ANSWER_KEY)
    return sorted(layers, key=lambda layer: (layer.kind != "personal", layer.name, layer.pk))


def visible_layers_by_id(*, project_id: int, user, layer_ids: Sequence[int]) -> list[Layer]:
    """The layers with these ids, in the order given; 404 for any the user may not read."""
    role = "owner" if getattr(user, "is_superuser", False) else role_in(project_id, user)
    found = {
        layer.pk: layer
        for layer in Layer.objects.filter(project_id=project_id, pk__in=list(layer_ids)).select_related("owner")
    }
    layers = []
    for layer_id in layer_ids:
        layer = found.get(layer_id)
        if layer is None or role is None or (layer.kind == Layer.Kind.ANSWER_KEY and role not in CURATOR_ROLES):
            raise NotFound(f"No layer {layer_id} in this project that you may see.")
        layers.append(layer)
    return layers


def layer_names(layers: Sequence[Layer]) -> dict[int, str]:
    """A unique display name per layer (its name, with the id added where two share a name)."""
    counts = defaultdict(int)
    for layer in layers:
        counts[layer.name] += 1
    return {layer.pk: layer.name if counts[layer.name] == 1 else f"{layer.name} (#{layer.pk})" for layer in layers}


def argument_maps_get(*, documents: Sequence[Document], layers: Sequence[Layer]) -> dict[tuple[int, int], ArgumentMap]:
    """``{(document id, layer id): ArgumentMap}`` for every document and layer, in three
    queries whatever their number (paragraphs, spans, relations). Same maps as
    ``argument_map_get`` builds one at a time."""
    documents = list(documents)
    layers = list(layers)
    document_ids = [document.pk for document in documents]
    layer_ids = [layer.pk for layer in layers]
    paragraphs_by_document = defaultdict(list)
    for paragraph in Paragraph.objects.filter(document_id__in=document_ids).order_by("document_id", "position").only(
        "id", "document_id", "position", "kind", "text"
    ):
        paragraphs_by_document[paragraph.document_id].append(paragraph)
    position_of = {
        paragraph.pk: paragraph.position for paragraphs in paragraphs_by_document.values() for paragraph in paragraphs
    }
    spans_by_key = defaultdict(list)
    for span in (
        Annotation.objects.filter(document_id__in=document_ids, layer_id__in=layer_ids)
        .select_related("author", "suggestion")
        .order_by("paragraph__position", "start", "end", "id")
    ):
        spans_by_key[(span.document_id, span.layer_id)].append(
            MapSpan(
                id=f"s{span.pk}", paragraph=position_of[span.paragraph_id], start=span.start, end=span.end,
                quote=span.quote, label=span.label, author=span.author.get_username() if span.author else "",
                note=span.note, origin=span.origin,
                suggestion=(
                    MapSuggestionSource(
                        pipeline=span.suggestion.pipeline_name, version=span.suggestion.pipeline_version,
                        score=span.suggestion.score, cues=list(span.suggestion.cues),
                    )
                    if span.suggestion else None
                ),
            )
        )
    relations_by_key = defaultdict(list)
    for relation in Relation.objects.filter(document_id__in=document_ids, layer_id__in=layer_ids).select_related(
        "author"
    ).order_by("id"):
        relations_by_key[(relation.document_id, relation.layer_id)].append(
            MapRelation(
                id=f"r{relation.pk}", kind=relation.kind, source=f"s{relation.source_id}",
                target=f"s{relation.target_id}", author=relation.author.get_username() if relation.author else "",
            )
        )
    maps = {}
    for document in documents:
        map_paragraphs = [
            MapParagraph(position=p.position, text=p.text, kind=p.kind) for p in paragraphs_by_document[document.pk]
        ]
        for layer in layers:
            key = (document.pk, layer.pk)
            maps[key] = ArgumentMap(
                title=document.title, paragraphs=list(map_paragraphs), spans=spans_by_key[key],
                relations=relations_by_key[key], layer_name=layer.name, layer_kind=layer.kind,
                source_name=document.source_name, labels=list(document.project.labels),
            )
    return maps


def layer_spans_get(*, document: Document, layer: Layer) -> dict:
    """One layer's spans and relations in the document, shaped like the document page's own ones."""
    spans = Annotation.objects.filter(document=document, layer=layer).select_related("author").order_by(
        "paragraph_id", "start", "end", "id"
    )
    relations = Relation.objects.filter(document=document, layer=layer).order_by("id")
    return {
        "layer": {
            "id": layer.pk, "name": layer.name, "kind": layer.kind,
            "owner": layer.owner.get_username() if layer.owner_id else None,
        },
        "annotations": [
            {
                "id": span.pk, "paragraph": span.paragraph_id, "start": span.start, "end": span.end,
                "quote": span.quote, "label": span.label, "note": span.note, "version": span.version,
                "origin": span.origin, "author": span.author.get_username() if span.author else None,
            }
            for span in spans
        ],
        "relations": [
            {"id": relation.pk, "source": relation.source_id, "target": relation.target_id, "kind": relation.kind}
            for relation in relations
        ],
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
        "first": {"id": first.pk, "name": first.name, "kind": first.kind, "spans": len(first_map.spans)},
        "second": {"id": second.pk, "name": second.name, "kind": second.kind, "spans": len(second_map.spans)},
        "summary": {
            "same": len(same),
            "relabelled": len(relabelled),
            "only_first": len(first_map.spans) - len(used_first),
            "only_second": len(second_map.spans) - len(used_second),
        },
        "paragraphs": paragraphs,
    }
