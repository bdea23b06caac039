"""The fifth round's development gold (issue 12) reads as written: mixed_dev and essays_dev4.

Two hand-written sets annotated in the Argument Annotated Essays scheme (brat: MajorClaim,
Claim with a For/Against stance, Premise, supports/attacks), in voices the other sets do not
have: ``tests/nlp/data/mixed_dev`` (six texts a newcomer brings that are neither essays nor
op-eds: a forum post answering quoted objections, a speech to a school board, residents'
letter to a company, a charity's position paper, a book review, a debate opening speech) and
``tests/nlp/data/essays_dev4`` (eight student essays by writers unlike careful native ones).
Rule writers may read them. These tests check the files only: every pair loads through
``gold.read_gold`` (what ``evaluate_suggestions`` uses) with the written totals per label,
by default and with ``--map MajorClaim=claim``; every span equals the text at its offsets and
leaves the final full stop out; every premise has one relation to a unit of its paragraph
(or, for a quoted objection, of the paragraph before). Pure: no database, no pipeline.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotations.nlp import gold
from tests.nlp.brat_units import read_units

DATA = Path(__file__).resolve().parent / "data"
MIXED, ESSAYS = DATA / "mixed_dev", DATA / "essays_dev4"

# folder → (file stem, documents, units per type, claims per stance, relations per kind,
#           totals as evaluate_suggestions reads them, body paragraphs)
WRITTEN = {
    MIXED: ("mixed", 6, {"MajorClaim": 11, "Claim": 26, "Premise": 55}, {"For": 17, "Against": 9},
            {"supports": 41, "attacks": 14}, {"claim": 28, "evidence": 55, "counterclaim": 9}, 53),
    ESSAYS: ("essay", 8, {"MajorClaim": 16, "Claim": 33, "Premise": 69}, {"For": 27, "Against": 6},
             {"supports": 56, "attacks": 13}, {"claim": 43, "evidence": 69, "counterclaim": 6}, 41),
}


def _paragraph_index(text: str) -> list[int]:
    """For each character of ``text``, the index of its body paragraph (-1 for the title)."""
    index, paragraph = [], -1
    for position, (start, line) in enumerate(gold.line_paragraphs(text)):
        paragraph = position - 1
        index.extend([paragraph] * (start + len(line) + 1 - len(index)))
    return index


@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_the_folder_holds_its_pairs_and_a_readme(folder):
    stem, count = WRITTEN[folder][:2]
    names = [f"{stem}{n:02d}" for n in range(1, count + 1)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}{suffix}" for name in names for suffix in (".ann", ".txt")] + ["README.md"])


@pytest.mark.parametrize("label_map", [[], ["MajorClaim=claim"]], ids=["default", "MajorClaim=claim"])
@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_every_pair_loads_through_the_gold_reader_with_the_written_totals(folder, label_map):
    """Major claims and claims For are claims, claims Against counterclaims, premises
    evidence; the title line is not a body paragraph."""
    stem, count, _types, _stances, _relations, totals, paragraphs = WRITTEN[folder]
    corpus = gold.read_gold([folder], label_map=gold.parse_label_map(label_map))
    assert [item.name for item in corpus] == [f"{stem}{n:02d}" for n in range(1, count + 1)]
    assert Counter(span.label for item in corpus for span in item.spans) == totals
    assert sum(len(item.paragraphs) for item in corpus) == paragraphs
    for item in corpus:
        assert item.paragraphs[0][0] > 0, item.name
        for span in item.spans:
            fragment = item.text[span.start:span.end]
            assert fragment == fragment.strip() and fragment[-1] not in ".,;:", (item.name, fragment)


@pytest.mark.parametrize("folder", sorted(WRITTEN), ids=lambda p: p.name)
def test_every_span_equals_its_text_and_every_premise_has_one_relation(folder):
    _stem, _count, types, stances, relations = WRITTEN[folder][:5]
    seen_types, seen_stances, seen_relations = Counter(), Counter(), Counter()
    for ann_path in sorted(folder.glob("*.ann")):
        text = ann_path.with_suffix(".txt").read_text(encoding="utf-8")
        paragraph_of = _paragraph_index(text)
        units, unit_stances, unit_relations = read_units(ann_path)
        for unit_id, (kind, start, end, fragment) in units.items():
            assert text[start:end] == fragment, (ann_path.name, unit_id)
            assert paragraph_of[start] == paragraph_of[end - 1] >= 0, (ann_path.name, unit_id)
            seen_types[kind] += 1
        claims = {unit_id for unit_id, unit in units.items() if unit[0] == "Claim"}
        assert set(unit_stances) == claims, ann_path.name
        seen_stances.update(unit_stances.values())
        sources = Counter(source for _kind, source, _target in unit_relations)
        premises = {unit_id for unit_id, unit in units.items() if unit[0] == "Premise"}
        assert set(sources) == premises and set(sources.values()) == {1}, ann_path.name
        for kind, source, target in unit_relations:
            assert units[target][0] != "MajorClaim", (ann_path.name, source, target)
            gap = paragraph_of[units[source][1]] - paragraph_of[units[target][1]]
            quoted = text[text.rfind("\n", 0, units[target][1]) + 1:].startswith("> ")
            assert gap == 0 or (gap == 1 and quoted), (ann_path.name, source, target)
            seen_relations[kind] += 1
    assert (seen_types, seen_stances, seen_relations) == (types, stances, relations)
