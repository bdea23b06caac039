"""doccano JSONL for relation extraction: one JSON object a line, one line a document.

Each line is ``{"text": ..., "entities": [{"id", "label", "start_offset",
"end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`` as doccano's
sequence-labelling-with-relations project imports and exports it (integer ids, document
offsets in code points, ``from_id`` supports/attacks ``to_id``). Export adds ``title``,
which doccano keeps as metadata. Labels are argmap's names (``claim``, ``evidence``...);
import also accepts the essays' ``MajorClaim``/``Claim``/``Premise``. The text is cut
into paragraphs on blank lines (or line breaks) and offsets are mapped into them.
"""
from __future__ import annotations

import json

from annotations import json_input
from annotations.argument_map import ArgumentMap, MapRelation, MapSpan
from annotations.formats.base import (
    FormatError,
    MapFormat,
    check_map,
    decode_utf8,
    document_offsets,
    kind_from_name,
    label_from_name,
    labels_in_use,
    locate_in_pieces,
    paragraphs_from_pieces,
    shorten,
    spans_in_document_order,
    split_paragraphs,
)


def map_to_record(argument_map: ArgumentMap) -> dict:
    number_of = {}
    entities = []
    for number, span in enumerate(spans_in_document_order(argument_map), start=1):
        number_of[span.id] = number
        start, end = document_offsets(argument_map, span)
        entities.append({"id": number, "label": span.label, "start_offset": start, "end_offset": end})
    relations = [
        {"id": number, "from_id": number_of[r.source], "to_id": number_of[r.target], "type": r.kind}
        for number, r in enumerate(argument_map.relations, start=1)
    ]
    return {"title": argument_map.title, "text": argument_map.document_text, "entities": entities, "relations": relations}


def export_lines(maps: list[ArgumentMap]) -> bytes:
    lines = [json.dumps(map_to_record(m), ensure_ascii=False) for m in maps]
    return ("\n".join(lines) + "\n").encode("utf-8")


def record_to_map(record: dict, *, line_number: int, name: str = "") -> ArgumentMap:
    line = f"line {line_number}"
    if not isinstance(record, dict):
        raise FormatError("each line must be a JSON object with text, entities and relations", where=line)
    text = record.get("text", record.get("data"))
    if not isinstance(text, str) or not text.strip():
        raise FormatError("needs a non-empty 'text'", where=line)
    pieces = split_paragraphs(text)
    raw_entities = record.get("entities", record.get("label", []))
    if not isinstance(raw_entities, list):
        raise FormatError("'entities' must be a list", where=line)
    spans, ids = [], set()
    for index, entity in enumerate(raw_entities):
        where = f"{line}, entity {index + 1}"
        if isinstance(entity, list) and len(entity) == 3:  # doccano's older [start, end, label]
            entity = {"id": index + 1, "start_offset": entity[0], "end_offset": entity[1], "label": entity[2]}
        if not isinstance(entity, dict) or not {"id", "label", "start_offset", "end_offset"} <= entity.keys():
            raise FormatError("needs id, label, start_offset and end_offset", where=where)
        where = f"{line}, entity {entity['id']}"
        start, end = entity["start_offset"], entity["end_offset"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise FormatError(f"offsets {start}-{end} do not fit the text ({len(text)} characters)", where=where)
        if str(entity["id"]) in ids:
            raise FormatError("the id is used twice", where=where)
        ids.add(str(entity["id"]))
        label = label_from_name(str(entity["label"]), where=where)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise FormatError("covers only whitespace", where=where)
        paragraph, paragraph_start, paragraph_end = locate_in_pieces(pieces, start, end, where=where)
        quote = pieces[paragraph].text[paragraph_start:paragraph_end]
        spans.append(MapSpan(id=str(entity["id"]), paragraph=paragraph, start=paragraph_start,
                             end=paragraph_end, quote=quote, label=label))
    raw_relations = record.get("relations", [])
    if not isinstance(raw_relations, list):
        raise FormatError("'relations' must be a list", where=line)
    relations = []
    for index, relation in enumerate(raw_relations):
        where = f"{line}, relation {index + 1}"
        if not isinstance(relation, dict) or not {"from_id", "to_id", "type"} <= relation.keys():
            raise FormatError("needs from_id, to_id and type", where=where)
        where = f"{line}, relation {relation.get('id', index + 1)}"
        kind = kind_from_name(str(relation["type"]), where=where)
        for key in ("from_id", "to_id"):
            if str(relation[key]) not in ids:
                raise FormatError(f"{key} {relation[key]!r} is not an entity of this line", where=where)
        relations.append(MapRelation(id=str(relation.get("id", index + 1)), kind=kind,
                                     source=str(relation["from_id"]), target=str(relation["to_id"])))
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    argument_map = ArgumentMap(
        title=title or (f"{name} {line_number}" if name else shorten(pieces[0].text, 120)),
        paragraphs=paragraphs_from_pieces(pieces),
        spans=spans,
        relations=relations,
        labels=labels_in_use(spans),
    )
    check_map(argument_map)
    return argument_map


def import_lines(data: bytes, *, name: str = "") -> list[ArgumentMap]:
    text = decode_utf8(data, what="JSONL file")
    maps = []
    for line_number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may sit inside a line
        if not line.strip():
            continue
        try:
            record = json_input.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(f"not valid JSON: {error.msg} at column {error.colno}", where=f"line {line_number}") from None
        maps.append(record_to_map(record, line_number=line_number, name=name))
    if not maps:
        raise FormatError("the file holds no documents")
    return maps


class DoccanoFormat(MapFormat):
    name = "doccano"
    title = "doccano JSONL"
    extension = "jsonl"
    content_type = "application/jsonl"
    can_import = True

    def export(self, argument_map: ArgumentMap) -> bytes:
        return export_lines([argument_map])

    def import_(self, data: bytes, *, name: str = "") -> list[ArgumentMap]:
        return import_lines(data, name=name)
