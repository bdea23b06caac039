"""Argdown (``.argdown``): the map as statements and support/attack relations.

Every span becomes one statement, ``[Claim 1]: <quote>``, titled by its label and its
number in document order. The tree starts from the spans that support or attack nothing
(claims, usually; major claims first); under each statement come the spans that act on
it: ``<+ [Evidence 2]: ...`` for a span that supports it, ``<- [Counterclaim 1]: ...`` for
one that attacks it, recursively (a rebuttal sits under the counterclaim it attacks).
A span that acts on several statements is written out the first time and referred to by
its title (``<+ [Claim 2]``) after that, so cycles and shared premises stay finite.

Quotes are written on one line with whitespace collapsed and every character that
Argdown's lexer would read as markup (``[ ] < > { } # * _ @ / \\``, and ``.``/``:`` that
could start a ``.shortcode.``) escaped with a backslash, so the parser gives the quote
back. Tests run the export through the real parser (``@argdown/core``).
"""
from __future__ import annotations

import re
from collections import defaultdict

from annotations.argument_map import ArgumentMap, MapSpan
from annotations.formats.base import MapFormat, spans_in_document_order

STATEMENT_TITLES = {
    "major_claim": "Major claim",
    "claim": "Claim",
    "evidence": "Evidence",
    "counterclaim": "Counterclaim",
    "rebuttal": "Rebuttal",
}
ROOT_ORDER = {"major_claim": 0, "claim": 1, "counterclaim": 2, "evidence": 3, "rebuttal": 4}
RELATION_SYMBOLS = {"supports": "<+", "attacks": "<-"}
_ALWAYS_ESCAPED = set("\\[]<>{}#*_@/")
INDENT = "    "


def escape_text(text: str) -> str:
    """One line of Argdown statement text that the parser reads back as ``text``."""
    flat = re.sub(r"\s+", " ", text).strip()
    escaped = []
    for index, character in enumerate(flat):
        following = flat[index + 1] if index + 1 < len(flat) else " "
        if character in _ALWAYS_ESCAPED or (character in ".:" and not following.isspace()):
            escaped.append("\\" + character)
        else:
            escaped.append(character)
    return "".join(escaped)


def statement_titles(argument_map: ArgumentMap) -> dict[str, str]:
    """Span id → ``"Claim 2"``: label and number in document order."""
    counts: dict[str, int] = defaultdict(int)
    titles = {}
    for span in spans_in_document_order(argument_map):
        counts[span.label] += 1
        titles[span.id] = f"{STATEMENT_TITLES[span.label]} {counts[span.label]}"
    return titles


def export_text(argument_map: ArgumentMap) -> str:
    spans = spans_in_document_order(argument_map)
    titles = statement_titles(argument_map)
    order = {span.id: index for index, span in enumerate(spans)}
    acting_on: dict[str, list] = defaultdict(list)  # target id → relations into it
    sources = set()
    for relation in argument_map.relations:
        acting_on[relation.target].append(relation)
        sources.add(relation.source)
    for relations in acting_on.values():
        relations.sort(key=lambda relation: (order[relation.source], relation.kind))

    lines = [f"# {escape_text(argument_map.title) or 'Argument map'}", ""]
    if argument_map.source_name:
        source = re.sub(r"\s+", " ", argument_map.source_name)
        lines += [f"// source: {source}", ""]
    written: set[str] = set()

    def write(span: MapSpan, depth: int, symbol: str) -> None:
        prefix = INDENT * depth + (f"{symbol} " if symbol else "")
        if span.id in written:
            lines.append(f"{prefix}[{titles[span.id]}]")
            return
        written.add(span.id)
        lines.append(f"{prefix}[{titles[span.id]}]: {escape_text(span.quote)}")
        for relation in acting_on.get(span.id, []):
            write(span_by_id[relation.source], depth + 1, RELATION_SYMBOLS[relation.kind])

    span_by_id = {span.id: span for span in spans}
    roots = sorted(
        (span for span in spans if span.id not in sources),
        key=lambda span: (ROOT_ORDER[span.label], order[span.id]),
    )
    for span in roots:
        write(span, 0, "")
        lines.append("")
    for span in spans:  # spans only reachable through a cycle
        if span.id not in written:
            write(span, 0, "")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


FORMAT = MapFormat(name="argdown", title="Argdown", extension="argdown", content_type="text/plain; charset=utf-8",
                   write=lambda argument_map: export_text(argument_map).encode("utf-8"))
