"""Build the in-memory ``ArgumentMap`` of one document and layer (for exports and the map view)."""
from __future__ import annotations

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan, MapSuggestionSource
from annotations.models import Annotation, Document, Layer, Paragraph, Relation


def argument_map_get(*, document: Document, layer: Layer) -> ArgumentMap:
    """Four queries whatever the size: project, paragraphs, spans (with author and suggestion), relations."""
    project = document.project
    paragraphs = list(Paragraph.objects.filter(document=document).order_by("position").only("position", "kind", "text", "id"))
    position_of = {paragraph.pk: paragraph.position for paragraph in paragraphs}
    spans = (
        Annotation.objects.filter(document=document, layer=layer)
        .select_related("author", "suggestion")
        .order_by("paragraph__position", "start", "end", "id")
    )
    relations = Relation.objects.filter(document=document, layer=layer).select_related("author").order_by("id")
    return ArgumentMap(
        title=document.title,
        paragraphs=[MapParagraph(position=p.position, text=p.text, kind=p.kind) for p in paragraphs],
        spans=[
            MapSpan(
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
            for span in spans
        ],
        relations=[
            MapRelation(
                id=f"r{relation.pk}",
                kind=relation.kind,
                source=f"s{relation.source_id}",
                target=f"s{relation.target_id}",
                author=relation.author.get_username() if relation.author else "",
            )
            for relation in relations
        ],
        layer_name=layer.name,
        layer_kind=layer.kind,
        source_name=document.source_name,
        labels=list(project.labels),
    )
