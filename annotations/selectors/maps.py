"""Build the in-memory ``ArgumentMap`` of one document and layer (for exports and the map view)."""
from __future__ import annotations

from collections import defaultdict

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan, MapSuggestionSource
from annotations.models import Annotation, Document, Layer, Paragraph, Relation


def argument_map_get(*, document: Document, layer: Layer) -> ArgumentMap:
    """Four queries whatever the size: project, paragraphs, spans (with author and suggestion), relations.

    Three when ``document.project`` is already loaded (``select_related("project")``).
    """
    return argument_maps_get(document=document, layers=[layer])[layer.pk]


def argument_maps_get(*, document: Document, layers: list[Layer]) -> dict[int, ArgumentMap]:
    """The document's map in each of ``layers`` (by layer id), in the same few queries as one map."""
    project = document.project
    paragraphs = list(Paragraph.objects.filter(document=document).order_by("position").only("position", "kind", "text", "id"))
    position_of = {paragraph.pk: paragraph.position for paragraph in paragraphs}
    layer_ids = [layer.pk for layer in layers]
    spans_by_layer, relations_by_layer = defaultdict(list), defaultdict(list)
    spans = (
        Annotation.objects.filter(document=document, layer_id__in=layer_ids)
        .select_related("author", "suggestion")
        .order_by("paragraph__position", "start", "end", "id")
    )
    for span in spans:
        spans_by_layer[span.layer_id].append(span)
    relations = Relation.objects.filter(document=document, layer_id__in=layer_ids).select_related("author").order_by("id")
    for relation in relations:
        relations_by_layer[relation.layer_id].append(relation)
    map_paragraphs = [MapParagraph(position=p.position, text=p.text, kind=p.kind) for p in paragraphs]
    return {
        layer.pk: ArgumentMap(
            title=document.title,
            paragraphs=list(map_paragraphs),
            spans=[_map_span(span, position_of) for span in spans_by_layer[layer.pk]],
            relations=[_map_relation(relation) for relation in relations_by_layer[layer.pk]],
            layer_name=layer.name,
            layer_kind=layer.kind,
            source_name=document.source_name,
            labels=list(project.labels),
        )
        for layer in layers
    }


def _map_span(span: Annotation, position_of: dict[int, int]) -> MapSpan:
    return MapSpan(
        id=f"s{span.pk}",
        paragraph=position_of[span.paragraph_id],
        start=span.start,
        end=span.end,
        quote=span.quote,
        label=span.label,
        author=span.author.get_username() if span.author else "",
        note=span.note,
        origin=span.origin,
        suggestion=(
            MapSuggestionSource(
                pipeline=span.suggestion.pipeline_name,
                version=span.suggestion.pipeline_version,
                score=span.suggestion.score,
                cues=list(span.suggestion.cues),
            )
            if span.suggestion
            else None
        ),
    )


def _map_relation(relation: Relation) -> MapRelation:
    return MapRelation(
        id=f"r{relation.pk}",
        kind=relation.kind,
        source=f"s{relation.source_id}",
        target=f"s{relation.target_id}",
        author=relation.author.get_username() if relation.author else "",
    )
