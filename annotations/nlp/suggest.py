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
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from annotations.nlp import lexicon, structure
from annotations.nlp.candidates import CandidateUnit, LearnedSplits, candidate_units
from annotations.nlp.cues import Cue, CueFinder, cue_finder_for
from annotations.nlp.pipeline import load_pipeline

DEFAULT_BATCH_SIZE = 64
# Suggestions scoring at least this are shown by default (``ARGMAP_SUGGESTION_THRESHOLD``).
DEFAULT_THRESHOLD = 0.5
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
    # Where the unit stands (paragraph role, place in the paragraph, sentence), for learning.
    context: dict[str, object] = field(default_factory=dict)


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


def _gather(doc: Doc, units: list[CandidateUnit], cues: list[Cue],
            structured: bool = False, body: bool = False) -> list[_UnitEvidence]:
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
            _apply_contrast(evidence, position, cue, structured, body)
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


def _apply_contrast(evidence: list[_UnitEvidence], position: int, cue: Cue,
                    structured: bool = False, body: bool = False) -> None:
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
    # The point conceded: the unit just before, and with it the earlier units of its
    # sentence ("X, and Y, but Z" concedes X and Y; "Some say X, because Y. But Z" concedes
    # X and Y).
    conceded = [position - 1]
    sentence = evidence[position - 1].unit.sentence_index
    while (conceded[-1] > 0 and evidence[conceded[-1] - 1].unit.sentence_index == sentence):
        conceded.append(conceded[-1] - 1)
    weight = lexicon.CONCEDED_BEFORE_CONTRAST_WEIGHT
    # In an essay's body or closing ("structured") the view conceded may have
    # been voiced earlier in the paragraph ("Some people argue that X. Y. However, Z"): the
    # units between back that view and are its premises, as essay annotators tag them.
    # A view the paragraph opens with (voiced, or set against the preceding text by a contrast
    # at its start: "On the other hand, X. Y. Critics fear Z. However, W") is the one
    # conceded, and every unit between it and the contrast backs it, voiced or not.
    voiced = structured and any(
        structure.voices_a_view(e.keys) and _leans_counter(e) for e in evidence[:min(conceded)])
    opened_by_view = structured and min(conceded) > 0 and _leans_counter(evidence[0]) and (
        structure.voices_a_view(evidence[0].keys) or "contrast@paragraph_start" in evidence[0].keys)
    for index in conceded:
        previous = evidence[index]
        if any(key.startswith("first_person_stance") for key in previous.keys):
            continue  # "I doubt that X. However, ...": the writer's own view is not conceded
        if opened_by_view or (voiced and not structure.voices_a_view(previous.keys)):
            previous.scores[lexicon.EVIDENCE] += weight
            previous.reasons.append((lexicon.EVIDENCE, weight,
                                     "backs the opposing view voiced before it (a premise), "
                                     f"answered by '{word}' next"))
            previous.keys.append("backs_voiced_view")
            continue
        if body and index != min(conceded):
            # In an essay's body one sentence concedes one view, its first unit; the units after it
            # in that sentence ("X, and Y. But Z") give the view's grounds: premises, as
            # annotators of such texts tag them, labelled by their own cues.
            previous.reasons.append((lexicon.EVIDENCE, 0.0, "grounds of the view conceded "
                                     f"before it in its sentence, answered by '{word}' next"))
            previous.keys.append("grounds_of_conceded_view")
            continue
        previous.scores[lexicon.COUNTERCLAIM] += weight
        previous.reasons.append((lexicon.COUNTERCLAIM, weight,
                                 f"conceded point, answered by '{word}' next"))
        previous.keys.append("conceded_before_contrast")


# What makes a unit of an essay's body the other side without voicing it: the point a
# contrast answers next, a contrast opening the paragraph, a "while" clause.
_UNVOICED_COUNTER_KEYS = ("conceded_before_contrast", "contrast@paragraph_start",
                          "contrastive_subordinator@start")


def _writers_own_contrasts(doc: Doc, evidence: list[_UnitEvidence]) -> None:
    """In a body paragraph of a structured text, a contrast alone does not make the
    other side: where neither the unit nor anything before it in its paragraph (nor its own
    sentence) voices a view (a concession, an opposing voice, ``structure.voices_other_side``),
    the point set against the next one ("A pupil need not wait, and a slow one is not left
    behind. However, ...") and a "while" clause ("some can, while others cannot") are the
    writer's own facts (support), and a contrast opening the paragraph that nothing later
    answers ("On the other hand, X." with no "but" after it) turns to the writer's next point:
    it is the paragraph's first unit like any other (a topic sentence), not a counterclaim."""
    if not doc.has_annotation("DEP") or not any(
            key in e.keys for e in evidence for key in _UNVOICED_COUNTER_KEYS):
        return
    voices = [structure.voices_a_view(e.keys) or structure.voices_other_side(
        _content_span(doc, e.unit)) for e in evidence]
    answered = any("contrast@answer" in e.keys for e in evidence[1:])
    for i, e in enumerate(evidence):
        sentence = e.unit.sentence_index
        if any(voices[j] for j in range(len(evidence))
               if j <= i or evidence[j].unit.sentence_index == sentence):
            return  # from here on the other side is voiced
        if "conceded_before_contrast" in e.keys:
            _move_weight(e, "conceded_before_contrast", lexicon.EVIDENCE, "unvoiced_contrast",
                         "set against the point after it, but no other side is voiced: the "
                         "writer's own contrast")
        if "contrastive_subordinator@start" in e.keys:
            _move_weight(e, "contrastive_subordinator@start", lexicon.EVIDENCE,
                         "unvoiced_contrast", "a contrast between facts, no other side voiced")
        if i == 0 and "contrast@paragraph_start" in e.keys and not answered:
            _move_weight(e, "contrast@paragraph_start", None, "contrast@turn",
                         "turns to the writer's next point: no other side voiced, nothing "
                         "answers it")


def _move_weight(evidence: _UnitEvidence, key: str, label: str | None, new_key: str,
                 name: str) -> None:
    """Take the counterclaim weight a cue key gave a unit away (to ``label``, if any), with
    a new key and readable reason."""
    index = evidence.keys.index(key)
    reasons = [r for r in evidence.reasons if r[0] == lexicon.COUNTERCLAIM]
    weight = 0.0
    for reason in reasons:
        if _REASON_OF_KEY[key.split("@")[0]] in reason[2]:
            weight = reason[1]
            evidence.reasons.remove(reason)
            break
    evidence.scores[lexicon.COUNTERCLAIM] -= weight
    evidence.keys[index] = new_key
    if label is not None:
        evidence.scores[label] += weight
        evidence.reasons.append((label, weight, name))


_REASON_OF_KEY = {"conceded_before_contrast": "conceded point, answered by",
                  "contrast": "opens the paragraph (sets it against",
                  "contrastive_subordinator": "(contrast)"}


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


def _label_units(evidence: list[_UnitEvidence], questions: frozenset[int] = frozenset(),
                 role: str = structure.SINGLE, argues: bool = False
                 ) -> list[tuple[str, list[str]]]:
    """Each unit's label and any extra reason, with one main claim per paragraph.

    ``questions`` (units of a structured text that are questions, held back below the
    threshold) are not the main claim while another unit can be. A body paragraph of a
    structured text that opens with the other side's view (``role`` BODY, its first sentence
    all counterclaim; "Despite X, Y" answers X at once), voiced as a view or in a paragraph
    that argues throughout (``argues``; a news text's "It is no surprise that X. However, Y"
    keeps Y as its point), has that view as its point: the writer's answer is a premise against it, and
    a unit there is a claim only by a claim cue of its own (``ANSWER_CLAIM_CUE_MIN``), not by
    its place in the paragraph."""
    labels = [max(lexicon.LABELS, key=lambda label: e.scores[label]) for e in evidence]
    extra: list[list[str]] = [[] for _ in evidence]
    grounds_of_view = set()
    for i in range(1, len(evidence)):
        unit, before = evidence[i].unit, evidence[i - 1].unit
        if (labels[i - 1] == lexicon.COUNTERCLAIM and labels[i] != lexicon.COUNTERCLAIM
                and unit.sentence_index == before.sentence_index
                and (unit.split_reason or "").endswith("(reason)")):
            # "X, because Y" where X is the other side's view: Y is the other side's reason,
            # in a structured text its premise (as essay annotators tag it), in a lone
            # paragraph part of the view (the microtexts' convention).
            if role == structure.SINGLE:
                labels[i] = lexicon.COUNTERCLAIM
                extra[i].append("gives the reason for the opposing view before it")
            else:
                labels[i] = lexicon.EVIDENCE
                extra[i].append("gives the reason for the opposing view before it (its premise)")
                grounds_of_view.add(i)
    writers_side = [i for i, label in enumerate(labels)
                    if label != lexicon.COUNTERCLAIM and i not in grounds_of_view]
    if not writers_side:
        return list(zip(labels, extra))
    opening = [i for i, e in enumerate(evidence)
               if e.unit.sentence_index == evidence[0].unit.sentence_index]
    first = evidence[0]
    if role == structure.BODY and all(labels[i] == lexicon.COUNTERCLAIM or i in grounds_of_view
                                      for i in opening) and (
            argues or structure.voices_a_view(first.keys)
            or "contrast@paragraph_start" in first.keys):
        for i in writers_side:
            if labels[i] == lexicon.CLAIM and (
                    _claim_cue_weight(evidence[i]) < lexicon.ANSWER_CLAIM_CUE_MIN):
                labels[i] = lexicon.EVIDENCE
                extra[i].append("answers the view the paragraph opens with (a premise against "
                                "it: no claim cue of its own)")
        if not any(labels[i] == lexicon.CLAIM for i in writers_side):
            return list(zip(labels, extra))
    eligible = [i for i in writers_side if i not in questions
                and "conceded_in_closing" not in evidence[i].keys] or writers_side
    main = max(eligible, key=lambda i: (
        evidence[i].scores[lexicon.CLAIM] - evidence[i].scores[lexicon.EVIDENCE], -i))
    if labels[main] != lexicon.CLAIM:
        labels[main] = lexicon.CLAIM
        extra[main].append("main point of the paragraph (its strongest claim cues)")
    for i in writers_side:
        if "position_closing_sentence" in evidence[i].keys and labels[i] == lexicon.CLAIM:
            continue  # the closing sums up its points: each is a claim
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


def _claim_cue_weight(evidence: _UnitEvidence) -> float:
    return sum(weight for label, weight, name in evidence.reasons
               if label == lexicon.CLAIM and not name.startswith("position"))


def _leans_counter(evidence: _UnitEvidence) -> bool:
    scores = evidence.scores
    return scores[lexicon.COUNTERCLAIM] > max(scores[lexicon.CLAIM], scores[lexicon.EVIDENCE])


def _apply_role(evidence: list[_UnitEvidence], role: str, argues: bool = False,
                not_position: frozenset[int] = frozenset(),
                told: frozenset[int] = frozenset()) -> set[int]:
    """Scores for the paragraph's role in a structured text; returns the background units.

    In the opening, ``not_position`` (shell: a bare stance, an announcement, the writer's own
    story) never states the position, and ``told`` (past events) does not by default: with
    no claim cue the position is the paragraph's last unit only if it is neither, else the
    opening only tells a story and all of it is background."""
    if role == structure.OPENING:
        first = evidence[0]
        if "position_first" in first.keys:
            first.scores[lexicon.CLAIM] -= lexicon.FIRST_UNIT_CLAIM_WEIGHT
            first.keys.remove("position_first")
            first.reasons = [r for r in first.reasons if r[2] != "position: opens the paragraph"]
        # The writer's own stance ("I believe that ...") states the position even where
        # another cue leans it to counterclaim ("... than many people think").
        stated = [i for i, e in enumerate(evidence) if i not in not_position
                  and any(key.startswith(_STANCE_KEYS) for key in e.keys)]
        candidates = stated or [i for i, e in enumerate(evidence)
                                if not _leans_counter(e) and i not in not_position]
        if not candidates:
            return set(range(len(evidence))) if not_position else set()
        cued = [i for i in candidates if _claim_cue_weight(evidence[i]) > 0]
        if cued:
            position = max(cued, key=lambda i: (_claim_cue_weight(evidence[i]), i))
        elif not_position or told:
            last = len(evidence) - 1
            if candidates[-1] != last or last in told:
                return set(range(len(evidence)))  # a story before the position: background
            position = last
        else:
            position = candidates[-1]
        chosen = evidence[position]
        chosen.scores[lexicon.CLAIM] += lexicon.OPENING_POSITION_WEIGHT + max(
            0.0, chosen.scores[lexicon.COUNTERCLAIM] - chosen.scores[lexicon.CLAIM])
        chosen.reasons.append((lexicon.CLAIM, lexicon.OPENING_POSITION_WEIGHT,
                               "position: states the writer's position in the opening paragraph"))
        chosen.keys.append("position_opening_stance")
        # The background before the position: all but a view the position's own sentence
        # concedes to answer it ("Although some say X, I believe Y"). A view voiced in a
        # sentence of its own ("Supporters say X. I believe Y") sets out the debate the body
        # answers; a fact set against another ("..., while in others ...") or conceded before
        # "Nevertheless" is background too.
        sentence = chosen.unit.sentence_index
        return {i for i in range(len(evidence)) if i != position and not (
            _leans_counter(evidence[i]) and structure.voices_a_view(evidence[i].keys)
            and evidence[i].unit.sentence_index == sentence)}
    if role == structure.BODY and "additive_connective@start" in evidence[0].keys:
        # "First of all, X" / "Furthermore, X" opening a body paragraph introduces its point.
        first = evidence[0]
        first.scores[lexicon.CLAIM] += lexicon.NEW_POINT_CLAIM_WEIGHT
        first.reasons.append((lexicon.CLAIM, lexicon.NEW_POINT_CLAIM_WEIGHT,
                              "position: an ordinal or additive marker opens a new point"))
        first.keys.append("position_new_point")
    if role == structure.CLOSING:
        # The closing restates the position; one that argues throughout (``argues``) also
        # sums up the points, one sentence each: the first unit on the writer's side of each
        # sentence is a claim; a reason given inside a sentence ("X, since Y") stays support.
        # A point conceded there ("Although X, Y"; "X, but Y") frames the restated position
        # rather than raising the other side: it is held back below the threshold and the
        # unit that answers it, in the same sentence, restates the position.
        restated, sentences = False, set()
        for e in evidence:
            if restated and not argues:
                break
            if _conceded(e):
                e.keys.append("conceded_in_closing")
                continue
            if e.unit.sentence_index in sentences:
                continue
            sentences.add(e.unit.sentence_index)
            e.scores[lexicon.CLAIM] += lexicon.CLOSING_POSITION_WEIGHT
            if not restated:
                e.reasons.append((lexicon.CLAIM, lexicon.CLOSING_POSITION_WEIGHT,
                                  "position: restates the position in the closing paragraph"))
                e.keys.append("position_closing_first")
                restated = True
            else:
                e.reasons.append((lexicon.CLAIM, lexicon.CLOSING_POSITION_WEIGHT,
                                  "position: sums up a point in the closing paragraph"))
                e.keys.append("position_closing_sentence")
    return set()


_STANCE_KEYS = ("first_person_stance", "stance_expression")
_CONCESSION_KEYS = ("concessive_connective", "concession_marker", "contrastive_subordinator@start",
                    "conceded_before_contrast")


def _conceded(evidence: _UnitEvidence) -> bool:
    """Whether a unit grants a point: a concession cue, a point answered by a contrast next,
    or a lean to the other side."""
    return _leans_counter(evidence) or any(key.startswith(_CONCESSION_KEYS)
                                           for key in evidence.keys)


def _content_span(doc: Doc, unit: CandidateUnit):
    """The unit's tokens after a leading conjunction or pause ("and I disagree" is "I
    disagree"), so that its own verb is the span's root."""
    start = unit.token_start
    while start < unit.token_end - 1 and (doc[start].is_punct or doc[start].is_space
                                          or doc[start].lower_ in LEADING_FILLERS):
        start += 1
    return doc[start:unit.token_end]


def _opening_shell(doc: Doc, evidence: list[_UnitEvidence]) -> tuple[frozenset[int], frozenset[int]]:
    """The opening's units that cannot state the position (a bare stance, "and I disagree";
    an announcement; the writer's own story) and those that tell past events."""
    if not doc.has_annotation("DEP"):
        return frozenset(), frozenset()
    shell, told = set(), set()
    for i, e in enumerate(evidence):
        span = _content_span(doc, e.unit)
        if structure.bare_stance(span) or structure.announces_a_point(span) or (
                structure.writer_narrates(span)
                and not structure.has_argument_cue(structure.story_cue_keys(e.keys))):
            shell.add(i)
        elif structure.tells_past(structure.unit_root(span)):
            told.add(i)
    return frozenset(shell), frozenset(told)


def _calibrated(share: float, relevance: float) -> float:
    """The shown score: how sure the label is (its softmax share, rescaled to 0.55-1) times
    how likely the unit is a component at all (``relevance``, 1 for a cued statement)."""
    confidence = max(0.0, (share - 1 / 3) / (2 / 3))
    return relevance * (lexicon.LABEL_SCORE_FLOOR + (1 - lexicon.LABEL_SCORE_FLOOR) * confidence)


def _relevance(evidence: list[_UnitEvidence], labels: list[tuple[str, list[str]]],
               background: set[int], role: str, argues: bool = False) -> list[float]:
    if role == structure.SINGLE:
        return [1.0] * len(evidence)
    # Unmarked units of a short paragraph carry its argument, and so do those of a paragraph
    # that argues throughout (``structure.argues``); a long paragraph that narrates does less.
    unmarked = lexicon.ARGUING_RELEVANCE if argues else min(
        lexicon.UNCUED_RELEVANCE_MAX, max(
            lexicon.UNCUED_RELEVANCE_MIN, lexicon.UNCUED_RELEVANCE_MAX
            - lexicon.UNCUED_RELEVANCE_STEP * max(0, len(evidence) - lexicon.SHORT_PARAGRAPH_UNITS)))
    relevance = []
    for index, e in enumerate(evidence):
        if index in background:
            relevance.append(lexicon.BACKGROUND_RELEVANCE)
        elif "position_opening_stance" in e.keys or (
                labels[index][0] == lexicon.CLAIM and role in (structure.BODY, structure.CLOSING)
                and len(evidence) <= lexicon.SHORT_PARAGRAPH_UNITS + 1):
            relevance.append(1.0)  # the position, or the point of a short paragraph
        else:
            strength = structure.argument_strength(e.reasons)
            relevance.append(min(1.0, unmarked + lexicon.CUE_RELEVANCE * strength))
    return relevance


def _held_back(doc: Doc, evidence: list[_UnitEvidence], scores: list[float],
               role: str, argues: bool = False) -> dict[int, str]:
    """Units of a structured text scored below the threshold, with the reason: questions
    (rhetorical, or headings), and in a long paragraph that narrates all but its strongest
    part (a paragraph that argues throughout shows all its statements)."""
    if role == structure.SINGLE:
        return {}
    held = {i: "a question: rarely a component (shown below the threshold)"
            for i, e in enumerate(evidence)
            if doc.text[e.unit.start:e.unit.end].rstrip().endswith("?")}
    if doc.has_annotation("DEP"):
        for i, e in enumerate(evidence):
            span = _content_span(doc, e.unit)
            if i not in held and structure.bare_stance(span):
                held[i] = ("takes a side on a view stated before: shell language, the "
                           "proposition is elsewhere (shown below the threshold)")
            elif i not in held and structure.bare_comment(span):
                held[i] = ("comments on a point made before: shell language, the "
                           "proposition is elsewhere (shown below the threshold)")
            elif (i not in held and structure.writer_narrates(span)
                  and not structure.has_argument_cue(structure.story_cue_keys(e.keys))):
                held[i] = ("the writer tells what they did or will do: an anecdote, "
                           "rarely a component (shown below the threshold)")
            elif i not in held and structure.in_brackets(doc.text, e.unit.start):
                held[i] = ("an aside in brackets: rarely a component "
                           "(shown below the threshold)")
            elif i not in held and structure.announces_a_point(span):
                held[i] = ("announces a point without making it: shell language, the "
                           "proposition follows (shown below the threshold)")
        if role == structure.BODY and structure.only_narrates(doc, [e.keys for e in evidence]):
            for i in range(len(evidence)):
                held.setdefault(i, "a paragraph that only tells a story (no argument cue): "
                                   "scene-setting, shown below the threshold")
    if role == structure.CLOSING:
        for i, e in enumerate(evidence):
            if i not in held and "conceded_in_closing" in e.keys:
                held[i] = ("conceded in the closing, before the restated position: part of "
                           "its frame, not the other side (shown below the threshold)")
    if len(evidence) > lexicon.SHORT_PARAGRAPH_UNITS and not argues:
        sentences = len({e.unit.sentence_index for e in evidence})
        allowed = max(lexicon.SHORT_PARAGRAPH_UNITS // 2,
                      math.ceil(sentences * lexicon.LONG_PARAGRAPH_SHOWN_SHARE))
        ranked = sorted((i for i in range(len(evidence)) if i not in held),
                        key=lambda i: -scores[i])
        for i in ranked[allowed:]:
            held[i] = ("a long paragraph shows its strongest half by default "
                       "(this one is below the threshold)")
    return held


# The reason a unit is held back below the threshold, as a learning feature (by the first
# words of its readable reason in ``_held_back``).
_HELD_BACK_KEYS = {"a question: ": "question", "takes a side": "bare_stance",
                   "comments on ": "bare_comment", "conceded in ": "conceded_in_closing",
                   "a long parag": "long_paragraph", "the writer t": "own_story",
                   "a paragraph ": "only_narrates",
                   "announces a ": "announcement", "an aside in ": "aside"}


def suggest_doc(doc: Doc, paragraph_index: int = 0, finder: CueFinder | None = None,
                role: str = structure.SINGLE, learned: LearnedSplits | None = None,
                record_sites: bool = False, argues: bool = False) -> list[CandidateSuggestion]:
    """Candidate suggestions for one paragraph Doc produced by the pipeline.

    ``role`` is the paragraph's place in a structured text (``structure.shape_of``); a
    lone paragraph (``SINGLE``) keeps its units' connectives and the per-paragraph rules.
    ``learned`` are a project's own split sites (``candidates.LearnedSplits``);
    ``record_sites`` keeps each unit's sites in its context (what learning needs).
    ``argues``: the paragraph argues throughout (``structure.argues``; structured texts only):
    its unmarked statements keep their relevance and a long one is not cut to its strongest part.
    """
    if role == structure.TITLE:
        return []
    units = candidate_units(doc, learned, record_sites)
    if not units:
        return []
    if finder is None:
        raise ValueError("suggest_doc needs the CueFinder of the pipeline that made the Doc: "
                         "pass finder=cue_finder_for(nlp)")
    argues = argues and role != structure.SINGLE
    # (The opening's conceded points stay background before the position.)
    evidence = _gather(doc, units, finder.find(doc),
                       structured=role in (structure.BODY, structure.CLOSING),
                       body=role == structure.BODY)
    if role == structure.BODY:
        _writers_own_contrasts(doc, evidence)
    _add_position_and_tense(doc, evidence)
    not_position, told = (_opening_shell(doc, evidence) if role == structure.OPENING
                          else (frozenset(), frozenset()))
    background = _apply_role(evidence, role, argues, not_position, told) \
        if role != structure.SINGLE else set()
    questions = frozenset(
        i for i, e in enumerate(evidence) if role != structure.SINGLE
        and doc.text[e.unit.start:e.unit.end].rstrip().endswith("?"))
    labelled = _label_units(evidence, questions, role, argues)
    relevance = _relevance(evidence, labelled, background, role, argues)
    scores = [_calibrated(_softmax_share(e.scores, label), r)
              for e, (label, _extra), r in zip(evidence, labelled, relevance)]
    held_back = _held_back(doc, evidence, scores, role, argues)
    suggestions = []
    text = doc.text
    for position, (unit_evidence, (label, extra)) in enumerate(zip(evidence, labelled)):
        unit = unit_evidence.unit
        start = unit.start
        if role != structure.SINGLE:
            start = structure.shell_end(text, unit.start, unit.end)
            if start > unit.start and doc.has_annotation("DEP"):
                start = structure.subordinate_kept(doc, unit.token_start, unit.token_end, start)
        reasons = _reasons_for(unit_evidence, label, extra)
        score = scores[position]
        if position in background:
            reasons.append("background before the writer's position (shown below the threshold)")
        elif position in held_back:
            score *= lexicon.HELD_BACK_FACTOR
            reasons.append(held_back[position])
        suggestions.append(CandidateSuggestion(
            paragraph_index=paragraph_index,
            start=start,
            end=unit.end,
            quote=text[start:unit.end],
            label=label,
            score=round(score, 3),
            cues=reasons,
            cue_keys=list(unit_evidence.keys),
            label_scores={k: round(v, 3) for k, v in unit_evidence.scores.items()},
            context={"role": role, "unit": position, "units": len(evidence),
                     "sentence": unit.sentence_index, "stripped": start - unit.start,
                     "unit_start": unit.start, "shell": text[unit.start:start],
                     "background": position in background, "argues": argues,
                     "split_key": unit.split_key, "sites": unit.sites,
                     "held_back": _HELD_BACK_KEYS.get(held_back.get(position, "")[:12], "")},
        ))
    # Neighbour context for learning: the rules' label and the opening word of the units
    # before and after, and the site key of the rules' split point where a unit ends inside
    # its sentence (what people who merge across it teach).
    for position, suggestion in enumerate(suggestions):
        if position + 1 < len(evidence) and evidence[position + 1].unit.split_key:
            suggestion.context["end_split_key"] = evidence[position + 1].unit.split_key
        for side, other in (("previous", position - 1), ("next", position + 1)):
            if 0 <= other < len(suggestions):
                neighbour = suggestions[other]
                suggestion.context[side] = (neighbour.label, _opening_word(neighbour.quote))
    return suggestions


def _opening_word(quote: str) -> str:
    for word in quote.split():
        word = word.strip(".,;:!?\"'()\u201c\u201d\u2018\u2019").lower()
        if word:
            return word
    return ""


def suggest_paragraphs(texts: Iterable[str], nlp: Language | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE,
                       progress: Callable[[int], None] | None = None,
                       learned: LearnedSplits | None = None, record_sites: bool = False,
                       docs: Iterable[Doc] | None = None,
                       ) -> list[list[CandidateSuggestion]]:
    """Suggestions for each paragraph of one text, in order (one list per paragraph).

    The paragraphs are taken as one text: its shape (title, opening, body, closing) is
    found from all of them first. ``progress`` is called with the paragraphs done so far.
    ``learned`` and ``record_sites`` go to ``suggest_doc``; ``docs`` are the paragraphs
    already parsed by ``nlp`` (evaluation re-suggests the same texts many times).
    """
    nlp = nlp if nlp is not None else load_pipeline().nlp
    finder = cue_finder_for(nlp)
    texts = list(texts)
    shape = structure.shape_of(texts)
    results = []
    parsed = docs if docs is not None else nlp.pipe(texts, batch_size=batch_size)
    if shape.structured:
        # Whether each paragraph argues throughout is read against its whole text first.
        parsed = list(parsed)
        narrating = [structure.narrating_sentences(doc) if role != structure.TITLE else (0, 0)
                     for doc, role in zip(parsed, shape.roles)]
        whole = (sum(n for n, _ in narrating), sum(t for _, t in narrating))
        arguing = [structure.argues(counts, whole) for counts in narrating]
    else:
        arguing = [False] * len(texts)
    for index, doc in enumerate(parsed):
        results.append(suggest_doc(doc, index, finder, shape.roles[index], learned,
                                   record_sites, arguing[index]))
        if progress is not None and (index + 1) % batch_size == 0:
            progress(index + 1)
    if progress is not None:
        progress(len(texts))
    return results


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
