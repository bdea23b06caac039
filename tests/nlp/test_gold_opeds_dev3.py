"""The differently-voiced development gold (issue 12) reads as written: op-eds and essays_dev3.

Two hand-written sets annotated in the Argument Annotated Essays scheme (brat: MajorClaim,
Claim with a For/Against stance, Premise, supports/attacks), in voices the other sets do not
have: ``tests/nlp/data/opeds_dev`` (six opinion pieces a newcomer would bring: op-eds, blog
posts, a letter to the editor, a policy commentary, where much of the text is narration,
quotes and background and not a unit) and ``tests/nlp/data/essays_dev3`` (eight student
essays: second-language writers, essays that weigh both sides before deciding, claims at the
end of body paragraphs, a counter-argument paragraph with its rebuttal). Rule writers may read
them. These tests check the files only: they load through ``gold.read_gold`` (what
``evaluate_suggestions`` uses) with the written totals, also with ``--map MajorClaim=claim``,
every span equals the text at its offsets and leaves the shell out, and the relations join
units of one paragraph. Pure: no database, no pipeline.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from annotations.nlp import gold
from tests.nlp.brat_units import read_units

DATA = Path(__file__).resolve().parent / "data"
OPEDS, ESSAYS = DATA / "opeds_dev", DATA / "essays_dev3"
ANN_FILES = sorted(OPEDS.glob("*.ann")) + sorted(ESSAYS.glob("*.ann"))
SHELL = re.compile(r"^(In conclusion|To sum up|To conclude|First|Firstly|Second|Secondly|Furthermore|"
                   r"Moreover|For example|However|Of course|On the other hand|In other words|Also|And|"
                   r"But|So|Yet|Because|Since|I (firmly )?believe|I think|In my (opinion|view)|"
                   r"This is because|The (first|second) reason is|Some people say)\b")

# folder → (documents, units per label, claims per stance, relations per kind, evidence-scheme totals)
WRITTEN = {
    OPEDS: (6, {"MajorClaim": 11, "Claim": 29, "Premise": 66}, {"For": 19, "Against": 10},
            {"supports": 49, "attacks": 17}, {"claim": 30, "evidence": 66, "counterclaim": 10}, 53),
    ESSAYS: (8, {"MajorClaim": 14, "Claim": 38, "Premise": 75}, {"For": 28, "Against": 10},
             {"supports": 68, "attacks": 7}, {"claim": 42, "evidence": 75, "counterclaim": 10}, 42),
}
NAMES = {OPEDS: "oped", ESSAYS: "essay"}


def _body(path: Path) -> tuple[str, list[tuple[int, str]]]:
    """The text and its body paragraphs (start, text): the lines after the title line."""
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    return text, gold.line_paragraphs(text)[1:]


@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_the_folder_holds_its_pairs_and_a_readme(folder):
    count = WRITTEN[folder][0]
    stems = [p.stem for p in sorted(folder.glob("*.ann"))]
    assert stems == [f"{NAMES[folder]}{n:02d}" for n in range(1, count + 1)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [name for stem in stems for name in (f"{stem}.ann", f"{stem}.txt")] + ["README.md"])


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]], ids=["default", "MajorClaim=claim"])
@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_the_set_loads_through_the_gold_reader_with_the_written_totals(folder, label_map):
    """What evaluate_suggestions reads: major claims and claims For are claims, claims Against
    counterclaims, premises evidence; the headline is a heading, not a body paragraph."""
    count, _labels, _stances, _relations, totals, paragraphs = WRITTEN[folder]
    corpus = gold.read_gold([folder], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == [f"{NAMES[folder]}{n:02d}" for n in range(1, count + 1)]
    assert Counter(span.label for item in corpus for span in item.spans) == totals
    assert sum(len(item.paragraphs) for item in corpus) == paragraphs
    for item in corpus:
        assert item.paragraphs[0][0] > 0, item.name  # the title line is not a paragraph
        for span in item.spans:
            fragment = item.text[span.start:span.end]
            assert fragment == fragment.strip() and not fragment.endswith("."), (item.name, fragment)


@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_the_annotations_have_the_written_units_stances_and_relations(folder):
    _count, written_labels, written_stances, written_relations, _totals, _paragraphs = WRITTEN[folder]
    labels, stances, relations = Counter(), Counter(), Counter()
    for path in sorted(folder.glob("*.ann")):
        units, stance_of, links = read_units(path)
        labels.update(unit[0] for unit in units.values())
        stances.update(stance_of.values())
        relations.update(kind for kind, _, _ in links)
    assert labels == written_labels
    assert stances == written_stances
    assert relations == written_relations


@pytest.mark.parametrize("path", ANN_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_span_equals_its_text_and_leaves_the_shell_out(path):
    """Offsets point at the span's text; no unit keeps a leading discourse phrase or the full stop;
    every claim has a stance, every premise one outgoing relation to a claim or a premise of its
    own paragraph (as in the corpus), and the text has at least one major claim."""
    text, paragraphs = _body(path)
    units, stances, relations = read_units(path)

    def paragraph_of(offset: int) -> int:
        return max(index for index, (start, _) in enumerate(paragraphs) if start <= offset)

    for key, (_label, start, end, span) in units.items():
        assert text[start:end] == span, (key, span)
        assert span == span.strip() and not span.endswith("."), (key, span)
        assert not SHELL.match(span), (key, span)
        assert "\n" not in span, key
        assert start >= paragraphs[0][0], (key, "in the title")
    assert set(stances) == {key for key, unit in units.items() if unit[0] == "Claim"}
    sources = Counter(source for _, source, _ in relations)
    assert set(sources) == {key for key, unit in units.items() if unit[0] == "Premise"}
    assert set(sources.values()) == {1}
    for _kind, source, target in relations:
        assert target in units and units[target][0] != "MajorClaim", (source, target)
        assert paragraph_of(units[source][1]) == paragraph_of(units[target][1]), (source, target)
    assert any(unit[0] == "MajorClaim" for unit in units.values())


@pytest.mark.parametrize("path", sorted(OPEDS.glob("*.ann")), ids=lambda p: p.stem)
def test_an_op_ed_is_long_and_much_of_it_is_not_a_unit(path):
    """450-750 words in 6-10 paragraphs, and paragraphs of narration, quotes or asides with no unit
    in them: a newcomer's text is not an essay where every sentence argues."""
    text, paragraphs = _body(path)
    units, _, _ = read_units(path)
    words = sum(len(paragraph.split()) for _, paragraph in paragraphs)
    assert 450 <= words <= 750, words
    assert 6 <= len(paragraphs) <= 10
    empty = [p for start, p in paragraphs
             if not any(start <= unit[1] < start + len(p) for unit in units.values())]
    assert len(empty) >= 2, path.stem
    covered = sum(unit[2] - unit[1] for unit in units.values())
    assert covered < 0.65 * sum(len(p) for _, p in paragraphs)  # 0.43-0.60 here


@pytest.mark.parametrize("path", sorted(ESSAYS.glob("*.ann")), ids=lambda p: p.stem)
def test_an_essay_is_a_student_essay_of_twelve_to_seventeen_units(path):
    """250-450 words in 4-6 paragraphs (one a line after the title), 12-17 units."""
    text, paragraphs = _body(path)
    units, _, _ = read_units(path)
    assert text.split("\n")[1] == "" and "\n\n" not in text[text.index("\n\n") + 2:]
    assert 250 <= sum(len(paragraph.split()) for _, paragraph in paragraphs) <= 450
    assert 4 <= len(paragraphs) <= 6
    assert 12 <= len(units) <= 17
