"""Matching two layers' spans and relations, and the precision / recall / F1 that follows.

Two spans *match exactly* when they lie in the same paragraph with the same start and end.
They *match by overlap* when they lie in the same paragraph and

    overlap(a, b) = |a ∩ b| / max(|a|, |b|) >= threshold   (threshold 0.5 by default)

with lengths in characters (code points). The shared part must cover at least half of the
longer span, so a short span inside a long one does not match it (a word inside a whole
sentence is not the same claim). With ``same_label`` the labels must be equal too.

Matching is one-to-one: exact matches pair off within each (paragraph, start, end[, label])
key; overlap candidates are taken greedily, highest overlap first (ties by position), each
span used at most once. With ``m`` matched pairs, ``|R|`` spans in the reference layer and
``|C|`` in the candidate layer: precision ``m/|C|``, recall ``m/|R|``, F1 ``2m/(|R|+|C|)``
(symmetric in the two layers). A value whose denominator is 0 is ``None``.

Relations: a reference relation matches a candidate relation of the same kind when its
source is matched to the candidate's source and its target to the candidate's target by
the span matching (label-agnostic by default, so that a relation still counts when the two
layers disagree only on a label); relations then pair off one-to-one.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from annotations.argument_map import MapRelation, MapSpan

EXACT = "exact"
OVERLAP = "overlap"
MATCH_MODES = (EXACT, OVERLAP)
DEFAULT_OVERLAP_THRESHOLD = 0.5


@dataclass
class Score:
    """Counts of one comparison and the precision, recall and F1 they give."""

    matched: int = 0
    reference_total: int = 0
    candidate_total: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None

    @classmethod
    def from_counts(cls, matched: int, reference_total: int, candidate_total: int) -> Score:
        return cls(
            matched=matched,
            reference_total=reference_total,
            candidate_total=candidate_total,
            precision=matched / candidate_total if candidate_total else None,
            recall=matched / reference_total if reference_total else None,
            f1=2 * matched / (reference_total + candidate_total) if reference_total + candidate_total else None,
        )

    def swapped(self) -> Score:
        """The same comparison read with the candidate as reference."""
        return Score.from_counts(self.matched, self.candidate_total, self.reference_total)


@dataclass
class Tally:
    """Running counts summed over documents (micro-averaging)."""

    matched: int = 0
    reference_total: int = 0
    candidate_total: int = 0

    def add(self, matched: int, reference_total: int, candidate_total: int) -> None:
        self.matched += matched
        self.reference_total += reference_total
        self.candidate_total += candidate_total

    def score(self) -> Score:
        return Score.from_counts(self.matched, self.reference_total, self.candidate_total)


def overlap_ratio(first: MapSpan, second: MapSpan) -> float:
    """|a ∩ b| / max(|a|, |b|) for spans of one paragraph, 0.0 across paragraphs."""
    if first.paragraph != second.paragraph:
        return 0.0
    shared = min(first.end, second.end) - max(first.start, second.start)
    if shared <= 0:
        return 0.0
    return shared / max(first.end - first.start, second.end - second.start)


def match_spans(
    reference: Sequence[MapSpan],
    candidate: Sequence[MapSpan],
    *,
    mode: str = EXACT,
    same_label: bool = True,
    threshold: float = DEFAULT_OVERLAP_THRESHOLD,
) -> list[tuple[MapSpan, MapSpan]]:
    """One-to-one pairs (reference span, candidate span) that match under ``mode``."""
    if mode not in MATCH_MODES:
        raise ValueError(f"unknown match mode {mode!r}; use one of {', '.join(MATCH_MODES)}")
    if mode == EXACT:
        def key(span: MapSpan) -> tuple:
            return (span.paragraph, span.start, span.end, span.label if same_label else "")

        waiting: dict[tuple, list[MapSpan]] = defaultdict(list)
        for span in candidate:
            waiting[key(span)].append(span)
        pairs = []
        for span in reference:
            partners = waiting.get(key(span))
            if partners:
                pairs.append((span, partners.pop(0)))
        return pairs

    candidates_by_paragraph: dict[int, list[tuple[int, MapSpan]]] = defaultdict(list)
    for index, span in enumerate(candidate):
        candidates_by_paragraph[span.paragraph].append((index, span))
    scored = []
    for reference_index, first in enumerate(reference):
        for candidate_index, second in candidates_by_paragraph.get(first.paragraph, []):
            if same_label and first.label != second.label:
                continue
            ratio = overlap_ratio(first, second)
            if ratio >= threshold:
                scored.append((-ratio, reference_index, candidate_index))
    scored.sort()
    used_reference, used_candidate, pairs = set(), set(), []
    for _, reference_index, candidate_index in scored:
        if reference_index in used_reference or candidate_index in used_candidate:
            continue
        used_reference.add(reference_index)
        used_candidate.add(candidate_index)
        pairs.append((reference[reference_index], candidate[candidate_index]))
    return pairs


def label_counts(pairs: list[tuple[MapSpan, MapSpan]]) -> Counter:
    """Matched pairs per label (pairs from a same-label matching)."""
    return Counter(first.label for first, _ in pairs)


def matched_relation_count(
    reference: Sequence[MapRelation],
    candidate: Sequence[MapRelation],
    span_pairs: list[tuple[MapSpan, MapSpan]],
) -> int:
    """How many reference relations pair off with a candidate relation of the same kind
    whose ends are the matched partners of the reference relation's ends."""
    partner = {first.id: second.id for first, second in span_pairs}
    wanted = Counter(
        (relation.kind, partner[relation.source], partner[relation.target])
        for relation in reference
        if relation.source in partner and relation.target in partner
    )
    offered = Counter((relation.kind, relation.source, relation.target) for relation in candidate)
    return sum(min(count, offered[key]) for key, count in wanted.items())
