"""doccano exports for sequence labelling and relation extraction: one JSON record a document.

A record is ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}`` (doccano's relation-extraction export:
document offsets in code points, ``from_id`` supports/attacks ``to_id``), or the
sequence-labelling shape ``{"text" | "data": ..., "label": [[start, end, "LABEL"], ...]}``.
Relation ids are optional. Export writes one line per document and adds ``title``.

Import reads what doccano and people produce: JSON Lines, one record pretty-printed over
many lines, records one after another, or a JSON array of records. Labels are argmap's
names, the essays' ``MajorClaim``/``Claim``/``Premise``, or anything mapped with
``ImportOptions.label_map`` (``--map ORG=claim``, ``--map PER=-`` to leave PER out). A record
without text is left out and reported by its line (refused when the import is strict);
anything else wrong refuses the file, naming the line and the entity or relation.
The text is cut into paragraphs (``base.split_paragraphs``); the record's own text, ids and
label names are kept in the map's provenance so a doccano export gives them back.
"""
from __future__ import annotations

import json

from annotations.argument_map import ArgumentMap, MapRelation
from annotations.formats.archive import is_zip, zip_members
from annotations.formats.base import (
    FormatError,
    ImportOptions,
    MapFormat,
    check_span_count,
    decode_utf8,
    kind_from_name,
    label_from_name,
    map_of_text,
    source_text_of,
    span_at,
    spans_in_document_order,
    split_paragraphs,
)


def map_to_record(argument_map: ArgumentMap) -> dict:
    provenance = argument_map.provenance if argument_map.provenance.get("format") == "doccano" else {}
    source = source_text_of(argument_map, "doccano")
    text, starts = source if source else (argument_map.document_text, argument_map.paragraph_starts)
    kept_spans, kept_relations = provenance.get("spans", {}), provenance.get("relations", {})
    taken = {str(info.get("id")) for info in kept_spans.values()} if source else set()
    number_of, entities, counter = {}, [], 0
    for span in spans_in_document_order(argument_map):
        kept = kept_spans.get(span.id) if source else None
        start = starts[span.paragraph] + span.start
        if kept and kept.get("argmap_label") == span.label:
            entity_id, label = kept.get("id"), kept.get("label", span.label)
            if kept.get("start") is not None and text[kept["start"]:kept["end"]].strip() == span.quote:
                start, end = kept["start"], kept["end"]
            else:
                end = start + len(span.quote)
        else:
            counter += 1
            while str(counter) in taken:
                counter += 1
            entity_id, label, end = counter, span.label, start + len(span.quote)
        number_of[span.id] = entity_id
        entities.append({"id": entity_id, "label": label, "start_offset": start, "end_offset": end})
    relations = []
    for number, relation in enumerate(argument_map.relations, start=1):
        kept = kept_relations.get(relation.id) if source else None
        same = kept and kept.get("argmap_kind") == relation.kind
        relations.append({
            "id": kept.get("id", number) if same else number,
            "from_id": number_of[relation.source],
            "to_id": number_of[relation.target],
            "type": kept.get("type", relation.kind) if same else relation.kind,
        })
    return {"title": argument_map.title, "text": text, "entities": entities, "relations": relations}


def export_lines(maps: list[ArgumentMap]) -> bytes:
    lines = [json.dumps(map_to_record(m), ensure_ascii=False) for m in maps]
    return ("\n".join(lines) + "\n").encode("utf-8")


def record_to_map(record: dict, *, line_number: int, name: str = "", options: ImportOptions | None = None) -> ArgumentMap | None:
    """One record as a map; None when it is left out (no text). FormatError names the line."""
    options = options or ImportOptions()
    line = f"line {line_number}"
    if not isinstance(record, dict):
        raise FormatError("each record must be a JSON object with text, entities and relations", where=line)
    text = record.get("text", record.get("data"))
    if text is None or (isinstance(text, str) and not text.strip()):
        options.leave_out("record without text, left out", where=line)
        return None
    if not isinstance(text, str):
        raise FormatError(f"'text' must be a string, not {type(text).__name__}", where=line)
    pieces = split_paragraphs(text)
    raw_entities = record.get("entities", record.get("label", record.get("labels", [])))  # "labels": older doccano
    if raw_entities is None:
        raw_entities = []
    if not isinstance(raw_entities, list):
        raise FormatError("'entities' must be a list", where=line)
    check_span_count(len(raw_entities), options, where=line)
    spans, ids, left_out_ids = [], set(), set()
    kept_spans: dict[str, dict] = {}
    for index, entity in enumerate(raw_entities):
        where = f"{line}, entity {index + 1}"
        if isinstance(entity, list) and len(entity) == 3:  # the sequence-labelling [start, end, label]
            entity = {"id": index + 1, "start_offset": entity[0], "end_offset": entity[1], "label": entity[2]}
        if isinstance(entity, str):
            raise FormatError(
                f"label {entity!r} labels the whole text (a doccano text-classification export); argmap imports "
                "span labels: export the project as sequence labelling ([start, end, label]) or relation extraction",
                where=where)
        if not isinstance(entity, dict) or not {"label", "start_offset", "end_offset"} <= entity.keys():
            raise FormatError("needs label, start_offset and end_offset", where=where)
        entity_id = entity.get("id", index + 1)
        if not isinstance(entity_id, (int, str)) or isinstance(entity_id, bool):
            raise FormatError(f"id {entity_id!r} must be a number or a string", where=where)
        where = f"{line}, entity {entity_id}"
        start, end = entity["start_offset"], entity["end_offset"]
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            raise FormatError(f"offsets {start!r}-{end!r} do not fit the text ({len(text)} characters)", where=where)
        if str(entity_id) in ids:
            raise FormatError("the id is used twice", where=where)
        ids.add(str(entity_id))
        if not isinstance(entity["label"], str):
            raise FormatError(f"label {entity['label']!r} must be a string", where=where)
        label = label_from_name(entity["label"], where=where, label_map=options.label_map)
        if label is None:
            left_out_ids.add(str(entity_id))
            options.left_out.append(f"{where}: label {entity['label']!r} mapped to be left out")
            continue
        spans.append(span_at(pieces, text, start, end, id=str(entity_id), label=label, where=where))
        kept_spans[str(entity_id)] = {"id": entity_id, "label": entity["label"], "argmap_label": label,
                                      "start": start, "end": end}
    raw_relations = record.get("relations", []) or []
    if not isinstance(raw_relations, list):
        raise FormatError("'relations' must be a list", where=line)
    relations, kept_relations = [], {}
    for index, relation in enumerate(raw_relations):
        where = f"{line}, relation {index + 1}"
        if not isinstance(relation, dict) or not {"from_id", "to_id", "type"} <= relation.keys():
            raise FormatError("needs from_id, to_id and type", where=where)
        relation_id = str(relation.get("id", f"{index + 1}"))
        where = f"{line}, relation {relation_id}"
        if not isinstance(relation["type"], str):
            raise FormatError(f"type {relation['type']!r} must be a string", where=where)
        kind = kind_from_name(relation["type"], where=where, label_map=options.label_map)
        ends = [str(relation["from_id"]), str(relation["to_id"])]
        for key, value in zip(("from_id", "to_id"), ends):
            if value not in ids:
                raise FormatError(f"{key} {relation[key]!r} is not an entity of this line", where=where)
        if kind is None or left_out_ids & set(ends):
            why = f"type {relation['type']!r} mapped to be left out" if kind is None else "links an entity that was left out"
            options.left_out.append(f"{where}: relation {why}")
            continue
        if ends[0] == ends[1]:
            raise FormatError("an entity cannot support or attack itself", where=where)
        relations.append(MapRelation(id=relation_id, kind=kind, source=ends[0], target=ends[1]))
        kept_relations[relation_id] = {"id": relation.get("id", index + 1), "type": relation["type"], "argmap_kind": kind}
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    return map_of_text(
        text, pieces, title=title,  # none given: the text's opening words (map_of_text), not "file.jsonl 12"
        spans=spans, relations=relations, where=line,
        provenance={"format": "doccano", "spans": kept_spans, "relations": kept_relations},
    )


def read_records(text: str) -> list[tuple[int, object]]:
    """(line number, record) for JSON Lines, pretty-printed records one after another, or an array."""
    decoder = json.JSONDecoder()
    records, position, length = [], 0, len(text)
    in_array = False

    def skip(position: int) -> int:
        while position < length and text[position] in " \t\r\n\ufeff":
            position += 1
        return position

    def line_of(position: int) -> int:
        return text.count("\n", 0, position) + 1

    position = skip(position)
    if position < length and text[position] == "[":
        in_array, position = True, skip(position + 1)
    while position < length:
        if in_array and text[position] == "]":
            position = skip(position + 1)
            if position < length:
                raise FormatError("text after the end of the JSON array", where=f"line {line_of(position)}")
            break
        try:
            record, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            where = f"line {line_of(position)}"
            at = "" if error.lineno == line_of(position) else f" (at line {error.lineno})"
            raise FormatError(f"not valid JSON: {error.msg} at column {error.colno}{at}", where=where) from None
        except RecursionError:
            raise FormatError("the JSON is nested too deeply", where=f"line {line_of(position)}") from None
        records.append((line_of(position), record))
        position = skip(end)
        if in_array:
            if position < length and text[position] == ",":
                position = skip(position + 1)
            elif position < length and text[position] != "]":
                raise FormatError("expected ',' or ']' between the records of the array", where=f"line {line_of(position)}")
            elif position >= length:
                raise FormatError("the JSON array is not closed (the file is cut off?)", where=f"line {line_of(position)}")
    else:
        if in_array:
            raise FormatError("the JSON array is not closed (the file is cut off?)", where=f"line {line_of(length)}")
    return records


def import_lines(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    """The maps of a doccano export: a JSON Lines / JSON file, or the zip doccano's Export gives
    (one ``<user>.jsonl`` per annotator, or ``all.jsonl``; each member named in messages)."""
    options = options or ImportOptions()
    if is_zip(data):
        maps = []
        for member, member_data in zip_members(data, what=name or "the zip", suffixes=(".jsonl", ".json"),
                                               options=options):
            reported = len(options.left_out)
            try:
                found = import_lines(member_data, name=member, options=options)
            except FormatError as error:
                raise FormatError(error.problem, where=f"{member}, {error.where}" if error.where else member) from None
            options.left_out[reported:] = [f"{member}, {line}" for line in options.left_out[reported:]]
            for argument_map in found:
                argument_map.source_name = f"{name}: {member}" if name else member
            maps.extend(found)
            check_span_count(sum(len(m.spans) for m in maps), options)
        return maps
    text = decode_utf8(data, what="doccano file")
    maps = []
    records = read_records(text)
    if not records:
        raise FormatError("the file holds no documents (no JSON records)")
    total = 0
    for line_number, record in records:
        argument_map = record_to_map(record, line_number=line_number, name=name, options=options)
        if argument_map is not None:
            total += len(argument_map.spans)
            check_span_count(total, options)
            maps.append(argument_map)
    if not maps:
        raise FormatError(f"none of its {len(records)} record(s) has text to import")
    return maps


FORMAT = MapFormat(name="doccano", title="doccano JSONL", extension="jsonl", content_type="application/jsonl",
                   write=lambda argument_map: export_lines([argument_map]), read=import_lines)
