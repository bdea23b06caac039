"""Span matching (exact and overlap), relation matching and the scores they give."""
import pytest

from annotations.agreement.spans import (
    EXACT,
    OVERLAP,
    Score,
    match_spans,
    matched_relation_count,
    overlap_ratio,
)
from annotations.argument_map import MapRelation, MapSpan


def span(span_id, start, end, label="claim", paragraph=0):
    return MapSpan(id=span_id, paragraph=paragraph, start=start, end=end, quote="", label=label)


def test_overlap_ratio_divides_by_the_longer_span():
    """[0,10) and [5,20) share 5 characters of the longer 15: ratio 1/3."""
    assert overlap_ratio(span("a", 0, 10), span("b", 5, 20)) == pytest.approx(5 / 15)


def test_overlap_ratio_is_zero_across_paragraphs_and_for_touching_spans():
    """Spans in different paragraphs, or that only touch, do not overlap."""
    assert overlap_ratio(span("a", 0, 10), span("b", 0, 10, paragraph=1)) == 0.0
    assert overlap_ratio(span("a", 0, 10), span("b", 10, 20)) == 0.0


def test_overlap_of_exactly_half_matches_and_just_under_does_not():
    """Overlap 10/20 meets the 0.5 threshold; 9/19 (0.47) does not."""
    assert match_spans([span("a", 0, 20)], [span("b", 10, 30)], mode=OVERLAP) != []
    assert len(match_spans([span("a", 0, 20)], [span("b", 10, 20)], mode=OVERLAP)) == 1
    assert match_spans([span("a", 0, 19)], [span("b", 10, 29)], mode=OVERLAP) == []


def test_short_span_inside_a_long_one_does_not_match_by_overlap():
    """A 4-character span inside a 40-character span shares only 10 % of the longer one."""
    assert match_spans([span("a", 0, 40)], [span("b", 10, 14)], mode=OVERLAP) == []


def test_exact_match_needs_same_start_end_and_label():
    """Exact matching pairs equal extents with equal labels only, unless labels are ignored."""
    reference = [span("a", 0, 10, "claim"), span("b", 12, 20, "evidence")]
    candidate = [span("c", 0, 10, "claim"), span("d", 12, 20, "claim"), span("e", 12, 21, "evidence")]
    assert [(a.id, b.id) for a, b in match_spans(reference, candidate, mode=EXACT)] == [("a", "c")]
    agnostic = match_spans(reference, candidate, mode=EXACT, same_label=False)
    assert [(a.id, b.id) for a, b in agnostic] == [("a", "c"), ("b", "d")]


def test_overlap_matching_is_one_to_one_and_prefers_the_larger_overlap():
    """Two candidates overlapping one reference span: only the better one is matched."""
    pairs = match_spans([span("a", 0, 20)], [span("b", 2, 20), span("c", 0, 19)], mode=OVERLAP)
    assert [(a.id, b.id) for a, b in pairs] == [("a", "c")]


def test_duplicate_exact_spans_pair_off_one_to_one():
    """The same extent drawn twice on one side and once on the other matches once."""
    pairs = match_spans([span("a", 0, 5), span("b", 0, 5)], [span("c", 0, 5)], mode=EXACT)
    assert len(pairs) == 1


def test_unknown_mode_is_refused():
    """A mode other than exact or overlap is an error that lists the modes."""
    with pytest.raises(ValueError, match="exact, overlap"):
        match_spans([], [], mode="fuzzy")


def test_score_precision_recall_f1():
    """3 matched of 4 reference and 6 candidate spans: P 0.5, R 0.75, F1 0.6; swapping swaps P and R."""
    score = Score.from_counts(3, 4, 6)
    assert (score.precision, score.recall, score.f1) == (0.5, 0.75, pytest.approx(0.6))
    swapped = score.swapped()
    assert (swapped.precision, swapped.recall) == (0.75, 0.5)


def test_score_undefined_parts_are_none():
    """With nothing on either side precision, recall and F1 are None, not zero."""
    assert Score.from_counts(0, 0, 0).f1 is None
    assert Score.from_counts(0, 3, 0).precision is None
    assert Score.from_counts(0, 3, 0).f1 == 0.0


def test_relations_match_when_ends_match_and_kind_is_the_same():
    """A relation counts when its ends are matched partners and its kind agrees."""
    pairs = [(span("a1", 0, 5), span("b1", 0, 5)), (span("a2", 6, 9), span("b2", 6, 9))]
    reference = [MapRelation("r1", "supports", "a2", "a1"), MapRelation("r2", "attacks", "a1", "a2")]
    candidate = [MapRelation("q1", "supports", "b2", "b1"), MapRelation("q2", "supports", "b1", "b2")]
    assert matched_relation_count(reference, candidate, pairs) == 1


def test_relation_with_an_unmatched_end_does_not_count():
    """A relation whose source has no partner cannot match."""
    pairs = [(span("a1", 0, 5), span("b1", 0, 5))]
    reference = [MapRelation("r1", "supports", "a2", "a1")]
    candidate = [MapRelation("q1", "supports", "b2", "b1")]
    assert matched_relation_count(reference, candidate, pairs) == 0
