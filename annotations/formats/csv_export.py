"""CSV: one row per span, for spreadsheets.

Columns: ``id, label, text, paragraph, start, end, author, note, supports, attacks``;
``paragraph`` is the paragraph's position, ``start``/``end`` code-point offsets in it,
``supports``/``attacks`` the ids of the spans this span supports or attacks, joined with
``;``. UTF-8 with a byte-order mark so Excel shows non-ASCII text right; rows in
document order.
"""
from __future__ import annotations

import csv
import io

from annotations.argument_map import ArgumentMap
from annotations.formats.base import MapFormat, spans_in_document_order

COLUMNS = ("id", "label", "text", "paragraph", "start", "end", "author", "note", "supports", "attacks")
ID_SEPARATOR = ";"


def export_text(argument_map: ArgumentMap) -> str:
    targets: dict[tuple[str, str], list[str]] = {}
    for relation in argument_map.relations:
        targets.setdefault((relation.source, relation.kind), []).append(relation.target)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for span in spans_in_document_order(argument_map):
        writer.writerow(
            [
                span.id,
                span.label,
                span.quote,
                span.paragraph,
                span.start,
                span.end,
                span.author,
                span.note,
                ID_SEPARATOR.join(targets.get((span.id, "supports"), [])),
                ID_SEPARATOR.join(targets.get((span.id, "attacks"), [])),
            ]
        )
    return buffer.getvalue()


# With a byte-order mark, so that spreadsheet programs read the file as UTF-8.
FORMAT = MapFormat(name="csv", title="CSV (one row per span)", extension="csv", content_type="text/csv; charset=utf-8",
                   write=lambda argument_map: export_text(argument_map).encode("utf-8-sig"))
