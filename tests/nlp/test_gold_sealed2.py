"""The second sealed gold set (tests/nlp/data/sealed2, issue 12) is well-formed and reads as written.

These tests check files only: they never run the suggestions on the sealed texts (see the
folder's README: measured only, by the lead, never read by whoever writes rules). Pure: no database.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from annotations.nlp import gold

SEALED2 = Path(__file__).resolve().parent / "data" / "sealed2"
ESSAYS = SEALED2 / "essays"
OPEDS = SEALED2 / "opeds"
ANN_FILES = sorted(ESSAYS.glob("*.ann")) + sorted(OPEDS.glob("*.ann"))
T_LINE = re.compile(r"^(T\d+)\t(MajorClaim|Claim|Premise) (\d+) (\d+)\t(.*)$")
A_LINE = re.compile(r"^A\d+\tStance (T\d+) (For|Against)$")
R_LINE = re.compile(r"^R\d+\t(supports|attacks) Arg1:(T\d+) Arg2:(T\d+)\t?$")

# What the annotator wrote, per folder: brat types, stances, relations, and what the gold reader
# makes of them (Claim For and MajorClaim -> claim, Claim Against -> counterclaim, Premise -> evidence).
WRITTEN = {
    "essays": {
        "names": [f"essay_s{n:02d}" for n in range(1, 11)],
        "paragraphs": [5, 5, 5, 5, 5, 4, 5, 6, 5, 5],
        "types": {"MajorClaim": 22, "Claim": 32, "Premise": 102},
        "stances": {"For": 26, "Against": 6},
        "relations": {"supports": 96, "attacks": 6},
        "labels": {"claim": 48, "evidence": 102, "counterclaim": 6},
    },
    "opeds": {
        "names": [f"oped_s{n:02d}" for n in range(1, 6)],
        "paragraphs": [8, 8, 8, 9, 9],
        "types": {"MajorClaim": 11, "Claim": 25, "Premise": 68},
        "stances": {"For": 16, "Against": 9},
        "relations": {"supports": 55, "attacks": 13},
        "labels": {"claim": 27, "evidence": 68, "counterclaim": 9},
    },
}


@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_each_sealed2_folder_holds_every_pair_and_nothing_else(folder):
    """10 essays and 5 op-eds, each .ann with its .txt next to it."""
    names = WRITTEN[folder]["names"]
    assert sorted(p.name for p in (SEALED2 / folder).iterdir()) == sorted(
        f"{name}{suffix}" for name in names for suffix in (".ann", ".txt"))


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]])
@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_sealed2_loads_through_the_gold_reader_with_the_written_counts(folder, label_map):
    """read_gold (what evaluate_suggestions uses) reads the written unit totals per label; the title is a heading."""
    written = WRITTEN[folder]
    corpus = gold.read_gold([SEALED2 / folder], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == written["names"]
    assert Counter(span.label for item in corpus for span in item.spans) == written["labels"]
    assert [len(item.paragraphs) for item in corpus] == written["paragraphs"]


@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_sealed2_annotations_have_the_written_units_stances_and_relations(folder):
    """Every line is a T, A or R line of the Argument Annotated Essays scheme, with the written totals."""
    types, stances, relations = Counter(), Counter(), Counter()
    for path in sorted((SEALED2 / folder).glob("*.ann")):
        for line in path.read_text(encoding="utf-8").splitlines():
            unit, stance, relation = T_LINE.match(line), A_LINE.match(line), R_LINE.match(line)
            assert unit or stance or relation, (path.name, line)
            if unit:
                types[unit.group(2)] += 1
            elif stance:
                stances[stance.group(2)] += 1
            else:
                relations[relation.group(1)] += 1
    written = WRITTEN[folder]
    assert (types, stances, relations) == (written["types"], written["stances"], written["relations"])


@pytest.mark.parametrize("path", ANN_FILES, ids=lambda p: p.stem)
def test_each_sealed2_span_is_the_text_at_its_offsets_and_the_reader_keeps_it(path):
    """Every T span quotes the .txt exactly (no surrounding space, no final full stop, one paragraph),
    stances sit on claims, relations join units of the file, and the reader finds the same spans."""
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    units = {match.group(1): match for match in map(T_LINE.match, lines) if match}
    for unit in units.values():
        start, end, quote = int(unit.group(3)), int(unit.group(4)), unit.group(5)
        assert text[start:end] == quote, unit.group(1)
        assert quote == quote.strip() and not quote.endswith(".") and "\n" not in quote, unit.group(1)
    claims = {name for name, unit in units.items() if unit.group(2) == "Claim"}
    stanced = [match.group(1) for match in map(A_LINE.match, lines) if match]
    assert sorted(stanced) == sorted(claims)
    for match in filter(None, map(R_LINE.match, lines)):
        assert {match.group(2), match.group(3)} <= set(units) and match.group(2) != match.group(3)
    (item,) = gold.read_gold([path], label_map=gold.parse_label_map(["MajorClaim=claim"]))
    assert sorted(item.text[span.start:span.end] for span in item.spans) == sorted(
        unit.group(5) for unit in units.values())
