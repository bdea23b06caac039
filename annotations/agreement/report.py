"""All agreement figures for a set of layers over one or more documents, as plain data.

``measure_agreement`` takes, per document, the layers to compare keyed by layer name
(each an ``ArgumentMap`` of that document) and returns an ``AgreementReport``: one
``PairAgreement`` per pair of layers and one ``GroupAgreement`` for all of them together.
Over several documents the counts behind F1 are summed (micro-average), the tokens of all
documents form one kappa/alpha table, and the documents' paragraphs are laid end to end
into one character continuum for unitizing alpha. A pair is measured on the documents
that have both layers; the group's unitizing alpha on the documents that have every
layer (its nominal alpha uses every document, a missing layer being a missing value).

``AgreementReport.to_dict()`` is JSON-ready: the pairs, the group, a matrix per metric
(rows and columns in ``layers`` order; row = reference, column = candidate, so precision
and recall read across a row; the diagonal is ``None``) and per-label matrices.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from annotations.argument_map import ArgumentMap
from annotations.agreement.layers import check_layers
from annotations.agreement.spans import (
    DEFAULT_OVERLAP_THRESHOLD,
    EXACT,
    MATCH_MODES,
    OVERLAP,
    Score,
    Tally,
    label_counts,
    match_spans,
    matched_relation_count,
)
from annotations.agreement.tokens import (
    cohen_kappa,
    label_sort_key,
    nominal_alpha,
    token_labels,
    tokenize,
)
from annotations.agreement.unitizing import Unit, merge_overlapping, unitizing_alpha

ANY_LABEL = "span"

MATRIX_METRICS = (
    "span_exact.f1",
    "span_overlap.f1",
    "span_exact_any_label.f1",
    "span_overlap_any_label.f1",
    "span_exact.precision",
    "span_exact.recall",
    "span_overlap.precision",
    "span_overlap.recall",
    "relation_exact.f1",
    "relation_overlap.f1",
    "token_kappa",
    "token_alpha",
    "unitizing_alpha",
    "unitizing_alpha_any_label",
)
PER_LABEL_METRICS = ("span_exact.f1", "span_overlap.f1", "unitizing_alpha")


@dataclass(kw_only=True)
class Alphas:
    """Krippendorff's alphas, which a pair of layers and the whole group both report."""

    token_alpha: float | None = None
    unitizing_alpha: float | None = None
    unitizing_alpha_any_label: float | None = None
    unitizing_alpha_by_label: dict[str, float | None] = field(default_factory=dict)


@dataclass
class PairAgreement(Alphas):
    """Agreement of two layers; ``reference`` is the first, ``candidate`` the second."""

    reference: str
    candidate: str
    documents: int = 0
    tokens: int = 0
    span_exact: Score = field(default_factory=Score)
    span_overlap: Score = field(default_factory=Score)
    span_exact_any_label: Score = field(default_factory=Score)
    span_overlap_any_label: Score = field(default_factory=Score)
    span_exact_by_label: dict[str, Score] = field(default_factory=dict)
    span_overlap_by_label: dict[str, Score] = field(default_factory=dict)
    relation_exact: Score = field(default_factory=Score)
    relation_overlap: Score = field(default_factory=Score)
    token_kappa: float | None = None


@dataclass
class GroupAgreement(Alphas):
    """Multi-coder coefficients over all the layers at once."""

    layers: list[str]
    documents: int = 0
    documents_with_every_layer: int = 0
    tokens: int = 0


@dataclass
class AgreementReport:
    layers: list[str]
    labels: list[str]
    documents: int
    overlap_threshold: float
    pairs: list[PairAgreement] = field(default_factory=list)
    group: GroupAgreement | None = None

    def pair(self, first: str, second: str) -> PairAgreement:
        for pair in self.pairs:
            if (pair.reference, pair.candidate) in ((first, second), (second, first)):
                return pair
        raise KeyError(f"no pair {first!r} / {second!r} in this report")

    def value(self, metric: str, reference: str, candidate: str, label: str | None = None) -> float | None:
        """One metric for ``reference`` (row) against ``candidate`` (column)."""
        pair = self.pair(reference, candidate)
        reversed_pair = pair.reference != reference
        name, _, attribute = metric.partition(".")
        if label is not None:
            table = getattr(pair, f"{name}_by_label")
            value = table.get(label)
        else:
            value = getattr(pair, name)
        if isinstance(value, Score):
            if reversed_pair:
                value = value.swapped()
            return getattr(value, attribute or "f1")
        return value

    def matrix(self, metric: str, label: str | None = None) -> list[list[float | None]]:
        return [
            [
                None if row == column else self.value(metric, row, column, label)
                for column in self.layers
            ]
            for row in self.layers
        ]

    def to_dict(self) -> dict:
        return {
            "layers": list(self.layers),
            "labels": list(self.labels),
            "documents": self.documents,
            "overlap_threshold": self.overlap_threshold,
            "pairs": [asdict(pair) for pair in self.pairs],
            "group": asdict(self.group) if self.group else None,
            "matrices": {metric: self.matrix(metric) for metric in MATRIX_METRICS},
            "per_label": {
                metric: {label: self.matrix(metric, label) for label in self.labels}
                for metric in PER_LABEL_METRICS
            },
        }


@dataclass
class _PreparedDocument:
    """One document's checked layers, tokens and continuum units."""

    maps: dict[str, ArgumentMap]
    length: int
    token_count: int
    token_labels: dict[str, list[str]]
    units: dict[str, list[tuple[int, int, str]]]  # (start, length, label) per layer
    any_label_units: dict[str, list[tuple[int, int, str]]]


def _continuum_units(spans, base_by_position: dict[int, int], *, any_label: bool) -> list[tuple[int, int, str]]:
    """(start, length, label) units on the document continuum; a layer's overlapping
    spans of one label (or of any label, when ``any_label``) are merged into their union."""
    by_label: dict[str, list[tuple[int, int]]] = {}
    for span in spans:
        base = base_by_position[span.paragraph]
        label = ANY_LABEL if any_label else span.label
        by_label.setdefault(label, []).append((base + span.start, base + span.end))
    return [
        (start, end - start, label)
        for label, intervals in by_label.items()
        for start, end in merge_overlapping(intervals)
    ]


def _prepare(index: int, layers: Mapping[str, ArgumentMap]) -> _PreparedDocument:
    text_by_position = check_layers(layers, index=index)
    paragraphs = list(text_by_position.items())
    base_by_position, offset = {}, 0
    for position, text in paragraphs:
        base_by_position[position] = offset
        offset += len(text)
    tokens_by_position = {position: tokenize(text) for position, text in paragraphs}

    labels_by_layer, units_by_layer, any_units_by_layer = {}, {}, {}
    for name, argument_map in layers.items():
        labels = []
        for position, _ in paragraphs:
            paragraph_spans = [span for span in argument_map.spans if span.paragraph == position]
            labels.extend(token_labels(tokens_by_position[position], paragraph_spans))
        labels_by_layer[name] = labels
        units_by_layer[name] = _continuum_units(argument_map.spans, base_by_position, any_label=False)
        any_units_by_layer[name] = _continuum_units(argument_map.spans, base_by_position, any_label=True)
    return _PreparedDocument(
        maps=dict(layers),
        length=offset,
        token_count=sum(len(tokens) for tokens in tokens_by_position.values()),
        token_labels=labels_by_layer,
        units=units_by_layer,
        any_label_units=any_units_by_layer,
    )


def _unitizing(documents: list[_PreparedDocument], layers: list[str], *, any_label: bool):
    units, base = [], 0
    for document in documents:
        source = document.any_label_units if any_label else document.units
        for layer in layers:
            units.extend(Unit(layer, base + start, length, label) for start, length, label in source[layer])
        base += document.length
    if base == 0:
        return None
    return unitizing_alpha(units=units, coders=layers, continuum_length=base)


def _measure_pair(
    reference: str, candidate: str, documents: list[_PreparedDocument], labels: list[str], threshold: float
) -> PairAgreement:
    shared = [document for document in documents if reference in document.maps and candidate in document.maps]
    result = PairAgreement(reference=reference, candidate=candidate, documents=len(shared))
    labelled = {mode: Tally() for mode in MATCH_MODES}
    any_label = {mode: Tally() for mode in MATCH_MODES}
    relations = {mode: Tally() for mode in MATCH_MODES}
    by_label = {mode: {label: Tally() for label in labels} for mode in MATCH_MODES}
    reference_tokens, candidate_tokens = [], []
    for document in shared:
        first, second = document.maps[reference], document.maps[candidate]
        first_labels = Counter(span.label for span in first.spans)
        second_labels = Counter(span.label for span in second.spans)
        for mode in MATCH_MODES:
            pairs = match_spans(first.spans, second.spans, mode=mode, same_label=True, threshold=threshold)
            labelled[mode].add(len(pairs), len(first.spans), len(second.spans))
            matched_by_label = label_counts(pairs)
            for label in labels:
                by_label[mode][label].add(matched_by_label[label], first_labels[label], second_labels[label])
            agnostic = match_spans(first.spans, second.spans, mode=mode, same_label=False, threshold=threshold)
            any_label[mode].add(len(agnostic), len(first.spans), len(second.spans))
            relations[mode].add(
                matched_relation_count(first.relations, second.relations, agnostic),
                len(first.relations),
                len(second.relations),
            )
        reference_tokens.extend(document.token_labels[reference])
        candidate_tokens.extend(document.token_labels[candidate])

    result.span_exact = labelled[EXACT].score()
    result.span_overlap = labelled[OVERLAP].score()
    result.span_exact_any_label = any_label[EXACT].score()
    result.span_overlap_any_label = any_label[OVERLAP].score()
    result.span_exact_by_label = {label: tally.score() for label, tally in by_label[EXACT].items()}
    result.span_overlap_by_label = {label: tally.score() for label, tally in by_label[OVERLAP].items()}
    result.relation_exact = relations[EXACT].score()
    result.relation_overlap = relations[OVERLAP].score()
    result.tokens = len(reference_tokens)
    result.token_kappa = cohen_kappa(reference_tokens, candidate_tokens)
    result.token_alpha = nominal_alpha(list(zip(reference_tokens, candidate_tokens)))
    unitized = _unitizing(shared, [reference, candidate], any_label=False)
    if unitized:
        result.unitizing_alpha = unitized.alpha
        result.unitizing_alpha_by_label = {label: unitized.alpha_by_category.get(label) for label in labels}
        agnostic_unitized = _unitizing(shared, [reference, candidate], any_label=True)
        result.unitizing_alpha_any_label = agnostic_unitized.alpha
    else:
        result.unitizing_alpha_by_label = {label: None for label in labels}
    return result


def _measure_group(layers: list[str], documents: list[_PreparedDocument], labels: list[str]) -> GroupAgreement:
    result = GroupAgreement(layers=list(layers), documents=len(documents))
    table = []
    for document in documents:
        for index in range(document.token_count):
            table.append([
                document.token_labels[layer][index] if layer in document.maps else None for layer in layers
            ])
    result.tokens = len(table)
    result.token_alpha = nominal_alpha(table)
    complete = [document for document in documents if all(layer in document.maps for layer in layers)]
    result.documents_with_every_layer = len(complete)
    unitized = _unitizing(complete, layers, any_label=False)
    result.unitizing_alpha_by_label = {label: None for label in labels}
    if unitized:
        result.unitizing_alpha = unitized.alpha
        result.unitizing_alpha_by_label = {label: unitized.alpha_by_category.get(label) for label in labels}
        result.unitizing_alpha_any_label = _unitizing(complete, layers, any_label=True).alpha
    return result


def measure_agreement(
    documents: Sequence[Mapping[str, ArgumentMap]],
    *,
    layers: Sequence[str] | None = None,
    overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD,
) -> AgreementReport:
    """Agreement of ``layers`` (default: every layer named, in order of first appearance)
    over ``documents``, each a mapping of layer name to that layer's map of the document."""
    if not 0 < overlap_threshold <= 1:
        raise ValueError(f"overlap_threshold must be in (0, 1], got {overlap_threshold}")
    present: list[str] = []
    for document in documents:
        for name in document:
            if name not in present:
                present.append(name)
    if layers is None:
        layers = present
    else:
        layers = list(layers)
        if len(set(layers)) != len(layers):
            raise ValueError(f"a layer is named twice in {layers}")
        unknown = [name for name in layers if name not in present]
        if unknown:
            raise ValueError(f"no document has layer(s) {', '.join(map(repr, unknown))}; layers present: {present}")
    prepared = []
    for index, document in enumerate(documents):
        selected = {name: document[name] for name in layers if name in document}
        if selected:
            prepared.append(_prepare(index, selected))
    labels = sorted(
        {span.label for document in prepared for argument_map in document.maps.values() for span in argument_map.spans},
        key=label_sort_key,
    )
    report = AgreementReport(
        layers=list(layers), labels=labels, documents=len(prepared), overlap_threshold=overlap_threshold
    )
    for first_index, first in enumerate(layers):
        for second in layers[first_index + 1 :]:
            report.pairs.append(_measure_pair(first, second, prepared, labels, overlap_threshold))
    if len(layers) >= 2:
        report.group = _measure_group(list(layers), prepared, labels)
    return report


def document_agreement(
    layers: Mapping[str, ArgumentMap], *, overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD
) -> AgreementReport:
    """Agreement of the given layers of one document."""
    return measure_agreement([layers], overlap_threshold=overlap_threshold)
