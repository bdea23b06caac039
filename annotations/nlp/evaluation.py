"""Measuring suggestions against gold spans: per-label precision, recall and F1.

Gold comes from ``gold.py`` (arg-microtexts or any format argmap imports). Suggestions are
made for each gold document's paragraphs, kept when their score reaches the threshold (what
the document page shows by default), and matched one-to-one to gold spans of the same
label, either exactly (the same text once surrounding whitespace and punctuation are
trimmed) or by overlap (the shared characters cover at least half of both spans). The
report gives, per match mode, the counts and P/R/F1 of each label summed over the corpus,
their macro average, the micro average over all labels, and how many gold units were found
at all whatever their label, and where the boundaries of the gold units went wrong
(``BOUNDARY_KINDS``: exact, shifted, merged with a neighbour into one suggestion, split over
several suggestions, missed), so boundary errors can be told apart without reading the texts.
``EvaluationReport.as_dict`` is what ``--json`` writes.

The command is ``manage.py evaluate_suggestions`` (its only entry point).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language

from annotations.nlp import lexicon
from annotations.nlp.gold import CorpusError, GoldText, LabelledSpan  # noqa: F401 - re-exported
from annotations.nlp.suggest import CandidateSuggestion, suggest_paragraphs

MATCH_MODES = ("exact", "overlap")
# What became of each gold unit's boundaries, labels aside (``boundary_kind``).
BOUNDARY_KINDS = ("exact", "shifted", "merged", "split", "missed")
BOUNDARY_NAMES = {
    "exact": "exact",
    "shifted": "shifted (overlap match, other boundaries)",
    "merged": "merged with another gold unit into one suggestion",
    "split": "split over several suggestions",
    "missed": "missed (no suggestion covers half of it)",
}
ANY_LABEL = "any label"
PUNCTUATION_AND_SPACE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class LabelCounts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "LabelCounts") -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched

    def as_dict(self) -> dict:
        return {"gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class EvaluationReport:
    texts: int
    threshold: float = 0.0
    counts: dict[str, dict[str, LabelCounts]] = field(default_factory=dict)  # mode -> label
    units: dict[str, LabelCounts] = field(default_factory=dict)  # mode -> any-label counts
    paragraphs: int = 0
    boundaries: dict[str, int] = field(default_factory=dict)  # kind -> gold units

    def boundary_table(self) -> str:
        total = sum(self.boundaries.values())
        lines = [f"boundaries of the {total} gold units (any label)"]
        for kind in BOUNDARY_KINDS:
            count = self.boundaries.get(kind, 0)
            share = count / total if total else 0.0
            lines.append(f"{BOUNDARY_NAMES[kind]:<52}{count:>6}{share:>7.2f}")
        return "\n".join(lines)

    def macro_f1(self, mode: str) -> float:
        return sum(c.f1 for c in self.counts[mode].values()) / len(lexicon.LABELS)

    def micro(self, mode: str) -> LabelCounts:
        total = LabelCounts()
        for counts in self.counts[mode].values():
            total.add(counts)
        return total

    def table(self, mode: str) -> str:
        lines = [f"{mode} match ({self.texts} texts, score >= {self.threshold:.2f})",
                 f"{'label':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"]

        def row(name: str, c: LabelCounts) -> str:
            return (f"{name:<14}{c.gold:>6}{c.predicted:>6}{c.matched:>7}"
                    f"{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}")

        for label in lexicon.LABELS:
            lines.append(row(label, self.counts[mode][label]))
        lines.append(row("micro", self.micro(mode)))
        if mode in self.units:
            lines.append(row(ANY_LABEL, self.units[mode]))
        lines.append(f"{'macro':<14}{'':>26}{self.macro_f1(mode):>7.2f}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "texts": self.texts, "threshold": self.threshold,
            "modes": {
                mode: {
                    "labels": {label: c.as_dict() for label, c in self.counts[mode].items()},
                    "micro": self.micro(mode).as_dict(),
                    "any_label": self.units[mode].as_dict() if mode in self.units else None,
                    "macro_f1": round(self.macro_f1(mode), 4),
                }
                for mode in self.counts
            },
            "boundaries": {kind: self.boundaries.get(kind, 0) for kind in BOUNDARY_KINDS},
        }


def _trimmed(text: str, span: LabelledSpan) -> tuple[int, int]:
    piece = text[span.start:span.end]
    stripped = PUNCTUATION_AND_SPACE.sub("", piece)
    if not stripped:
        return span.start, span.end
    start = span.start + piece.index(stripped)
    return start, start + len(stripped)


def match_quality(text: str, gold: LabelledSpan, predicted: LabelledSpan, mode: str) -> float:
    """How well two spans match, labels aside (0 = not at all); larger is better."""
    gold_start, gold_end = _trimmed(text, gold)
    pred_start, pred_end = _trimmed(text, predicted)
    if mode == "exact":
        return 1.0 if (gold_start, gold_end) == (pred_start, pred_end) else 0.0
    shared = min(gold_end, pred_end) - max(gold_start, pred_start)
    if shared <= 0:
        return 0.0
    if shared * 2 >= (gold_end - gold_start) and shared * 2 >= (pred_end - pred_start):
        return shared / max(gold_end - gold_start, pred_end - pred_start)
    return 0.0


def _shared(first: tuple[int, int], second: tuple[int, int]) -> int:
    return max(0, min(first[1], second[1]) - max(first[0], second[0]))


def boundary_kind(text: str, gold: LabelledSpan, others: list[LabelledSpan],
                  predicted: list[LabelledSpan]) -> str:
    """What became of one gold unit's boundaries, labels aside (one of ``BOUNDARY_KINDS``).

    ``others`` are the other gold units of the text. *exact*: a suggestion has its bounds;
    *merged*: a suggestion covers half of it and half of another gold unit; *split*: two or
    more suggestions lie mostly inside it; *shifted*: an overlap match otherwise; *missed*.
    """
    unit = _trimmed(text, gold)
    spans = [_trimmed(text, span) for span in predicted]
    if unit in spans:
        return "exact"
    length = max(1, unit[1] - unit[0])
    neighbours = [_trimmed(text, other) for other in others]
    for span in spans:
        if _shared(span, unit) * 2 >= length and any(
                _shared(span, other) * 2 >= max(1, other[1] - other[0]) for other in neighbours):
            return "merged"
    inside = [span for span in spans if _shared(span, unit) * 2 >= max(1, span[1] - span[0])]
    if len(inside) >= 2:
        return "split"
    if any(match_quality(text, gold, span, "overlap") > 0 for span in predicted):
        return "shifted"
    return "missed"


def _match_count(text: str, gold: list[LabelledSpan], predicted: list[LabelledSpan],
                 mode: str) -> int:
    pairs = sorted(
        ((quality, g, p) for g, gold_span in enumerate(gold)
         for p, predicted_span in enumerate(predicted)
         if (quality := match_quality(text, gold_span, predicted_span, mode)) > 0),
        key=lambda item: -item[0],
    )
    used_gold, used_predicted = set(), set()
    for _quality, g, p in pairs:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
    return len(used_gold)


def count_matches(text: str, gold: list[LabelledSpan], predicted: list[LabelledSpan],
                  mode: str) -> dict[str, LabelCounts]:
    """Per-label counts for one text, matching spans of the same label one-to-one."""
    counts = {}
    for label in lexicon.LABELS:
        gold_of_label = [span for span in gold if span.label == label]
        predicted_of_label = [span for span in predicted if span.label == label]
        counts[label] = LabelCounts(len(gold_of_label), len(predicted_of_label),
                                    _match_count(text, gold_of_label, predicted_of_label, mode))
    return counts


def suggestions_for(corpus: list[GoldText], nlp: Language | None = None
                    ) -> list[list[tuple[CandidateSuggestion, int]]]:
    """Per gold text: (suggestion, offset of its paragraph in the text) for every suggestion."""
    found: list[list[tuple[CandidateSuggestion, int]]] = []
    for item in corpus:
        per_paragraph = suggest_paragraphs([text for _offset, text in item.paragraphs], nlp=nlp)
        found.append([(suggestion, offset) for (offset, _text), suggestions
                      in zip(item.paragraphs, per_paragraph) for suggestion in suggestions])
    return found


def as_spans(found: list[tuple[CandidateSuggestion, int]], threshold: float = 0.0
             ) -> list[LabelledSpan]:
    """Document-offset spans of the suggestions scoring at least ``threshold``."""
    return [LabelledSpan(offset + s.start, offset + s.end, s.label) for s, offset in found
            if s.score >= threshold]


def report_for(corpus: list[GoldText], predictions: list[list[LabelledSpan]],
               threshold: float = 0.0) -> EvaluationReport:
    """Counts of ``predictions`` (one list per gold text) against the gold, in both modes."""
    report = EvaluationReport(texts=len(corpus), threshold=threshold,
                              paragraphs=sum(len(item.paragraphs) for item in corpus))
    for mode in MATCH_MODES:
        totals = {label: LabelCounts() for label in lexicon.LABELS}
        units = LabelCounts()
        for item, predicted in zip(corpus, predictions):
            for label, counts in count_matches(item.text, item.spans, predicted, mode).items():
                totals[label].add(counts)
            units.add(LabelCounts(len(item.spans), len(predicted),
                                  _match_count(item.text, item.spans, predicted, mode)))
        report.counts[mode] = totals
        report.units[mode] = units
    for item, predicted in zip(corpus, predictions):
        for index, span in enumerate(item.spans):
            kind = boundary_kind(item.text, span, item.spans[:index] + item.spans[index + 1:],
                                 predicted)
            report.boundaries[kind] = report.boundaries.get(kind, 0) + 1
    return report


def evaluate(corpus: list[GoldText], nlp: Language | None = None,
             threshold: float = 0.0) -> EvaluationReport:
    """Suggest over every text of ``corpus`` and count matches in both modes."""
    found = suggestions_for(corpus, nlp)
    return report_for(corpus, [as_spans(item, threshold) for item in found], threshold)


def render_report(report: EvaluationReport, headline_mode: str = "overlap",
                  pipeline_description: str = "") -> str:
    """The printed report: both tables, then ``macro-F1 X.XX`` for ``headline_mode`` last."""
    parts = []
    if pipeline_description:
        parts.append(pipeline_description)
    for mode in MATCH_MODES:
        parts.append(report.table(mode))
        parts.append("")
    if report.boundaries:
        parts.append(report.boundary_table())
        parts.append("")
    parts.append(f"headline: {headline_mode} match")
    parts.append(f"macro-F1 {report.macro_f1(headline_mode):.2f}")
    return "\n".join(parts)
