"""The third sealed gold set (tests/nlp/data/sealed3, issue 12) is well-formed and reads as written.

These tests check files only. They never run the suggestions on the sealed texts (see the
folder's README: measured only, by the lead, and never read by whoever writes rules). Pure: no database.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotations.nlp import gold
from tests.nlp.brat_units import read_units

SEALED3 = Path(__file__).resolve().parent / "data" / "sealed3"
ANN_FILES = sorted(SEALED3.glob("*/*.ann"))

# What the annotator wrote, per folder: brat types, stances, relations, and what the gold reader
# makes of them (Claim For and MajorClaim -> claim, Claim Against -> counterclaim, Premise -> evidence).
WRITTEN = {
    "essays": {
        "names": [f"essay_t{n:02d}" for n in range(1, 11)],
        "paragraphs": [5, 5, 5, 5, 6, 5, 5, 5, 5, 5],
        "types": {"MajorClaim": 20, "Claim": 39, "Premise": 89},
        "stances": {"For": 34, "Against": 5},
        "relations": {"supports": 79, "attacks": 10},
        "labels": {"claim": 54, "evidence": 89, "counterclaim": 5},
    },
    "opeds": {
        "names": [f"oped_t{n:02d}" for n in range(1, 6)],
        "paragraphs": [8, 8, 8, 8, 10],
        "types": {"MajorClaim": 10, "Claim": 23, "Premise": 55},
        "stances": {"For": 16, "Against": 7},
        "relations": {"supports": 44, "attacks": 11},
        "labels": {"claim": 26, "evidence": 55, "counterclaim": 7},
    },
}


def test_sealed3_holds_the_two_folders_and_its_readme():
    assert sorted(path.name for path in SEALED3.iterdir()) == ["README.md", "essays", "opeds"]


@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_each_sealed3_folder_holds_every_pair_and_nothing_else(folder):
    """10 essays and 5 op-eds, each .ann with its .txt next to it."""
    names = WRITTEN[folder]["names"]
    assert sorted(p.name for p in (SEALED3 / folder).iterdir()) == sorted(
        f"{name}{suffix}" for name in names for suffix in (".ann", ".txt"))


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]])
@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_sealed3_loads_through_the_gold_reader_with_the_written_counts(folder, label_map):
    """read_gold (what evaluate_suggestions uses) reads the written unit totals per label; the title is a heading."""
    written = WRITTEN[folder]
    corpus = gold.read_gold([SEALED3 / folder], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == written["names"]
    assert Counter(span.label for item in corpus for span in item.spans) == written["labels"]
    assert [len(item.paragraphs) for item in corpus] == written["paragraphs"]


@pytest.mark.parametrize("folder", sorted(WRITTEN))
def test_sealed3_annotations_have_the_written_units_stances_and_relations(folder):
    """Every line is a T, A or R line of the Argument Annotated Essays scheme, with the written totals."""
    types, stances, relations = Counter(), Counter(), Counter()
    for path in sorted((SEALED3 / folder).glob("*.ann")):
        units, stanced, linked = read_units(path)
        types.update(unit[0] for unit in units.values())
        stances.update(stanced.values())
        relations.update(kind for kind, _, _ in linked)
    written = WRITTEN[folder]
    assert (types, stances, relations) == (written["types"], written["stances"], written["relations"])


@pytest.mark.parametrize("path", ANN_FILES, ids=lambda p: p.stem)
def test_each_sealed3_span_is_the_text_at_its_offsets_and_the_reader_keeps_it(path):
    """Every T span quotes the .txt exactly (no surrounding space, no final full stop, one paragraph);
    stances sit on claims and only there; each premise has one relation, to another unit of the file
    that is not a major claim; the reader finds the same spans."""
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    units, stances, relations = read_units(path)
    for name, (_, start, end, quote) in units.items():
        assert text[start:end] == quote, name
        assert quote == quote.strip() and not quote.endswith(".") and "\n" not in quote, name
    assert sorted(stances) == sorted(name for name, unit in units.items() if unit[0] == "Claim")
    assert sorted(arg1 for _, arg1, _ in relations) == sorted(
        name for name, unit in units.items() if unit[0] == "Premise")
    for _, arg1, arg2 in relations:
        assert arg2 in units and arg2 != arg1 and units[arg2][0] != "MajorClaim"
    (item,) = gold.read_gold([path], label_map=gold.parse_label_map(["MajorClaim=claim"]))
    assert sorted(item.text[span.start:span.end] for span in item.spans) == sorted(
        quote for _, _, _, quote in units.values())
