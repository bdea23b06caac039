"""doccano records whose text was typed or uploaded on Windows: ``\\r\\n`` inside the text, offsets counting every
character as stored (the ``\\r`` too, as doccano does). The paragraphs split as the person sees them, with no
``\\r`` left in them, every span lands on its words, and the export gives doccano back its own text and offsets
(a span added in argmap counted the same way)."""
from __future__ import annotations

import json

from annotations.argument_map import MapSpan
from annotations.formats import get_format
from annotations.formats.base import ImportOptions
from tests.formats.conftest import REPO_ROOT

WINDOWS = (REPO_ROOT / "tests" / "formats" / "data" / "doccano-windows.jsonl").read_bytes()


def read(data: bytes):
    options = ImportOptions()
    return get_format("doccano").import_(data, name="admin.jsonl", options=options), options


def test_paragraphs_split_as_seen_and_spans_land_on_their_words():
    for data in (WINDOWS, WINDOWS.replace(b"\n", b"\r\n")):  # the records' own line ends CRLF too
        (first, second), options = read(data)
        assert [p.text for p in first.paragraphs] == [
            "Should the school day start later?",
            "Schools should start at ten. Teenagers sleep late because their body clocks\nrun later than adults' clocks.",
            "Critics say that parents who work early could not drive their children to school.\nBut most pupils take the bus."]
        assert [p.text for p in second.paragraphs] == ["Phones in class", "Phones should be banned in class.\nThey distract pupils."]
        assert [(s.label, s.quote) for s in first.spans] == [
            ("claim", "Schools should start at ten"),
            ("evidence", "Teenagers sleep late because their body clocks\nrun later than adults' clocks"),
            ("counterclaim", "parents who work early could not drive their children to school"),
            ("evidence", "most pupils take the bus")]
        assert [(s.paragraph, s.quote) for s in second.spans] == [(1, "Phones should be banned in class"),
                                                                   (1, "They distract pupils")]
        assert len(first.relations) == 3 and options.left_out == []


def test_export_gives_back_the_text_and_offsets_as_doccano_stored_them():
    """Back out: the record's own text with its CRLF, the entities' original offsets, and a span added in argmap
    counted in that text (its \\r included)."""
    records = [json.loads(line) for line in WINDOWS.decode().splitlines()]
    (first, _second), _options = read(WINDOWS)
    first.spans.append(MapSpan(id="new", paragraph=2, start=0, end=11, quote="Critics say", label="evidence"))
    back = json.loads(get_format("doccano").export(first))
    assert back["text"] == records[0]["text"]
    by_id = {e["id"]: e for e in back["entities"]}
    for entity in records[0]["entities"]:
        assert (by_id[entity["id"]]["start_offset"], by_id[entity["id"]]["end_offset"]) == \
            (entity["start_offset"], entity["end_offset"])
    (added,) = [e for e in back["entities"] if e["id"] not in {entity["id"] for entity in records[0]["entities"]}]
    assert back["text"][added["start_offset"]:added["end_offset"]] == "Critics say"
