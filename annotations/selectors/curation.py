"""What the curation page shows: ``curate()`` run over the chosen annotators' layers of a
document (from the database), with each disagreement marked against the consensus layer
as it is now, so the curator sees what is still open.

A disagreement is *decided* only when the consensus holds a curator's decision on it: one of
its options (extent and label), or a span overlapping it that is not one of the spans the
automatic merge agrees on (a picked option with another extent or label), or a recorded
"none of these" (``CurationRejection``) naming every option it shows now. A consensus span
that merely overlaps it because the annotators agreed on a neighbouring span leaves it open.
``resolved`` on a group means decided in this sense; ``open_count`` and ``resolved_count``
count the same groups, so the page's summary and its list agree.
"""
from __future__ import annotations

from collections.abc import Sequence

from annotations.curation import counterpart, curate
from annotations.errors import InvalidInput, NotFound
from annotations.params import fraction
from annotations.models import Annotation, CurationRejection, Document, Layer, Relation
from annotations.representations import LAYER_NAME, layer_data
from annotations.selectors.layers import layer_names, visible_layers_by_id
from annotations.selectors.maps import argument_maps_get
from annotations.selectors.visibility import visible_annotations, visible_relations

MATCH_CHOICES = ("exact", "overlap")


def parse_share(raw) -> float:
    """``all`` or a number in (0, 1] (a share of annotators who must agree)."""
    if raw in (None, "", "all"):
        return 1.0
    return fraction(raw, name="share", what="'all' or a number between 0 and 1", note=" (1 = all annotators)")


def annotator_layers(*, document: Document) -> list[Layer]:
    """Personal layers of the project with at least one span in the document."""
    ids = Annotation.objects.filter(document=document, layer__kind=Layer.Kind.PERSONAL).values_list("layer_id", flat=True)
    return list(Layer.objects.filter(pk__in=ids.distinct()).select_related("owner").order_by("name", "id"))


def curation_get(
    *, document: Document, user, layer_ids: Sequence[int] | None = None, share=1.0, match: str = "exact",
) -> dict:
    """The automatic merge and the disagreements for the chosen layers, as JSON-ready data."""
    min_agreement = parse_share(share)
    if match not in MATCH_CHOICES:
        raise InvalidInput(f"match must be 'exact' or 'overlap', not {match!r}.")
    available = annotator_layers(document=document)
    if layer_ids:
        layers = visible_layers_by_id(project_id=document.project_id, user=user, layer_ids=layer_ids)
        wrong = [layer.name for layer in layers if layer.kind != Layer.Kind.PERSONAL]
        if wrong:
            raise InvalidInput(f"Only annotators' own layers can be curated, not {', '.join(wrong)}.")
    else:
        layers = available
    consensus = Layer.objects.filter(project_id=document.project_id, kind=Layer.Kind.CONSENSUS).first()
    all_layers = list(layers) + ([consensus] if consensus else [])
    maps = argument_maps_get(documents=[document], layers=all_layers)
    paragraphs = {p.position: p for p in maps[(document.pk, all_layers[0].pk)].paragraphs} if all_layers else {}
    names = layer_names(layers)
    layer_of_name = {names[layer.pk]: layer for layer in layers}
    consensus_spans = maps[(document.pk, consensus.pk)].spans if consensus else []
    consensus_extents = {(s.paragraph, s.start, s.end): s for s in consensus_spans}
    data = {
        "document": document.pk,
        "available_layers": [layer_data(layer, LAYER_NAME) for layer in available],
        "layers": [layer_data(layer, LAYER_NAME) | {"name": names[layer.pk]} for layer in layers],
        "share": min_agreement,
        "match": match,
        "consensus_layer": consensus.pk if consensus else None,
        "consensus_span_count": len(consensus_spans),
        "merged_spans": [],
        "disagreements": [],
        "open_count": 0,
        "resolved_count": 0,
        "relation_disagreements": [],
    }
    if not layers:
        return data
    result = curate(
        {names[layer.pk]: maps[(document.pk, layer.pk)] for layer in layers},
        min_agreement=min_agreement, match=match,
    )
    for item in result.merged_spans:
        span = item.span
        data["merged_spans"].append({
            "paragraph": span.paragraph, "start": span.start, "end": span.end, "label": span.label,
            "quote": span.quote, "supporters": item.supporters,
            "in_consensus": (span.paragraph, span.start, span.end) in consensus_extents,
        })
    agreed = {(item.span.paragraph, item.span.start, item.span.end, item.span.label) for item in result.merged_spans}
    rejections = list(CurationRejection.objects.filter(document=document).values_list(
        "id", "paragraph__position", "candidates", "decided_by__username", "decided_at"))
    for number, group in enumerate(result.disagreements, start=1):
        text = paragraphs[group.paragraph].text
        current = [
            {"id": int(s.id[1:]), "start": s.start, "end": s.end, "label": s.label, "quote": s.quote,
             "agreed": (s.paragraph, s.start, s.end, s.label) in agreed}
            for s in consensus_spans
            if s.paragraph == group.paragraph and s.start < group.end and group.start < s.end
        ]
        options = []
        for option in group.options:
            first_layer = option.proposers[0]
            chosen = (group.paragraph, option.start, option.end)
            options.append({
                "start": option.start, "end": option.end, "label": option.label, "quote": option.quote,
                "proposers": option.proposers,
                "annotation": int(option.span_ids[first_layer][1:]),
                "source_layer": layer_of_name[first_layer].pk,
                "picked": chosen in consensus_extents and consensus_extents[chosen].label == option.label,
            })
        shown = {(option["start"], option["end"], option["label"]) for option in options}
        rejected = next(({"id": pk, "by": by, "at": at.isoformat()} for pk, position, rejected_options, by, at in rejections
                         if position == group.paragraph and shown <= {tuple(o) for o in rejected_options}), None)
        decided = (any(option["picked"] for option in options) or any(not span["agreed"] for span in current)
                   or rejected is not None)
        data["resolved_count" if decided else "open_count"] += 1
        context_start = max(0, group.start - 60)
        context_end = min(len(text), group.end + 60)
        data["disagreements"].append({
            "number": number,
            "paragraph": group.paragraph,
            "start": group.start,
            "end": group.end,
            "before": ("…" if context_start else "") + text[context_start:group.start],
            "text": text[group.start:group.end],
            "after": text[group.end:context_end] + ("…" if context_end < len(text) else ""),
            "options": options,
            "abstainers": group.abstainers,
            "consensus_now": current,
            "resolved": decided,
            "rejected": rejected,
            "paragraph_before": text[:group.start],
            "paragraph_after": text[group.end:],
        })
    span_quotes = {
        (names[layer.pk], span.id): span
        for layer in layers for span in maps[(document.pk, layer.pk)].spans
    }
    # A relation's ends are in the consensus when spans standing for them are (the same extent,
    # or one an overlap merge or an adjusted pick made from them): curation.counterpart.
    consensus_candidates = [(s.paragraph, s.start, s.end, s.label, s.id) for s in consensus_spans]
    rejected_extents = {(position, *option) for _, position, options, _, _ in rejections for option in map(tuple, options)}
    consensus_pairs = set()
    if consensus:
        consensus_pairs = {(r.source, r.target, r.kind) for r in maps[(document.pk, consensus.pk)].relations}
    for group in result.relation_disagreements:
        candidates = []
        for candidate in group.candidates:
            source = span_quotes[(candidate.layer, candidate.source_span)]
            target = span_quotes[(candidate.layer, candidate.target_span)]
            source_in = counterpart((source.paragraph, source.start, source.end, source.label), consensus_candidates)
            target_in = counterpart((target.paragraph, target.start, target.end, target.label), consensus_candidates)
            candidates.append({
                "layer": candidate.layer, "relation": int(candidate.relation_id[1:]), "kind": candidate.kind,
                "source_quote": source.quote, "target_quote": target.quote,
                "ends_in_consensus": source_in is not None and target_in is not None and source_in != target_in,
                "picked": (source_in, target_in, candidate.kind) in consensus_pairs,
                # An end the curator left out ("none of these"): picking it is not the next step.
                "end_rejected": any(
                    (end.paragraph, end.start, end.end, end.label) in rejected_extents and end_in is None
                    for end, end_in in ((source, source_in), (target, target_in))
                ),
            })
        data["relation_disagreements"].append({"candidates": candidates, "abstainers": group.abstainers})
    return data


def relation_for_pick(*, document: Document, relation_id: int, user) -> Relation:
    relation = (
        visible_relations(user).select_related("source", "target", "layer").filter(pk=relation_id, document=document).first()
    )
    if relation is None:
        raise NotFound(f"No relation {relation_id} in this document that you may see.")
    return relation


def rejection_get(*, document: Document, rejection_id: int) -> CurationRejection:
    """A "none of these" decision on the document (the caller checked the curator)."""
    rejection = CurationRejection.objects.select_related("document").filter(pk=rejection_id, document=document).first()
    if rejection is None:
        raise NotFound(f"No decision {rejection_id} on this document.")
    return rejection


def candidate_spans(*, document: Document, user, ids: Sequence[int]) -> list[Annotation]:
    """The candidate spans named by id, among the spans of the document the user may see; NotFound naming the first missing."""
    wanted = list(dict.fromkeys(ids))
    found = {span.pk: span for span in visible_annotations(user).select_related("layer").filter(document=document, pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(f"No span {missing[0]} in this document that you may see.")
    return [found[pk] for pk in wanted]


def rejection_data(rejection: CurationRejection) -> dict:
    return {"id": rejection.pk, "document": rejection.document_id, "paragraph": rejection.paragraph_id,
            "candidates": rejection.candidates, "decided_at": rejection.decided_at}
