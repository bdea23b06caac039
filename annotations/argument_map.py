"""The in-memory argument map: one document's spans and relations for one layer.

Every export format writes from an ``ArgumentMap`` and every import format reads into
one; the selector ``argument_map_get`` builds it from the database and the service
``argument_map_import`` stores one. Nothing here touches the ORM, so formats are pure
functions that can be tested without a database.

Offsets are Unicode code points into ``MapParagraph.text``, ``[start, end)``. Formats
that need document offsets (brat, doccano, AIF) use ``ArgumentMap.document_text`` and
``ArgumentMap.paragraph_starts``: paragraphs joined by ``PARAGRAPH_SEPARATOR``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"

LABELS = ("major_claim", "claim", "evidence", "counterclaim", "rebuttal")
RELATION_KINDS = ("supports", "attacks")


@dataclass
class MapParagraph:
    position: int
    text: str
    kind: str = "body"  # "body" or "heading"


@dataclass
class MapSuggestionSource:
    """Where an accepted span came from, when it came from spaCy."""

    pipeline: str
    version: str
    score: float
    cues: list[str] = field(default_factory=list)


@dataclass
class MapSpan:
    id: str
    paragraph: int  # MapParagraph.position
    start: int
    end: int
    quote: str
    label: str
    author: str = ""
    note: str = ""
    origin: str = "manual"  # "manual", "suggestion", "import" or "merge"
    suggestion: MapSuggestionSource | None = None

    @classmethod
    def cut(cls, *, id: str, texts, paragraph: int, start: int, end: int, label: str) -> MapSpan:
        """The span over ``[start, end)`` of paragraph ``paragraph``, its quote cut from ``texts``
        (paragraph texts by position, offsets in code points)."""
        return cls(id=id, paragraph=paragraph, start=start, end=end, quote=texts[paragraph][start:end], label=label)


@dataclass
class MapRelation:
    id: str
    kind: str  # "supports" or "attacks"
    source: str  # MapSpan.id
    target: str  # MapSpan.id
    author: str = ""


@dataclass
class ArgumentMap:
    title: str
    paragraphs: list[MapParagraph]
    spans: list[MapSpan] = field(default_factory=list)
    relations: list[MapRelation] = field(default_factory=list)
    layer_name: str = ""
    layer_kind: str = "personal"  # "personal", "consensus" or "answer_key"
    source_name: str = ""
    labels: list[str] = field(default_factory=lambda: ["claim", "evidence", "counterclaim"])
    # What the file it was imported from held that argmap's tables do not (brat type names,
    # attributes and text bytes; AIF speakers), so an export for that tool gives it back.
    # {"format": "brat" | "aif", ..., "spans": {span id: {...}}, "relations": {relation id: {...}}}
    provenance: dict = field(default_factory=dict)

    @property
    def document_text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    @property
    def paragraph_starts(self) -> dict[int, int]:
        """Document offset at which each paragraph (by position) begins."""
        starts, offset = {}, 0
        for paragraph in self.paragraphs:
            starts[paragraph.position] = offset
            offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
        return starts

    def paragraph_at(self, document_offset: int) -> tuple[int, int]:
        """(paragraph position, offset within it) for a document offset."""
        for position, start in reversed(list(self.paragraph_starts.items())):
            if document_offset >= start:
                return position, document_offset - start
        raise ValueError(f"offset {document_offset} is before the first paragraph")

    def span(self, span_id: str) -> MapSpan:
        for span in self.spans:
            if span.id == span_id:
                return span
        raise KeyError(span_id)
