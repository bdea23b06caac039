"""Tests for the arg-microtexts evaluation: gold spans, matching and the report."""
import re

import pytest

from annotations.nlp import evaluation
from annotations.nlp.evaluation import LabelledSpan


def test_reads_gold_spans(microtexts_dir):
    """micro_b001: two opponent ADUs, two proponent premises, the central claim last."""
    gold = evaluation.read_microtext(microtexts_dir / "micro_b001.xml")
    labels = [span.label for span in gold.spans]
    assert labels == ["counterclaim", "counterclaim", "evidence", "evidence", "claim"]
    claim = gold.spans[-1]
    assert gold.text[claim.start:claim.end] == (
        "We Berliners should take the chance and become pioneers in waste separation!")


def test_evaluation_on_three_texts(nlp, microtexts_dir):
    """On three microtexts the counts add up and the figures are proportions."""
    corpus = evaluation.read_corpus(microtexts_dir, limit=3)
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


def test_bad_corpus_directory_is_named(tmp_path):
    """A directory without microtexts gets a message naming it."""
    with pytest.raises(evaluation.CorpusError, match="no arg-microtexts"):
        evaluation.read_corpus(tmp_path)
    (tmp_path / "micro_x.xml").write_text("<arggraph id='x'><edu id='e1'>Hi</edu></arggraph>")
    with pytest.raises(evaluation.CorpusError, match="micro_x.xml: no text file"):
        evaluation.read_corpus(tmp_path)


def test_command_line_prints_macro_f1_last(microtexts_dir, capsys, nlp):
    """python -m annotations.nlp.evaluation DIR ends with the macro-F1 line."""
    assert evaluation.main([str(microtexts_dir), "--limit", "2", "--match", "exact"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2] == "headline: exact match"
    assert re.fullmatch(r"macro-F1 \d\.\d\d", lines[-1])
