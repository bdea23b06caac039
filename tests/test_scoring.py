"""The scoring rules (annotations/scoring.py, docs/notes/scoring.md) on hand-computed cases."""
from __future__ import annotations

import pytest

from annotations.scoring import (
    EXTRA, FOUND, MISSED, PARTIAL, WRONG_LABEL, ScoringRelation, ScoringSpan, confusion, heat_map, most_missed,
    score_submission, sentence_bounds,
)

TEXT = "Cats are better pets than dogs. They need less care, according to a 2020 survey. Dogs protect homes."
#       0         1         2         3         4         5         6         7         8         9
# "Cats are better pets than dogs." = [0, 31); "They need less care, according to a 2020 survey." = [32, 80);
# "Dogs protect homes." = [81, 100)


def span(id, start, end, label, note="", paragraph=1):
    return ScoringSpan(id=id, document=1, paragraph=paragraph, start=start, end=end, label=label, quote=TEXT[start:end], note=note)


KEY = [span("k1", 0, 31, "claim"), span("k2", 32, 80, "evidence", note="The survey is the evidence."),
       span("k3", 81, 100, "counterclaim", note="Dogs' merit speaks against the claim.")]
KEY_RELATIONS = [ScoringRelation("k2", "k1", "supports"), ScoringRelation("k3", "k1", "attacks")]


def test_exact_match_scores_full_marks():
    """Every key span and relation drawn exactly: 100, every span found."""
    student = [span("s1", 0, 31, "claim"), span("s2", 32, 80, "evidence"), span("s3", 81, 100, "counterclaim")]
    relations = [ScoringRelation("s2", "s1", "supports"), ScoringRelation("s3", "s1", "attacks")]
    result = score_submission(key_spans=KEY, key_relations=KEY_RELATIONS, student_spans=student, student_relations=relations)
    assert result.score == 100.0
    assert [item.kind for item in result.spans] == [FOUND, FOUND, FOUND]
    assert result.relation_counts == {"matched": 2, "wrong": 0, "missing": 0, "extra": 0}
    assert result.spans[0].message == "You found this claim."


def test_partial_overlap_earns_the_share_of_overlap():
    """Evidence tagged from "according" ([53, 80), 27 of the key's 48 characters): credit 27/48;
    relations off: score = (1 + 27/48 + 1) / 3."""
    student = [span("s1", 0, 31, "claim"), span("s2", 53, 80, "evidence"), span("s3", 81, 100, "counterclaim")]
    result = score_submission(key_spans=KEY, student_spans=student, relations_count=False)
    partial = result.spans[1]
    assert partial.kind == PARTIAL
    assert partial.credit == pytest.approx(27 / 48)
    assert partial.missing == ["They need less care,"]
    assert "The key also includes “They need less care,”." in partial.message
    assert result.score == round(100 * (2 + 27 / 48) / 3, 1) == 85.4


def test_partial_span_beyond_the_key_names_the_extra_words():
    """A span running past the key's end is partly found and says which words are too many."""
    student = [span("s1", 0, 80, "claim")]
    result = score_submission(key_spans=[KEY[0]], student_spans=student)
    assert result.spans[0].kind == PARTIAL
    assert result.spans[0].beyond == ["They need less care, according to a 2020 survey."]
    assert result.score == round(100 * 31 / 80, 1)


def test_wrong_label_earns_nothing_and_says_both_labels_and_the_note():
    """The counterclaim tagged as evidence: 0 for it, the message names both labels, the note follows."""
    student = [span("s1", 0, 31, "claim"), span("s2", 32, 80, "evidence"), span("s3", 81, 100, "evidence")]
    result = score_submission(key_spans=KEY, student_spans=student, relations_count=False)
    wrong = result.spans[2]
    assert wrong.kind == WRONG_LABEL
    assert wrong.message == "You tagged this sentence as evidence; the key has it as a counterclaim."
    assert wrong.note == "Dogs' merit speaks against the claim."
    assert result.score == round(100 * 2 / 3, 1) == 66.7


def test_extra_span_costs_a_quarter_point():
    """A fourth span in another paragraph is extra: (3 − 0.25) / 3 of the span part."""
    student = [span("s1", 0, 31, "claim"), span("s2", 32, 80, "evidence"), span("s3", 81, 100, "counterclaim"),
               ScoringSpan("s4", 1, 2, 0, 5, "claim", "Other")]
    result = score_submission(key_spans=KEY, student_spans=student, relations_count=False)
    assert result.counts == {"found": 3, "partial": 0, "wrong_label": 0, "missed": 0, "extra": 1}
    assert result.spans[-1].kind == EXTRA
    assert result.spans[-1].message == "You tagged this passage as a claim; the key has no span here."
    assert result.score == round(100 * 2.75 / 3, 1) == 91.7


def test_relation_credit_weighs_thirty_percent():
    """All spans found, one of two relations right, the other drawn with the wrong kind and one
    extra link: spans 1.0, relations max(0, 1 − 0.25) / 2 = 0.375 → 0.7 + 0.3 × 0.375 = 81.25 → 81.2."""
    student = [span("s1", 0, 31, "claim"), span("s2", 32, 80, "evidence"), span("s3", 81, 100, "counterclaim")]
    relations = [ScoringRelation("s2", "s1", "supports"), ScoringRelation("s3", "s1", "supports"),
                 ScoringRelation("s3", "s2", "attacks")]
    result = score_submission(key_spans=KEY, key_relations=KEY_RELATIONS, student_spans=student, student_relations=relations)
    assert result.relation_counts == {"matched": 1, "wrong": 1, "missing": 0, "extra": 1}
    assert result.relation_points == 1 and result.relation_penalty == 0.25
    assert result.score == round(100 * (0.7 + 0.3 * 0.375), 1)
    wrong = next(item for item in result.relations if item.kind == "wrong")
    assert "supports" in wrong.message and "attacks" in wrong.message


def test_empty_submission_scores_zero_and_misses_everything():
    """No spans: 0, every key span missed with its note, every key relation missing."""
    result = score_submission(key_spans=KEY, key_relations=KEY_RELATIONS, student_spans=[])
    assert result.score == 0.0
    assert [item.kind for item in result.spans] == [MISSED, MISSED, MISSED]
    assert result.spans[1].note == "The survey is the evidence."
    assert result.spans[1].message == "You did not tag this sentence; the key has it as evidence."
    assert result.relation_counts["missing"] == 2


def test_key_without_relations_scores_spans_only():
    """A key with no relations: the student's links neither earn nor cost; the score is the span part."""
    student = [span("s1", 0, 31, "claim"), span("s2", 32, 80, "evidence")]
    result = score_submission(key_spans=KEY, key_relations=[], student_spans=student,
                              student_relations=[ScoringRelation("s2", "s1", "supports")])
    assert not result.relations_counted and result.relations == []
    assert result.score == round(100 * 2 / 3, 1)


def test_empty_key_gives_no_score():
    """Nothing to compare with: score None, extras listed."""
    result = score_submission(key_spans=[], student_spans=[span("s1", 0, 31, "claim")])
    assert result.score is None and result.counts["extra"] == 1


def test_small_overlap_does_not_match():
    """A span covering under half of the shorter one is no match: the key span is missed, the span extra."""
    result = score_submission(key_spans=[KEY[0]], student_spans=[span("s1", 26, 45, "claim")])
    assert [item.kind for item in result.spans] == [MISSED, EXTRA]
    assert result.score == 0.0


def test_one_to_one_matching_prefers_the_same_label():
    """Two student spans on one key span: the one with the key's label matches, the other is extra."""
    student = [span("s1", 0, 31, "evidence"), span("s2", 0, 30, "claim")]
    result = score_submission(key_spans=[KEY[0]], student_spans=student)
    assert [item.kind for item in result.spans] == [PARTIAL, EXTRA]
    assert result.spans[0].student.id == "s2"


def test_labels_not_in_play_are_ignored():
    """Only the exercise's labels count."""
    result = score_submission(key_spans=KEY, student_spans=[span("s1", 0, 31, "claim")], labels=["claim"])
    assert result.score == 100.0


def test_sentences_heat_map_confusion_and_most_missed():
    """Sentence cuts; shares of students per label; the confusion table; most missed first."""
    assert sentence_bounds(TEXT) == [(0, 31), (32, 80), (81, 100)]
    work = {"a": [span("a1", 0, 31, "claim")], "b": [span("b1", 0, 10, "evidence"), span("b2", 81, 100, "counterclaim")]}
    rows = heat_map([(1, 1, TEXT)], work, ["claim", "evidence", "counterclaim"])
    assert rows[0]["shares"] == {"claim": 0.5, "evidence": 0.5, "counterclaim": 0.0}
    assert rows[2]["shares"]["counterclaim"] == 0.5
    results = [score_submission(key_spans=KEY, student_spans=spans, relations_count=False) for spans in work.values()]
    table = confusion(results, ["claim", "evidence", "counterclaim"])
    cells = dict(zip(table["rows"], table["cells"]))
    assert cells["claim"] == [1, 1, 0, 0]  # a found it; b's 10 characters lie inside it: matched, as evidence
    assert cells["counterclaim"] == [0, 0, 1, 1]
    assert cells["not in key"] == [0, 0, 0, 0]
    missed = most_missed(results)
    assert missed[0]["key"].id == "k2" and missed[0]["missed"] == 2


def test_a_stop_before_a_lower_case_word_ends_an_abbreviation_not_a_sentence():
    """The heat map's sentences: "p.m." or "e.g." inside a sentence do not cut it in two."""
    text = "But an empty seat at 11 p.m. is the price of trust. Buses, e.g. the late ones, matter. Yes."
    assert [text[start:end] for start, end in sentence_bounds(text)] == [
        "But an empty seat at 11 p.m. is the price of trust.", "Buses, e.g. the late ones, matter.", "Yes."]


def test_the_messages_speak_to_the_student_or_about_them():
    """Without a name the feedback and the rules address the student; with one (for their
    teacher) they speak about the student, and the article's quoted words stay as they are."""
    work = [span("s1", 0, 31, "claim"), span("s2", 32, 70, "evidence")]
    to_student = score_submission(key_spans=KEY, student_spans=work, relations_count=False)
    about = score_submission(key_spans=KEY, student_spans=work, relations_count=False, about="ana")
    assert [item.message.split()[0] for item in to_student.spans] == ["You"] * len(to_student.spans)
    assert [item.message.split()[0] for item in about.spans] == ["ana"] * len(about.spans)
    assert about.score == to_student.score and [item.credit for item in about.spans] == [item.credit for item in to_student.spans]
    assert to_student.to_dict()["rules"][0].startswith("A span you tagged")
    assert about.to_dict()["rules"][0].startswith("A span the student tagged")
    assert not any(" you " in rule or "You " in rule for rule in about.to_dict()["rules"])
