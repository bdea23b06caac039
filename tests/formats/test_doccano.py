"""doccano JSONL: entities and relations as doccano imports them, read back by our importer."""
import json

import pytest

from annotations.formats import FormatError
from annotations.formats.doccano import export_lines, import_lines

from tests.fixtures.sample_map import relation_tuples, span_tuples


def test_export_is_one_json_line_with_doccano_fields(sample_map):
    """One line per document with text, entities (id/label/start_offset/end_offset) and relations."""
    lines = export_lines([sample_map]).decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["text"] == sample_map.document_text
    assert len(record["entities"]) == len(sample_map.spans)
    for entity in record["entities"]:
        assert set(entity) == {"id", "label", "start_offset", "end_offset"} and isinstance(entity["id"], int)
    ids = {e["id"] for e in record["entities"]}
    for relation in record["relations"]:
        assert set(relation) == {"id", "from_id", "to_id", "type"}
        assert relation["from_id"] in ids and relation["to_id"] in ids
    quotes = {record["text"][e["start_offset"]:e["end_offset"]] for e in record["entities"]}
    assert quotes == {s.quote for s in sample_map.spans}


def test_round_trip_keeps_spans_and_relations(sample_map):
    """export → import gives the same paragraphs, spans, labels and relations (emoji offsets too)."""
    (imported,) = import_lines(export_lines([sample_map]))
    assert [p.text for p in imported.paragraphs] == [p.text for p in sample_map.paragraphs]
    assert span_tuples(imported) == span_tuples(sample_map)
    assert relation_tuples(imported) == relation_tuples(sample_map)
    assert imported.title == sample_map.title


def test_several_lines_give_several_maps(sample_map, tiny_map):
    """A JSONL file with two documents imports as two maps."""
    maps = import_lines(export_lines([sample_map, tiny_map]))
    assert [m.title for m in maps] == [sample_map.title, "Pets"]


def test_doccano_own_export_with_essay_labels_is_read():
    """A doccano-style line with MajorClaim/Premise labels and 'support' relations maps onto argmap."""
    text = "We should cooperate. It builds skills."
    line = {"id": 7, "text": text, "entities": [
        {"id": 11, "label": "MajorClaim", "start_offset": 0, "end_offset": 19},
        {"id": 12, "label": "Premise", "start_offset": 21, "end_offset": 37}],
        "relations": [{"id": 3, "from_id": 12, "to_id": 11, "type": "support"}]}
    (imported,) = import_lines(json.dumps(line).encode(), name="upload.jsonl")
    assert {(s.quote, s.label) for s in imported.spans} == {("We should cooperate", "major_claim"),
                                                             ("It builds skills", "evidence")}
    assert relation_tuples(imported) == {("It builds skills", "supports", "We should cooperate")}


def _line(**changes) -> bytes:
    record = {"text": "Cats purr. Dogs bark.", "entities": [
        {"id": 1, "label": "claim", "start_offset": 0, "end_offset": 9},
        {"id": 2, "label": "counterclaim", "start_offset": 11, "end_offset": 20}],
        "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "attacks"}]}
    record.update(changes)
    return b'{"text": "first line is fine", "entities": [], "relations": []}\n' + json.dumps(record).encode()


def test_good_line_fixture_imports():
    """The bad-input fixture below is valid before it is broken."""
    assert len(import_lines(_line())) == 2


def test_malformed_json_names_the_line():
    """A broken JSON line is reported with its line number."""
    with pytest.raises(FormatError, match="line 2: not valid JSON"):
        import_lines(b'{"text": "ok", "entities": []}\n{"text": "broken"\n')


def test_offsets_past_the_text_are_refused():
    """An entity past the end of the text names the line and entity."""
    data = _line(entities=[{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 90}])
    with pytest.raises(FormatError, match=r"line 2, entity 1: offsets 0-90 do not fit the text \(21 characters\)"):
        import_lines(data)


def test_relation_to_unknown_entity_is_refused():
    """A relation to an entity id that is not on the line is named."""
    data = _line(relations=[{"id": 5, "from_id": 2, "to_id": 42, "type": "attacks"}])
    with pytest.raises(FormatError, match="line 2, relation 5: to_id 42 is not an entity of this line"):
        import_lines(data)


def test_unknown_label_is_refused():
    """An entity label argmap does not know names the line and entity."""
    data = _line(entities=[{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 4}], relations=[])
    with pytest.raises(FormatError, match="line 2, entity 1: unknown label 'PERSON'"):
        import_lines(data)


def test_entity_missing_fields_is_refused():
    """An entity without offsets names what it lacks."""
    data = _line(entities=[{"id": 1, "label": "claim"}], relations=[])
    with pytest.raises(FormatError, match="line 2, entity 1: needs label, start_offset and end_offset"):
        import_lines(data)


def test_empty_file_is_refused():
    """A file with no documents says so."""
    with pytest.raises(FormatError, match="no documents"):
        import_lines(b"\n\n")
