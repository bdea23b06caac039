"""doccano exports as doccano and people write them: pretty-printed records, a JSON array,
relations with and without ids, labels that are not argmap's (mapped with --map), a record
without text (skipped, reported by line); round trip and hostile variants."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.base import FormatError, ImportOptions, parse_label_map
from annotations.formats.doccano import export_lines, import_lines

DATA = Path(__file__).parent / "data"
MAPPING = parse_label_map(["CLAIM=claim,Premise=evidence", "ORG=-", "PER=-", "works_for=-"])


def _entities(record: dict) -> set[tuple[int, int, str]]:
    return {(e["start_offset"], e["end_offset"], e["label"]) for e in record["entities"]}


def _relations(record: dict) -> set[tuple[tuple, tuple, str]]:
    by_id = {e["id"]: (e["start_offset"], e["end_offset"]) for e in record["entities"]}
    return {(by_id[r["from_id"]], by_id[r["to_id"]], r["type"]) for r in record["relations"]}


def test_pretty_printed_records_are_read_and_the_textless_one_reported_by_line():
    """Records over many lines are read one by one; the record without text is skipped, naming its line."""
    options = ImportOptions(label_map=MAPPING)
    maps = import_lines((DATA / "doccano-pretty.jsonl").read_bytes(), name="doccano-pretty.jsonl", options=options)
    assert len(maps) == 2
    assert any(line.startswith("line 46: record without text") for line in options.left_out)
    assert {span.label for span in maps[0].spans} == {"claim", "evidence"}
    assert any("label 'ORG' mapped to be left out" in line for line in options.left_out)
    assert any("relation 8: relation type 'works_for' mapped to be left out" in line for line in options.left_out)
    assert len(maps[1].relations) == 2  # relations without ids


def test_strict_refuses_the_record_without_text():
    with pytest.raises(FormatError, match="line 46: record without text.*strict"):
        import_lines((DATA / "doccano-pretty.jsonl").read_bytes(), options=ImportOptions(label_map=MAPPING, strict=True))


def test_json_array_is_read():
    """A JSON array of records (pretty-printed) gives one map per record, lines named from the array."""
    maps = import_lines((DATA / "doccano-array.json").read_bytes(), options=ImportOptions(label_map=MAPPING))
    assert [len(m.spans) for m in maps] == [2, 3]


def test_unknown_label_tells_how_to_map_it():
    """Without a mapping, ORG is refused with the --map hint."""
    with pytest.raises(FormatError, match=r"line 2, entity 10: unknown label 'PER'.*--map FROM=TO.*PER=claim"):
        import_lines((DATA / "doccano-array.json").read_bytes())


@pytest.mark.parametrize("source", ["doccano-pretty.jsonl", "doccano-array.json"])
def test_round_trip_gives_back_the_same_entities_and_relations(source):
    """doccano in → doccano out: the same text, entity ids, offsets and labels, relations and types for what was kept."""
    mapping = parse_label_map(["CLAIM=claim", "Premise=evidence", "ORG=claim", "PER=evidence", "works_for=supports"])
    maps = import_lines((DATA / source).read_bytes(), options=ImportOptions(label_map=mapping))
    text = (DATA / source).read_text(encoding="utf-8")
    originals = [r for r in _records(text) if r.get("text")]
    for argument_map, original in zip(maps, originals, strict=True):
        (back,) = [json.loads(line) for line in export_lines([argument_map]).decode().splitlines()]
        assert back["text"] == original["text"]
        assert _entities(back) == _entities(original)
        assert {e["id"] for e in back["entities"]} == {e["id"] for e in original["entities"]}
        assert _relations(back) == _relations(original)


def _records(text: str) -> list[dict]:
    from annotations.formats.doccano import read_records

    return [record for _line, record in read_records(text)]


@pytest.mark.parametrize("data, message", [
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end', "line 1: not valid JSON"),
    (b'[{"text": "Cats purr.", "entities": []},\n{"text": "Dogs"', "line 2: not valid JSON"),
    (b'[{"text": "Cats purr.", "entities": []}', "line 1: the JSON array is not closed"),
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": "0", "end_offset": 4}]}',
     "line 1, entity 1: offsets '0'-4 do not fit"),
    (b'{"text": 5}', "line 1: 'text' must be a string"),
    (b'{"text": "Cats purr.", "entities": {"a": 1}}', "line 1: 'entities' must be a list"),
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": 7, "start_offset": 0, "end_offset": 4}]}',
     r"line 1: the labels are doccano label ids \(7\), not names"),
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": 7.5, "start_offset": 0, "end_offset": 4}]}',
     "line 1, entity 1: label 7.5 must be a string, or a label id"),
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 4}],'
     b' "relations": [{"from_id": 1, "to_id": 9, "type": "supports"}]}', "line 1, relation 1: to_id 9 is not an entity"),
    (b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 4}],'
     b' "relations": [{"from_id": 1, "to_id": 1, "type": "supports"}]}', "line 1, relation 1: an entity cannot support"),
    (b"\n\n" + b"[" * 50_000, "nested too deeply"),
    (b'{"text": "Cats\\u0000 purr."}', "line 1: paragraph 0: its text contains a NUL character at position 4"),
    (b'{"text": "Cats \\ud800 purr."}', r"line 1: paragraph 0: its text contains a lone surrogate \(U\+D800\)"),
])
def test_hostile_variants_name_the_line(data, message):
    """Truncated, wrong types, relations to missing ids, self-loops, deep nesting: FormatError naming the line."""
    with pytest.raises(FormatError, match=message):
        import_lines(data)


def test_100k_spans_are_refused():
    """A record with 100,000 entities is refused naming the limit, before the entities are read."""
    entities = [{"id": i, "label": "claim", "start_offset": 0, "end_offset": 4} for i in range(100_000)]
    data = json.dumps({"text": "Cats purr.", "entities": entities}).encode()
    with pytest.raises(FormatError, match="line 1: holds 100,000 annotations; one import stores at most 50,000"):
        import_lines(data)


def test_cycle_of_relations_is_kept():
    """Two claims attacking each other are both kept: a legitimate exchange, not a loop to refuse."""
    record = {"text": "Cats rule. Dogs rule.", "entities": [
        {"id": 1, "label": "claim", "start_offset": 0, "end_offset": 9},
        {"id": 2, "label": "counterclaim", "start_offset": 11, "end_offset": 20}],
        "relations": [{"from_id": 1, "to_id": 2, "type": "attacks"}, {"from_id": 2, "to_id": 1, "type": "attacks"}]}
    (argument_map,) = import_lines(json.dumps(record).encode())
    assert len(argument_map.relations) == 2


@pytest.mark.parametrize("pair, message", [
    ("ORG", "is not FROM=TO"), ("ORG=person", "'person' is not an argmap label"), ("=claim", "is not FROM=TO"),
])
def test_bad_label_mappings_are_refused(pair, message):
    with pytest.raises(FormatError, match=message):
        parse_label_map([pair])
