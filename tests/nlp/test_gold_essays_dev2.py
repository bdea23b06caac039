"""The second development set of essays (tests/nlp/data/essays_dev2, issue 12) reads as written.

Fourteen hand-written persuasive essays annotated in the Argument Annotated Essays scheme
(brat: MajorClaim, Claim with a For/Against stance, Premise, supports/attacks). Unlike the
sealed set, rule writers may read them. These tests check the files only: they load through
``gold.read_gold`` (what ``evaluate_suggestions`` uses) with the written counts, every span
equals the text at its offsets, and the relations join units of the same file. Pure: no
database, no pipeline.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from annotations.nlp import gold
from tests.nlp.brat_units import read_units

ESSAYS = Path(__file__).resolve().parent / "data" / "essays_dev2"
ANN_FILES = sorted(ESSAYS.glob("*.ann"))
SHELL = re.compile(r"^(In conclusion|To sum up|First of all|Firstly|Furthermore|Moreover|For example|"
                   r"However|I (firmly )?believe|I think|In my opinion|This is because)\b")


def test_the_folder_holds_fourteen_pairs_and_a_readme():
    assert [p.stem for p in ANN_FILES] == [f"essay{n:02d}" for n in range(1, 15)]
    assert sorted(p.name for p in ESSAYS.iterdir()) == sorted(
        [name for p in ANN_FILES for name in (p.name, f"{p.stem}.txt")] + ["README.md"])


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]])
def test_the_essays_load_through_the_gold_reader_with_the_written_counts(label_map):
    """28 major claims and 43 claims for are claims, 15 claims against counterclaims, 129 premises evidence."""
    corpus = gold.read_gold([ESSAYS], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == [p.stem for p in ANN_FILES]
    labels = Counter(span.label for item in corpus for span in item.spans)
    assert labels == {"claim": 71, "evidence": 129, "counterclaim": 15}
    assert sum(len(item.paragraphs) for item in corpus) == 69  # the title line is a heading
    for item in corpus:
        for span in item.spans:
            fragment = item.text[span.start:span.end]
            assert fragment == fragment.strip() and not fragment.endswith("."), (item.name, fragment)


def test_the_annotations_have_the_written_units_stances_and_relations():
    """215 units (28 MajorClaim, 58 Claim, 129 Premise), 43 For and 15 Against, 129 relations (109 supports, 20 attacks)."""
    labels, stances, relations = Counter(), Counter(), Counter()
    for path in ANN_FILES:
        units, stance_of, links = read_units(path)
        labels.update(unit[0] for unit in units.values())
        stances.update(stance_of.values())
        relations.update(kind for kind, _, _ in links)
        assert 13 <= len(units) <= 17, path.name
    assert labels == {"MajorClaim": 28, "Claim": 58, "Premise": 129}
    assert stances == {"For": 43, "Against": 15}
    assert relations == {"supports": 109, "attacks": 20}


@pytest.mark.parametrize("path", ANN_FILES, ids=lambda p: p.stem)
def test_each_span_equals_its_text_and_leaves_the_shell_out(path):
    """Offsets point at the span's text; no unit keeps a leading discourse phrase or the full stop;
    every claim has a stance, every premise one outgoing relation, every relation joins two units."""
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    units, stances, relations = read_units(path)
    for key, (label, start, end, span) in units.items():
        assert text[start:end] == span, (key, span)
        assert span == span.strip() and not span.endswith("."), (key, span)
        assert not SHELL.match(span), (key, span)
        assert "\n" not in span, key
    assert set(stances) == {key for key, unit in units.items() if unit[0] == "Claim"}
    sources = Counter(source for _, source, _ in relations)
    assert set(sources) == {key for key, unit in units.items() if unit[0] == "Premise"}
    assert set(sources.values()) == {1}
    assert all(target in units and units[target][0] != "MajorClaim" for _, _, target in relations)
    first, *_, last = [line for line in text.splitlines()[2:] if line.strip()]
    major = [unit for unit in units.values() if unit[0] == "MajorClaim"]
    assert len(major) == 2
    assert any(text.find(first) <= unit[1] < text.find(first) + len(first) for unit in major)
    assert any(text.find(last) <= unit[1] < text.find(last) + len(last) for unit in major)
