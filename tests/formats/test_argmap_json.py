"""argmap JSON: validated against its schema, lossless, and clear about bad input."""
import json

import jsonschema
import pytest

from annotations.formats import FormatError
from annotations.formats.argmap_json import SCHEMA_PATH, export_map, import_maps

from tests.fixtures.sample_map import relation_tuples, span_tuples


def _edit(argument_map, change) -> bytes:
    document = json.loads(export_map(argument_map))
    change(document)
    return json.dumps(document).encode()


def test_schema_file_is_a_valid_json_schema_and_accepts_the_export(sample_map):
    """The committed schema is itself valid and the export validates against it."""
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(export_map(sample_map)), schema)


def test_round_trip_gives_the_same_bytes(sample_map):
    """export → import → export is byte-for-byte identical."""
    first = export_map(sample_map)
    (imported,) = import_maps(first)
    assert export_map(imported) == first


def test_everything_survives(sample_map):
    """Title, paragraphs, spans, labels, relations, authors, notes, provenance and layer survive."""
    (imported,) = import_maps(export_map(sample_map))
    assert imported.title == sample_map.title
    assert imported.source_name == "russia-china-relations.txt"
    assert [(p.position, p.kind, p.text) for p in imported.paragraphs] == [
        (p.position, p.kind, p.text) for p in sample_map.paragraphs
    ]
    assert sorted(imported.spans, key=lambda s: s.id) == sorted(sample_map.spans, key=lambda s: s.id)
    assert sorted(imported.relations, key=lambda r: r.id) == sorted(sample_map.relations, key=lambda r: r.id)
    assert (imported.layer_name, imported.layer_kind, imported.labels) == ("ana", "personal", sample_map.labels)
    evidence = imported.span("e1")
    assert evidence.origin == "suggestion" and evidence.suggestion.score == 0.8125
    assert evidence.suggestion.cues == ["facilitated by"]
    assert span_tuples(imported) == span_tuples(sample_map)
    assert relation_tuples(imported) == relation_tuples(sample_map)


def test_offsets_are_code_points(sample_map):
    """The emoji span's offsets count 🐻 as one character, as Python does."""
    document = json.loads(export_map(sample_map))
    emoji_span = next(s for s in document["spans"] if s["id"] == "x1")
    paragraph = next(p for p in document["document"]["paragraphs"] if p["position"] == emoji_span["paragraph"])
    assert paragraph["text"][emoji_span["start"]:emoji_span["end"]] == "the bear 🐻 and the dragon 🐉 are friends"
    assert emoji_span["end"] - emoji_span["start"] == 39  # 41 UTF-16 code units


def test_malformed_json_names_the_line():
    """Broken JSON is reported with its line and column."""
    with pytest.raises(FormatError, match=r"line 2, column \d+: not valid JSON"):
        import_maps(b'{"format": "argmap-map",\n "version": 1,, }')


def test_schema_violation_names_the_item(tiny_map):
    """A missing field is reported with the path of the item that lacks it."""
    data = _edit(tiny_map, lambda d: d["spans"][1].pop("quote"))
    with pytest.raises(FormatError, match=r"spans\[1\]: 'quote' is a required property"):
        import_maps(data)


def test_offsets_that_do_not_match_the_quote_are_refused(tiny_map):
    """A quote that differs from the text at its offsets names the span."""
    data = _edit(tiny_map, lambda d: d["spans"][0].update(start=1))
    with pytest.raises(FormatError, match=r"span 'a': the quote 'Cats are the best pets' does not match"):
        import_maps(data)


def test_offsets_past_the_paragraph_are_refused(tiny_map):
    """An end past the paragraph's length is reported with the paragraph's length."""
    data = _edit(tiny_map, lambda d: d["spans"][2].update(end=99))
    with pytest.raises(FormatError, match=r"span 'c': offsets 0-99 do not fit paragraph 1 \(23 characters\)"):
        import_maps(data)


def test_relation_to_an_unknown_span_is_refused(tiny_map):
    """A relation whose target is not a span names the relation and the missing id."""
    data = _edit(tiny_map, lambda d: d["relations"][0].update(target="zzz"))
    with pytest.raises(FormatError, match=r"relation '1': its target 'zzz' is not a span"):
        import_maps(data)


def test_unknown_label_is_refused(tiny_map):
    """A label outside argmap's set is a schema error naming the span's label field."""
    data = _edit(tiny_map, lambda d: d["spans"][0].update(label="opinion"))
    with pytest.raises(FormatError, match=r"spans\[0\]\.label: 'opinion' is not one of"):
        import_maps(data)


def test_label_missing_from_the_documents_labels_is_refused(tiny_map):
    """A span whose label the file's label list does not offer is refused."""
    data = _edit(tiny_map, lambda d: d.update(labels=["claim", "evidence"]))
    with pytest.raises(FormatError, match=r"spans\[2\] \(id 'c'\): label 'counterclaim' is not in the file's labels"):
        import_maps(data)


def test_newer_version_is_refused_with_advice(tiny_map):
    """A file from a later schema version says which version this argmap reads."""
    data = _edit(tiny_map, lambda d: d.update(version=2))
    with pytest.raises(FormatError, match="version 2 .* reads version 1"):
        import_maps(data)


def test_not_utf8_is_refused():
    """Bytes that are not UTF-8 get advice instead of a decode crash."""
    with pytest.raises(FormatError, match="not UTF-8"):
        import_maps(b'{"title": "\xff"}')


def test_relation_ids_in_unicode_digits_export_in_name_order(tiny_map):
    """Relation ids are sorted numbers first; "²" passes str.isdigit() but is not a number (int() failed)."""
    tiny_map.relations[0].id = "²"
    tiny_map.relations[1].id = "10"
    exported = json.loads(export_map(tiny_map))
    assert [relation["id"] for relation in exported["relations"]] == ["10", "²"]
