"""Suggesting claims, evidence and counterclaims for paragraphs of text.

``suggest_paragraphs`` runs the pipeline over the paragraphs in batches (``nlp.pipe``),
splits each paragraph into candidate units (``candidates.py``), finds the argument cues in
the same Doc (``cues.py``) and labels every unit by a rule-based combination of cue weights
and position:

- each cue adds its weight to the label it points to (the strongest cue of each lexicon
  group counts once; figures and dates together count at most ``MAX_ENTITY_WEIGHT``);
- a paragraph's first unit leans to claim (topic sentence), its last a little too;
- a unit that opens with a contrast ("However, ...") at the start of a paragraph sets itself
  against the preceding text (counterclaim); after another unit of the same paragraph it
  answers that unit (the writer's side: claim or evidence) and marks it, with the earlier
  units of the same sentence, as the point conceded (counterclaim);
- each paragraph gets one main claim: among the units that are not counterclaims, the one
  with the largest claim-over-evidence total; other claim-leaning units become evidence.

The score is the softmax share of the winning label. Results are plain dataclasses; a
service stores them. Nothing here touches the database.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from annotations.nlp import lexicon
from annotations.nlp.candidates import CandidateUnit, candidate_units
from annotations.nlp.cues import Cue, CueFinder, cue_finder_for
from annotations.nlp.pipeline import load_pipeline

DEFAULT_BATCH_SIZE = 64
WRITERS_SIDE = "claim or evidence"  # a reason that points away from counterclaim only
LEADING_FILLERS = {"and", "but", "or", "nor", "so", "yet", "still", "then", "even"}


@dataclass
class CandidateSuggestion:
    """A proposed argument component in one paragraph, with the reasons for its label."""

    paragraph_index: int
    start: int
    end: int
    quote: str
    label: str
    score: float
    cues: list[str]
    # Machine-readable cue keys ("concessive_connective@start", "entity_PERCENT"), used as
    # features when a project model learns from decisions.
    cue_keys: list[str] = field(default_factory=list)
    label_scores: dict[str, float] = field(default_factory=dict)


@dataclass
class _UnitEvidence:
    unit: CandidateUnit
    scores: dict[str, float]
    reasons: list[tuple[str, float, str]]  # (label, weight, readable name)
    keys: list[str]


def _opens_unit(doc: Doc, unit: CandidateUnit, token_start: int) -> bool:
    for token in doc[unit.token_start:token_start]:
        if not (token.is_punct or token.is_space or token.lower_ in LEADING_FILLERS):
            return False
    return True


def _gather(doc: Doc, units: list[CandidateUnit], cues: list[Cue]) -> list[_UnitEvidence]:
    evidence = [_UnitEvidence(unit, dict(lexicon.PRIOR), [], []) for unit in units]
    starts = [unit.token_start for unit in units]
    # The strongest cue per (unit, group) counts once.
    strongest: dict[tuple[int, str], tuple[float, Cue, bool]] = {}
    for cue in cues:
        position = bisect.bisect_right(starts, cue.token_start) - 1
        if position < 0 or cue.token_start >= units[position].token_end:
            continue
        at_start = _opens_unit(doc, units[position], cue.token_start)
        if cue.group == "contrast_connective":
            if at_start or doc[cue.token_start].lower_ in lexicon.UNIT_CONTRAST_ADVERBS:
                strongest.setdefault((position, cue.group), (1.0, cue, True))
            continue
        weight = cue.weight_at_start if at_start else cue.weight_inside
        if weight <= 0:
            continue
        group = "entities" if cue.group.startswith("entity_") else cue.group
        if group == "entities":
            key = (position, f"entities:{cue.token_start}")
        else:
            key = (position, group)
        if key not in strongest or strongest[key][0] < weight:
            strongest[key] = (weight, cue, at_start)
    entity_totals: dict[int, float] = {}
    for (position, group), (weight, cue, at_start) in sorted(
        strongest.items(), key=lambda item: (item[0][0], item[1][1].token_start)
    ):
        unit_evidence = evidence[position]
        if group == "contrast_connective":
            _apply_contrast(evidence, position, cue)
            continue
        if group.startswith("entities:"):
            room = lexicon.MAX_ENTITY_WEIGHT - entity_totals.get(position, 0.0)
            weight = min(weight, max(room, 0.0))
            if weight <= 0:
                continue
            entity_totals[position] = entity_totals.get(position, 0.0) + weight
        unit_evidence.scores[cue.label] += weight
        unit_evidence.reasons.append((cue.label, weight, cue.name))
        unit_evidence.keys.append(f"{cue.group}@start" if at_start else cue.group)
    return evidence


def _apply_contrast(evidence: list[_UnitEvidence], position: int, cue: Cue) -> None:
    unit_evidence = evidence[position]
    word = cue.name.split("'")[1] if "'" in cue.name else cue.name
    if position == 0:
        weight = lexicon.PARAGRAPH_INITIAL_CONTRAST_WEIGHT
        unit_evidence.scores[lexicon.COUNTERCLAIM] += weight
        unit_evidence.reasons.append((lexicon.COUNTERCLAIM, weight,
                                      f"contrast '{word}' opens the paragraph "
                                      "(sets it against the preceding text)"))
        unit_evidence.keys.append("contrast@paragraph_start")
        return
    weight = lexicon.ANSWERING_CONTRAST_WEIGHT
    unit_evidence.scores[lexicon.CLAIM] += weight
    unit_evidence.scores[lexicon.EVIDENCE] += weight
    unit_evidence.reasons.append((WRITERS_SIDE, weight,
                                  f"contrast '{word}' answers the preceding point"))
    unit_evidence.keys.append("contrast@answer")
    # The point conceded: the unit just before, and with it the earlier units of the same
    # sentence ("X, and Y, but Z" concedes X and Y).
    conceded = [position - 1]
    sentence = evidence[position - 1].unit.sentence_index
    while (conceded[-1] > 0 and evidence[conceded[-1] - 1].unit.sentence_index == sentence
           and evidence[position].unit.sentence_index == sentence):
        conceded.append(conceded[-1] - 1)
    weight = lexicon.CONCEDED_BEFORE_CONTRAST_WEIGHT
    for index in conceded:
        previous = evidence[index]
        previous.scores[lexicon.COUNTERCLAIM] += weight
        previous.reasons.append((lexicon.COUNTERCLAIM, weight,
                                 f"conceded point, answered by '{word}' next"))
        previous.keys.append("conceded_before_contrast")


def _add_position_and_tense(doc: Doc, evidence: list[_UnitEvidence]) -> None:
    if not evidence:
        return
    first = evidence[0]
    if "contrast@paragraph_start" not in first.keys:
        # A paragraph that opens by answering the one before has no topic sentence first.
        first.scores[lexicon.CLAIM] += lexicon.FIRST_UNIT_CLAIM_WEIGHT
        first.reasons.append((lexicon.CLAIM, lexicon.FIRST_UNIT_CLAIM_WEIGHT,
                              "position: opens the paragraph"))
        first.keys.append("position_first")
    if len(evidence) >= 3:
        last = evidence[-1]
        last.scores[lexicon.CLAIM] += lexicon.LAST_UNIT_CLAIM_WEIGHT
        last.reasons.append((lexicon.CLAIM, lexicon.LAST_UNIT_CLAIM_WEIGHT,
                             "position: closes the paragraph"))
        last.keys.append("position_last")
    if not doc.has_annotation("TAG"):
        return
    for unit_evidence in evidence:
        unit = unit_evidence.unit
        root = doc[unit.token_start:unit.token_end].root
        if root.tag_ == "VBD" or (root.tag_ == "VBN" and any(
            child.tag_ == "VBD" and child.dep_ in ("aux", "auxpass") for child in root.children
        )):
            unit_evidence.scores[lexicon.EVIDENCE] += lexicon.PAST_TENSE_EVIDENCE_WEIGHT
            unit_evidence.reasons.append((lexicon.EVIDENCE, lexicon.PAST_TENSE_EVIDENCE_WEIGHT,
                                          f"past tense '{root.text}' (reports what happened)"))
            unit_evidence.keys.append("past_tense")


def _softmax_share(scores: dict[str, float], label: str) -> float:
    top = max(scores.values())
    total = sum(math.exp(value - top) for value in scores.values())
    return math.exp(scores[label] - top) / total


def _label_units(evidence: list[_UnitEvidence]) -> list[tuple[str, list[str]]]:
    """Each unit's label and any extra reason, with one main claim per paragraph."""
    labels = [max(lexicon.LABELS, key=lambda label: e.scores[label]) for e in evidence]
    extra: list[list[str]] = [[] for _ in evidence]
    writers_side = [i for i, label in enumerate(labels) if label != lexicon.COUNTERCLAIM]
    if not writers_side:
        return list(zip(labels, extra))
    main = max(writers_side, key=lambda i: (
        evidence[i].scores[lexicon.CLAIM] - evidence[i].scores[lexicon.EVIDENCE], -i))
    if labels[main] != lexicon.CLAIM:
        labels[main] = lexicon.CLAIM
        extra[main].append("main point of the paragraph (its strongest claim cues)")
    for i in writers_side:
        if i != main and labels[i] == lexicon.CLAIM:
            labels[i] = lexicon.EVIDENCE
            extra[i].append("supports the paragraph's main point")
    return list(zip(labels, extra))


def _reasons_for(evidence: _UnitEvidence, label: str, extra: list[str]) -> list[str]:
    def supports(cue_label: str) -> bool:
        return cue_label == label or (cue_label == WRITERS_SIDE
                                      and label != lexicon.COUNTERCLAIM)

    ordered = sorted(evidence.reasons, key=lambda reason: -reason[1])
    supporting = [name for cue_label, _w, name in ordered if supports(cue_label)]
    others = [name for cue_label, _w, name in ordered if not supports(cue_label)]
    reasons = extra + supporting
    if not reasons:
        reasons = ["no argument cue: an unmarked statement reads as support"
                   if label == lexicon.EVIDENCE else f"weak {label} cues"]
    return reasons + others


def suggest_doc(doc: Doc, paragraph_index: int = 0,
                finder: CueFinder | None = None) -> list[CandidateSuggestion]:
    """Candidate suggestions for one paragraph Doc produced by the pipeline."""
    units = candidate_units(doc)
    if not units:
        return []
    if finder is None:
        raise ValueError("suggest_doc needs the CueFinder of the pipeline that made the Doc: "
                         "pass finder=cue_finder_for(nlp)")
    evidence = _gather(doc, units, finder.find(doc))
    _add_position_and_tense(doc, evidence)
    suggestions = []
    text = doc.text
    for unit_evidence, (label, extra) in zip(evidence, _label_units(evidence)):
        unit = unit_evidence.unit
        suggestions.append(CandidateSuggestion(
            paragraph_index=paragraph_index,
            start=unit.start,
            end=unit.end,
            quote=text[unit.start:unit.end],
            label=label,
            score=round(_softmax_share(unit_evidence.scores, label), 3),
            cues=_reasons_for(unit_evidence, label, extra),
            cue_keys=list(unit_evidence.keys),
            label_scores={k: round(v, 3) for k, v in unit_evidence.scores.items()},
        ))
    return suggestions


def suggest_paragraphs(texts: Iterable[str], nlp: Language | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE) -> list[list[CandidateSuggestion]]:
    """Suggestions for each paragraph text, in order (one list per paragraph)."""
    nlp = nlp if nlp is not None else load_pipeline().nlp
    finder = cue_finder_for(nlp)
    return [suggest_doc(doc, index, finder)
            for index, doc in enumerate(nlp.pipe(texts, batch_size=batch_size))]


def classify_alone(doc: Doc, finder: CueFinder) -> tuple[str, list[str], dict[str, float]]:
    """The rule-based label, cue keys and label scores of a whole Doc taken as one unit.

    Position in a paragraph plays no part: this is how the rules would label the text on
    its own, used for learning features and as the baseline a project model is compared to.
    """
    if not len(doc):
        return lexicon.EVIDENCE, [], dict(lexicon.PRIOR)
    unit = CandidateUnit(0, len(doc), 0, len(doc.text), 0, None)
    (unit_evidence,) = _gather(doc, [unit], finder.find(doc))
    label = max(lexicon.LABELS, key=lambda name: unit_evidence.scores[name])
    return label, list(unit_evidence.keys), dict(unit_evidence.scores)
