"""Files as other tools write them (brat, doccano, AIFdb / OVA3), one test per real-world shape,
and a round trip through every importable format of a map with all three labels, both link kinds,
overlapping spans and non-ASCII text. Pure: the formats only, no database."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.base import FormatError, ImportOptions, parse_label_map
from annotations.formats.brat import export_files
from annotations.formats.registry import get_format

TEXT = ("Café culture – a note\n\nWe should ban cars from the centre. Streets without cars are safer for "
        "children.\nNaïve critics say shops will lose trade.\n")
CLAIM, PREMISE, AGAINST = "We should ban cars from the centre", "Streets without cars are safer for children", \
    "shops will lose trade"


def read(format_name: str, files, mapping=()) -> tuple[list[ArgumentMap], list[str]]:
    options = ImportOptions(label_map=parse_label_map(list(mapping)))
    return get_format(format_name).import_files(files, options=options), options.left_out


def t_line(t_id: str, entity_type: str, quote: str, text: str = TEXT, shift: int = 0) -> str:
    start = text.index(quote) + shift
    return f"{t_id}\t{entity_type} {start} {start + len(quote)}\t{quote}\n"


ESSAY_ANN = (t_line("T1", "Claim", CLAIM) + t_line("T2", "Premise", PREMISE) + t_line("T3", "Claim", AGAINST)
             + "A1\tStance T3 Against\nR1\tsupports Arg1:T2 Arg2:T1\t\nR2\tattacks Arg1:T3 Arg2:T1\t\n"
             + "#1\tAnnotatorNotes T1\tthe main claim ✓\n")


def spans_of(argument_map: ArgumentMap) -> list[tuple[str, str]]:
    return sorted((span.label, span.quote) for span in argument_map.spans)


EXPECTED = [("claim", CLAIM), ("counterclaim", AGAINST), ("evidence", PREMISE)]


def test_brat_crlf_text_with_offsets_counting_the_carriage_returns_imports_and_goes_back_as_it_came():
    """A .txt saved on Windows, offsets counted on the bytes as brat's server does (\\r included)."""
    crlf = TEXT.replace("\n", "\r\n")
    ann = "".join(t_line(f"T{i}", kind, quote, crlf) for i, (kind, quote) in
                  enumerate([("Claim", CLAIM), ("Premise", PREMISE), ("Claim", AGAINST)], 1))
    ann += "A1\tStance T3 Against\nR1\tsupports Arg1:T2 Arg2:T1\nR2\tattacks Arg1:T3 Arg2:T1\n"
    (argument_map,), left_out = read("brat", [("a.txt", crlf.encode()), ("a.ann", ann.replace("\n", "\r\n").encode())])
    assert spans_of(argument_map) == EXPECTED and len(argument_map.relations) == 2 and left_out == []
    assert "\r" not in "".join(p.text for p in argument_map.paragraphs)
    out = export_files(argument_map)
    assert out["a.txt"] == crlf and out["a.ann"].splitlines()[:3] == ann.splitlines()[:3]
    argument_map.spans.append(MapSpan(id="new", paragraph=1, start=0, end=2, quote="We", label="claim"))
    added = next(line for line in export_files(argument_map)["a.ann"].splitlines() if line.endswith("\tWe"))
    start = int(added.split("\t")[1].split()[1])
    assert crlf[start:start + 2] == "We"  # a span added in argmap is written with the file's own counting


def test_brat_txt_with_a_bom_counted_or_not():
    """A UTF-8 BOM: brat counts it as character 0; tools that strip it do not. Both import the same."""
    with_bom = "\ufeff" + TEXT
    counted = t_line("T1", "Claim", CLAIM, shift=1) + t_line("T2", "Premise", PREMISE, shift=1)
    for ann in (counted, t_line("T1", "Claim", CLAIM) + t_line("T2", "Premise", PREMISE)):
        (argument_map,), _ = read("brat", [("a.txt", with_bom.encode()), ("a.ann", ("\ufeff" + ann).encode())])
        assert spans_of(argument_map) == [("claim", CLAIM), ("evidence", PREMISE)]
        assert not argument_map.paragraphs[0].text.startswith("\ufeff")
    assert export_files(argument_map)["a.txt"] == with_bom


def test_brat_cr_only_line_ends_are_line_ends():
    (argument_map,), _ = read("brat", [("a.txt", TEXT.replace("\n", "\r").encode()), ("a.ann", ESSAY_ANN.encode())])
    assert len(argument_map.paragraphs) == 2 and spans_of(argument_map) == EXPECTED


def test_brat_events_their_attributes_notes_and_relations_are_left_out_and_reported():
    """E lines (with their trigger T line, attributes and notes on them, relations to them), N and *
    lines; entity names with underscores; M attributes on spans."""
    ann = (t_line("T1", "Major_Claim", CLAIM) + t_line("T2", "Own_Claim", PREMISE) + t_line("T3", "Attack_Trigger", AGAINST)
           + "E1\tAttack_Trigger:T3 Target:T1\nA1\tNegated E1\nM2\tConfidence T1 High\n"
           + "N1\tReference T1 Wikidata:Q42\tcars\n#1\tAnnotatorNotes E1\tan event note\n#2\tAnnotatorNotes T2\tnote two\n"
           + "R1\tsupports Arg1:T2 Arg2:T1\t\nR2\tattacks Arg1:E1 Arg2:T1\t\n*\tEquiv T1 T2\n")
    (argument_map,), left_out = read("brat", [("a.txt", TEXT.encode()), ("a.ann", ann.encode())],
                                     mapping=["Own_Claim=evidence"])
    assert spans_of(argument_map) == [("evidence", PREMISE), ("major_claim", CLAIM)]
    assert [(r.source, r.kind, r.target) for r in argument_map.relations] == [("T2", "supports", "T1")]
    assert next(s for s in argument_map.spans if s.id == "T2").note == "note two"
    joined = "\n".join(left_out)
    for expected in ("line 4: brat event", "line 3 (T3): the trigger of event E1", "attribute A1 (Negated) is on E1",
                     "the note on E1", "line 11 (R2): relation links an event", "normalisation", "equivalence"):
        assert expected in joined
    assert export_files(argument_map)["a.ann"].count("M2\tConfidence T1 High") == 1  # kept for the way back


def test_brat_discontinuous_span_is_one_stretch_and_goes_back_in_pieces():
    first, second = TEXT.index("We should ban cars"), TEXT.index("the centre")
    ann = f"T1\tClaim {first} {first + 18};{second} {second + 10}\tWe should ban cars the centre\n"
    (argument_map,), _ = read("brat", [("a.txt", TEXT.encode()), ("a.ann", ann.encode())])
    assert spans_of(argument_map) == [("claim", CLAIM)]
    assert export_files(argument_map)["a.ann"] == ann


def test_brat_corpus_zip_with_a_folder_confs_and_mac_entries():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project/", "")
        archive.writestr("project/annotation.conf", "[entities]\nClaim\nPremise\n[relations]\nsupports Arg1:Premise, Arg2:Claim\n"
                         "attacks Arg1:Claim, Arg2:Claim\n[events]\n[attributes]\nStance Arg:Claim, Value:For|Against\n")
        archive.writestr("project/visual.conf", "[labels]\nClaim | Claim\n")
        archive.writestr("project/tools.conf", "[options]\n")
        archive.writestr("project/essays/a.txt", TEXT)
        archive.writestr("project/essays/a.ann", ESSAY_ANN)
        archive.writestr("__MACOSX/project/essays/._a.txt", b"\x00\x05\x16\x07")
    (argument_map,), left_out = read("brat", [("corpus.zip", buffer.getvalue())])
    assert spans_of(argument_map) == EXPECTED and left_out == []
    assert argument_map.provenance["conf"].startswith("[entities]")


def test_brat_multibyte_and_astral_characters_before_the_offsets_are_code_points():
    text = "Ça va 😀 — naïve. We should ban cars from the centre.\n"
    (argument_map,), _ = read("brat", [("e.txt", text.encode()), ("e.ann", t_line("T1", "Claim", CLAIM, text).encode())])
    assert spans_of(argument_map) == [("claim", CLAIM)]


def utf16_t_line(t_id: str, entity_type: str, quote: str, text: str) -> str:
    """A T line with offsets in UTF-16 code units, as JavaScript and Java tools (INCEpTION, WebAnno) count."""
    start = len(text[: text.index(quote)].encode("utf-16-le")) // 2
    return f"{t_id}\t{entity_type} {start} {start + len(quote.encode('utf-16-le')) // 2}\t{quote}\n"


EMOJI_TEXT = "Cars 🚗🚗 and kids 🚸 – a note\n\n" + TEXT.split("\n\n", 1)[1].replace("centre.", "centre 🏙.")


def test_brat_offsets_in_utf16_code_units_after_emoji_import_and_go_back_counted_the_same_way():
    """Offsets counted in UTF-16 code units (each emoji is two): the reading that makes every T line match is
    found, recorded as the offsets' kind, and a span added in argmap is written back in code units too."""
    ann = (utf16_t_line("T1", "Claim", CLAIM + " 🏙", EMOJI_TEXT) + utf16_t_line("T2", "Premise", PREMISE, EMOJI_TEXT)
           + utf16_t_line("T3", "Claim", AGAINST, EMOJI_TEXT) + "A1\tStance T3 Against\nR1\tsupports Arg1:T2 Arg2:T1\n")
    assert ann != t_line("T1", "Claim", CLAIM + " 🏙", EMOJI_TEXT)  # the two countings differ here
    (argument_map,), left_out = read("brat", [("e.txt", EMOJI_TEXT.encode()), ("e.ann", ann.encode())])
    assert spans_of(argument_map) == [("claim", CLAIM + " 🏙"), ("counterclaim", AGAINST), ("evidence", PREMISE)]
    assert argument_map.provenance["offsets"] == "utf16" and left_out == []
    out = export_files(argument_map)
    assert out["e.txt"] == EMOJI_TEXT and out["e.ann"].splitlines()[:3] == ann.splitlines()[:3]
    paragraph = next(p for p in argument_map.paragraphs if "Naïve" in p.text)
    start = paragraph.text.index("Naïve")
    argument_map.spans.append(MapSpan(id="new", paragraph=paragraph.position, start=start, end=start + 5, quote="Naïve",
                                      label="claim"))
    added = next(line for line in export_files(argument_map)["e.ann"].splitlines() if line.endswith("\tNaïve"))
    assert added.split("\t", 1)[1] == utf16_t_line("", "Claim", "Naïve", EMOJI_TEXT).split("\t", 1)[1].rstrip("\n")


def test_brat_utf16_offsets_with_crlf_and_a_bom():
    """Saved on Windows by a Java tool: a BOM, CRLF line ends, offsets in UTF-16 units counting the \\r."""
    raw = "\ufeff" + EMOJI_TEXT.replace("\n", "\r\n")
    counted = raw[1:]  # the BOM read away, the \r kept: what a Java reader with a BOM filter sees
    ann = utf16_t_line("T1", "Claim", CLAIM, counted) + utf16_t_line("T2", "Premise", PREMISE, counted)
    (argument_map,), _ = read("brat", [("w.txt", raw.encode()), ("w.ann", ann.encode())])
    assert spans_of(argument_map) == [("claim", CLAIM), ("evidence", PREMISE)]
    assert argument_map.provenance["offsets"] == "utf16-crlf"
    assert export_files(argument_map)["w.ann"].splitlines()[:2] == ann.splitlines()


def test_brat_offsets_cutting_an_emoji_in_half_are_refused_naming_the_line():
    start = len(EMOJI_TEXT[: EMOJI_TEXT.index("🚗")].encode("utf-16-le")) // 2
    ann = f"T1\tClaim {start + 1} {start + 4}\t🚗\n"
    with pytest.raises(FormatError, match=r"e.ann, line 1: the text '🚗' does not match"):
        read("brat", [("e.txt", EMOJI_TEXT.encode()), ("e.ann", ann.encode())])


def test_brat_from_inception_labels_in_a_feature_attribute_and_packaged_type_names():
    """INCEpTION / DKPro Core write a span layer's feature as an attribute (T1 Span + A1 label T1 Claim, the
    relation's kind on the R line's attribute, roles Governor/Dependent) and UIMA types with their package
    ("webanno-custom-Premise"); each span and link gets the label its attribute or type names, and the
    attributes go back as they came."""
    ann = (t_line("T1", "Span", CLAIM) + t_line("T2", "webanno-custom-Premise", PREMISE) + t_line("T3", "Span", AGAINST)
           + "A1\tlabel T1 Claim\nA2\tlabel T3 Counterclaim\nA3\tconfidence T3 low\n"
           + "R1\tRelation Governor:T2 Dependent:T1\nA4\tlabel R1 support\n"
           + "R2\tRelation Governor:T3 Dependent:T1\nA5\tlabel R2 attack\n")
    (argument_map,), left_out = read("brat", [("i.txt", TEXT.encode()), ("i.ann", ann.encode())])
    assert spans_of(argument_map) == EXPECTED and left_out == []
    assert {(r.source, r.kind, r.target) for r in argument_map.relations} == {("T2", "supports", "T1"),
                                                                             ("T3", "attacks", "T1")}
    out = export_files(argument_map)["i.ann"]
    for line in ("A4\tlabel R1 support", "R1\tRelation Governor:T2 Dependent:T1", "A3\tconfidence T3 low",
                 "webanno-custom-Premise"):
        assert line in out
    from tests.formats.brat_verifier import verify

    files = export_files(argument_map)  # loose files, no conf: ours, declaring the types and attributes kept
    assert verify(files["annotation.conf"], files["i.txt"], files["i.ann"]) == []
    (mapped,), left_out = read("brat", [("i.txt", TEXT.encode()), ("i.ann", ann.encode())], mapping=["Counterclaim=-"])
    assert spans_of(mapped) == [("claim", CLAIM), ("evidence", PREMISE)]
    assert "i.ann, line 3 (T3): attribute label=Counterclaim mapped to be left out" in left_out


def test_brat_span_whose_type_and_attributes_name_no_label_is_refused_with_both_hints():
    ann = t_line("T1", "Span", CLAIM) + "A1\tlabel T1 Claim\nA2\tother T1 Premise\n" + t_line("T2", "Span", PREMISE)
    with pytest.raises(FormatError, match=r"i.ann, line 1 \(T1\): its attributes name different ones "
                                          r"\(attribute label=Claim, attribute other=Premise\)"):
        read("brat", [("i.txt", TEXT.encode()), ("i.ann", ann.encode())])
    with pytest.raises(FormatError, match=r"line 3 \(T2\): unknown label 'Span'.*or name it in an attribute"):
        read("brat", [("i.txt", TEXT.encode()), ("i.ann", ann.replace("A2\tother T1 Premise\n", "").encode())])


def test_brat_t_lines_without_their_text_as_some_converters_write_them():
    """No text after the offsets (T1), or an empty one (T2): the offsets are taken as they are."""
    claim, premise = TEXT.index(CLAIM), TEXT.index(PREMISE)
    ann = (f"T1\tClaim {claim} {claim + len(CLAIM)}\nT2\tPremise {premise} {premise + len(PREMISE)}\t\n"
           "R1\tsupports Arg1:T2 Arg2:T1\n")
    (argument_map,), _ = read("brat", [("a.txt", TEXT.encode()), ("a.ann", ann.encode())])
    assert spans_of(argument_map) == [("claim", CLAIM), ("evidence", PREMISE)] and len(argument_map.relations) == 1
    with pytest.raises(FormatError, match="a.ann, line 1: offsets 0 9000 do not fit the text"):
        read("brat", [("a.txt", TEXT.encode()), ("a.ann", b"T1\tClaim 0 9000\n")])


def test_brat_offsets_that_fit_no_reading_name_the_line():
    crlf = TEXT.replace("\n", "\r\n")
    with pytest.raises(FormatError, match=r"a.ann, line 1: the text 'We should' does not match"):
        read("brat", [("a.txt", crlf.encode()), ("a.ann", b"T1\tClaim 0 9\tWe should\n")])


def doccano_record(**extra) -> dict:
    def entity(entity_id, quote, label):
        start = TEXT.index(quote)
        return {"id": entity_id, "label": label, "start_offset": start, "end_offset": start + len(quote)}
    return {"id": 7, "text": TEXT, "entities": [entity(1, CLAIM, "Claim"), entity(2, PREMISE, "Premise"),
                                                entity(3, AGAINST, "Counterclaim")],
            "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "supports"},
                          {"id": 2, "from_id": 3, "to_id": 1, "type": "attacks"}], "Comments": [], **extra}


def test_doccano_export_zip_with_one_file_per_annotator():
    """doccano's Export dataset gives a zip: one <user>.jsonl per annotator (or all.jsonl)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("admin.jsonl", json.dumps(doccano_record(), ensure_ascii=False) + "\n")
        archive.writestr("annotator2.jsonl", json.dumps(doccano_record(id=8)) + "\n" + json.dumps({"id": 9, "text": ""}))
    maps, left_out = read("doccano", [("project_3.zip", buffer.getvalue())])
    assert [spans_of(m) for m in maps] == [EXPECTED, EXPECTED]
    assert left_out == ["project_3.zip, annotator2.jsonl, line 2: record without text, left out"]
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("all.jsonl", '{"text": "x", "entities": [{"label": "Claim"}]}')
    with pytest.raises(FormatError, match=r"project_3.zip: all.jsonl, line 1, entity 1: needs label"):
        read("doccano", [("project_3.zip", bad.getvalue())])


def test_doccano_string_ids_data_key_bom_and_crlf_records():
    record = doccano_record()
    for entity in record["entities"]:
        entity["id"] = f"e{entity['id']}"
    for relation in record["relations"]:
        relation.update(from_id=f"e{relation['from_id']}", to_id=f"e{relation['to_id']}", id=f"r{relation['id']}")
    sequence = {"id": 1, "data": TEXT, "label": [[TEXT.index(CLAIM), TEXT.index(CLAIM) + len(CLAIM), "CLAIM"]]}
    data = ("\ufeff" + json.dumps(record) + "\r\n" + json.dumps(sequence) + "\r\n").encode()
    (first, second), _ = read("doccano", [("a.jsonl", data)])
    assert spans_of(first) == EXPECTED and {(r.source, r.target) for r in first.relations} == {("e2", "e1"), ("e3", "e1")}
    assert spans_of(second) == [("claim", CLAIM)]


def test_doccano_older_labels_key():
    """Older doccano versions export the sequence-labelling shape under "labels"."""
    start = TEXT.index(CLAIM)
    (argument_map,), _ = read("doccano", [("a.jsonl", json.dumps({"text": TEXT, "labels": [[start, start + len(CLAIM), "Claim"]]}).encode())])
    assert spans_of(argument_map) == [("claim", CLAIM)]


def test_doccano_offsets_counted_in_utf16_units_after_emoji_are_read_that_way_and_said_so():
    """doccano's annotation page counted an emoji as two (PR #99): the counting under which the spans fall on words
    wins, and the summary says so; a file counted in code points is left as it is."""
    def entity(number, quote, label, utf16):
        start = EMOJI_TEXT.index(quote)
        if utf16:
            start = len(EMOJI_TEXT[:start].encode("utf-16-le")) // 2
        return {"id": number, "label": label, "start_offset": start, "end_offset": start + len(quote)}

    for utf16 in (True, False):
        record = {"text": EMOJI_TEXT, "entities": [entity(1, CLAIM, "Claim", utf16), entity(2, PREMISE, "Premise", utf16),
                                                    entity(3, AGAINST, "Counterclaim", utf16)], "relations": []}
        options = ImportOptions()
        (argument_map,) = get_format("doccano").import_files([("e.jsonl", json.dumps(record).encode())], options=options)
        assert spans_of(argument_map) == EXPECTED
        assert options.assumed == (["e.jsonl, line 1: the offsets count UTF-16 code units (an emoji as two, as "
                                    "doccano's browser side counted them): read that way, since only then do the "
                                    "spans start and end on words"] if utf16 else [])


def test_doccano_intent_detection_records_keep_their_spans_and_report_the_categories():
    """doccano's intent detection and slot filling: "entities" as [start, end, label] and whole-text "cats"."""
    start = TEXT.index(CLAIM)
    records = [{"text": TEXT, "entities": [[start, start + len(CLAIM), "Claim"]], "cats": ["policy"]},
               {"text": TEXT, "cats": ["policy"]}]
    maps, left_out = read("doccano", [("intent.jsonl", "\n".join(json.dumps(r) for r in records).encode())])
    assert [spans_of(m) for m in maps] == [[("claim", CLAIM)], []]
    assert left_out == [f"intent.jsonl, line {n}: its categories ('policy') label the whole text, and argmap keeps "
                        "span labels only: left out" for n in (1, 2)]


def test_doccano_text_classification_export_is_refused_saying_what_to_export():
    with pytest.raises(FormatError, match="text-classification export.*sequence labelling"):
        read("doccano", [("a.jsonl", json.dumps({"text": TEXT, "label": ["positive"]}).encode())])


def doccano_1_0_record(users=(1,)) -> dict:
    """doccano 1.0's JSONL export: "annotations" whose labels are the project's label ids, each with its user."""
    def annotation(number, quote, label, user):
        start = TEXT.index(quote)
        return {"id": number, "label": label, "start_offset": start, "end_offset": start + len(quote), "user": user}
    return {"id": 15, "text": TEXT, "meta": {}, "annotation_approver": None,
            "annotations": [annotation(10 * user + n, quote, label, user) for user in users
                            for n, (quote, label) in enumerate([(CLAIM, 7), (PREMISE, 9), (AGAINST, 8)])]}


DOCCANO_LABELS = [{"id": 7, "text": "Claim", "prefix_key": None, "suffix_key": "c", "background_color": "#209cee",
                   "text_color": "#ffffff"},
                  {"id": 8, "text": "Counterclaim", "prefix_key": None, "suffix_key": "x", "background_color": "#ff3860",
                   "text_color": "#ffffff"},
                  {"id": 9, "text": "Premise", "prefix_key": None, "suffix_key": "p", "background_color": "#23d160",
                   "text_color": "#ffffff"}]


def test_doccano_numeric_label_ids_are_refused_naming_the_ids_and_both_ways_to_name_them():
    data = (json.dumps(doccano_1_0_record()) + "\n").encode()
    with pytest.raises(FormatError, match=r"old.jsonl: line 1: the labels are doccano label ids \(7, 8, 9\), not "
                                          r"names.*label file.*7=claim,8=evidence,9=counterclaim"):
        read("doccano", [("old.jsonl", data)])


def test_doccano_numeric_label_ids_named_by_the_projects_label_file():
    """The old export with doccano's label file beside it: the ids become the labels' names, then argmap labels;
    the names are kept for the way back."""
    data = (json.dumps(doccano_1_0_record()) + "\n").encode()
    (argument_map,), left_out = read("doccano", [("old.jsonl", data), ("label_config.json", json.dumps(DOCCANO_LABELS).encode())])
    assert spans_of(argument_map) == EXPECTED and left_out == []
    assert {info["label"] for info in argument_map.provenance["spans"].values()} == {"Claim", "Premise", "Counterclaim"}
    assert {e["label"] for e in json.loads(get_format("doccano").export(argument_map))["entities"]} == \
        {"Claim", "Premise", "Counterclaim"}


def test_doccano_numeric_label_ids_mapped_by_hand_in_both_shapes():
    start = TEXT.index(CLAIM)
    sequence = {"text": TEXT, "label": [[start, start + len(CLAIM), 7]]}
    data = (json.dumps(doccano_1_0_record()) + "\n" + json.dumps(sequence) + "\n").encode()
    (first, second), _ = read("doccano", [("old.jsonl", data)], mapping=["7=claim,9=evidence,8=counterclaim"])
    assert spans_of(first) == EXPECTED and spans_of(second) == [("claim", CLAIM)]


def test_doccano_label_file_alone_is_refused_saying_what_it_is():
    """Whatever its name; never read as records (each label would become a document)."""
    for name in ("label_config.json", "labels.jsonl", "labels"):
        with pytest.raises(FormatError, match="only doccano label files were given"):
            read("doccano", [(name, json.dumps(DOCCANO_LABELS, indent=2).encode())])
    from annotations.formats.doccano import import_lines

    with pytest.raises(FormatError, match="this is a doccano label file"):
        import_lines(json.dumps(DOCCANO_LABELS).encode())


def test_doccano_1_0_record_with_two_annotators_is_one_map_per_annotator():
    """Both users' spans in one record: one map each (the import service merges maps of one text)."""
    data = (json.dumps(doccano_1_0_record(users=(1, 2))) + "\n").encode()
    maps, _ = read("doccano", [("old.jsonl", data), ("labels.json", json.dumps(DOCCANO_LABELS).encode())])
    assert [spans_of(m) for m in maps] == [EXPECTED, EXPECTED]
    assert [m.source_name for m in maps] == ["old.jsonl, line 1, user 1", "old.jsonl, line 1, user 2"]


def test_doccano_1_0_text_classification_annotations_are_refused_saying_what_to_export():
    record = {"id": 1, "text": TEXT, "annotations": [{"id": 1, "label": 7, "user": 1}], "meta": {}}
    with pytest.raises(FormatError, match="labels the whole text"):
        read("doccano", [("cls.jsonl", json.dumps(record).encode())])


AIFDB = {
    "nodes": [
        {"nodeID": "51601", "text": CLAIM, "type": "I", "timestamp": "2016-03-02 11:23:04"},
        {"nodeID": "51602", "text": PREMISE, "type": "I", "timestamp": "2016-03-02 11:23:04"},
        {"nodeID": "51603", "text": None, "type": "RA", "scheme": "Default Inference", "schemeID": "72"},
        {"nodeID": "51604", "text": AGAINST, "type": "I", "timestamp": "2016-03-02 11:23:04"},
        {"nodeID": "51605", "text": "Default Conflict", "type": "CA", "scheme": "Default Conflict", "schemeID": "71"},
        {"nodeID": "51606", "text": "Bob : We should ban cars from the centre", "type": "L"},
        {"nodeID": "51607", "text": "Asserting", "type": "YA"},
    ],
    "edges": [
        {"edgeID": 1, "fromID": "51602", "toID": "51603", "formEdgeID": None},
        {"edgeID": 2, "fromID": "51603", "toID": "51601", "formEdgeID": None},
        {"edgeID": 3, "fromID": "51604", "toID": "51605", "formEdgeID": None},
        {"edgeID": 4, "fromID": "51605", "toID": "51601", "formEdgeID": None},
        {"edgeID": 5, "fromID": "51606", "toID": "51607", "formEdgeID": None},
        {"edgeID": 6, "fromID": "51607", "toID": "51601", "formEdgeID": None},
    ],
    "locutions": [{"nodeID": "51606", "personID": "1", "timestamp": "2016-03-02 11:23:04", "start": None}],
    "participants": [{"participantID": "1", "firstname": "Bob", "surname": "Smith"}],
    "schemefulfillments": [{"nodeID": "51603", "schemeID": "72"}],
}


def test_aifdb_corpus_zip_with_source_texts_and_null_scheme_texts():
    """An AIFdb corpus download: nodesetN.json with nodesetN.txt beside it (the text the JSON lacks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nodeset10234.json", json.dumps(AIFDB))
        archive.writestr("nodeset10234.txt", TEXT.replace("Naïve", "Naïve & <bold>"))
        archive.writestr("nodeset10235.json", json.dumps(AIFDB))
    (with_text, without), _ = read("aif", [("corpus.zip", buffer.getvalue())])
    assert spans_of(with_text) == EXPECTED and "Naïve & <bold>" in with_text.document_text
    assert spans_of(without) == EXPECTED and with_text.title == "nodeset10234"
    assert {(r.kind, r.source) for r in with_text.relations} == {("supports", "51602"), ("attacks", "51604")}
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("nodeset1.json", '{"nodes": [{"type": "I"}]}')
    with pytest.raises(FormatError, match=r"corpus.zip: nodeset1.json, nodes\[0\]: needs nodeID and type"):
        read("aif", [("corpus.zip", broken.getvalue())])


def test_aif_without_edges_key_reads_its_propositions():
    nodes = [node for node in AIFDB["nodes"] if node["type"] in ("I", "L", "YA")]
    (argument_map,), _ = read("aif", [("n.json", json.dumps({"nodes": nodes}).encode())])
    assert sorted(span.quote for span in argument_map.spans) == sorted([CLAIM, PREMISE, AGAINST])


def aif_with_dangling_schemes() -> dict:
    """AIFdb's map plus an RA with no premise (a half-drawn inference) and a CA with no conclusion."""
    document = json.loads(json.dumps(AIFDB))
    document["nodes"] += [{"nodeID": "51608", "text": "Default Inference", "type": "RA"},
                          {"nodeID": "51609", "text": "Default Conflict", "type": "CA"}]
    document["edges"] += [{"edgeID": 7, "fromID": "51608", "toID": "51601"},
                          {"edgeID": 8, "fromID": "51602", "toID": "51609"}]
    return document


def test_aif_scheme_nodes_without_premise_or_conclusion_are_left_out_by_node_and_the_rest_imported():
    (argument_map,), left_out = read("aif", [("n.json", json.dumps(aif_with_dangling_schemes()).encode())])
    assert spans_of(argument_map) == EXPECTED
    assert {(r.kind, r.source, r.target) for r in argument_map.relations} == {("supports", "51602", "51601"),
                                                                             ("attacks", "51604", "51601")}
    assert left_out == ["n.json, RA node 51608: this inference (RA) has no incoming edge, so no premise: the relation "
                        "is left out",
                        "n.json, CA node 51609: this conflict (CA) has no outgoing edge (no conclusion): the relation "
                        "is left out"]
    with pytest.raises(FormatError, match="n.json: RA node 51608: this inference"):
        get_format("aif").import_files([("n.json", json.dumps(aif_with_dangling_schemes()).encode())],
                                       options=ImportOptions(strict=True))


def xaif_document() -> dict:
    """The xaif library's shape (ARG-tech's open argument-mining framework): integer ids from 0, L → YA → I,
    null fulfilments, "dialog", an "ova" list, and "text" {"txt"} whose highlights carry the L-node's bare id."""
    nodes = [(0, CLAIM, "L"), (1, PREMISE, "L"), (2, CLAIM, "I"), (3, "Default Illocuting", "YA"),
             (4, PREMISE, "I"), (5, "Default Illocuting", "YA"), (6, "Default Inference", "RA")]
    edges = [(0, 3), (3, 2), (1, 5), (5, 4), (4, 6), (6, 2)]
    txt = (f"Speaker 1 says: {CLAIM}? Not quite.<br><br>Speaker 1 <span class=\"highlighted\" id=\"0\">{CLAIM}</span>."
           f"<br><br>Speaker 2 <span class=\"highlighted\" id=\"1\">{PREMISE}</span>.<br><br>")
    return {"AIF": {"descriptorfulfillments": None, "schemefulfillments": None,
                    "nodes": [{"nodeID": i, "text": text, "type": kind} for i, text, kind in nodes],
                    "edges": [{"edgeID": n, "fromID": a, "toID": b} for n, (a, b) in enumerate(edges)],
                    "locutions": [{"nodeID": 0, "personID": 0}, {"nodeID": 1, "personID": 1}],
                    "participants": [{"participantID": 0, "firstname": "Speaker", "surname": "1"},
                                     {"participantID": 1, "firstname": "Speaker", "surname": "2"}]},
            "dialog": True, "ova": [], "text": {"txt": txt}}


def test_xaif_library_output_is_anchored_by_its_bare_id_highlights_with_speakers_from_locutions():
    (argument_map,), left_out = read("aif", [("x.json", json.dumps(xaif_document()).encode())])
    claim = next(span for span in argument_map.spans if span.quote == CLAIM)
    assert argument_map.paragraphs[claim.paragraph].text.startswith("Speaker 1 " + CLAIM)  # the highlight, not the
    assert spans_of(argument_map) == [("claim", CLAIM), ("evidence", PREMISE)]  # first mention
    assert [(r.source, r.kind, r.target) for r in argument_map.relations] == [("4", "supports", "2")]
    assert argument_map.provenance["spans"] == {"2": {"speaker": "Speaker 1"}, "4": {"speaker": "Speaker 2"}}
    assert left_out == []
    lower_case = {"aif": xaif_document()["AIF"], "text": xaif_document()["text"]}  # an older TypeScript tool's key
    (argument_map,), _ = read("aif", [("x.json", json.dumps(lower_case).encode())])
    assert spans_of(argument_map) == [("claim", CLAIM), ("evidence", PREMISE)]


def test_aif_whose_text_is_only_a_title_keeps_every_proposition_and_says_so():
    """Tools that write AIF from a graph put a case id or title in "text": the propositions become paragraphs
    after it instead of all being left out as not in the text."""
    document = {**json.loads(json.dumps(AIFDB)), "text": "Top-down judgment AIF graph"}
    (argument_map,), left_out = read("aif", [("g.json", json.dumps(document).encode())])
    assert spans_of(argument_map) == EXPECTED and len(argument_map.relations) == 2 and left_out == []
    assert argument_map.paragraphs[0].text == "Top-down judgment AIF graph"
    options = ImportOptions()
    get_format("aif").import_files([("g.json", json.dumps(document).encode())], options=options)
    assert options.assumed == ["g.json, text: none of the 3 propositions is in the file's text ('Top-down judgment "
                               "AIF graph'); each became a paragraph of its own after it"]
    with pytest.raises(FormatError, match="the file has no I-nodes"):
        read("aif", [("e.json", json.dumps({"AIF": {"nodes": [], "edges": []}, "text": "x", "OVA": {}}).encode())])


# --- round trip -----------------------------------------------------------------------


def rich_map() -> ArgumentMap:
    """All three labels, supports and attacks, a span inside another, non-ASCII words and emoji."""
    paragraphs = ["Städte ohne Autos – ein Plädoyer", "Wir sollten Autos aus der Innenstadt verbannen, weil "
                  "Straßen ohne Autos für Kinder sicherer sind 🚸.", "Kritiker sagen, die Läden verlören Kundschaft."]

    def span(span_id, paragraph, quote, label):
        start = paragraphs[paragraph].index(quote)
        return MapSpan(id=span_id, paragraph=paragraph, start=start, end=start + len(quote), quote=quote, label=label)

    return ArgumentMap(
        title="Städte ohne Autos",
        paragraphs=[MapParagraph(position=i, text=text) for i, text in enumerate(paragraphs)],
        spans=[span("s1", 1, "Wir sollten Autos aus der Innenstadt verbannen, weil Straßen ohne Autos für Kinder sicherer "
                    "sind 🚸", "claim"),
               span("s2", 1, "Straßen ohne Autos für Kinder sicherer sind", "evidence"),
               span("s3", 2, "die Läden verlören Kundschaft", "counterclaim")],
        relations=[MapRelation(id="r1", kind="supports", source="s2", target="s1"),
                   MapRelation(id="r2", kind="attacks", source="s3", target="s1")],
        labels=["claim", "evidence", "counterclaim"],
    )


def shape(argument_map: ArgumentMap) -> tuple:
    texts = [paragraph.text for paragraph in argument_map.paragraphs]
    by_id = {span.id: (texts[span.paragraph], span.start, span.end, span.quote, span.label) for span in argument_map.spans}
    return texts, sorted(by_id.values()), sorted((by_id[r.source][3], r.kind, by_id[r.target][3])
                                                 for r in argument_map.relations)


@pytest.mark.parametrize("format_name", ["json", "aif", "brat", "doccano", "aif-without-extension"])
def test_round_trip_keeps_spans_labels_links_and_text(format_name):
    original = rich_map()
    name = format_name.removesuffix("-without-extension")
    data = get_format(name).export(original)
    if format_name == "aif-without-extension":  # as a tool that drops fields it does not know saves it
        document = json.loads(data)
        document.pop("argmap")
        data = json.dumps(document).encode()
    (back,) = get_format(name).import_(data, name=f"map.{name}", options=ImportOptions())
    texts, spans, relations = shape(back)
    want_texts, want_spans, want_relations = shape(original)
    assert spans == want_spans and relations == want_relations
    assert "".join(texts).replace(" ", "") == "".join(want_texts).replace(" ", "")  # same words (brat/doccano: no title)
    assert texts[-2:] == want_texts[-2:]


def test_doccano_export_reads_in_both_project_kinds_doccanos_importer_takes():
    """Our JSONL as doccano's importer reads it (tests/formats/doccano_rules.py): a sequence-labelling project
    finds every span under "label", one with relation labelling every span and link under entities/relations."""
    from tests.formats import doccano_rules

    original = rich_map()
    data = get_format("doccano").export(original)
    want = sorted((span.quote, span.label) for span in original.spans)
    for relations in (False, True):
        (example,) = doccano_rules.read(data, relations=relations)
        assert sorted((example.text[a:b], label) for a, b, label in example.spans) == want
        assert "title" in example.meta
    (example,) = doccano_rules.read(data, relations=True)
    assert sorted((source[2], kind, target[2]) for source, kind, target in example.relations) == [
        ("counterclaim", "attacks", "claim"), ("evidence", "supports", "claim")]


def test_doccano_export_of_a_map_with_string_ids_gives_doccano_integer_ids():
    record = doccano_record()
    for entity in record["entities"]:
        entity["id"] = f"e{entity['id']}"
    for relation in record["relations"]:
        relation.update(from_id=f"e{relation['from_id']}", to_id=f"e{relation['to_id']}")
    (argument_map,), _ = read("doccano", [("a.jsonl", json.dumps(record).encode())])
    from tests.formats import doccano_rules

    (example,) = doccano_rules.read(get_format("doccano").export(argument_map), relations=True)
    assert len(example.spans) == 3 and len(example.relations) == 2
    assert {label for _a, _b, label in example.spans} == {"Claim", "Premise", "Counterclaim"}


def test_file_names_spell_out_letters_without_an_ascii_base():
    from annotations.formats.base import slugify

    assert slugify("Close the Königstraße – Æsop’s œuvre, Łódź, Ørsted") == "close-the-konigstrasse-aesops-oeuvre-lodz-orsted"
