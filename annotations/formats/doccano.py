"""doccano exports for sequence labelling and relation extraction: one JSON record a document.

A record is ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}`` (doccano's relation-extraction export:
document offsets in code points, ``from_id`` supports/attacks ``to_id``), or the
sequence-labelling shape ``{"text" | "data": ..., "label": [[start, end, "LABEL"], ...]}``.
Relation ids are optional. Export writes one line per document and adds ``title``.
doccano 1.0's JSONL export is read too: ``"annotations": [{"label": 3, "start_offset", "end_offset",
"user"}]``, labels as numeric ids (also ``[[0, 5, 3]]``), resolved by a doccano label file given with
the export (``[{"id": 3, "text": "Claim", "background_color": ...}]``) or a ``--map 3=claim``; without
either the file is refused naming the ids and both ways. One record holding several annotators'
spans (their ``user``) becomes one map per annotator, merged by the import service.

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
    import_each,
    kind_from_name,
    kind_is_mapped,
    kind_left_out,
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
    to_raw = None
    if source and isinstance(provenance.get("raw_text"), str):  # read with CRLF: back with them, offsets counting \r
        plain, to_plain = line_ends_as_newlines(provenance["raw_text"])
        if plain == text:
            to_raw = {position: index for index, position in enumerate(to_plain)}  # past a CRLF: after its \n
            text = provenance["raw_text"]
    kept_spans, kept_relations = provenance.get("spans", {}), provenance.get("relations", {})
    taken = {str(_integer(info.get("id"))) for info in kept_spans.values()} if source else set()
    number_of, entities, counter = {}, [], 0
    for span in spans_in_document_order(argument_map):
        kept = kept_spans.get(span.id) if source else None
        start = starts[span.paragraph] + span.start
        end = start + len(span.quote)
        if to_raw is not None:
            start, end = to_raw[start], to_raw[end]
        entity_id, label = None, span.label
        if kept and kept.get("argmap_label") == span.label:
            entity_id, label = _integer(kept.get("id")), str(kept.get("label", span.label))
            if kept.get("start") is not None and line_ends_as_newlines(text[kept["start"]:kept["end"]])[0].strip() == span.quote:
                start, end = kept["start"], kept["end"]
        if entity_id is None:  # new in argmap, or an id doccano cannot read back ("e1")
            counter += 1
            while str(counter) in taken:
                counter += 1
            entity_id = counter
        number_of[span.id] = entity_id
        entities.append({"id": entity_id, "label": label, "start_offset": start, "end_offset": end})
    relations = []
    for number, relation in enumerate(argument_map.relations, start=1):
        kept = kept_relations.get(relation.id) if source else None
        same = kept and kept.get("argmap_kind") == relation.kind
        relations.append({
            "id": (_integer(kept.get("id")) or number) if same else number,
            "from_id": number_of[relation.source],
            "to_id": number_of[relation.target],
            "type": kept.get("type", relation.kind) if same else relation.kind,
        })
    # Both shapes doccano's importer takes: "label" for a sequence-labelling project (its default label column),
    # "entities" + "relations" for one with relation labelling (JSONL(Relation)); each reads its own keys and keeps
    # the others as the example's metadata.
    label = [[entity["start_offset"], entity["end_offset"], entity["label"]] for entity in entities]
    return {"title": argument_map.title, "text": text, "label": label, "entities": entities, "relations": relations}


def _integer(value) -> int | None:
    """An id doccano can read back (its importer wants integer entity ids): ints and digit strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


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
    raw_text = text  # what the offsets count: doccano counts the characters of the text as stored, \r of CRLF too
    text, to_plain = line_ends_as_newlines(raw_text)
    pieces = split_paragraphs(text)
    raw_entities = _entities_of(record)
    if not isinstance(raw_entities, list):
        raise FormatError(f"'{_entity_key(record)}' must be a list", where=line)
    check_span_count(len(raw_entities), options, where=line)
    spans, ids, left_out_ids = [], set(), set()
    kept_spans: dict[str, dict] = {}
    to_points = _utf16_reading(raw_text, raw_entities)
    if to_points is not None:
        options.assumed.append(f"{line}: the offsets count UTF-16 code units (an emoji as two, as doccano's browser "
                               "side counted them): read that way, since only then do the spans start and end on words")
    for index, entity in enumerate(raw_entities):
        where = f"{line}, entity {index + 1}"
        if isinstance(entity, list) and len(entity) == 3:  # the sequence-labelling [start, end, label]
            entity = {"id": index + 1, "start_offset": entity[0], "end_offset": entity[1], "label": entity[2]}
        if isinstance(entity, (str, int)) and not isinstance(entity, bool) or (
                _entity_key(record) == "annotations" and isinstance(entity, dict) and "label" in entity
                and "start_offset" not in entity and "end_offset" not in entity):
            entity = _label_name(entity["label"] if isinstance(entity, dict) else entity, options)
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
        if to_points is not None and type(start) is int and type(end) is int and 0 <= start < end < len(to_points):
            start, end = to_points[start], to_points[end]
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(raw_text)):
            raise FormatError(f"offsets {start!r}-{end!r} do not fit the text ({len(raw_text)} characters)", where=where)
        if str(entity_id) in ids:
            raise FormatError("the id is used twice", where=where)
        ids.add(str(entity_id))
        name_of_label = _label_name(entity["label"], options)
        if not isinstance(name_of_label, str):
            raise FormatError(f"label {entity['label']!r} must be a string, or a label id of the project", where=where)
        label = label_from_name(name_of_label, where=where, label_map=options.label_map)
        if label is None:
            left_out_ids.add(str(entity_id))
            options.left_out.append(f"{where}: label {name_of_label!r} mapped to be left out")
            continue
        spans.append(span_at(pieces, text, to_plain[start], to_plain[end], id=str(entity_id), label=label, where=where))
        named = name_of_label if isinstance(entity["label"], str) or name_of_label != str(entity["label"]) else label
        kept_spans[str(entity_id)] = {"id": entity_id, "label": named, "argmap_label": label,
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
        if kind is None and not kind_is_mapped(relation["type"], options.label_map):
            options.leave_out(f"relation {kind_left_out(relation['type'])}", where=where)
            continue
        if kind is None or left_out_ids & set(ends):
            why = f"type {relation['type']!r} mapped to be left out" if kind is None else "links an entity that was left out"
            options.left_out.append(f"{where}: relation {why}")
            continue
        if ends[0] == ends[1]:
            raise FormatError("an entity cannot support or attack itself", where=where)
        relations.append(MapRelation(id=relation_id, kind=kind, source=ends[0], target=ends[1]))
        kept_relations[relation_id] = {"id": relation.get("id", index + 1), "type": relation["type"], "argmap_kind": kind}
    categories = record.get("cats")  # doccano's intent detection: whole-text categories beside the spans
    if isinstance(categories, list) and categories:
        shown = ", ".join(repr(str(category)) for category in categories[:5]) + (" …" if len(categories) > 5 else "")
        options.leave_out(f"its categories ({shown}) label the whole text, and argmap keeps span labels only: left out",
                          where=line)
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    provenance = {"format": "doccano", "spans": kept_spans, "relations": kept_relations}
    if raw_text != text:  # written back as it came, the offsets counted in it again (kept_spans' are)
        provenance["raw_text"] = raw_text
    return map_of_text(
        text, pieces, title=title,  # none given: the text's opening words (map_of_text), not "file.jsonl 12"
        spans=spans, relations=relations, where=line, provenance=provenance,
    )


def line_ends_as_newlines(raw_text: str) -> tuple[str, list[int]]:
    """The text with each CRLF and lone CR as one ``\n`` (paragraphs as the person saw them), and for each
    offset into ``raw_text`` (0 to its length) the offset into that text. CRLF's ``\r`` becomes the
    ``\n``, so an offset at it, where a span before the line end stops, maps back to the same place."""
    if "\r" not in raw_text:
        return raw_text, range(len(raw_text) + 1)
    plain, to_plain = [], []
    for index, character in enumerate(raw_text):
        to_plain.append(len(plain))
        if character == "\n" and index and raw_text[index - 1] == "\r":
            continue  # the \n of a CRLF: already written as the \r's newline
        plain.append("\n" if character == "\r" else character)
    to_plain.append(len(plain))
    return "".join(plain), to_plain


_ENTITY_KEYS = ("entities", "label", "labels", "annotations")  # "labels": doccano 1.0; "annotations": 1.0's JSONL


def _utf16_reading(text: str, entities) -> list[int] | None:
    """UTF-16 offset → code point, when the entities' offsets were counted in UTF-16 code units.

    doccano's annotation page is JavaScript, which counts an emoji as two; older versions stored
    those numbers (doccano PR #99). A doccano entity carries no text to check against, so the
    counting is chosen by where the spans fall: the one under which more of them start and end
    on word boundaries (and fit the text). Only asked when the text has characters outside the BMP."""
    if not any(ord(char) > 0xFFFF for char in text):
        return None
    to_points = []
    for position, char in enumerate(text):
        to_points += [position, -1] if ord(char) > 0xFFFF else [position]  # -1: inside a surrogate pair
    to_points.append(len(text))
    pairs = []
    for entity in entities:
        if isinstance(entity, list) and len(entity) == 3:
            pairs.append((entity[0], entity[1]))
        elif isinstance(entity, dict):
            pairs.append((entity.get("start_offset"), entity.get("end_offset")))

    def on_words(start, end) -> bool:
        return 0 <= start < end <= len(text) and _boundary(text, start) and _boundary(text, end)

    points = utf16 = 0
    for start, end in pairs:
        if type(start) is not int or type(end) is not int:
            return None
        points += on_words(start, end)
        if 0 <= start < end < len(to_points) and to_points[start] >= 0 and to_points[end] >= 0:
            utf16 += on_words(to_points[start], to_points[end])
    return to_points if utf16 > points else None


def _boundary(text: str, index: int) -> bool:
    """Whether ``index`` falls between words (or at an end), not inside one."""
    return index in (0, len(text)) or not (text[index - 1].isalnum() and text[index].isalnum())


def _entity_key(record: dict) -> str:
    return next((key for key in _ENTITY_KEYS if key in record), "entities")


def _entities_of(record: dict):
    """The record's span annotations under whichever key its doccano version used (``None`` → none)."""
    found = record.get(_entity_key(record))
    return [] if found is None else found


def _label_name(label, options: ImportOptions):
    """A label as doccano's older exports may give it: its name, or the label's numeric id (doccano 1.0's
    JSONL export), turned into a name by a ``--map 3=claim`` or the project's label file."""
    if isinstance(label, int) and not isinstance(label, bool):
        key = str(label)
        if key in options.label_map:
            return key
        return options.label_names.get(key, label)
    return label


def _label_ids_needed(records, options: ImportOptions) -> dict[str, int]:
    """Numeric label ids of span annotations that neither the label map nor a label file names → the first
    line using each."""
    missing: dict[str, int] = {}
    for line_number, record in records:
        if not isinstance(record, dict) or not isinstance(_entities_of(record), list):
            continue
        for entity in _entities_of(record):
            label = entity[2] if isinstance(entity, list) and len(entity) == 3 else (
                entity.get("label") if isinstance(entity, dict) and "start_offset" in entity else None)
            if isinstance(label, int) and not isinstance(label, bool) and isinstance(_label_name(label, options), int):
                missing.setdefault(str(label), line_number)
    return missing


def _refuse_label_ids(missing: dict[str, int]) -> None:
    ids = sorted(missing, key=int)
    shown = ", ".join(ids[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")
    example = ",".join(f"{label_id}={target}" for label_id, target in zip(ids, ("claim", "evidence", "counterclaim")))
    raise FormatError(
        f"the labels are doccano label ids ({shown}), not names: doccano 1.0's JSONL export writes them so. "
        "Import the project's label file with it (doccano: Labels → Export Labels, a .json with each label's id and "
        f"text), or map each id, e.g. {example} (the Label mapping field; --map with import_map)",
        where=f"line {missing[ids[0]]}")


LABEL_FILE_KEYS = {"background_color", "text_color", "suffix_key", "prefix_key"}


def label_file_names(document) -> dict[str, str] | None:
    """A doccano label file (``[{"id": 3, "text": "Claim", "background_color": ..., "suffix_key": ...}]``) →
    label id → name; None when ``document`` is not one (a JSON array of records is not)."""
    if not isinstance(document, list) or not document:
        return None
    if not all(isinstance(item, dict) and isinstance(item.get("text"), str) and LABEL_FILE_KEYS & item.keys()
               and not {"start_offset", "entities", "annotations", "relations", "label", "labels"} & item.keys()
               for item in document):
        return None
    return {str(item["id"]): item["text"] for item in document if isinstance(item.get("id"), (int, str))}



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
    if label_file_names([record for _line, record in records]) is not None:
        raise FormatError("this is a doccano label file (each label's id, text and colour), not annotations: "
                          "import it together with the export whose labels are ids")
    missing = _label_ids_needed(records, options)
    if missing:
        _refuse_label_ids(missing)
    total = 0
    for line_number, record in records:
        for user, part in _by_annotator(record):
            argument_map = record_to_map(part, line_number=line_number, name=name, options=options)
            if argument_map is None:
                continue
            if user is not None:
                argument_map.source_name = f"{name + ', ' if name else ''}line {line_number}, user {user}"
            total += len(argument_map.spans)
            check_span_count(total, options)
            maps.append(argument_map)
    if not maps:
        raise FormatError(f"none of its {len(records)} record(s) has text to import")
    return maps


def _by_annotator(record) -> list[tuple[object, object]]:
    """doccano 1.0's JSONL export puts every annotator's spans in one record, each with its ``user``: one
    record per annotator then (the import merges maps of one text, refusing a stretch tagged two ways)."""
    entities = record.get("annotations") if isinstance(record, dict) else None
    if not isinstance(entities, list):
        return [(None, record)]
    users = list(dict.fromkeys(str(entity.get("user")) for entity in entities
                               if isinstance(entity, dict) and entity.get("user") is not None))
    if len(users) < 2:
        return [(None, record)]
    return [(user, {**record, "annotations": [entity for entity in entities
                                              if not isinstance(entity, dict) or str(entity.get("user")) == user]})
            for user in users]


def import_files(files: list[tuple[str, bytes]], *, options: ImportOptions) -> list[ArgumentMap]:
    """Every export among ``files``; a doccano label file among them (``label_config.json``: each label's id
    and text) names the labels that doccano 1.0's JSONL export gives as ids."""
    exports = []
    for name, data in files:
        names = None
        if not is_zip(data) and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):  # a label file is a JSON array
            try:
                names = label_file_names(json.loads(decode_utf8(data, what=name)))
            except (json.JSONDecodeError, FormatError, RecursionError):
                names = None
        if names is None:
            exports.append((name, data))
        else:
            options.label_names.update(names)
    if not exports:
        raise FormatError("only doccano label files were given: import them together with the export (.jsonl)")
    return import_each(import_lines, exports, options=options)


FORMAT = MapFormat(name="doccano", title="doccano JSONL", extension="jsonl", content_type="application/jsonl",
                   write=lambda argument_map: export_lines([argument_map]), read=import_lines, read_files=import_files)
