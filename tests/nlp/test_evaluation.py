"""Tests for the evaluation: matching, the report, its JSON and the threshold."""
import re

import pytest

from annotations.nlp import evaluation, gold
from annotations.nlp.evaluation import LabelledSpan


def test_evaluation_on_three_texts(nlp, microtexts_dir):
    """On three microtexts the counts add up and the figures are proportions."""
    corpus = gold.read_path(microtexts_dir, limit=3)
    report = evaluation.evaluate(corpus, nlp=nlp)
    adus = sum(len(item.spans) for item in corpus)
    for mode in evaluation.MATCH_MODES:
        counts = report.counts[mode]
        assert sum(c.gold for c in counts.values()) == adus
        assert counts["claim"].gold == 3
        for c in counts.values():
            assert 0 <= c.matched <= min(c.gold, c.predicted)
            assert 0.0 <= c.f1 <= 1.0
        expected_macro = sum(c.f1 for c in counts.values()) / 3
        assert report.macro_f1(mode) == pytest.approx(expected_macro)
    assert report.macro_f1("overlap") >= report.macro_f1("exact")
    assert report.macro_f1("overlap") > 0.3
    rendered = evaluation.render_report(report, "overlap")
    assert re.fullmatch(r"macro-F1 \d\.\d\d", rendered.splitlines()[-1])


def test_exact_and_overlap_matching():
    """A prediction covering 60% of a gold span matches by overlap, not exactly."""
    text = "Alpha beta gamma delta epsilon."
    gold = [LabelledSpan(0, 31, "claim")]
    partial = [LabelledSpan(0, 16, "claim")]
    whole_without_period = [LabelledSpan(0, 30, "claim")]
    assert evaluation.count_matches(text, gold, partial, "exact")["claim"].matched == 0
    assert evaluation.count_matches(text, gold, partial, "overlap")["claim"].matched == 1
    assert evaluation.count_matches(text, gold, whole_without_period,
                                    "exact")["claim"].matched == 1
    wrong_label = [LabelledSpan(0, 31, "evidence")]
    assert evaluation.count_matches(text, gold, wrong_label, "overlap")["claim"].matched == 0


def test_one_prediction_matches_one_gold_span():
    """Two gold spans cannot both be matched by a single prediction."""
    text = "One two three. Four five six."
    gold = [LabelledSpan(0, 14, "evidence"), LabelledSpan(15, 29, "evidence")]
    predicted = [LabelledSpan(0, 29, "evidence")]
    counts = evaluation.count_matches(text, gold, predicted, "overlap")["evidence"]
    assert counts.matched <= 1


def test_threshold_keeps_only_the_suggestions_shown(nlp, microtexts_dir):
    """A higher threshold never predicts more; the JSON carries the same counts as the table."""
    corpus = gold.read_path(microtexts_dir, limit=4)
    everything = evaluation.evaluate(corpus, nlp=nlp, threshold=0.0)
    shown = evaluation.evaluate(corpus, nlp=nlp, threshold=0.9)
    assert shown.micro("exact").predicted <= everything.micro("exact").predicted
    figures = everything.as_dict()
    claim = figures["modes"]["overlap"]["labels"]["claim"]
    assert claim["gold"] == 4
    assert claim["matched"] == everything.counts["overlap"]["claim"].matched
    assert figures["modes"]["exact"]["macro_f1"] == pytest.approx(everything.macro_f1("exact"), abs=1e-4)
    assert "any label" in everything.table("overlap")


def test_boundary_kinds_tell_merged_split_shifted_and_missed_units_apart():
    """Each gold unit's boundaries are exact, shifted, merged with a neighbour into one
    suggestion, split over several suggestions, or missed; labels play no part."""
    text = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota kappa lambda. Mu nu xi."
    first, second, third, fourth = (LabelledSpan(0, 17, "claim"), LabelledSpan(18, 37, "evidence"),
                                    LabelledSpan(38, 66, "evidence"), LabelledSpan(67, 77, "claim"))
    units = [first, second, third, fourth]
    predicted = [
        LabelledSpan(0, 37, "evidence"),      # first and second in one suggestion
        LabelledSpan(38, 53, "claim"),        # third in two parts
        LabelledSpan(54, 66, "claim"),
    ]

    def kind(unit, spans):
        return evaluation.boundary_kind(text, unit, [u for u in units if u != unit], spans)

    assert kind(first, predicted) == "merged" and kind(second, predicted) == "merged"
    assert kind(third, predicted) == "split"
    assert kind(fourth, predicted) == "missed"
    assert kind(fourth, [LabelledSpan(67, 76, "evidence")]) == "exact"  # the period aside
    assert kind(fourth, [LabelledSpan(64, 77, "claim")]) == "shifted"


def test_the_report_counts_every_gold_unit_once_in_the_boundary_table(nlp, microtexts_dir):
    """The boundary kinds add up to the gold units; the exact ones are the any-label exact
    matches; the table is printed and written to JSON."""
    corpus = gold.read_path(microtexts_dir, limit=4)
    report = evaluation.evaluate(corpus, nlp=nlp, threshold=0.5)
    assert sum(report.boundaries.values()) == sum(len(item.spans) for item in corpus)
    assert report.boundaries.get("exact", 0) == report.units["exact"].matched
    assert report.as_dict()["boundaries"] == {kind: report.boundaries.get(kind, 0)
                                              for kind in evaluation.BOUNDARY_KINDS}
    assert "merged with another gold unit into one suggestion" in evaluation.render_report(report)
