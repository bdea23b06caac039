"""Learning from people's decisions: a per-project spaCy text classifier over candidate units.

A project's decisions become labelled examples: an accepted suggestion (with the label it
was accepted as), a rejected suggestion (label ``none``), a manual annotation. Each example's
text is given to the classifier together with its argument cues as extra words
(``cue_concessive_connective_at_start``, ``rule_counterclaim``), so the model starts from what
the rules see and learns which cues this project's people trust.

``train_project_model`` holds back a share of the examples, trains a bag-of-words ``textcat``
(exclusive classes claim / evidence / counterclaim / none) on the rest, and reports its
accuracy on the held-back examples next to the accuracy of the rule-based labels on the
same examples; then, by default, it refits on every example. It runs on the CPU in seconds
for a few hundred examples. ``model_to_bytes`` / ``model_from_bytes`` turn the model into
bytes a service can store in PostgreSQL; ``relabel_suggestions`` re-ranks and relabels
rule-based suggestions with it. No ORM here.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import spacy
import srsly
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, load_model_from_config, minibatch

from annotations.nlp import lexicon
from annotations.nlp.cues import cue_finder_for
from annotations.nlp.pipeline import load_pipeline
from annotations.nlp.suggest import CandidateSuggestion, classify_alone

NONE_LABEL = "none"
CLASSES = (*lexicon.LABELS, NONE_LABEL)
MIN_EXAMPLES = 10
FORMAT_VERSION = 1
# How many decisions the rules are worth: the model's say grows as n / (n + PRIOR_STRENGTH).
PRIOR_STRENGTH = 50


class NotEnoughExamples(ValueError):
    """Too few labelled examples to train and measure a project model."""


@dataclass(frozen=True)
class LabelledExample:
    """One decision: a span's text and the label people gave it (``none`` = rejected).

    ``cue_keys`` and ``rule_label`` come from the suggestion when there was one; for manual
    annotations they are computed from the text with the base pipeline.
    """

    text: str
    label: str
    cue_keys: tuple[str, ...] | None = None
    rule_label: str | None = None
    rule_scores: dict[str, float] | None = None  # the rules' label scores, if known


@dataclass
class TrainingResult:
    nlp: Language
    accuracy: float  # the model on held-back examples
    rule_accuracy: float  # the rule-based labels on the same held-back examples
    trained_on: int
    held_back: int
    labels: tuple[str, ...] = CLASSES


def _feature_word(key: str) -> str:
    return "cue_" + re.sub(r"[^0-9a-zA-Z]+", "_", key).strip("_").lower()


def featurize(text: str, cue_keys: Iterable[str], rule_label: str) -> str:
    """The classifier's input: the span's words, then its cues and rule label as words."""
    features = " ".join(sorted({_feature_word(key) for key in cue_keys}))
    return f"{text} \n {features} rule_{rule_label}"


def complete_examples(examples: Sequence[LabelledExample],
                      base_nlp: Language | None = None) -> list[LabelledExample]:
    """Examples with cue keys and rule labels filled in where missing (one nlp.pipe pass)."""
    missing = [i for i, ex in enumerate(examples) if ex.cue_keys is None or ex.rule_label is None]
    completed = list(examples)
    if missing:
        base_nlp = base_nlp if base_nlp is not None else load_pipeline().nlp
        finder = cue_finder_for(base_nlp)
        texts = [examples[i].text for i in missing]
        for i, doc in zip(missing, base_nlp.pipe(texts)):
            label, keys, scores = classify_alone(doc, finder)
            example = examples[i]
            completed[i] = replace(
                example,
                cue_keys=tuple(keys) if example.cue_keys is None else example.cue_keys,
                rule_label=label if example.rule_label is None else example.rule_label,
                rule_scores=scores if example.rule_label is None else example.rule_scores,
            )
    return completed


def _validate(examples: Sequence[LabelledExample]) -> None:
    for position, example in enumerate(examples):
        if example.label not in CLASSES:
            raise ValueError(f"example {position + 1} ({example.text[:40]!r}) has label "
                             f"{example.label!r}; expected one of {', '.join(CLASSES)}")
        if not example.text.strip():
            raise ValueError(f"example {position + 1} has no text")
    if len(examples) < MIN_EXAMPLES:
        raise NotEnoughExamples(f"{len(examples)} labelled examples; at least {MIN_EXAMPLES} "
                                "are needed to train and measure a project model")


def new_classifier() -> Language:
    """A blank English pipeline with an untrained bag-of-words exclusive text classifier."""
    nlp = spacy.blank("en")
    nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
        "ngram_size": 2, "no_output_layer": False, "length": 2 ** 16,
    }})
    return nlp


def _to_spacy_examples(nlp: Language, examples: Sequence[LabelledExample]) -> list[Example]:
    converted = []
    for example in examples:
        doc = nlp.make_doc(featurize(example.text, example.cue_keys or (),
                                     example.rule_label or lexicon.EVIDENCE))
        cats = {label: float(label == example.label) for label in CLASSES}
        converted.append(Example.from_dict(doc, {"cats": cats}))
    return converted


def _fit(examples: Sequence[LabelledExample], epochs: int, seed: int) -> Language:
    fix_random_seed(seed)
    nlp = new_classifier()
    textcat = nlp.get_pipe("textcat")
    for label in CLASSES:
        textcat.add_label(label)
    training = _to_spacy_examples(nlp, examples)
    optimizer = nlp.initialize(lambda: training)
    shuffler = random.Random(seed)
    for _epoch in range(epochs):
        shuffler.shuffle(training)
        for batch in minibatch(training, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    return nlp


def predict(nlp: Language, texts: Sequence[str], cue_keys: Sequence[Iterable[str]],
            rule_labels: Sequence[str]) -> list[dict[str, float]]:
    """Class probabilities for each text with its cues and rule label."""
    inputs = [featurize(text, keys, rule) for text, keys, rule in
              zip(texts, cue_keys, rule_labels)]
    return [dict(doc.cats) for doc in nlp.pipe(inputs)]


def rule_distribution(rule_label: str, rule_scores: dict[str, float] | None) -> dict[str, float]:
    """The rules' belief as probabilities over the classes (the rules never say ``none``)."""
    if rule_scores:
        top = max(rule_scores.values())
        weights = {label: math.exp(rule_scores.get(label, 0.0) - top) for label in lexicon.LABELS}
    else:
        weights = {label: (0.7 if label == rule_label else 0.15) for label in lexicon.LABELS}
    total = sum(weights.values())
    distribution = {label: weight / total for label, weight in weights.items()}
    distribution[NONE_LABEL] = 0.0
    return distribution


def blend(model_probabilities: dict[str, float], rules: dict[str, float],
          trained_on: int) -> dict[str, float]:
    """The model's probabilities shrunk towards the rules': with few decisions the rules
    dominate, with many the model does (``trained_on / (trained_on + PRIOR_STRENGTH)``)."""
    weight = trained_on / (trained_on + PRIOR_STRENGTH)
    return {label: weight * model_probabilities.get(label, 0.0)
            + (1 - weight) * rules.get(label, 0.0) for label in CLASSES}


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0


def train_project_model(examples: Sequence[LabelledExample], *, base_nlp: Language | None = None,
                        held_back_share: float = 0.2, epochs: int = 15, seed: int = 0,
                        refit_on_all: bool = True) -> TrainingResult:
    """Train a project model and measure it against the rules on held-back examples."""
    _validate(examples)
    examples = complete_examples(examples, base_nlp)
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    held_count = max(2, round(len(examples) * held_back_share))
    held = [examples[i] for i in order[:held_count]]
    train = [examples[i] for i in order[held_count:]]
    model = _fit(train, epochs, seed)
    probabilities = predict(model, [ex.text for ex in held], [ex.cue_keys for ex in held],
                            [ex.rule_label for ex in held])
    blended = [blend(p, rule_distribution(ex.rule_label, ex.rule_scores), len(train))
               for p, ex in zip(probabilities, held)]
    predicted = [max(p, key=p.get) for p in blended]
    gold = [ex.label for ex in held]
    accuracy = _accuracy(gold, predicted)
    rule_accuracy = _accuracy(gold, [ex.rule_label for ex in held])
    if refit_on_all:
        model = _fit(examples, epochs, seed)
    model.meta["argmap"] = {"trained_on": len(examples) if refit_on_all else len(train)}
    return TrainingResult(nlp=model, accuracy=accuracy, rule_accuracy=rule_accuracy,
                          trained_on=len(examples) if refit_on_all else len(train),
                          held_back=len(held))


def model_to_bytes(nlp: Language) -> bytes:
    """The trained classifier (configuration and weights) as bytes for the database."""
    return srsly.msgpack_dumps({"format": FORMAT_VERSION, "config": nlp.config.to_str(),
                                "weights": nlp.to_bytes()})


def model_from_bytes(data: bytes) -> Language:
    """A classifier stored with ``model_to_bytes``."""
    try:
        payload = srsly.msgpack_loads(data)
        config = spacy.util.load_config_from_str(payload["config"])
    except Exception as error:  # noqa: BLE001 - any corruption gets the same clear message
        raise ValueError(f"stored project model is not readable ({error})") from error
    if payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"stored project model has format {payload.get('format')!r}; "
                         f"this version reads format {FORMAT_VERSION}")
    nlp = load_model_from_config(config, auto_fill=True)
    return nlp.from_bytes(payload["weights"])


def relabel_suggestions(model: Language, suggestions: Sequence[CandidateSuggestion], *,
                        drop_none: bool = True) -> list[CandidateSuggestion]:
    """Rule-based suggestions relabelled and re-scored by a project model, best first.

    The model's probabilities are blended with the rules' (``blend``), then, as the rules do,
    each paragraph keeps one main claim: the unit with the highest claim-over-evidence
    probability among those not judged counterclaim or ``none``. Suggestions judged ``none``
    (what this project rejects) are dropped unless ``drop_none`` is false, in which case they
    keep a label with a low score.
    """
    trained_on = int(model.meta.get("argmap", {}).get("trained_on", 0))
    probabilities = predict(model, [s.quote for s in suggestions],
                            [s.cue_keys for s in suggestions], [s.label for s in suggestions])
    blended = [blend(p, rule_distribution(s.label, s.label_scores or None), trained_on)
               for p, s in zip(probabilities, suggestions)]
    labels = [max(p, key=p.get) for p in blended]
    by_paragraph: dict[int, list[int]] = {}
    for index, suggestion in enumerate(suggestions):
        by_paragraph.setdefault(suggestion.paragraph_index, []).append(index)
    for members in by_paragraph.values():
        writers_side = [i for i in members if labels[i] in (lexicon.CLAIM, lexicon.EVIDENCE)]
        if not writers_side:
            continue
        main = max(writers_side, key=lambda i: (
            blended[i][lexicon.CLAIM] - blended[i][lexicon.EVIDENCE], -i))
        for i in writers_side:
            labels[i] = lexicon.CLAIM if i == main else lexicon.EVIDENCE
    relabelled = []
    for suggestion, probability, label in zip(suggestions, blended, labels):
        if label == NONE_LABEL:
            if drop_none:
                continue
            label = max(lexicon.LABELS, key=lambda name: probability[name])
        score = probability[label]
        reason = f"project model: {label} {score:.2f}"
        if label != suggestion.label:
            reason += f" (rules said {suggestion.label})"
        relabelled.append(replace(suggestion, label=label, score=round(score, 3),
                                  cues=[reason, *suggestion.cues]))
    relabelled.sort(key=lambda s: -s.score)
    return relabelled
