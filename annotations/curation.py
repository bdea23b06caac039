"""Automatic merge of several annotators' layers into a consensus, and what is left to decide.

``curate`` takes the annotators' layers of one document (``ArgumentMap`` by layer name)
and returns a ``CurationResult``: the consensus layer (itself an ``ArgumentMap`` with
``layer_kind="consensus"``, so it exports like any other layer), which spans and relations
went into it with whose support, and the ``Disagreement`` groups a curator picks from.

Spans. Two spans *agree* when they have the same label and either the same paragraph,
start and end (``match="exact"``) or ``overlap_ratio >= overlap_threshold`` (``match=
"overlap"``; overlap defined in ``annotations.agreement.spans``). A span goes into the
consensus when at least ``min_agreement`` of the annotators (a share: 1.0 = all, 0.5 =
half; with ``n`` annotators that is ``ceil(min_agreement * n)`` of them) have an agreeing
span. Candidates are every distinct (paragraph, start, end, label) any annotator drew,
taken greedily: most supporters first, then most annotators who drew exactly that extent,
then the largest summed overlap with the supporting spans, then position. Each accepted
candidate takes its extent into the consensus and uses up one agreeing span per supporter
(the one overlapping it most), so a span supports at most one consensus span.

Disagreements. Spans not used up are grouped: two leftovers fall in one group when they
share a character in the same paragraph, whatever their labels. A group lists its distinct
options (extent + label, with who proposed each), the annotators who proposed nothing there
(``abstainers``) and the consensus spans it overlaps (``conflicts_with``).

Relations. A relation goes into the consensus when both its ends went into consensus spans
and enough annotators (the same share) drew a relation of the same kind between spans that
were merged into those two consensus spans. Between two consensus spans at most one
relation is merged: the kind with most supporters (a tie merges none). Every other relation
becomes a ``RelationDisagreement``, grouped by its ends.

Counterparts. ``counterpart`` says which consensus span stands for an annotator's span when
a curator carries that annotator's relations over: the span on the same extent, else one in
the same paragraph overlapping it by at least the threshold (same label first, then the
largest overlap), as an overlap merge or an adjusted pick leaves it.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from annotations.agreement.layers import check_layers
from annotations.agreement.spans import EXACT, MATCH_MODES, overlap_ratio
from annotations.agreement.tokens import label_sort_key
from annotations.argument_map import ArgumentMap, MapRelation, MapSpan

DEFAULT_OVERLAP_THRESHOLD = 0.5


@dataclass
class MergedSpan:
    span: MapSpan
    supporters: list[str]
    sources: dict[str, str]  # layer name -> id of that layer's span merged here


@dataclass
class SpanOption:
    paragraph: int
    start: int
    end: int
    label: str
    quote: str
    proposers: list[str]
    span_ids: dict[str, str]  # layer name -> span id


@dataclass
class Disagreement:
    paragraph: int
    start: int
    end: int
    options: list[SpanOption]
    abstainers: list[str]
    conflicts_with: list[str]  # ids of consensus spans this group overlaps


@dataclass
class MergedRelation:
    relation: MapRelation
    supporters: list[str]
    sources: dict[str, str]  # layer name -> relation id


@dataclass
class RelationCandidate:
    layer: str
    relation_id: str
    kind: str
    source_span: str
    target_span: str
    source_consensus: str | None  # consensus span the source was merged into, if any
    target_consensus: str | None


@dataclass
class RelationDisagreement:
    source_consensus: str | None
    target_consensus: str | None
    candidates: list[RelationCandidate]
    abstainers: list[str]
    conflicts_with: str | None = None  # consensus relation already merged between these ends


@dataclass
class CurationResult:
    annotators: list[str]
    min_agreement: float
    match: str
    overlap_threshold: float
    consensus: ArgumentMap
    merged_spans: list[MergedSpan] = field(default_factory=list)
    merged_relations: list[MergedRelation] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    relation_disagreements: list[RelationDisagreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def required_supporters(min_agreement: float, annotator_count: int) -> int:
    """How many annotators must agree for a share ``min_agreement`` of ``annotator_count``."""
    return max(1, math.ceil(min_agreement * annotator_count - 1e-9))


def _agrees(first: MapSpan, second: MapSpan, match: str, threshold: float) -> float:
    """How well two spans agree (0 = not at all): 1.0 for the same extent, else the overlap."""
    if first.label != second.label or first.paragraph != second.paragraph:
        return 0.0
    if match == EXACT:
        return 1.0 if (first.start, first.end) == (second.start, second.end) else 0.0
    ratio = overlap_ratio(first, second)
    return ratio if ratio >= threshold else 0.0


def _merge_spans(layers, annotators, need, match, threshold, text_by_position):
    proposed: dict[tuple, dict[str, MapSpan]] = {}
    for name in annotators:
        for span in layers[name].spans:
            proposed.setdefault((span.paragraph, span.start, span.end, span.label), {}).setdefault(name, span)

    def probe(key):
        paragraph, start, end, label = key
        return MapSpan(id="", paragraph=paragraph, start=start, end=end, quote="", label=label)

    spans_by_place: dict[tuple, list[MapSpan]] = defaultdict(list)
    for name in annotators:
        for span in layers[name].spans:
            spans_by_place[(name, span.paragraph, span.label)].append(span)

    def best_partners(key, used):
        """Per annotator, its unused span agreeing best with candidate ``key``."""
        candidate, partners = probe(key), {}
        for name in annotators:
            scored = [
                (_agrees(candidate, span, match, threshold), -span.start, span)
                for span in spans_by_place.get((name, candidate.paragraph, candidate.label), ())
                if (name, span.id) not in used
            ]
            scored = [item for item in scored if item[0] > 0]
            if scored:
                ratio, _, span = max(scored, key=lambda item: (item[0], item[1]))
                partners[name] = (ratio, span)
        return partners

    ordering = []
    for key, proposers in proposed.items():
        partners = best_partners(key, set())
        ordering.append((
            -len(partners),
            -len(proposers),
            -sum(ratio for ratio, _ in partners.values()),
            key[0], key[1], key[2], label_sort_key(key[3]),
            key,
        ))
    ordering.sort(key=lambda item: item[:-1])

    used: set[tuple[str, str]] = set()
    merged: list[MergedSpan] = []
    for *_, key in ordering:
        partners = best_partners(key, used)
        if len(partners) < need:
            continue
        paragraph, start, end, label = key
        span = MapSpan.cut(
            id=f"s{len(merged) + 1}", texts=text_by_position, paragraph=paragraph, start=start, end=end, label=label,
        )
        supporters = [name for name in annotators if name in partners]
        sources = {name: partners[name][1].id for name in supporters}
        used.update((name, span_id) for name, span_id in sources.items())
        merged.append(MergedSpan(span=span, supporters=supporters, sources=sources))
    merged.sort(key=lambda item: (item.span.paragraph, item.span.start, item.span.end, label_sort_key(item.span.label)))
    for number, item in enumerate(merged, start=1):
        item.span.id = f"s{number}"
    return merged, used


def _group_leftovers(layers, annotators, used, merged) -> list[Disagreement]:
    leftovers = [
        (name, span)
        for name in annotators
        for span in layers[name].spans
        if (name, span.id) not in used
    ]
    leftovers.sort(key=lambda item: (item[1].paragraph, item[1].start, item[1].end))
    groups: list[list[tuple[str, MapSpan]]] = []
    group_end = None
    for name, span in leftovers:
        if groups and span.paragraph == groups[-1][0][1].paragraph and span.start < group_end:
            groups[-1].append((name, span))
            group_end = max(group_end, span.end)
        else:
            groups.append([(name, span)])
            group_end = span.end
    disagreements = []
    for group in groups:
        options: dict[tuple, SpanOption] = {}
        for name, span in group:
            key = (span.start, span.end, span.label)
            option = options.get(key)
            if option is None:
                option = options[key] = SpanOption(
                    paragraph=span.paragraph, start=span.start, end=span.end, label=span.label,
                    quote=span.quote, proposers=[], span_ids={},
                )
            if name not in option.proposers:
                option.proposers.append(name)
                option.span_ids[name] = span.id
        paragraph = group[0][1].paragraph
        start = min(span.start for _, span in group)
        end = max(span.end for _, span in group)
        proposers = {name for name, _ in group}
        disagreements.append(Disagreement(
            paragraph=paragraph,
            start=start,
            end=end,
            options=sorted(options.values(), key=lambda o: (-len(o.proposers), o.start, o.end, label_sort_key(o.label))),
            abstainers=[name for name in annotators if name not in proposers],
            conflicts_with=[
                item.span.id for item in merged
                if item.span.paragraph == paragraph and item.span.start < end and start < item.span.end
            ],
        ))
    return disagreements


def _merge_relations(layers, annotators, need, merged):
    consensus_of = {(name, span_id): item.span.id for item in merged for name, span_id in item.sources.items()}
    candidates: list[RelationCandidate] = []
    for name in annotators:
        for relation in layers[name].relations:
            candidates.append(RelationCandidate(
                layer=name,
                relation_id=relation.id,
                kind=relation.kind,
                source_span=relation.source,
                target_span=relation.target,
                source_consensus=consensus_of.get((name, relation.source)),
                target_consensus=consensus_of.get((name, relation.target)),
            ))
    by_ends: dict[tuple, list[RelationCandidate]] = defaultdict(list)
    unmerged_ends: list[RelationCandidate] = []
    for candidate in candidates:
        if candidate.source_consensus and candidate.target_consensus:
            by_ends[(candidate.source_consensus, candidate.target_consensus)].append(candidate)
        else:
            unmerged_ends.append(candidate)

    merged_relations, disagreements = [], []
    for (source, target), group in sorted(by_ends.items()):
        supporters_by_kind: dict[str, dict[str, str]] = defaultdict(dict)
        for candidate in group:
            supporters_by_kind[candidate.kind].setdefault(candidate.layer, candidate.relation_id)
        ranked = sorted(supporters_by_kind.items(), key=lambda item: (-len(item[1]), item[0]))
        winner = None
        if len(ranked[0][1]) >= need and (len(ranked) == 1 or len(ranked[1][1]) < len(ranked[0][1])):
            kind, sources = ranked[0]
            winner = MergedRelation(
                relation=MapRelation(id=f"r{len(merged_relations) + 1}", kind=kind, source=source, target=target),
                supporters=[name for name in annotators if name in sources],
                sources=sources,
            )
            merged_relations.append(winner)
        rest = [c for c in group if winner is None or c.kind != winner.relation.kind]
        if rest:
            drew = {candidate.layer for candidate in group}
            disagreements.append(RelationDisagreement(
                source_consensus=source,
                target_consensus=target,
                candidates=rest,
                abstainers=[name for name in annotators if name not in drew],
                conflicts_with=winner.relation.id if winner else None,
            ))
    for candidate in unmerged_ends:
        disagreements.append(RelationDisagreement(
            source_consensus=candidate.source_consensus,
            target_consensus=candidate.target_consensus,
            candidates=[candidate],
            abstainers=[name for name in annotators if name != candidate.layer],
        ))
    return merged_relations, disagreements


def counterpart(span: tuple, candidates, overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD):
    """The candidate standing for ``span`` (paragraph, start, end, label), or None.

    ``candidates`` are (paragraph, start, end, label, item) tuples, e.g. a document's consensus
    spans; ``item`` is returned. Exact extent first, then overlap ``>= overlap_threshold``
    (``|a ∩ b| / max(|a|, |b|)``) in the same paragraph, preferring the same label and then the
    larger overlap (then the earlier start)."""
    paragraph, start, end, label = span
    best, best_rank = None, None
    for other_paragraph, other_start, other_end, other_label, item in candidates:
        if other_paragraph != paragraph:
            continue
        if (other_start, other_end) == (start, end):
            rank = (2, other_label == label, 1.0, -other_start)
        else:
            shared = min(end, other_end) - max(start, other_start)
            ratio = shared / max(end - start, other_end - other_start) if shared > 0 else 0.0
            if ratio < overlap_threshold:
                continue
            rank = (1, other_label == label, ratio, -other_start)
        if best_rank is None or rank > best_rank:
            best, best_rank = item, rank
    return best


def curate(
    layers: Mapping[str, ArgumentMap],
    *,
    min_agreement: float = 1.0,
    match: str = EXACT,
    overlap_threshold: float = DEFAULT_OVERLAP_THRESHOLD,
    consensus_name: str = "consensus",
) -> CurationResult:
    """Merge the annotators' ``layers`` of one document (see the module docstring)."""
    if len(layers) < 1:
        raise ValueError("curation needs at least one annotator's layer")
    if not 0 < min_agreement <= 1:
        raise ValueError(f"min_agreement is a share of the annotators in (0, 1], got {min_agreement}")
    if match not in MATCH_MODES:
        raise ValueError(f"unknown match {match!r}; use one of {', '.join(MATCH_MODES)}")
    if not 0 < overlap_threshold <= 1:
        raise ValueError(f"overlap_threshold must be in (0, 1], got {overlap_threshold}")
    text_by_position = check_layers(layers)
    annotators = list(layers)
    need = required_supporters(min_agreement, len(annotators))

    merged_spans, used = _merge_spans(layers, annotators, need, match, overlap_threshold, text_by_position)
    disagreements = _group_leftovers(layers, annotators, used, merged_spans)
    merged_relations, relation_disagreements = _merge_relations(layers, annotators, need, merged_spans)

    first = layers[annotators[0]]
    labels = []
    for name in annotators:
        for label in layers[name].labels:
            if label not in labels:
                labels.append(label)
    consensus = ArgumentMap(
        title=first.title,
        paragraphs=list(first.paragraphs),
        spans=[item.span for item in merged_spans],
        relations=[item.relation for item in merged_relations],
        layer_name=consensus_name,
        layer_kind="consensus",
        source_name=first.source_name,
        labels=labels,
    )
    return CurationResult(
        annotators=annotators,
        min_agreement=min_agreement,
        match=match,
        overlap_threshold=overlap_threshold,
        consensus=consensus,
        merged_spans=merged_spans,
        merged_relations=merged_relations,
        disagreements=disagreements,
        relation_disagreements=relation_disagreements,
    )
