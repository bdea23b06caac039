"""The sealed gold set (tests/nlp/data/sealed, issue 12) is well-formed and reads as written.

These tests check files only: they never run the suggestions on the sealed texts (see the
folder's README: measured only, never read by whoever writes rules). Pure: no database.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from annotations.nlp import gold
from tests.paths import microtexts_dir

SEALED = Path(__file__).resolve().parent / "data" / "sealed"
MICROTEXTS = SEALED / "microtexts"
ESSAYS = SEALED / "essays"
XML_FILES = sorted(MICROTEXTS.glob("*.xml"))
ANN_FILES = sorted(ESSAYS.glob("*.ann"))
T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$")


def test_the_sealed_folders_hold_every_pair():
    """40 microtext graphs and 12 essays, each with its .txt next to it and nothing else."""
    assert [p.stem for p in XML_FILES] == [f"micro_f{n:03d}" for n in range(1, 41)]
    assert [p.stem for p in ANN_FILES] == [f"essay_f{n:02d}" for n in range(1, 13)]
    assert sorted(p.name for p in MICROTEXTS.iterdir()) == sorted(
        name for p in XML_FILES for name in (p.name, f"{p.stem}.txt"))
    assert sorted(p.name for p in ESSAYS.iterdir()) == sorted(
        name for p in ANN_FILES for name in (p.name, f"{p.stem}.txt"))


def test_the_microtexts_load_through_the_gold_reader_with_the_written_counts():
    """read_gold (what evaluate_suggestions uses) finds 40 central claims, 127 evidence, 40 counterclaims."""
    corpus = gold.read_gold([MICROTEXTS])
    assert [item.name for item in corpus] == [p.stem for p in XML_FILES]
    labels = Counter(span.label for item in corpus for span in item.spans)
    assert labels == {"claim": 40, "evidence": 127, "counterclaim": 40}
    assert all(sum(span.label == "claim" for span in item.spans) == 1 for item in corpus)
    assert all(len(item.paragraphs) == 1 for item in corpus)


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]])
def test_the_essays_load_through_the_gold_reader_with_the_written_counts(label_map):
    """24 major claims and 31 claims for are claims, 15 claims against are counterclaims, 112 premises evidence."""
    corpus = gold.read_gold([ESSAYS], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == [p.stem for p in ANN_FILES]
    labels = Counter(span.label for item in corpus for span in item.spans)
    assert labels == {"claim": 55, "evidence": 112, "counterclaim": 15}
    assert sum(len(item.paragraphs) for item in corpus) == 60  # the title line is a heading


def test_the_microtext_graphs_have_the_written_units_and_relations():
    """207 ADUs (167 pro, 40 opp), one EDU each, and 167 relations: sup 76, exa 5, reb 41, und 31, add 14."""
    roles, relations = Counter(), Counter()
    for path in XML_FILES:
        root = etree.parse(str(path)).getroot()
        adus = root.findall("adu")
        roles.update(adu.get("type") for adu in adus)
        edges = root.findall("edge")
        segments = [e for e in edges if e.get("type") == "seg"]
        assert len(segments) == len(adus) == len(root.findall("edu")), path.name
        relations.update(e.get("type") for e in edges if e.get("type") != "seg")
    assert roles == {"pro": 167, "opp": 40}
    assert relations == {"sup": 76, "exa": 5, "reb": 41, "und": 31, "add": 14}


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.stem)
def test_each_microtext_is_valid_against_the_corpus_dtd_and_its_text_is_its_edus(path):
    """The graph validates against arggraph.dtd; the .txt is the EDUs joined by one space."""
    dtd = etree.DTD(str(microtexts_dir().parent / "arggraph.dtd"))
    document = etree.parse(str(path))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    edus = [edu.text for edu in document.getroot().findall("edu")]
    assert path.with_suffix(".txt").read_text(encoding="utf-8") == " ".join(edus)


def test_the_essay_annotations_have_the_written_units_and_relations():
    """24 MajorClaim, 46 Claim (31 For, 15 Against), 112 Premise; 90 supports and 22 attacks."""
    types, stances, relations = Counter(), Counter(), Counter()
    for path in ANN_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, rest = line.partition("\t")
            if kind.startswith("T"):
                types[rest.split(" ", 1)[0]] += 1
            elif kind.startswith("A"):
                stances[rest.split()[-1]] += 1
            elif kind.startswith("R"):
                relations[rest.split()[0]] += 1
    assert types == {"MajorClaim": 24, "Claim": 46, "Premise": 112}
    assert stances == {"For": 31, "Against": 15}
    assert relations == {"supports": 90, "attacks": 22}


@pytest.mark.parametrize("path", ANN_FILES, ids=lambda p: p.stem)
def test_each_essay_span_is_the_text_at_its_offsets(path):
    """Every T span quotes the .txt exactly, without surrounding spaces or the final full stop."""
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    units = [T_LINE.match(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.startswith("T")]
    assert units and all(units), path.name
    ids = {unit.group(1) for unit in units}
    for unit in units:
        start, end, quote = int(unit.group(3)), int(unit.group(4)), unit.group(5)
        assert text[start:end] == quote, unit.group(1)
        assert quote == quote.strip() and not quote.endswith(".")
        assert "\n" not in quote
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("R"):
            arguments = re.findall(r"Arg[12]:(T\d+)", line)
            assert len(arguments) == 2 and set(arguments) <= ids, line
