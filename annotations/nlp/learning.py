"""Learning from people's decisions: a per-project model over the rules' own view of a unit.

A project's decisions become labelled examples: an accepted suggestion (with the label and
the boundaries it was accepted with), a rejected one (label ``none``), a manual span, and,
without counting as decisions, *implicit* ``none`` examples: suggestions below the
threshold that the person who reviewed their document left alone. Each example is
described by what the rules saw (``features``): the rules' label and calibrated score, the
cues that fired, where the unit stands (the paragraph's role in the text, first or last
unit, background before the position, why the rules held it back), its neighbours (their
rules' label and opening word) and its opening words. A multinomial logistic regression
over claim / evidence / counterclaim / none is fitted with L2 regularisation *towards the
rules*: its starting weights reproduce the rules' label and score; the label columns are
held more firmly than the ``none`` column (what this project shows), and how firmly is
chosen per project by cross-validation over its decisions (``_chosen_scale``), so a
project whose decisions agree with the rules keeps them and one whose decisions differ
moves away. It learns the ``none`` class, so scores of what this project rejects or
leaves alone fall below the threshold and what it keeps tagging by hand rises above it.
It also learns the **shell** people cut from a suggestion's start when they accept it with
adjusted boundaries ("I think that", "Firstly,") and cuts it from later suggestions; the
**shells the rules cut that people keep** in their units ("First of all, ...", as the
arg-microtexts do: ``ShellHabits``), so later suggestions keep them; and the
**sites** where people split a suggestion into two units or keep it whole
(``learned_splits``: a site key split at least ``MIN_SPLIT_COUNT`` times and more often
than kept whole becomes a split point of the project's future suggestions; a rule split
point people merge across more often than they keep is dropped). It learns **where each kind
of paragraph holds its claims** (``learned_paragraph_habits``: the first or last point on the
writer's side, one at each end, or none), and where a habit is learned the units of such a
paragraph compete for the claim instead of being labelled one by one; and, per label, how
likely a unit must be to be shown (``learned_label_thresholds``: half the F1 the rules reach
on it here), so a project that rejects much of a label still sees it. With fewer decisions
than cross-validation needs, the model is held to the rules everywhere. NumPy on the CPU; a few
hundred examples train in well under a second. ``model_to_bytes`` / ``model_from_bytes``
store it in PostgreSQL. No ORM.
"""
from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np
import srsly

from annotations.nlp import lexicon
from annotations.nlp.candidates import CLASS_PREFIX, SITE_CLASSES, LearnedSplits, site_class
from annotations.nlp.suggest import DEFAULT_THRESHOLD, CandidateSuggestion

NONE_LABEL = "none"
CLASSES = (*lexicon.LABELS, NONE_LABEL)
MIN_EXAMPLES = 10
FORMAT_VERSION = 7
# Format 2 had no learned splits, 3 no shell habits, 4 no class keys among its splits
# ("class:subordinator|clause": an older reader would skip them, so they got a format),
# 5 no paragraph habits (where a paragraph's claim stands), 6 no per-label thresholds.
READABLE_FORMATS = (2, 3, 4, 5, 6, 7)
# Starting weights that reproduce the rules: "the rules said X" gives class X a logit of
# PRIOR_WEIGHT, and "none" starts at PRIOR_WEIGHT + log((1 - score) / score), so the model's
# probability of the rules' label starts at about the rules' calibrated score.
PRIOR_WEIGHT = 4.0
L2 = 1.0  # pull towards the starting weights (the rules) of the label columns
L2_NONE = 0.3  # and of the "none" column
PULL_SCALES = (0.3, 1.0, 3.0, 10.0, 30.0)  # candidate scales of both, chosen by cross-validation
CV_FOLDS = 5
CV_MAX_EXAMPLES = 400
CV_MIN_PER_FOLD = 3  # fewer decisions: the firmest pull (with 2, ten decisions from two
# microtexts could choose the freest pull and lose what the rules knew on the others)
CV_STANDARD_ERRORS = 0.5  # a firmer pull this close to the likeliest (in standard errors) is chosen
EPOCHS = 300
LEARNING_RATE = 0.5
MIN_SHELL_COUNT = 2  # a cut prefix is learned once people made it this often
MIN_SPLIT_COUNT = 2  # a site is split at (or kept whole) once people did it this often
# Shells the rules cut: one is kept once people kept it this often (and more often than they
# left it out); any other shell is kept once people kept shells this often in all, more often
# than they left them out.
MIN_SHELL_KEPT = 2
MIN_SHELLS_KEPT_IN_ALL = 3
WORD = re.compile(r"[a-z']+")


class NotEnoughExamples(ValueError):
    """Too few labelled examples to train and measure a project model."""


@dataclass(frozen=True)
class LabelledExample:
    """One decision: a span's text and the label people gave it (``none`` = rejected).

    ``features`` are the rules' view of the suggestion (``features_of``); a manual span with
    no suggestion under it has its words only. ``cut_prefix`` is the text people removed from
    the start of the suggestion when they accepted it with other boundaries. ``boundaries``
    are the site keys (``candidates.split_sites``) of the suggestion where people's units
    split two units, ``inside`` those that fall inside one of their units; ``split_kept``
    and ``split_merged`` are the keys of rules' split points (where the suggestion starts)
    that people kept as a boundary or merged across.
    """

    text: str
    label: str
    features: dict[str, float] | None = None
    cut_prefix: str = ""
    boundaries: tuple[str, ...] = ()
    inside: tuple[str, ...] = ()
    split_kept: tuple[str, ...] = ()
    split_merged: tuple[str, ...] = ()
    # Not a decision: a suggestion below the threshold that the person who reviewed its
    # document left alone (no decision, none of their spans over it), read as "not a unit".
    implicit: bool = False
    # The leading shell the rules cut from the suggestion ("First of all,"), when people's
    # unit kept it (``shell_kept``) or left it out as the rules did (``shell_cut``).
    shell_kept: str = ""
    shell_cut: str = ""
    # The text the decision was made on (a document's id): cross-validation holds out whole
    # texts, since what is learned must hold on the project's other texts.
    document: str = ""
    # The paragraph it was decided in (any key unique in the project) and where its unit
    # starts there: how many claims a paragraph holds and where they stand is read from them
    # (``learned_paragraph_habits``).
    paragraph: str = ""
    start: int = -1


def _shell_key(shell: str) -> str:
    return " ".join(_words(shell))


@dataclass(frozen=True)
class ShellHabits:
    """Which of the leading shells the rules cut ("First of all,", "I think that") this
    project keeps inside its units: the shells (as their words) people kept, those they left
    out, and, for any other shell, whether people kept shells more often than not."""

    keep: frozenset[str] = frozenset()
    cut: frozenset[str] = frozenset()
    keep_others: bool = False

    def keeps(self, shell: str) -> bool:
        key = _shell_key(shell)
        if not key:
            return False
        if key in self.keep:
            return True
        return key not in self.cut and self.keep_others

    def __bool__(self) -> bool:
        return bool(self.keep or self.keep_others)


@dataclass
class ProjectModel:
    """Weights over named features, the classes, and the shells learned from boundaries."""

    vocabulary: dict[str, int]
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    trained_on: int
    shells: list[str] = field(default_factory=list)
    splits: LearnedSplits = field(default_factory=LearnedSplits)
    shell_habits: ShellHabits = field(default_factory=ShellHabits)
    pull: float = 1.0  # the scale of the pull towards the rules it was trained with
    # Paragraph kind ("body", "body+counterclaim" ...) -> where its claim stands ("first",
    # "last") or "none" (``learned_paragraph_habits``); decoded per paragraph.
    paragraph_habits: dict[str, str] = field(default_factory=dict)
    # Label -> the probability (of being a unit at all) from which a unit with that label is
    # shown (``learned_label_thresholds``); labels not named use the caller's threshold.
    label_thresholds: dict[str, float] = field(default_factory=dict)

    def probabilities(self, features: Sequence[dict[str, float]]) -> np.ndarray:
        matrix = _matrix(features, self.vocabulary)
        return _softmax(matrix @ self.weights + self.bias)


@dataclass
class TrainingResult:
    model: ProjectModel
    accuracy: float  # the model on held-back examples
    rule_accuracy: float  # the rule-based labels on the same held-back examples
    trained_on: int
    held_back: int
    labels: tuple[str, ...] = CLASSES

    @property
    def nlp(self) -> ProjectModel:  # the name callers used for the model
        return self.model


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def features_of(suggestion: CandidateSuggestion) -> dict[str, float]:
    """What the rules saw of a suggestion, as named features for the project model."""
    score = min(max(float(suggestion.score), 0.02), 0.98)
    features: dict[str, float] = {f"rule={suggestion.label}": 1.0,
                                  "rule_none_logit": math.log((1 - score) / score)}
    for key in set(suggestion.cue_keys):
        features[f"cue={key}"] = 1.0
    context = suggestion.context or {}
    role = context.get("role")
    if role:
        features[f"role={role}"] = 1.0
    units, unit = context.get("units"), context.get("unit")
    if units is not None and unit is not None:
        if unit == 0:
            features["unit=first"] = 1.0
            features[f"role={role}&first"] = 1.0
        if unit == units - 1:
            features["unit=last"] = 1.0
            features[f"role={role}&last"] = 1.0
        features["unit=only"] = 1.0 if units == 1 else 0.0
    if context.get("background"):
        features["background"] = 1.0
    if context.get("held_back"):
        features[f"held={context['held_back']}"] = 1.0
    # The neighbours: the rules' label and the opening word of the units before and after.
    for side in ("previous", "next"):
        neighbour = context.get(side)
        if neighbour:
            label, word = neighbour
            features[f"{side}_rule={label}"] = 1.0
            features[f"{side}_first={word}"] = 1.0
        elif units is not None:
            features[f"{side}=none"] = 1.0
    features.update(_word_features(suggestion.quote))
    return features


WORD_FEATURES = False  # every word of the unit, besides its first words (overfits 50 decisions)


def _word_features(text: str) -> dict[str, float]:
    words = _words(text)
    features = {f"w={word}": 1.0 for word in set(words)} if WORD_FEATURES else {}
    if words:
        features[f"first={words[0]}"] = 1.0
        features[f"first2={' '.join(words[:2])}"] = 1.0
    features["long"] = 1.0 if len(words) > 20 else 0.0
    return features


_ONE_WORD = re.compile(r"[^\w]*(?:[\w'’-]+[^\w]*)?")
_GAP_CHARACTERS = " \t\r\n\u00a0,;:-\u2013\u2014.!?\"'()"


def boundary_lessons(text: str, units: Sequence[tuple[int, int]],
                     suggestion: CandidateSuggestion, offset: int = 0
                     ) -> dict[str, tuple[str, ...]]:
    """What people's units (``(start, end)`` in ``text``, trimmed) teach about a suggestion's
    sites, as ``LabelledExample`` fields: the sites inside it where they split it
    (``boundaries``) or that they keep inside a unit (``inside``), and whether they kept
    (``split_kept``) or merged across (``split_merged``) the rules' split point where it
    starts. ``offset`` is where the suggestion's paragraph starts in ``text``; the suggestion
    needs its sites (``suggest_paragraphs(record_sites=True)``)."""
    context = suggestion.context or {}

    def lesson(position: int) -> str | None:
        # A split: one of the person's units ends just before the site and another starts
        # there (a shell cut before a unit is learned from its prefix, not here).
        # The unit after may leave the site's own word out ("..., so | they would ...").
        starts = any(position <= start and _ONE_WORD.fullmatch(text[position:start])
                     for start, _end in units)
        ends = any(end <= position and not text[end:position].strip(_GAP_CHARACTERS)
                   for _start, end in units)
        if starts and ends:
            return "split"
        if any(start < position < end for start, end in units):
            return "inside"
        return None

    lessons: dict[str, list[str]] = {"boundaries": [], "inside": [], "split_kept": [],
                                     "split_merged": []}
    for position, key in context.get("sites", ()):
        found = lesson(offset + position)
        if found:
            lessons["boundaries" if found == "split" else "inside"].append(key)
    if context.get("split_key"):
        found = lesson(offset + int(context.get("unit_start", suggestion.start)))
        if found:
            lessons["split_kept" if found == "split" else "split_merged"].append(
                context["split_key"])
    # The rules' split point where the suggestion ends: a unit of theirs that runs on across
    # it merges it (kept is learned from the next suggestion's start, when they accept it).
    end = offset + suggestion.end
    if context.get("end_split_key") and any(start < end and end < stop - 1
                                            for start, stop in units):
        lessons["split_merged"].append(context["end_split_key"])
    elif context.get("end_split_key"):
        # A unit of theirs ends where the suggestion does and another starts after it: the
        # split point is kept. Counted at this end too, or only merges were read here and a
        # split people keep looked merged (two merges against one kept taught essays_dev2 to
        # keep ", and" clauses whole that its other texts split).
        ends = any(start < end and not text[stop:end].strip(_GAP_CHARACTERS)
                   and not text[end:stop].strip(_GAP_CHARACTERS) for start, stop in units)
        if ends and lesson(end + len(text[end:]) - len(text[end:].lstrip(_GAP_CHARACTERS))) == "split":
            lessons["split_kept"].append(context["end_split_key"])
    return {name: tuple(keys) for name, keys in lessons.items()}


_LEADING_PUNCTUATION = " \t\"'\u201c\u2018("


def shell_lesson(suggestion: CandidateSuggestion, unit_start: int) -> dict[str, str]:
    """What a person's unit starting at ``unit_start`` (in the suggestion's paragraph, trimmed)
    teaches about the shell the rules cut from the suggestion: ``{"shell_kept": shell}`` when
    the unit starts where the rules' unit did (before the shell), ``{"shell_cut": shell}``
    when it starts at or after the cut, nothing when there was no shell or it starts inside
    it. ``suggestion`` is the rules' (its ``context`` says where its unit began)."""
    context = suggestion.context or {}
    shell = str(context.get("shell") or "")
    if not _shell_key(shell):
        return {}
    lead = len(shell) - len(shell.lstrip(_LEADING_PUNCTUATION))
    if unit_start <= int(context.get("unit_start", suggestion.start)) + lead:
        return {"shell_kept": shell}
    if unit_start >= suggestion.start:
        return {"shell_cut": shell}
    return {}


def learned_shell_habits(examples: Sequence[LabelledExample]) -> ShellHabits:
    """The shells people keep (``MIN_SHELL_KEPT`` times, more often than they cut them) or cut
    (as often, at least as often as they keep them), and whether other shells are kept
    (people kept ``MIN_SHELLS_KEPT_IN_ALL`` shells, more than they cut)."""
    kept = Counter(_shell_key(e.shell_kept) for e in examples if _shell_key(e.shell_kept))
    cut = Counter(_shell_key(e.shell_cut) for e in examples if _shell_key(e.shell_cut))
    return ShellHabits(
        keep=frozenset(k for k, n in kept.items() if n >= MIN_SHELL_KEPT and n > cut[k]),
        cut=frozenset(k for k, n in cut.items() if n >= MIN_SHELL_KEPT and n >= kept[k]),
        keep_others=sum(kept.values()) >= MIN_SHELLS_KEPT_IN_ALL
        and sum(kept.values()) > sum(cut.values()))


# Where a paragraph's claims stand, learned per kind of paragraph (its role in the text, and
# whether it voices a counterclaim): a habit ("first", "last", "first+last": a claim at
# each end, as a closing that restates the position and ends on a call; "none") is learned once this
# many reviewed paragraphs of the kind show it, in this share of them, and it places the
# people's claim in more of them than the rules did (see ``learned_paragraph_habits``).
MIN_HABIT_PARAGRAPHS = 3
HABIT_SHARE = 0.75
MIN_HABIT_FIXED = 2  # paragraphs more where the habit places the claim right than the rules
CLAIM_POSITIONS = ("none", "first", "last", "first+last")


def paragraph_kind(role: str | None, counterclaim: bool) -> str:
    """The kind of paragraph a habit is learned for: its role, and a counterclaim in it."""
    return f"{role or 'unknown'}{'+counterclaim' if counterclaim else ''}"


def _claims_at(position: str, units: int) -> list[int]:
    """The places (0 .. units - 1, on the writer's side) a habit gives the claims."""
    if position == "none" or not units:
        return []
    return sorted({0 if position in ("first", "first+last") else units - 1,
                   *([units - 1] if position == "first+last" else [])})


def _shown_by_rules(example: LabelledExample, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether the rules showed the suggestion an example was decided on (its calibrated
    score, kept in ``rule_none_logit``, at least ``threshold``)."""
    features = example.features or {}
    logit = features.get("rule_none_logit")
    return _prior(features) is not None and logit is not None and \
        1.0 / (1.0 + math.exp(logit)) >= threshold


def _paragraph_as_shown(members: Sequence[LabelledExample]
                        ) -> tuple[str, set[str], bool] | None:
    """One reviewed paragraph as the decoding of a habit sees it: its kind, the habits
    (``CLAIM_POSITIONS``) that would have placed the people's claims right among the units
    the rules *showed* on the writer's side (a shown unit people rejected counts: the decoding
    would have made it the claim if it stood first), and whether the rules' own labels were
    right there. None for a paragraph with no shown unit or no unit of people's. Read over
    people's units only, op-eds whose paragraphs open with a shown unit people reject learned
    "first" and lost 0.06 after 50 decisions (``opeds_dev``)."""
    shown = sorted((e for e in members if _shown_by_rules(e)), key=lambda e: e.start)
    if not shown or any(e.start < 0 for e in shown):
        return None
    role = next((name[5:] for e in members for name in (e.features or {})
                 if name.startswith("role=")), None)
    counterclaim = any(e.label == lexicon.COUNTERCLAIM for e in members) or any(
        _prior(e.features or {}) == lexicon.COUNTERCLAIM for e in shown)
    kind = paragraph_kind(role, counterclaim)
    side = [e for e in shown if _prior(e.features or {}) in (lexicon.CLAIM, lexicon.EVIDENCE)]
    people = [e.label == lexicon.CLAIM for e in side]
    positions = {position for position in CLAIM_POSITIONS
                 if [k in _claims_at(position, len(side)) for k in range(len(side))] == people}
    if not any(e.label != NONE_LABEL for e in members):
        return None
    rules_right = all((_prior(e.features or {}) == lexicon.CLAIM) == (e.label == lexicon.CLAIM)
                      for e in shown)
    return kind, positions, rules_right


def learned_paragraph_habits(examples: Sequence[LabelledExample]) -> dict[str, str]:
    """Where the claims of each kind of paragraph stand in this project (``paragraph_kind`` ->
    one of ``CLAIM_POSITIONS``), read from the reviewed paragraphs as the decoding will see
    them (``_paragraph_as_shown``: the units the rules showed there, in the order they start,
    with the labels people gave them, a rejected one included). A position is learned for a
    kind when ``MIN_HABIT_PARAGRAPHS`` paragraphs of it show it, in a ``HABIT_SHARE`` of them,
    and it would have put the claims where people did in ``MIN_HABIT_FIXED`` more of them
    than the rules did (paragraphs where the rules were right and the habit is not count
    against it): a position a few texts show by chance, where the rules already place the
    claim well, is not learned."""
    by_paragraph: dict[str, list[LabelledExample]] = {}
    for example in examples:
        if example.paragraph and not example.implicit:
            by_paragraph.setdefault(example.paragraph, []).append(example)
    seen: dict[str, list[tuple[set[str], bool]]] = {}
    for members in by_paragraph.values():
        found = _paragraph_as_shown(members)
        if found:
            kind, positions, rules_right = found
            seen.setdefault(kind, []).append((positions, rules_right))
    habits = {}
    for kind, paragraphs in seen.items():
        if len(paragraphs) < MIN_HABIT_PARAGRAPHS:
            continue
        gains = {}
        for position in CLAIM_POSITIONS:
            holds = [position in positions for positions, _rules_right in paragraphs]
            fixed = sum(h and not right for h, (_p, right) in zip(holds, paragraphs))
            broken = sum(not h and right for h, (_p, right) in zip(holds, paragraphs))
            if sum(holds) >= HABIT_SHARE * len(paragraphs) and fixed - broken >= MIN_HABIT_FIXED:
                gains[position] = fixed - broken
        if gains:  # the one that places the most claims right (the first named on a tie)
            habits[kind] = max(gains, key=lambda position: (gains[position], -CLAIM_POSITIONS.index(position)))
    return habits


# Per label, how likely a unit must be for it to be shown: half the F1 the rules reach on
# that label in this project's decisions (the F1-optimal threshold of a calibrated
# classifier is half the best F1, Lipton et al. 2014), never above the caller's threshold nor
# below ``LOWEST_THRESHOLD``; learned once ``MIN_THRESHOLD_DECISIONS`` shown suggestions of
# the label were decided on, and not before cross-validation can choose a pull.
MIN_THRESHOLD_DECISIONS = 5
LOWEST_THRESHOLD = 0.15


def learned_label_thresholds(examples: Sequence[LabelledExample],
                             threshold: float = DEFAULT_THRESHOLD) -> dict[str, float]:
    """Label -> the probability of being a unit from which the label is shown. The model's
    score is a calibrated probability: in a project that rejects two thirds of the evidence
    the rules show, it rightly falls below 0.5 for most evidence, and hiding it all costs more
    F1 than showing it (op-eds: evidence F1 0.30 -> 0.00 after 25 decisions). So each label
    is shown from half the F1 the rules reach on it in the decisions (true positives: shown
    with that label and accepted with it; false: shown with it and rejected or relabelled;
    missed: people's units of the label the rules did not show with it)."""
    if _too_few_to_choose(examples):
        return {}
    counts = {label: Counter() for label in lexicon.LABELS}
    for example in examples:
        if example.implicit:
            continue
        rule = _prior(example.features or {})
        shown = _shown_by_rules(example, threshold)
        if shown:
            counts[rule]["shown"] += 1
            counts[rule]["tp" if example.label == rule else "fp"] += 1
        if example.label in counts and not (shown and rule == example.label):
            counts[example.label]["fn"] += 1
    thresholds = {}
    for label, c in counts.items():
        if c["shown"] >= MIN_THRESHOLD_DECISIONS:
            f1 = 2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"])
            thresholds[label] = round(max(LOWEST_THRESHOLD, min(threshold, f1 / 2)), 3)
    return thresholds


def _prior(features: dict[str, float]) -> str | None:
    for label in lexicon.LABELS:
        if features.get(f"rule={label}"):
            return label
    return None


def _matrix(rows: Sequence[dict[str, float]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), len(vocabulary)), dtype=np.float32)
    for i, row in enumerate(rows):
        for name, value in row.items():
            j = vocabulary.get(name)
            if j is not None:
                matrix[i, j] = value
    return matrix


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _start_weights(vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    weights = np.zeros((len(vocabulary), len(CLASSES)), dtype=np.float32)
    for c, label in enumerate(lexicon.LABELS):
        j = vocabulary.get(f"rule={label}")
        if j is not None:
            weights[j, c] = PRIOR_WEIGHT
    j = vocabulary.get("rule_none_logit")
    if j is not None:
        weights[j, CLASSES.index(NONE_LABEL)] = 1.0
    bias = np.zeros(len(CLASSES), dtype=np.float32)
    bias[CLASSES.index(NONE_LABEL)] = PRIOR_WEIGHT
    return weights, bias


def _l2_by_class(scale: float = 1.0, firm: bool = False) -> np.ndarray:
    """The pull towards the rules per class column: the labels' columns (what the rules
    know) are held more firmly than the ``none`` column (what this project shows), except
    when ``firm`` (too few decisions to choose a pull: all as firmly as the labels)."""
    strength = np.full(len(CLASSES), L2 * scale, dtype=np.float32)
    if not firm:
        strength[CLASSES.index(NONE_LABEL)] = L2_NONE * scale
    return strength


# Where a unit stands (the paragraph's role, first / last / only unit, background, why the
# rules held it back, the neighbours' rule labels, its length): a handful of dense features
# that recur in every text, so a project's decisions teach them quickly; they are pulled
# towards the rules ``STRUCTURE_PULL`` times as firmly as the sparse ones (cues, words).
STRUCTURE_PREFIXES = ("role=", "unit=", "background", "held=", "previous_rule=", "next_rule=",
                      "previous=", "next=", "long")
STRUCTURE_PULL = 0.1


def _l2_by_feature(vocabulary: dict[str, int], firm: bool = False) -> np.ndarray:
    """The pull per feature row: ``STRUCTURE_PULL`` for where a unit stands, 1 otherwise
    (1 for all when ``firm``: too few decisions to tell a habit from chance)."""
    strength = np.ones(len(vocabulary), dtype=np.float32)
    if firm:
        return strength
    for name, j in vocabulary.items():
        if name.startswith(STRUCTURE_PREFIXES):
            strength[j] = STRUCTURE_PULL
    return strength


def _too_few_to_choose(examples: Sequence[LabelledExample]) -> bool:
    """Fewer decisions than cross-validation needs to choose a pull (``CV_MIN_PER_FOLD`` per
    fold): the model is then held firmly to the rules everywhere (``_fit``)."""
    return sum(not example.implicit for example in examples) < CV_MIN_PER_FOLD * CV_FOLDS


def _bias_pull(examples: Sequence[LabelledExample], scale: float) -> np.ndarray:
    """The pull of each class's bias towards the rules' while decisions are too few to
    choose a pull (``_too_few_to_choose``): the label columns' pull, divided by one plus the
    decisions of that class, so it fades with the evidence for the class; none once there are
    enough (the biases then follow the decisions, as before)."""
    if not _too_few_to_choose(examples):
        return np.zeros(len(CLASSES), dtype=np.float32)
    seen = Counter(example.label for example in examples if not example.implicit)
    return np.array([L2 * scale / (1.0 + seen[label]) for label in CLASSES], dtype=np.float32)


def _fit(examples: Sequence[LabelledExample], scale: float | None = None) -> ProjectModel:
    """Fit on ``examples``; ``scale`` multiplies the pull towards the rules (None: chosen by
    cross-validation over the decisions, ``_chosen_scale``)."""
    if scale is None:
        scale = _chosen_scale(examples)
    rows = [example.features or _word_features(example.text) for example in examples]
    counts = Counter(name for row in rows for name in row)
    names = sorted(name for name, count in counts.items()
                   if count >= 2 or name.startswith(("rule=", "rule_none_logit", "role=", "unit=")))
    for name in [*(f"rule={label}" for label in lexicon.LABELS), "rule_none_logit"]:
        if name not in names:
            names.append(name)
    vocabulary = {name: j for j, name in enumerate(names)}
    x = _matrix(rows, vocabulary)
    y = np.zeros((len(examples), len(CLASSES)), dtype=np.float32)
    for i, example in enumerate(examples):
        y[i, CLASSES.index(example.label)] = 1.0
    start_w, start_b = _start_weights(vocabulary)
    w, b = start_w.copy(), start_b.copy()
    n = max(len(examples), 1)
    # Ten decisions are too few to tell a habit from chance: one rejected first unit of a
    # body paragraph taught "first units are not units" through the lightly held structure
    # features, and ten decisions without a counterclaim pushed the counterclaim bias down,
    # hiding the measured texts' counterclaims (essays_dev2, seed 3: -0.14). Until
    # cross-validation can choose, where a unit stands and the "none" column are held as
    # firmly as the rest, and the class biases are pulled towards the rules' too
    # (``_bias_pull``): ten decisions relabel what the rules show, they do not yet hide it
    # (op-eds, six rejections in ten: -0.06 on one seed when the "none" column was free).
    firm = _too_few_to_choose(examples)
    pull = _l2_by_class(scale, firm)[None, :] * _l2_by_feature(vocabulary, firm)[:, None]
    # A proximal step for the pull: the data's gradient step, then the pull applied exactly
    # (stable however firm the pull and however few the examples, as in a small fold).
    shrink = LEARNING_RATE * pull / n
    shrink_bias = LEARNING_RATE * _bias_pull(examples, scale) / n
    for _epoch in range(EPOCHS):
        gradient = (_softmax(x @ w + b) - y) / n
        w = (w - LEARNING_RATE * (x.T @ gradient) + shrink * start_w) / (1.0 + shrink)
        b = (b - LEARNING_RATE * gradient.sum(axis=0) + shrink_bias * start_b) / (1.0 + shrink_bias)
    return ProjectModel(vocabulary=vocabulary, weights=w, bias=b, trained_on=len(examples),
                        shells=_learned_shells(examples), splits=learned_splits(examples),
                        shell_habits=learned_shell_habits(examples), pull=scale,
                        paragraph_habits=learned_paragraph_habits(examples),
                        label_thresholds=learned_label_thresholds(examples))


def _chosen_scale(examples: Sequence[LabelledExample]) -> float:
    """How firmly this project's model holds to the rules, chosen by ``CV_FOLDS``-fold
    cross-validation (folds of whole texts, ``_folds``) and a standard-error rule
    (``firmest_within``): the likeliest scale in ``PULL_SCALES`` (the highest log-likelihood
    of the held-out decisions), unless a firmer one comes within ``CV_STANDARD_ERRORS``
    standard errors of it, in which case the firmest such one. A project whose decisions agree with the rules keeps them; one whose decisions
    differ consistently moves away from them; a small gain that a few decisions could
    reverse keeps the rules (a freer model fitted to 25 decisions can lose what the rules
    knew on the project's other texts)."""
    if len(examples) > CV_MAX_EXAMPLES:  # a large project: choose on a sample, in seconds
        examples = random.Random(0).sample(list(examples), CV_MAX_EXAMPLES)
    decided = [i for i, example in enumerate(examples) if not example.implicit]
    if len(decided) < CV_MIN_PER_FOLD * CV_FOLDS:
        return PULL_SCALES[-1]
    folds = _folds(examples, decided)
    scores: dict[float, np.ndarray] = {}  # scale -> held-out log-likelihood per decision
    for scale in PULL_SCALES:
        per_decision = np.zeros(len(examples))
        for fold in folds:
            held = set(fold)
            model = _fit([e for i, e in enumerate(examples) if i not in held], scale)
            rows = [examples[i].features or _word_features(examples[i].text) for i in fold]
            probabilities = model.probabilities(rows)
            for r, i in enumerate(fold):
                per_decision[i] = math.log(max(float(
                    probabilities[r, CLASSES.index(examples[i].label)]), 1e-6))
        scores[scale] = per_decision[decided]
    return firmest_within(scores)


def firmest_within(scores: dict[float, np.ndarray], standard_errors: float | None = None
                   ) -> float:
    """The one-standard-error rule over held-out log-likelihoods per decision (``scores``:
    scale -> array, the same decisions in the same order): the firmest scale whose mean
    shortfall against the likeliest is at most ``standard_errors`` (default
    ``CV_STANDARD_ERRORS``) standard errors of the paired differences, else the likeliest."""
    standard_errors = CV_STANDARD_ERRORS if standard_errors is None else standard_errors
    best = max(scores, key=lambda scale: (float(scores[scale].sum()), scale))
    for scale in sorted(scores, reverse=True):  # the firmest first
        if scale <= best:
            break
        difference = scores[best] - scores[scale]
        standard_error = float(difference.std(ddof=1)) / math.sqrt(len(difference))
        if float(difference.mean()) <= standard_errors * standard_error:
            return scale
    return best


def _folds(examples: Sequence[LabelledExample], decided: list[int]) -> list[list[int]]:
    """Cross-validation folds over the decided examples: whole texts (``document``) dealt in
    turn to up to ``CV_FOLDS`` folds when the decisions come from two texts or more (a lesson
    one text teaches must also hold on the others), else every ``CV_FOLDS``-th decision."""
    documents = list(dict.fromkeys(examples[i].document for i in decided))
    if len(documents) < 2 or not all(documents):
        return [decided[k::CV_FOLDS] for k in range(CV_FOLDS)]
    fold_of = {document: k % CV_FOLDS for k, document in enumerate(documents)}
    folds: list[list[int]] = [[] for _ in range(min(CV_FOLDS, len(documents)))]
    for i in decided:
        folds[fold_of[examples[i].document]].append(i)
    return folds


MIN_CLASS_SPLITS = 3  # a site class is split at once people split at its sites this often,
MIN_CLASS_WORDS = 2  # at this many different words of the class


def learned_splits(examples: Sequence[LabelledExample]) -> LearnedSplits:
    """Sites the rules do not split at that people split (at least ``MIN_SPLIT_COUNT``
    times, and more often than they kept them inside a unit), classes of sites people split
    at (``candidates.site_class``: ``MIN_CLASS_SPLITS`` times at ``MIN_CLASS_WORDS``
    different words, more often than they kept the class's sites inside a unit), and rules'
    split points people merge across (as often, and more often than they keep them)."""
    split = Counter(key for example in examples for key in example.boundaries)
    whole = Counter(key for example in examples for key in example.inside)
    kept = Counter(key for example in examples for key in example.split_kept)
    merged = Counter(key for example in examples for key in example.split_merged)
    class_split, class_whole = Counter(), Counter()
    class_words: dict[str, set[str]] = {}
    for counter, totals in ((split, class_split), (whole, class_whole)):
        for key, n in counter.items():
            word_class = site_class(key)
            if word_class:
                totals[word_class] += n
                if counter is split:
                    class_words.setdefault(word_class, set()).add(key)
    classes = {k for k, n in class_split.items()
               if n >= MIN_CLASS_SPLITS and len(class_words[k]) >= MIN_CLASS_WORDS
               and n > class_whole[k]}
    return LearnedSplits(
        split=frozenset(k for k, n in split.items() if n >= MIN_SPLIT_COUNT and n > whole[k])
        | frozenset(classes),
        keep=frozenset(k for k, n in merged.items() if n >= MIN_SPLIT_COUNT and n > kept[k]))


def _learned_shells(examples: Sequence[LabelledExample]) -> list[str]:
    cut = Counter(" ".join(_words(example.cut_prefix)) for example in examples
                  if example.cut_prefix and _words(example.cut_prefix))
    return sorted((prefix for prefix, count in cut.items() if count >= MIN_SHELL_COUNT),
                  key=lambda prefix: -len(prefix))


def _validate(examples: Sequence[LabelledExample]) -> None:
    for position, example in enumerate(examples):
        if example.label not in CLASSES:
            raise ValueError(f"example {position + 1} ({example.text[:40]!r}) has label "
                             f"{example.label!r}; expected one of {', '.join(CLASSES)}")
        if not example.text.strip():
            raise ValueError(f"example {position + 1} has no text")
    if sum(not example.implicit for example in examples) < MIN_EXAMPLES:
        raise NotEnoughExamples(f"{len(examples)} labelled examples; at least {MIN_EXAMPLES} "
                                "are needed to train and measure a project model")


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0


def _predicted_labels(model: ProjectModel, examples: Sequence[LabelledExample]) -> list[str]:
    rows = [example.features or _word_features(example.text) for example in examples]
    return [CLASSES[int(i)] for i in model.probabilities(rows).argmax(axis=1)]


def train_project_model(examples: Sequence[LabelledExample], *, held_back_share: float = 0.2,
                        seed: int = 0, refit_on_all: bool = True, **_ignored) -> TrainingResult:
    """Train a project model and measure it against the rules on held-back examples."""
    _validate(examples)
    # Held back: decisions only (implicit examples train but are not what people decided).
    order = [i for i in range(len(examples)) if not examples[i].implicit]
    random.Random(seed).shuffle(order)
    held_count = max(2, round(len(order) * held_back_share))
    held_indices = set(order[:held_count])
    held = [examples[i] for i in order[:held_count]]
    train = [example for i, example in enumerate(examples) if i not in held_indices]
    model = _fit(train)
    gold = [example.label for example in held]
    accuracy = _accuracy(gold, _predicted_labels(model, held))
    rule_accuracy = _accuracy(gold, [_prior(example.features or {}) or lexicon.EVIDENCE
                                     for example in held])
    if refit_on_all:
        model = _fit(examples)
    return TrainingResult(model=model, accuracy=accuracy, rule_accuracy=rule_accuracy,
                          trained_on=model.trained_on, held_back=len(held))


FIRM_PULL = 10.0  # a chosen pull at least this firm: the model follows the rules closely
LESSONS_SHOWN = 3  # shells or sites named per lesson on the project page


def _named(items) -> str:
    items = sorted(items)
    named = ", ".join(f"'{item}'" for item in items[:LESSONS_SHOWN])
    return named + (f" and {len(items) - LESSONS_SHOWN} more" if len(items) > LESSONS_SHOWN else "")


def learned_lessons(model: ProjectModel) -> list[str]:
    """What a project model learned, as short sentences for the project page: how closely it
    follows the rules' labels, the shells it keeps or cuts, the sites it splits at or keeps."""
    lessons = [("follows the rules' labels closely (its decisions mostly agree with them)"
                if model.pull >= FIRM_PULL else
                "moves away from the rules' labels where its decisions differ")]
    habits = model.shell_habits
    if habits.keep_others:
        lessons.append("keeps the leading phrases the rules cut (such as "
                       f"{_named(habits.keep) or 'first of all'}) in its units")
    elif habits.keep:
        lessons.append(f"keeps {_named(habits.keep)} in its units")
    if model.shells:
        lessons.append(f"cuts {_named(model.shells)} from the start of suggestions")
    sites = [key for key in model.splits.split if not key.startswith(CLASS_PREFIX)]
    if sites:
        lessons.append("splits sentences at " + _named(key.partition("|")[0] for key in sites))
    for key in sorted(model.splits.split - set(sites)):
        words, _bar, kind = key.removeprefix(CLASS_PREFIX).partition("|")
        pause, _space, word_class = words.rpartition(" ")
        named = [w for w, c in SITE_CLASSES.items() if c == word_class][:LESSONS_SHOWN]
        lessons.append(f"splits sentences at every {word_class} before a {kind} ("
                       + ", ".join(f"'{pause + ' ' if pause else ''}{w}'" for w in named)
                       + " ...), as people here split at several of them")
    for kind, habit in sorted(model.paragraph_habits.items()):
        lessons.append(paragraph_habit_lesson(kind, habit))
    for label, value in sorted(model.label_thresholds.items()):
        if value < DEFAULT_THRESHOLD:
            named = label if label == lexicon.EVIDENCE else f"{label}s"
            lessons.append(f"shows {named} it is less sure of (from {value:.2f} instead of "
                           f"{DEFAULT_THRESHOLD:.2f}): with how often people here accept them, "
                           "hiding them would lose more than showing them")
    if model.splits.keep:
        lessons.append("keeps sentences whole at " + _named(
            key.partition("|")[0] for key in model.splits.keep))
    return lessons


_ROLE_NAMES = {"opening": "an opening paragraph", "body": "a paragraph of the body",
               "closing": "a closing paragraph", "single": "a text of one paragraph"}


def paragraph_habit_lesson(kind: str, habit: str) -> str:
    """A paragraph habit in plain words ("in a paragraph of the body, the claim is the first
    point made on the writer's side, as people here place it")."""
    role, _plus, counterclaim = kind.partition("+")
    where = _ROLE_NAMES.get(role, "a paragraph")
    if counterclaim:
        where += " that gives the other side's view"
    if habit == "none":
        return f"in {where}, tags no claim (people here tag none there)"
    if habit == "first+last":
        return (f"in {where}, takes the first and the last point made on the writer's side as "
                "its claims, as people here place them")
    return (f"in {where}, takes the {habit} point made on the writer's side as its claim, "
            "as people here place it")


def model_to_bytes(model: ProjectModel) -> bytes:
    """The model (feature names, weights, shells) as bytes for the database."""
    return srsly.msgpack_dumps({
        "format": FORMAT_VERSION, "vocabulary": list(model.vocabulary),
        "weights": model.weights.astype(np.float32).tobytes(), "bias": model.bias.tolist(),
        "trained_on": model.trained_on, "shells": model.shells, "classes": list(CLASSES),
        "splits": sorted(model.splits.split), "keep": sorted(model.splits.keep),
        "shells_kept": sorted(model.shell_habits.keep), "shells_cut": sorted(model.shell_habits.cut),
        "keep_other_shells": model.shell_habits.keep_others, "pull": model.pull,
        "paragraph_habits": dict(sorted(model.paragraph_habits.items())),
        "label_thresholds": dict(sorted(model.label_thresholds.items()))})


def model_from_bytes(data: bytes) -> ProjectModel:
    """A model stored with ``model_to_bytes``."""
    try:
        payload = srsly.msgpack_loads(data)
        version = payload.get("format")
    except Exception as error:  # noqa: BLE001 - any corruption gets the same clear message
        raise ValueError(f"stored project model is not readable ({error})") from error
    if version not in READABLE_FORMATS:
        raise ValueError(f"stored project model has format {version!r}; this version reads "
                         f"format {FORMAT_VERSION} (it is trained again with the next decisions)")
    names = payload["vocabulary"]
    weights = np.frombuffer(payload["weights"], dtype=np.float32).reshape(len(names), len(CLASSES))
    return ProjectModel(vocabulary={name: j for j, name in enumerate(names)},
                        weights=weights.copy(), bias=np.array(payload["bias"], dtype=np.float32),
                        trained_on=int(payload["trained_on"]), shells=list(payload["shells"]),
                        splits=LearnedSplits(frozenset(payload.get("splits", ())),
                                             frozenset(payload.get("keep", ()))),
                        shell_habits=ShellHabits(frozenset(payload.get("shells_kept", ())),
                                                 frozenset(payload.get("shells_cut", ())),
                                                 bool(payload.get("keep_other_shells", False))),
                        pull=float(payload.get("pull", 1.0)),
                        paragraph_habits={str(k): str(v) for k, v in
                                          (payload.get("paragraph_habits") or {}).items()},
                        label_thresholds={str(k): float(v) for k, v in
                                          (payload.get("label_thresholds") or {}).items()})


def _keep_shell(model: ProjectModel, suggestion: CandidateSuggestion) -> CandidateSuggestion | None:
    """The suggestion with the shell the rules cut put back, where this project keeps it."""
    context = suggestion.context or {}
    shell = str(context.get("shell") or "")
    unit_start = int(context.get("unit_start", suggestion.start))
    if not model.shell_habits.keeps(shell) or unit_start + len(shell) != suggestion.start:
        return None
    return replace(suggestion, start=unit_start, quote=shell + suggestion.quote,
                   cues=[*suggestion.cues, f"project model: '{_shell_key(shell)}' is kept in the "
                         "unit, as people here do"])


def _cut_shell(model: ProjectModel, suggestion: CandidateSuggestion) -> CandidateSuggestion:
    words = _words(suggestion.quote)
    for shell in model.shells:
        shell_words = shell.split()
        if words[:len(shell_words)] == shell_words and len(words) > len(shell_words) + 2:
            pattern = r"\W*" + r"\W+".join(re.escape(w) for w in shell_words) + r"[\s,:;–—-]*"
            found = re.match(pattern, suggestion.quote, re.IGNORECASE)
            if found and found.end() < len(suggestion.quote):
                cut = found.end()
                return replace(suggestion, start=suggestion.start + cut,
                               quote=suggestion.quote[cut:],
                               cues=[*suggestion.cues, f"project model: '{shell}' is cut, as "
                                     "people here do"])
    return suggestion


def _decode_by_habit(model: ProjectModel, suggestions: Sequence[CandidateSuggestion],
                     probabilities: np.ndarray, bests: list[int], members: list[int],
                     threshold: float, reasons: dict[int, str]) -> bool:
    """Decode one paragraph's claim by where this project's claims stand in paragraphs of its
    kind (``model.paragraph_habits``): the units shown on the writer's side compete, and the
    first (or last) of them in the text becomes the claim, the others evidence; "none": all
    are evidence. Changes ``bests`` in place and gives the units it labels a reason in
    ``reasons``; False (nothing done) when no habit applies."""
    if not model.paragraph_habits:
        return False
    none = CLASSES.index(NONE_LABEL)
    shown = [i for i in members if 1.0 - float(probabilities[i][none]) >= threshold]
    role = next(((suggestions[i].context or {}).get("role") for i in members), None)
    counterclaim = any(bests[i] == lexicon.LABELS.index(lexicon.COUNTERCLAIM) for i in shown)
    kind = paragraph_kind(role, counterclaim)
    habit = model.paragraph_habits.get(kind)
    claim, evidence = lexicon.LABELS.index(lexicon.CLAIM), lexicon.LABELS.index(lexicon.EVIDENCE)
    side = sorted((i for i in shown if bests[i] in (claim, evidence)),
                  key=lambda i: suggestions[i].start)
    if habit is None or not side:
        return False
    mains = {side[k] for k in _claims_at(habit, len(side))}
    for i in side:
        bests[i] = claim if i in mains else evidence
        reasons[i] = f"project model: {paragraph_habit_lesson(kind, habit)}"
    for i in members:  # a hidden unit does not keep a claim the shown ones no longer have
        if i not in side and bests[i] == claim:
            bests[i] = evidence
    return True


def _rescaled(score: float, own: float, threshold: float) -> float:
    """``score`` mapped so that ``own`` (a label's learned threshold) falls on ``threshold``:
    linear below and above it, so the order of a label's units is kept."""
    if own >= threshold or own <= 0.0:
        return score
    if score < own:
        return score * threshold / own
    return threshold + (score - own) * (1.0 - threshold) / (1.0 - own)


def relabel_suggestions(model: ProjectModel, suggestions: Sequence[CandidateSuggestion], *,
                        drop_none: bool = False, threshold: float = DEFAULT_THRESHOLD
                        ) -> list[CandidateSuggestion]:
    """Rule-based suggestions relabelled and re-scored by a project model, best first.

    The label is the likeliest of claim / evidence / counterclaim; the score is the
    probability that the unit is not ``none``, so what this project would reject falls below
    the threshold but stays reachable — unless ``drop_none``, which drops suggestions whose likeliest class is none.
    """
    if not suggestions:
        return []
    probabilities = model.probabilities([features_of(s) for s in suggestions])
    bests = [max(range(len(lexicon.LABELS)), key=lambda c: row[c]) for row in probabilities]
    # As the rules do, a paragraph where they proposed one main claim keeps at most one: where
    # the model sees a claim there, the unit on the writer's side with the largest
    # claim-over-evidence probability (a paragraph this project gives no claim, such as a
    # counter-argument answered, keeps none).
    claim, evidence = lexicon.LABELS.index(lexicon.CLAIM), lexicon.LABELS.index(lexicon.EVIDENCE)
    by_paragraph: dict[int, list[int]] = {}
    for index, suggestion in enumerate(suggestions):
        by_paragraph.setdefault(suggestion.paragraph_index, []).append(index)
    reasons: dict[int, str] = {}
    for members in by_paragraph.values():
        if _decode_by_habit(model, suggestions, probabilities, bests, members, threshold, reasons):
            continue
        if sum(suggestions[i].label == lexicon.CLAIM for i in members) != 1:
            continue
        writers_side = [i for i in members if bests[i] in (claim, evidence)]
        if any(bests[i] == claim for i in writers_side):
            main = max(writers_side, key=lambda i: (probabilities[i][claim] - probabilities[i][evidence], -i))
            for i in writers_side:
                bests[i] = claim if i == main else evidence
    relabelled = []
    for index, (suggestion, row, best) in enumerate(zip(suggestions, probabilities, bests)):
        if drop_none and row.argmax() == CLASSES.index(NONE_LABEL):
            continue
        # The label is the likeliest of the three; the score is how likely the unit is worth
        # showing at all (not "none"), as the rules' calibrated score is.
        label, score = lexicon.LABELS[best], 1.0 - float(row[CLASSES.index(NONE_LABEL)])
        score = _rescaled(score, model.label_thresholds.get(label, threshold), threshold)
        reason = f"project model: {label} {score:.2f} (learned from {model.trained_on} decisions"
        reason += f"; rules said {suggestion.label})" if label != suggestion.label else ")"
        habit = [reasons[index]] if index in reasons else []
        changed = replace(suggestion, label=label, score=round(score, 3),
                          cues=[reason, *habit, *suggestion.cues])
        relabelled.append(_keep_shell(model, changed) or _cut_shell(model, changed))
    relabelled.sort(key=lambda s: -s.score)
    return relabelled


def math_mean_spread(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
