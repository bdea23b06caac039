"""Does learning pay off? Simulated decisions on some texts of a project, measured on the others.

For each seed the gold texts are shuffled and split in two: the first half is where a
person reviews suggestions, the second half is only measured (no decision ever comes from
it). The person reads the first half in order and does what a reviewer does with the gold
in mind: a shown suggestion (score >= threshold) that covers at least half of a gold unit
(or lies inside one and covers a third of it: a part the person extends) is accepted,
adjusted to that unit's boundaries (a shell cut, a split into two units: what the sites of
the suggestion teach, ``learning.boundary_lessons``; a shell the rules cut that the unit
keeps, ``learning.shell_lesson``) and relabelled to its label where they differ; a shown suggestion that covers none is rejected; a gold unit that
no shown suggestion covers is tagged by hand (described by the hidden suggestion under it
when there is one). Hidden suggestions under no gold unit were left alone: implicit
``none`` examples that come along but are not counted as decisions. The first N decisions
train a project model (``learning.py``); the measured half is suggested again with the
model's learned split sites, relabelled and re-scored by it, and the macro-F1 of what is
shown is compared with the rules alone on the same texts. ``learning_curve`` gives mean
and spread over the seeds for each N. Each text is parsed once (``suggest_paragraphs(docs=)``).
"""
from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field, replace

from spacy.language import Language

from annotations.nlp import learning
from annotations.nlp.evaluation import MATCH_MODES, _trimmed, as_spans, report_for
from annotations.nlp.suggest import suggest_paragraphs
from annotations.nlp.gold import CorpusError, GoldText, LabelledSpan
from annotations.nlp.candidates import LearnedSplits
from annotations.nlp.pipeline import load_pipeline
from annotations.nlp.suggest import DEFAULT_THRESHOLD, CandidateSuggestion

DEFAULT_SIZES = (10, 25, 50, 100)
DEFAULT_SEEDS = (0, 1, 2, 3, 4)


def _trimmed_gold(item: GoldText) -> list[tuple[int, int]]:
    return [_trimmed(item.text, span) for span in item.spans]


def simulated_decisions(item: GoldText, found: list[tuple[CandidateSuggestion, int]],
                        threshold: float = DEFAULT_THRESHOLD) -> list[learning.LabelledExample]:
    """A reviewer's decisions on one text, in reading order (see the module docstring).

    A shown suggestion that covers at least half of a gold unit (or lies inside it and covers
    a third) is accepted with that unit's boundaries and label (adjusted and relabelled where
    they differ: the sites where the unit starts or ends, or that it keeps inside, and a
    shell it keeps or cuts, are what the adjustment teaches); one that covers no gold unit
    that far is rejected. A gold unit no shown suggestion covers is
    tagged by hand, described by the hidden suggestion under it when there is one. A hidden
    suggestion under no gold unit was left alone: an implicit ``none`` (not a decision).
    """
    bounds = _trimmed_gold(item)
    decisions: list[tuple[int, learning.LabelledExample]] = []
    covered: set[int] = set()
    for suggestion, offset in found:
        start, end = _trimmed(item.text, LabelledSpan(offset + suggestion.start,
                                                      offset + suggestion.end, suggestion.label))
        best, best_shared = None, 0
        for g, (gold_start, gold_end) in enumerate(bounds):
            shared = min(end, gold_end) - max(start, gold_start)
            # It covers half the unit, or lies inside it and covers a third (a part of a
            # sentence the person extends to the whole).
            covers = shared * 2 >= gold_end - gold_start or (
                shared >= end - start - 1 and shared * 3 >= gold_end - gold_start)
            if g not in covered and covers and shared > best_shared:
                best, best_shared = g, shared
        features = learning.features_of(suggestion)
        shown = suggestion.score >= threshold
        if not shown and best is None:
            # Hidden and wrong: nobody decided on it, but the person who reviewed this text
            # left it alone, which says "not a unit" (an implicit example, not a decision).
            decisions.append((start, learning.LabelledExample(
                suggestion.quote, learning.NONE_LABEL, features, implicit=True)))
            continue
        if best is None:
            decisions.append((start, learning.LabelledExample(
                suggestion.quote, learning.NONE_LABEL, features)))
            continue
        lessons = learning.boundary_lessons(item.text, bounds, suggestion, offset)
        gold_span = item.spans[best]
        gold_start, gold_end = bounds[best]
        cut = item.text[start:gold_start] if gold_start > start else ""
        decisions.append((gold_start, learning.LabelledExample(
            item.text[gold_start:gold_end], gold_span.label, features, cut, **lessons,
            **learning.shell_lesson(suggestion, gold_start - offset))))
        covered.add(best)
    for g, gold_span in enumerate(item.spans):
        if g not in covered:  # a manual span where no suggestion was
            decisions.append((bounds[g][0], learning.LabelledExample(
                item.text[bounds[g][0]:bounds[g][1]], gold_span.label)))
    document = item.name or str(id(item))
    starts = [offset for offset, _text in item.paragraphs]
    # Each decision names its paragraph and where its unit starts, as the app's do (the
    # paragraph's id, the annotation's start): where a paragraph's claim stands is read there.
    return [replace(example, document=document, start=start,
                    paragraph=f"{document}#{bisect_right(starts, start) - 1}")
            for start, example in sorted(decisions, key=lambda pair: pair[0])]


def first_decisions(examples: list[learning.LabelledExample], count: int
                    ) -> tuple[list[learning.LabelledExample], int]:
    """The examples up to the ``count``-th decision (implicit ones before it come along),
    and how many decisions that is (fewer when the reviewed texts run out)."""
    taken, decided = [], 0
    for example in examples:
        if not example.implicit:
            if decided == count:
                break
            decided += 1
        taken.append(example)
    return taken, decided


@dataclass
class CurvePoint:
    decisions: int
    learned: dict[str, list[float]] = field(default_factory=dict)  # mode -> per seed
    rules: dict[str, list[float]] = field(default_factory=dict)
    available: list[int] = field(default_factory=list)  # decisions actually used, per seed

    def mean_spread(self, mode: str, which: str = "learned") -> tuple[float, float]:
        return learning.math_mean_spread(getattr(self, which)[mode])

    def gain(self, mode: str) -> tuple[float, float]:
        return learning.math_mean_spread([a - b for a, b in
                                          zip(self.learned[mode], self.rules[mode])])


def learning_curve(corpus: list[GoldText], nlp: Language | None = None,
                   sizes=DEFAULT_SIZES, seeds=DEFAULT_SEEDS,
                   threshold: float = DEFAULT_THRESHOLD) -> list[CurvePoint]:
    """Macro-F1 of the shown suggestions after N simulated decisions, per seed (see above)."""
    if len(corpus) < 2:
        raise CorpusError("a learning curve needs at least two texts (one to learn on, one to "
                          "measure)")
    nlp = nlp if nlp is not None else load_pipeline().nlp
    docs = [list(nlp.pipe([text for _offset, text in item.paragraphs])) for item in corpus]

    def suggest(i: int, learned: LearnedSplits | None = None, record_sites: bool = False):
        item = corpus[i]
        per_paragraph = suggest_paragraphs([text for _o, text in item.paragraphs], nlp,
                                           learned=learned, record_sites=record_sites,
                                           docs=docs[i])
        return [(s, offset) for (offset, _text), found in zip(item.paragraphs, per_paragraph)
                for s in found]

    found_all = [suggest(i, record_sites=True) for i in range(len(corpus))]
    points = [CurvePoint(size, {m: [] for m in MATCH_MODES}, {m: [] for m in MATCH_MODES})
              for size in sizes]
    for seed in seeds:
        order = list(range(len(corpus)))
        random.Random(seed).shuffle(order)
        half = len(order) // 2
        reviewed, measured = order[:half], order[half:]
        decisions = [example for i in reviewed
                     for example in simulated_decisions(corpus[i], found_all[i], threshold)]
        measured_gold = [corpus[i] for i in measured]
        rules = report_for(measured_gold, [as_spans(found_all[i], threshold) for i in measured],
                           threshold)
        for point in points:
            examples, count = first_decisions(decisions, point.decisions)
            point.available.append(count)
            if count < learning.MIN_EXAMPLES:
                learned = rules
            else:
                model = learning.train_project_model(examples, seed=seed).model
                predictions = []
                for i in measured:
                    found = suggest(i, model.splits) if model.splits else found_all[i]
                    offsets = {(s.paragraph_index, s.end): offset for s, offset in found}
                    relabelled = learning.relabel_suggestions(model, [s for s, _ in found],
                                                              threshold=threshold)
                    predictions.append([
                        LabelledSpan(offsets[(s.paragraph_index, s.end)] + s.start,
                                     offsets[(s.paragraph_index, s.end)] + s.end, s.label)
                        for s in relabelled if s.score >= threshold])
                learned = report_for(measured_gold, predictions, threshold)
            for mode in MATCH_MODES:
                point.learned[mode].append(learned.macro_f1(mode))
                point.rules[mode].append(rules.macro_f1(mode))
    return points


def render_curve(points: list[CurvePoint], texts: int) -> str:
    """The printed curve: per N, rules and learned macro-F1 (mean ± spread) in both modes."""
    lines = [f"learning curve ({texts} texts: half reviewed, half measured; "
             f"{len(points[0].available) if points else 0} seeds; mean ± sd of macro-F1)",
             f"{'decisions':>10}{'used':>7}  " + "  ".join(
                 f"{mode + ' rules':>14}{mode + ' learned':>16}{'gain':>13}"
                 for mode in MATCH_MODES)]
    for point in points:
        used = sum(point.available) / len(point.available)
        cells = []
        for mode in MATCH_MODES:
            rules, rules_sd = point.mean_spread(mode, "rules")
            learned, learned_sd = point.mean_spread(mode)
            gain, gain_sd = point.gain(mode)
            cells.append(f"{rules:>8.2f} ±{rules_sd:.2f}{learned:>10.2f} ±{learned_sd:.2f}"
                         f"{gain:>+7.2f} ±{gain_sd:.2f}")
        lines.append(f"{point.decisions:>10}{used:>7.0f}  " + "  ".join(cells))
    return "\n".join(lines)
