"""Tests for reading gold: arg-microtexts, brat (folder, pair, zip), argmap JSON, doccano, label maps."""
import io
import json
import zipfile

import pytest

from annotations.nlp import gold
from tests.nlp.essays import ESSAYS_DEV

TEXT = "School uniforms are good.\n\nSome argue that they limit freedom. They cost little.\n"
ANN = (
    "T1\tMajorClaim 0 24\tSchool uniforms are good\n"
    "T2\tClaim 43 61\tthey limit freedom\n"
    "A1\tStance T2 Against\n"
    "T3\tPremise 63 79\tThey cost little\n"
)


def labels_and_quotes(item):
    return [(span.label, item.text[span.start:span.end]) for span in item.spans]


def write_pair(folder, stem="one", text=TEXT, ann=ANN):
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")


def test_microtext_gold_spans(microtexts_dir):
    """micro_b001: two opponent ADUs, two proponent premises, the central claim last."""
    (item,) = gold.read_path(microtexts_dir / "micro_b001.xml")
    labels = [span.label for span in item.spans]
    assert labels == ["counterclaim", "counterclaim", "evidence", "evidence", "claim"]
    claim = item.spans[-1]
    assert item.text[claim.start:claim.end] == (
        "We Berliners should take the chance and become pioneers in waste separation!")
    assert item.paragraphs == [(0, item.text.rstrip("\n"))] or item.paragraphs[0][0] == 0


def test_brat_folder_pair_and_zip_read_the_same(tmp_path):
    """A folder of pairs, one pair named by either file, and a zip give the same gold."""
    write_pair(tmp_path)
    from_folder = gold.read_path(tmp_path)
    from_pair = gold.read_path(tmp_path / "one.ann")
    from_txt = gold.read_path(tmp_path / "one.txt")
    archive = tmp_path / "essays.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("one.txt", TEXT)
        zipped.writestr("one.ann", ANN)
    from_zip = gold.read_path(archive)
    expected = [("claim", "School uniforms are good"), ("counterclaim", "they limit freedom"),
                ("evidence", "They cost little")]
    for read in (from_folder, from_pair, from_txt, from_zip):
        assert [labels_and_quotes(item) for item in read] == [expected]
        assert read[0].name == "one"
        assert [text for _start, text in read[0].paragraphs][0] == "School uniforms are good."


def test_label_map_and_stance_options(tmp_path):
    """--map renames or drops labels; --stance names another attribute or none."""
    write_pair(tmp_path)
    (item,) = gold.read_path(tmp_path, label_map=gold.parse_label_map(
        ["MajorClaim=none", "Premise=claim"]))
    assert labels_and_quotes(item) == [("counterclaim", "they limit freedom"),
                                       ("claim", "They cost little")]
    (item,) = gold.read_path(tmp_path, stance=gold.parse_stance("none"))
    assert labels_and_quotes(item)[1] == ("claim", "they limit freedom")
    write_pair(tmp_path, ann=ANN.replace("A1\tStance T2 Against", "A1\tPolarity T3 Con"))
    (item,) = gold.read_path(tmp_path, stance=gold.parse_stance("Polarity=Con"))
    assert labels_and_quotes(item) == [("claim", "School uniforms are good"),
                                       ("claim", "they limit freedom"),
                                       ("counterclaim", "They cost little")]


def test_bad_options_and_inputs_name_the_problem(tmp_path):
    """Malformed --map / --stance, a pair without its .txt and an empty folder are named."""
    with pytest.raises(gold.CorpusError, match="FROM=TO"):
        gold.parse_label_map(["Premise"])
    with pytest.raises(gold.CorpusError, match="'support' is not one of"):
        gold.parse_label_map(["Premise=support"])
    with pytest.raises(gold.CorpusError, match="ATTRIBUTE=VALUE"):
        gold.parse_stance("Stance")
    (tmp_path / "lonely.ann").write_text(ANN)
    with pytest.raises(gold.CorpusError, match="no lonely.txt"):
        gold.read_path(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(gold.CorpusError, match="no arg-microtexts"):
        gold.read_path(empty)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(gold.CorpusError, match="bad.jsonl"):
        gold.read_path(bad)


def test_doccano_and_argmap_json_through_the_registry(tmp_path):
    """doccano JSONL and argmap JSON are read by the registry's importers."""
    text = "Cars should be banned. They pollute the air."
    record = {"text": text, "entities": [
        {"id": 1, "label": "Claim", "start_offset": 0, "end_offset": 21},
        {"id": 2, "label": "Premise", "start_offset": 23, "end_offset": 43}], "relations": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (item,) = gold.read_path(path)
    assert labels_and_quotes(item) == [("claim", "Cars should be banned"),
                                       ("evidence", "They pollute the air")]
    from annotations.formats.registry import get_format

    from annotations.argument_map import ArgumentMap, MapParagraph, MapSpan
    argument_map = ArgumentMap(title="t", paragraphs=[MapParagraph(0, text)], spans=[
        MapSpan(id="s1", paragraph=0, start=0, end=21, quote=text[:21], label="major_claim")],
        labels=["major_claim", "claim", "evidence", "counterclaim"])
    exported = tmp_path / "map.json"
    exported.write_bytes(get_format("json").export(argument_map))
    (item,) = gold.read_path(exported)
    assert labels_and_quotes(item) == [("claim", "Cars should be banned")]


def test_the_hand_written_essays_read_as_brat():
    """The development essays (tests/nlp/data/essays) read with claims, evidence and counterclaims."""
    corpus = gold.read_path(ESSAYS_DEV)
    assert len(corpus) == 6
    labels = {span.label for item in corpus for span in item.spans}
    assert labels == {"claim", "evidence", "counterclaim"}


def test_a_groups_own_brat_types_are_mapped_while_reading(tmp_path):
    """Entity types argmap does not know (Conclusion, Reason) are read through --map."""
    ann = "T1\tConclusion 0 24\tSchool uniforms are good\nT2\tReason 63 79\tThey cost little\n"
    write_pair(tmp_path, ann=ann)
    (item,) = gold.read_path(tmp_path, label_map=gold.parse_label_map(
        ["Conclusion=claim", "Reason=evidence"]))
    assert labels_and_quotes(item) == [("claim", "School uniforms are good"),
                                       ("evidence", "They cost little")]
