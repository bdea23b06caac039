"""Evaluating suggestions against the arg-microtexts corpus (zero-shot, nothing trained).

Each ``micro_*.xml`` (see ``arggraph.dtd`` in the corpus) segments its ``.txt`` into EDUs,
groups them into ADUs (directly or through joints) that belong to the proponent (``pro``) or
the opponent (``opp``), and links ADUs with ``sup``/``exa``/``reb``/``und``/``add`` edges.
Gold labels: the central claim (the proponent ADU with no outgoing argumentative edge) is
the claim, opponent ADUs are counterclaims, the other proponent ADUs are evidence.

Suggestions are matched one-to-one to gold spans of the same label, either exactly (the same
text once surrounding whitespace and punctuation are trimmed) or by overlap (the shared
characters cover at least half of both spans). The report gives precision, recall and F1 per
label, summed over the corpus, and their macro average.

Run it without Django: ``python -m annotations.nlp.evaluation DIR [--match exact|overlap]``.
"""
from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.language import Language

from annotations.nlp import learning, lexicon
from annotations.nlp.pipeline import load_pipeline
from annotations.nlp.suggest import CandidateSuggestion, suggest_paragraphs

ARGUMENT_EDGE_TYPES = {"sup", "exa", "reb", "und", "add"}
MATCH_MODES = ("exact", "overlap")
PUNCTUATION_AND_SPACE = re.compile(r"^[\W_]+|[\W_]+$")


class CorpusError(ValueError):
    """A corpus file that cannot be read as arg-microtexts, with the file and item named."""


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass
class GoldText:
    name: str
    text: str
    spans: list[LabelledSpan]


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


@dataclass
class EvaluationReport:
    texts: int
    counts: dict[str, dict[str, LabelCounts]] = field(default_factory=dict)  # mode -> label

    def macro_f1(self, mode: str) -> float:
        return sum(c.f1 for c in self.counts[mode].values()) / len(lexicon.LABELS)

    def table(self, mode: str) -> str:
        lines = [f"{mode} match ({self.texts} texts)",
                 f"{'label':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"]
        for label in lexicon.LABELS:
            c = self.counts[mode][label]
            lines.append(f"{label:<14}{c.gold:>6}{c.predicted:>6}{c.matched:>7}"
                         f"{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}")
        lines.append(f"{'macro':<14}{'':>26}{self.macro_f1(mode):>7.2f}")
        return "\n".join(lines)


def _locate(text: str, fragment: str, cursor: int, where: str) -> tuple[int, int]:
    """Where ``fragment`` occurs in ``text`` at or after ``cursor`` (whitespace-tolerant)."""
    fragment = fragment.strip()
    position = text.find(fragment, cursor)
    if position >= 0:
        return position, position + len(fragment)
    pattern = r"\s+".join(re.escape(word) for word in fragment.split())
    found = re.compile(pattern).search(text, cursor)
    if not found:
        raise CorpusError(f"{where}: text {fragment[:60]!r} not found in the .txt file "
                          f"after character {cursor}")
    return found.start(), found.end()


def read_microtext(xml_path: Path) -> GoldText:
    """The text and gold spans of one arg-microtexts graph and its ``.txt`` file."""
    txt_path = xml_path.with_suffix(".txt")
    if not txt_path.exists():
        raise CorpusError(f"{xml_path.name}: no text file {txt_path.name} next to it")
    text = txt_path.read_text(encoding="utf-8")
    try:
        root = ElementTree.parse(xml_path).getroot()
    except ElementTree.ParseError as error:
        raise CorpusError(f"{xml_path.name}: not well-formed XML ({error})") from error
    edu_bounds: dict[str, tuple[int, int]] = {}
    cursor = 0
    for edu in root.findall("edu"):
        start, end = _locate(text, edu.text or "", cursor, f"{xml_path.name} EDU {edu.get('id')}")
        edu_bounds[edu.get("id")] = (start, end)
        cursor = end
    adu_types = {adu.get("id"): adu.get("type") for adu in root.findall("adu")}
    segments: dict[str, list[str]] = {}
    outgoing: set[str] = set()
    for edge in root.findall("edge"):
        kind, source, target = edge.get("type"), edge.get("src"), edge.get("trg")
        if kind == "seg":
            segments.setdefault(target, []).append(source)
        elif kind in ARGUMENT_EDGE_TYPES:
            outgoing.add(source)

    def edus_of(node: str) -> list[str]:
        if node in edu_bounds:
            return [node]
        return [edu for part in segments.get(node, []) for edu in edus_of(part)]

    central = [adu for adu, kind in adu_types.items() if kind == "pro" and adu not in outgoing]
    if len(central) != 1:
        raise CorpusError(f"{xml_path.name}: expected one central claim (a proponent ADU "
                          f"with no outgoing edge), found {central or 'none'}")
    spans = []
    for adu, kind in adu_types.items():
        edus = edus_of(adu)
        if not edus:
            raise CorpusError(f"{xml_path.name}: ADU {adu} is tied to no EDU")
        start = min(edu_bounds[e][0] for e in edus)
        end = max(edu_bounds[e][1] for e in edus)
        label = (lexicon.COUNTERCLAIM if kind == "opp"
                 else lexicon.CLAIM if adu == central[0] else lexicon.EVIDENCE)
        spans.append(LabelledSpan(start, end, label))
    spans.sort(key=lambda span: span.start)
    return GoldText(xml_path.stem, text, spans)


def read_corpus(directory: Path, limit: int | None = None) -> list[GoldText]:
    """Every ``*.xml`` graph in ``directory`` (sorted by name), optionally the first ``limit``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"{directory}: not a directory")
    paths = sorted(directory.glob("*.xml"))
    if not paths:
        raise CorpusError(f"{directory}: no arg-microtexts *.xml files in it")
    return [read_microtext(path) for path in paths[:limit]]


def _trimmed(text: str, span: LabelledSpan) -> tuple[int, int]:
    piece = text[span.start:span.end]
    stripped = PUNCTUATION_AND_SPACE.sub("", piece)
    if not stripped:
        return span.start, span.end
    start = span.start + piece.index(stripped)
    return start, start + len(stripped)


def _matches(text: str, gold: LabelledSpan, predicted: LabelledSpan, mode: str) -> float:
    """How well two spans match (0 = not at all); larger is better."""
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


def count_matches(text: str, gold: list[LabelledSpan], predicted: list[LabelledSpan],
                  mode: str) -> dict[str, LabelCounts]:
    """Per-label counts for one text, matching spans of the same label one-to-one."""
    counts = {label: LabelCounts() for label in lexicon.LABELS}
    for label in lexicon.LABELS:
        gold_of_label = [span for span in gold if span.label == label]
        predicted_of_label = [span for span in predicted if span.label == label]
        counts[label].gold = len(gold_of_label)
        counts[label].predicted = len(predicted_of_label)
        pairs = sorted(
            ((quality, g, p) for g, gold_span in enumerate(gold_of_label)
             for p, predicted_span in enumerate(predicted_of_label)
             if (quality := _matches(text, gold_span, predicted_span, mode)) > 0),
            key=lambda item: -item[0],
        )
        used_gold, used_predicted = set(), set()
        for _quality, g, p in pairs:
            if g not in used_gold and p not in used_predicted:
                used_gold.add(g)
                used_predicted.add(p)
        counts[label].matched = len(used_gold)
    return counts


def _suggestions_with_offsets(texts: list[str], nlp: Language | None):
    """Per text: (suggestion, offset of its paragraph in the text) for every suggestion."""
    paragraphs: list[str] = []
    owners: list[tuple[int, int]] = []
    for index, text in enumerate(texts):
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                paragraphs.append(line)
                owners.append((index, offset))
            offset += len(line) + 1
    found: list[list[tuple[CandidateSuggestion, int]]] = [[] for _ in texts]
    for (index, offset), suggestions in zip(owners, suggest_paragraphs(paragraphs, nlp=nlp)):
        found[index].extend((suggestion, offset) for suggestion in suggestions)
    return found


def _as_spans(found: list[tuple[CandidateSuggestion, int]]) -> list[LabelledSpan]:
    return [LabelledSpan(offset + s.start, offset + s.end, s.label) for s, offset in found]


def decisions_from_gold(item: GoldText, found: list[tuple[CandidateSuggestion, int]]):
    """Simulated decisions on one text's suggestions: accepted with the gold label of the
    span they overlap (>= 50 %), rejected (``none``) where they overlap none."""
    decisions = []
    for suggestion, offset in found:
        span = LabelledSpan(offset + suggestion.start, offset + suggestion.end, suggestion.label)
        labels = [gold.label for gold in item.spans
                  if _matches(item.text, gold, replace(span, label=gold.label), "overlap")]
        decisions.append(learning.LabelledExample(
            suggestion.quote, labels[0] if labels else learning.NONE_LABEL,
            tuple(suggestion.cue_keys), suggestion.label, dict(suggestion.label_scores)))
    return decisions


def evaluate_after_learning(corpus: list[GoldText], nlp: Language | None = None,
                            decisions: int = 50, seed: int = 0):
    """Train a project model on ``decisions`` simulated decisions from the first texts, then
    evaluate its relabelled suggestions on the texts not used for training.

    Returns (report on the unseen texts with the model, report on the same texts with the
    rules alone, training result).
    """
    found = _suggestions_with_offsets([item.text for item in corpus], nlp)
    examples, used_texts = [], 0
    for item, item_found in zip(corpus, found):
        if len(examples) >= decisions:
            break
        examples.extend(decisions_from_gold(item, item_found))
        used_texts += 1
    result = learning.train_project_model(examples, base_nlp=nlp, seed=seed)
    unseen = corpus[used_texts:]
    if not unseen:
        raise CorpusError("no texts left to evaluate on after taking the training decisions")
    learned, rules = [], []
    for item_found in found[used_texts:]:
        offsets = {(s.paragraph_index, s.start, s.end): offset for s, offset in item_found}
        relabelled = learning.relabel_suggestions(result.nlp, [s for s, _ in item_found])
        learned.append([LabelledSpan(offsets[(s.paragraph_index, s.start, s.end)] + s.start,
                                     offsets[(s.paragraph_index, s.start, s.end)] + s.end,
                                     s.label) for s in relabelled])
        rules.append(_as_spans(item_found))
    return (_report(unseen, learned), _report(unseen, rules), result)


def _report(corpus: list[GoldText], predictions: list[list[LabelledSpan]]) -> EvaluationReport:
    report = EvaluationReport(texts=len(corpus))
    for mode in MATCH_MODES:
        totals = {label: LabelCounts() for label in lexicon.LABELS}
        for item, predicted in zip(corpus, predictions):
            for label, counts in count_matches(item.text, item.spans, predicted, mode).items():
                totals[label].gold += counts.gold
                totals[label].predicted += counts.predicted
                totals[label].matched += counts.matched
        report.counts[mode] = totals
    return report


def evaluate(corpus: list[GoldText], nlp: Language | None = None) -> EvaluationReport:
    """Suggest over every text of ``corpus`` and count matches in both modes."""
    found = _suggestions_with_offsets([item.text for item in corpus], nlp)
    return _report(corpus, [_as_spans(item_found) for item_found in found])


def render_report(report: EvaluationReport, headline_mode: str = "overlap",
                  pipeline_description: str = "") -> str:
    """The printed report: both tables, then ``macro-F1 X.XX`` for ``headline_mode`` last."""
    parts = []
    if pipeline_description:
        parts.append(pipeline_description)
    for mode in MATCH_MODES:
        parts.append(report.table(mode))
        parts.append("")
    parts.append(f"headline: {headline_mode} match")
    parts.append(f"macro-F1 {report.macro_f1(headline_mode):.2f}")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="directory with micro_*.xml and .txt files")
    parser.add_argument("--match", choices=MATCH_MODES, default="overlap",
                        help="which match the last line (macro-F1) reports")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: configured)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--learn", type=int, default=0, metavar="N",
                        help="also train a project model on N simulated decisions from the "
                             "first texts and report it on the rest")
    arguments = parser.parse_args(argv)
    try:
        corpus = read_corpus(arguments.corpus, arguments.limit)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    loaded = load_pipeline(arguments.model)
    report = evaluate(corpus, nlp=loaded.nlp)
    description = f"pipeline {loaded.name} {loaded.version}"
    if loaded.is_fallback:
        description += f" (fallback: {loaded.message})"
    if arguments.learn:
        learned, rules, result = evaluate_after_learning(corpus, loaded.nlp, arguments.learn)
        print(f"after learning from {result.trained_on} decisions "
              f"(held-back accuracy {result.accuracy:.2f}, rules {result.rule_accuracy:.2f}), "
              f"on the {learned.texts} texts not used for training:")
        print(learned.table(arguments.match))
        print("rules alone on the same texts:")
        print(rules.table(arguments.match))
        print()
    print(render_report(report, arguments.match, description))
    return 0


if __name__ == "__main__":
    sys.exit(main())
