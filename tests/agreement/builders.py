"""Small builders for argument-map layers used by the agreement and curation tests."""
from __future__ import annotations

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan

PARAGRAPHS = [
    "Russia and China are close partners. Trade grew by 30 percent last year.",
    "Critics say the ties are fragile. Yet both governments keep signing new deals.",
]


def layer(name, spans=(), relations=(), paragraphs=PARAGRAPHS, title="Russia and China"):
    """A layer named ``name``; spans as (paragraph, start, end, label), relations as
    (kind, source index, target index) into ``spans``. Span ids are ``<name>-<index>``."""
    map_spans = [
        MapSpan.cut(id=f"{name}-{index}", texts=paragraphs, paragraph=paragraph, start=start, end=end, label=label)
        for index, (paragraph, start, end, label) in enumerate(spans)
    ]
    map_relations = [
        MapRelation(id=f"{name}-r{index}", kind=kind, source=f"{name}-{source}", target=f"{name}-{target}")
        for index, (kind, source, target) in enumerate(relations)
    ]
    return ArgumentMap(
        title=title,
        paragraphs=[MapParagraph(position=index, text=text) for index, text in enumerate(paragraphs)],
        spans=map_spans,
        relations=map_relations,
        layer_name=name,
    )


def find(text: str, paragraph: int = 0) -> tuple[int, int]:
    """(start, end) of ``text`` in one of the sample paragraphs."""
    start = PARAGRAPHS[paragraph].index(text)
    return start, start + len(text)
