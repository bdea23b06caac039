"""Building a document's consensus layer: the automatic merge of the annotators' layers
(``annotations.curation.curate``), a curator's picks among disagreeing candidates, and
copying the consensus into the answer key, and a curator's "none of these" on a disagreement
(recorded, so the disagreement counts as decided) and its undoing.

Only curators and owners write here (the consensus and answer key are shared layers).
Each function is one transaction; every span and relation it writes is recorded in the
change log like any other edit, so open document pages see the consensus grow.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from annotations.curation import CurationResult, counterpart, curate
from annotations.errors import Conflict, InvalidInput, NotFound
from annotations.models import Annotation, ChangeEvent, CurationRejection, Document, Layer, Paragraph, Relation
from annotations.permissions import can_read_layer, check_can_curate, role_in
from annotations.representations import (
    RELATION_DELETED,
    RELATION_IN_FEED,
    SPAN_DELETED,
    SPAN_IN_FEED,
    relation_data,
    span_data,
)
from annotations.selectors.layers import layer_names
from annotations.selectors.maps import argument_maps_get
from annotations.services.changes import changes_record_many
from annotations.services.layers import layer_get_or_create_shared
from annotations.services.spans import _check_label, annotation_update, check_span, relation_delete


@dataclass
class MergeOutcome:
    consensus: Layer
    curation: CurationResult
    spans_added: int = 0
    spans_kept: int = 0  # already in the consensus on the same extent
    spans_removed: int = 0
    relations_added: int = 0
    notes: list[str] = field(default_factory=list)


def _check_curator(project_id: int, user) -> None:
    if user is not None:  # None: an operator command
        check_can_curate(project_id, user)


def _record_many(document_id: int, layer_id: int, kind: str, action: str, objects, payload, user) -> None:
    changes_record_many(document_id=document_id, actor=user, events=[
        {"layer_id": layer_id, "kind": kind, "action": action, "object_id": item.pk, "payload": payload(item)}
        for item in objects
    ])


def _copy_spans(*, document: Document, target: Layer, spans: list[dict], user) -> dict[tuple, Annotation]:
    """Create the given spans (dicts with paragraph_id, start, end, label, quote, note) in
    ``target`` unless an equal extent is there; return every target span by extent."""
    existing = {
        (span.paragraph_id, span.start, span.end): span
        for span in Annotation.objects.filter(document=document, layer=target)
    }
    fresh = []
    for item in spans:
        key = (item["paragraph_id"], item["start"], item["end"])
        if key in existing:
            continue
        span = Annotation(
            document=document, paragraph_id=item["paragraph_id"], layer=target, start=item["start"], end=item["end"],
            quote=item["quote"], label=item["label"], note=item.get("note", ""), origin=Annotation.Origin.MERGE,
            author=user,
        )
        existing[key] = span
        fresh.append(span)
    Annotation.objects.bulk_create(fresh)
    _record_many(document.pk, target.pk, ChangeEvent.Kind.ANNOTATION, "created", fresh, lambda span: span_data(span, SPAN_IN_FEED), user)
    return existing


def _copy_relations(*, document: Document, target: Layer, relations: list[tuple[Annotation, Annotation, str]], user) -> int:
    """Create relations between target spans unless the pair is already linked; return how many."""
    linked = set(Relation.objects.filter(document=document, layer=target).values_list("source_id", "target_id"))
    fresh = []
    for source, target_span, kind in relations:
        if source.pk == target_span.pk or (source.pk, target_span.pk) in linked:
            continue
        linked.add((source.pk, target_span.pk))
        fresh.append(Relation(document=document, layer=target, source=source, target=target_span, kind=kind, author=user))
    Relation.objects.bulk_create(fresh)
    _record_many(document.pk, target.pk, ChangeEvent.Kind.RELATION, "created", fresh, lambda relation: relation_data(relation, RELATION_IN_FEED), user)
    return len(fresh)


def _clear_layer(document: Document, layer: Layer, user) -> int:
    relations = list(Relation.objects.filter(document=document, layer=layer).only("id", "document_id", "layer_id"))
    spans = list(Annotation.objects.filter(document=document, layer=layer).only("id", "document_id", "layer_id", "paragraph_id"))
    Relation.objects.filter(pk__in=[r.pk for r in relations]).delete()
    Annotation.objects.filter(pk__in=[s.pk for s in spans]).delete()
    _record_many(document.pk, layer.pk, ChangeEvent.Kind.RELATION, "deleted", relations, lambda r: relation_data(r, RELATION_DELETED), user)
    _record_many(document.pk, layer.pk, ChangeEvent.Kind.ANNOTATION, "deleted", spans, lambda s: span_data(s, SPAN_DELETED), user)
    return len(spans)


def consensus_merge(
    *, document: Document, layers: Sequence[Layer], user, min_agreement: float = 1.0, match: str = "exact",
    overlap_threshold: float = 0.5, replace: bool = False,
) -> MergeOutcome:
    """Merge what enough of ``layers`` agree on into the document's consensus layer.

    Spans already in the consensus on the same extent stay as they are (a curator's pick is
    not overwritten); ``replace=True`` empties the consensus of this document first.
    """
    _check_curator(document.project_id, user)
    layers = list(layers)
    if not layers:
        raise InvalidInput("Choose at least one annotator's layer to merge.")
    wrong = [layer.name for layer in layers if layer.project_id != document.project_id or layer.kind != Layer.Kind.PERSONAL]
    if wrong:
        raise InvalidInput(f"Only annotators' own layers of this project can be merged, not {', '.join(wrong)}.")
    names = layer_names(layers)
    maps = argument_maps_get(documents=[document], layers=layers)
    try:
        result = curate(
            {names[layer.pk]: maps[(document.pk, layer.pk)] for layer in layers},
            min_agreement=min_agreement, match=match, overlap_threshold=overlap_threshold,
        )
    except ValueError as error:
        raise InvalidInput(f"Cannot merge: {error}.") from None
    paragraph_id = dict(Paragraph.objects.filter(document=document).values_list("position", "id"))
    with transaction.atomic():
        # Serialises merges and picks on one document: called while holding its row lock.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        consensus = layer_get_or_create_shared(project=document.project, kind=Layer.Kind.CONSENSUS)
        outcome = MergeOutcome(consensus=consensus, curation=result)
        if replace:
            outcome.spans_removed = _clear_layer(document, consensus, user)
        before = Annotation.objects.filter(document=document, layer=consensus).count()
        wanted = [
            {
                "paragraph_id": paragraph_id[item.span.paragraph], "start": item.span.start, "end": item.span.end,
                "label": item.span.label, "quote": item.span.quote,
            }
            for item in result.merged_spans
        ]
        by_extent = _copy_spans(document=document, target=consensus, spans=wanted, user=user)
        outcome.spans_added = len(by_extent) - before
        outcome.spans_kept = len(wanted) - outcome.spans_added
        span_of = {}
        for item, spec in zip(result.merged_spans, wanted):
            span_of[item.span.id] = by_extent[(spec["paragraph_id"], spec["start"], spec["end"])]
        outcome.relations_added = _copy_relations(
            document=document, target=consensus,
            relations=[(span_of[m.relation.source], span_of[m.relation.target], m.relation.kind) for m in result.merged_relations],
            user=user,
        )
    return outcome


def consensus_pick(
    *, document: Document, source: Annotation, user, label: str | None = None,
    start: int | None = None, end: int | None = None,
) -> Annotation:
    """Copy a candidate span (optionally with another label or extent) into the consensus,
    with the relations of its layer whose other end is already in the consensus. A consensus
    span on the same extent takes the picked label."""
    _check_curator(document.project_id, user)
    if source.document_id != document.pk:
        raise InvalidInput(f"Span {source.pk} is not in document {document.pk}.")
    if user is not None and not can_read_layer(role_in(document.project_id, user), source.layer.kind):
        raise NotFound(f"No span {source.pk} that you may see.")
    start = source.start if start is None else start
    end = source.end if end is None else end
    label = label or source.label
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        consensus = layer_get_or_create_shared(project=document.project, kind=Layer.Kind.CONSENSUS)
        consensus.project = document.project
        _check_label(label, document.project)
        quote = check_span(source.paragraph, start, end, None)
        existing = Annotation.objects.select_for_update().filter(
            layer=consensus, paragraph_id=source.paragraph_id, start=start, end=end
        ).first()
        if existing is not None:
            if existing.label != label:
                existing = annotation_update(annotation=existing, user=user, version=None, label=label)
            picked = existing
        else:
            by_extent = _copy_spans(
                document=document, target=consensus,
                spans=[{"paragraph_id": source.paragraph_id, "start": start, "end": end, "label": label, "quote": quote,
                        "note": source.note}],
                user=user,
            )
            picked = by_extent[(source.paragraph_id, start, end)]
        if (start, end) == (source.start, source.end):
            _copy_neighbour_relations(document=document, source=source, picked=picked, consensus=consensus, user=user)
    return picked


def _consensus_candidates(document, consensus: Layer, *, without=None) -> list[tuple]:
    """The document's consensus spans as ``curation.counterpart`` candidates."""
    spans = Annotation.objects.filter(document=document, layer=consensus)
    if without is not None:
        spans = spans.exclude(pk=without.pk)
    return [(span.paragraph_id, span.start, span.end, span.label, span) for span in spans]


def _stands_for(span: Annotation, candidates) -> Annotation | None:
    return counterpart((span.paragraph_id, span.start, span.end, span.label), candidates)


def _copy_neighbour_relations(*, document, source: Annotation, picked: Annotation, consensus: Layer, user) -> int:
    touching = list(
        Relation.objects.filter(document=document, layer_id=source.layer_id)
        .filter(source=source).select_related("target")
    ) + list(Relation.objects.filter(document=document, layer_id=source.layer_id, target=source).select_related("source"))
    if not touching:
        return 0
    # The other end counts as in the consensus when a consensus span stands for it: its extent,
    # or the one an overlap merge or an adjusted pick made from it.
    candidates = _consensus_candidates(document, consensus, without=picked)
    wanted = []
    for relation in touching:
        if relation.source_id == source.pk:
            other = _stands_for(relation.target, candidates)
            if other is not None:
                wanted.append((picked, other, relation.kind))
        else:
            other = _stands_for(relation.source, candidates)
            if other is not None:
                wanted.append((other, picked, relation.kind))
    return _copy_relations(document=document, target=consensus, relations=wanted, user=user)


def consensus_pick_relation(*, document: Document, relation: Relation, user) -> Relation:
    """Copy a candidate relation into the consensus; both its ends must already be there (on
    their extents, or as the consensus spans standing for them: ``curation.counterpart``)."""
    _check_curator(document.project_id, user)
    if relation.document_id != document.pk:
        raise InvalidInput(f"Relation {relation.pk} is not in document {document.pk}.")
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        consensus = layer_get_or_create_shared(project=document.project, kind=Layer.Kind.CONSENSUS)
        candidates = _consensus_candidates(document, consensus)
        ends = {}
        for role, span in (("source", relation.source), ("target", relation.target)):
            ends[role] = _stands_for(span, candidates)
            if ends[role] is None:
                raise InvalidInput(
                    f"The relation's {role} ({span.quote!r}) is not in the consensus yet; pick that span first."
                )
        if ends["source"].pk == ends["target"].pk:
            raise InvalidInput(
                f"Both ends of the relation stand for one consensus span ({ends['source'].quote!r}); "
                "pick the two spans separately first."
            )
        existing = Relation.objects.filter(layer=consensus, source=ends["source"], target=ends["target"]).first()
        if existing is not None:
            if existing.kind == relation.kind:
                return existing
            relation_delete(relation=existing, user=user)
        _copy_relations(document=document, target=consensus, relations=[(ends["source"], ends["target"], relation.kind)], user=user)
        return Relation.objects.get(layer=consensus, source=ends["source"], target=ends["target"])


def answer_key_from_consensus(*, document: Document, user) -> Layer:
    """Make the document's answer key a copy of its consensus (replacing what the key had)."""
    _check_curator(document.project_id, user)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        consensus = Layer.objects.filter(project_id=document.project_id, kind=Layer.Kind.CONSENSUS).first()
        spans = list(Annotation.objects.filter(document=document, layer=consensus)) if consensus else []
        if not spans:
            # the request is right, the document's state is not (yet): 409, as for other conflicts with what is stored
            raise Conflict("The consensus of this document is empty; build it before making an answer key.")
        key = layer_get_or_create_shared(project=document.project, kind=Layer.Kind.ANSWER_KEY)
        _clear_layer(document, key, user)
        by_extent = _copy_spans(
            document=document, target=key,
            spans=[
                {"paragraph_id": s.paragraph_id, "start": s.start, "end": s.end, "label": s.label, "quote": s.quote, "note": s.note}
                for s in spans
            ],
            user=user,
        )
        old = {s.pk: (s.paragraph_id, s.start, s.end) for s in spans}
        relations = Relation.objects.filter(document=document, layer=consensus)
        _copy_relations(
            document=document, target=key,
            relations=[(by_extent[old[r.source_id]], by_extent[old[r.target_id]], r.kind) for r in relations],
            user=user,
        )
    return key


def consensus_reject(*, document: Document, candidates: Sequence[Annotation], user) -> CurationRejection:
    """Record that none of ``candidates`` (one span per option of a disagreement, as the
    curation page lists them) belongs in the consensus. Refused when one of them already is
    in the consensus (delete it there first), when they are not all in one paragraph of the
    document, or when the curator may not read their layers. Rejecting the same options
    twice returns the first decision."""
    _check_curator(document.project_id, user)
    if not candidates:
        raise InvalidInput("Name the candidate spans to reject (annotations: their ids).")
    role = role_in(document.project_id, user) if user is not None else None
    for span in candidates:
        if span.document_id != document.pk:
            raise InvalidInput(f"Span {span.pk} is not in document {document.pk}.")
        if user is not None and not can_read_layer(role, span.layer.kind):
            raise NotFound(f"No span {span.pk} that you may see.")
        if span.layer.kind != Layer.Kind.PERSONAL:
            raise InvalidInput(f"Span {span.pk} is not an annotator's candidate; only annotators' spans can be rejected.")
    paragraphs = {span.paragraph_id for span in candidates}
    if len(paragraphs) > 1:
        raise InvalidInput("The candidates of one disagreement are in one paragraph; these are in several.")
    paragraph_id = paragraphs.pop()
    options = sorted({(span.start, span.end, span.label) for span in candidates})
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()  # a pick racing this waits
        consensus = Layer.objects.filter(project_id=document.project_id, kind=Layer.Kind.CONSENSUS).first()
        if consensus is not None:
            held = Annotation.objects.filter(layer=consensus, paragraph_id=paragraph_id).values_list("start", "end", "label", "quote")
            for start, end, label, quote in held:
                if (start, end, label) in options:
                    raise Conflict(f"The consensus already holds {label} “{quote}” from this disagreement; "
                                   "delete it from the consensus first, or keep it as the decision.")
        existing = CurationRejection.objects.filter(paragraph_id=paragraph_id, candidates=[list(o) for o in options]).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return CurationRejection.objects.create(document=document, paragraph_id=paragraph_id,
                                                        candidates=[list(o) for o in options], decided_by=user)
        except IntegrityError:  # the same decision sent twice at once
            return CurationRejection.objects.get(paragraph_id=paragraph_id, candidates=[list(o) for o in options])


def consensus_reject_undo(*, rejection: CurationRejection, user) -> None:
    """Take back a "none of these": the disagreement is open again."""
    _check_curator(rejection.document.project_id, user)
    rejection.delete()
