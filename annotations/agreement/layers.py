"""Checks that several layers really are layers of one document, with sound spans and relations.

Agreement and curation both compare layers span by span; comparing layers of different
texts, or spans that point outside their paragraph, would give numbers that mean nothing,
so both start here and refuse such input with a message naming the layer and the item.
"""
from __future__ import annotations

from collections.abc import Mapping

from annotations.argument_map import ArgumentMap


def describe_document(index: int | None, argument_map: ArgumentMap) -> str:
    """How messages name a document: its 1-based position in the input and its title."""
    name = "document" if index is None else f"document {index + 1}"
    return f"{name} ({argument_map.title!r})" if argument_map.title else name


def check_layers(layers: Mapping[str, ArgumentMap], *, index: int | None = None) -> dict[int, str]:
    """Paragraph text by position, after checking every layer against the first one.

    Raises ``ValueError`` when layers differ in paragraphs, a span is empty or outside its
    paragraph, or a relation points to a span that is not in its layer.
    """
    if not layers:
        raise ValueError("no layers given")
    names = list(layers)
    first = layers[names[0]]
    where = describe_document(index, first)
    paragraphs = [(paragraph.position, paragraph.text) for paragraph in first.paragraphs]
    for name in names[1:]:
        other = [(paragraph.position, paragraph.text) for paragraph in layers[name].paragraphs]
        if other != paragraphs:
            differing = next(
                (mine[0] for mine, theirs in zip(paragraphs, other) if mine != theirs),
                min(len(paragraphs), len(other)),
            )
            raise ValueError(
                f"{where}: layer {name!r} does not have the same paragraphs as layer "
                f"{names[0]!r} (first difference at paragraph {differing}); "
                "only layers of one document can be compared"
            )
    text_by_position = dict(paragraphs)
    if len(text_by_position) != len(paragraphs):
        raise ValueError(f"{where}: layer {names[0]!r} lists a paragraph position twice")
    for name, argument_map in layers.items():
        span_ids = set()
        for span in argument_map.spans:
            text = text_by_position.get(span.paragraph)
            if text is None:
                raise ValueError(
                    f"{where}, layer {name!r}: span {span.id!r} is in paragraph {span.paragraph}, "
                    "which does not exist"
                )
            if not 0 <= span.start < span.end <= len(text):
                raise ValueError(
                    f"{where}, layer {name!r}: span {span.id!r} [{span.start}, {span.end}) is empty "
                    f"or outside paragraph {span.paragraph} ({len(text)} characters)"
                )
            if span.id in span_ids:
                raise ValueError(f"{where}, layer {name!r}: span id {span.id!r} is used twice")
            span_ids.add(span.id)
        for relation in argument_map.relations:
            for end in (relation.source, relation.target):
                if end not in span_ids:
                    raise ValueError(
                        f"{where}, layer {name!r}: relation {relation.id!r} points to span "
                        f"{end!r}, which is not in the layer"
                    )
    return text_by_position
