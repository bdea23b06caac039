"""Writes on spans (``Annotation``) and relations, with the rules that keep offsets honest.

Offsets are Unicode code points into the paragraph's text, ``[start, end)``; the quote a
client sends must equal that slice, so a client working from stale or mis-converted text
is refused instead of storing a span that points at the wrong words.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, ChangeEvent, Layer, Paragraph, Relation, Submission
from annotations.models.projects import Label
from annotations.permissions import WRITER_ROLES, can_edit_layer, role_in
from annotations.selectors.sql import insert_instance
from annotations.services.changes import record_annotation, record_relation
from annotations.services.layers import layer_get_or_create_personal
from annotations.services.text import clean_note
from annotations.tasks.scores import exercise_scores_queue


def insert_row(instance) -> None:
    """Insert one row with the statement built once per model (``selectors.sql``).

    Called inside the caller's transaction, which also records the change (live feed), so
    the row and its change event commit together.
    """
    insert_instance(instance)


def check_work_not_submitted(layer: Layer, user) -> None:
    """Refuse (409) a change by a student to their own exercise work once it is submitted: its
    spans (the trigger of migration 0008 refuses those anyway; this says it kindly and early)
    and the decisions on suggestions made in it (``services.suggestions``)."""
    if layer.kind == Layer.Kind.EXERCISE_WORK and user is not None and layer.owner_id == user.pk:
        if Submission.objects.filter(layer_id=layer.pk, status=Submission.Status.SUBMITTED).exists():
            raise Conflict("You submitted this work, so it is read-only now; ask your teacher to reopen it.")


def _check_can_edit(layer: Layer, user) -> None:
    check_work_not_submitted(layer, user)
    if user is not None and not can_edit_layer(layer, user):
        if layer.kind in (Layer.Kind.PERSONAL, Layer.Kind.EXERCISE_WORK):
            if layer.owner_id == user.pk:  # their own layer: the role is what changed (mid-session, by the owner)
                if role_in(layer.project_id, user) is None:
                    raise NotPermitted("You are no longer a member of this project; ask its owner for a new invitation.")
                raise NotPermitted("Your role in this project is viewer now, and viewers read but do not tag; "
                                   "ask the project's owner for the annotator role.")
            raise NotPermitted(f"Layer {layer.name!r} belongs to someone else; you can only edit your own layer.")
        raise NotPermitted(f"Only curators and the owner can edit the {layer.get_kind_display().lower()} layer.")


def _written(record, row, action: str, user, layer: Layer) -> None:
    """What follows every write here, inside its transaction: the change feed's event
    (``record``), and for a write to an exercise's key its class's re-score queued (the trigger
    of migration 0010 has moved the exercise's revision already)."""
    record(row, action, user)
    if layer.kind == Layer.Kind.EXERCISE_KEY:
        exercise_scores_queue(exercise_id=layer.exercise_id)


def _check_label(label: str, project) -> None:
    allowed = project.labels
    if label not in allowed:
        known = "" if label in Label.values else " unknown"
        raise InvalidInput(f"Label{known} {label!r} is not used in this project; choose one of: {', '.join(allowed)}.")


def check_span(paragraph: Paragraph, start: int, end: int, quote: str | None) -> str:
    """Validate offsets (and the quote, if given) against the paragraph; return the true quote."""
    length = len(paragraph.text)
    where = f"paragraph {paragraph.position} ({length} characters)"
    if not isinstance(start, int) or not isinstance(end, int) or start < 0 or end < 0:
        raise InvalidInput("start and end must be whole numbers of characters, 0 or more.")
    if start >= end:
        raise InvalidInput(f"start {start} must be before end {end}.")
    if start >= length:
        raise InvalidInput(f"start {start} is past the end of {where}.")
    if end > length:
        raise InvalidInput(f"end {end} is past the end of {where}.")
    actual = paragraph.text[start:end]
    if quote is not None and quote != actual:
        raise InvalidInput(
            f"The quote {quote!r} does not match the text at [{start}, {end}) of {where}, which is {actual!r}; "
            "reload the document and select again.",
            actual=actual,
        )
    return actual


def annotation_create(
    *,
    paragraph: Paragraph,
    layer: Layer | None,
    user,
    start: int,
    end: int,
    label: str,
    quote: str | None,
    note: str = "",
    origin: str = Annotation.Origin.MANUAL,
    suggestion=None,
) -> Annotation:
    """Tag ``[start, end)`` of the paragraph with a label in the layer (default: the user's own layer).

    Everything is checked before anything is written, so a refused span leaves no trace (not
    even a new personal layer). ``user=None`` is an operator import and needs an explicit layer.
    The paragraph should come with ``document.project`` loaded (the API's selector does that).
    """
    project = paragraph.document.project
    if layer is None:
        if user is None:
            raise InvalidInput("An import without a user must name the layer to write to.")
        if role_in(project, user) not in WRITER_ROLES:
            raise NotPermitted("Viewers cannot annotate; ask the project's owner for the annotator role.")
    else:
        _check_can_edit(layer, user)
        if project.pk != layer.project_id:
            raise InvalidInput("The paragraph and the layer belong to different projects.")
    _check_label(label, project)
    note = clean_note(note)
    actual = check_span(paragraph, start, end, quote)
    annotation = Annotation(
        document_id=paragraph.document_id, paragraph=paragraph, layer=layer, start=start, end=end,
        quote=actual, label=label, note=note, origin=origin, suggestion=suggestion, author=user,
    )
    try:
        with transaction.atomic():
            if layer is None:  # the person's first span in this project: their layer and the span together
                layer = annotation.layer = layer_get_or_create_personal(project=project, user=user)
            insert_row(annotation)
            _written(record_annotation, annotation, "created", user, layer)
    except IntegrityError:  # the only constraint the checks above cannot see: the same span twice
        existing = Annotation.objects.filter(layer=layer, paragraph=paragraph, start=start, end=end).first()
        if existing is None:
            raise
        raise Conflict(
            f"This layer already has a {existing.label} span on {actual!r} (span {existing.pk}); "
            "change that span's label instead.",
            annotation_id=existing.pk,
        ) from None
    return annotation


UPDATABLE_FIELDS = {"label", "note", "start", "end", "quote"}


def _last_editor(span: Annotation, user) -> str:
    """Who made the span's current version, for a stale-version refusal: the person themselves
    in another tab is told so, rather than blaming "someone else" (one query, on refusals only)."""
    actor = (
        ChangeEvent.objects.filter(document_id=span.document_id, kind=ChangeEvent.Kind.ANNOTATION, object_id=span.pk)
        .order_by("-id").values_list("actor__username", flat=True).first()
    )
    if actor is None:
        return "by someone else"
    if user is not None and actor == user.get_username():
        return "by you, in another tab or window"
    return f"by {actor}"


def annotation_update(*, annotation: Annotation, user, version: int | None, **changes) -> Annotation:
    """Change a span's label, note or boundaries. ``version`` is the one the client last saw:
    a stale one gets Conflict with the current state, never a lost update."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}; only label, note, start and end.")
    _check_can_edit(annotation.layer, user)
    if "note" in changes:
        changes["note"] = clean_note(changes["note"])
    with transaction.atomic():
        current = Annotation.objects.select_for_update(of=("self",)).select_related("paragraph", "author").get(pk=annotation.pk)
        if version is not None and version != current.version:
            raise Conflict(
                f"Span {current.pk} was changed meanwhile {_last_editor(current, user)} (you edited version {version}, "
                f"it is now version {current.version}); review the current span and try again.",
                current=current,
            )
        if "label" in changes:
            _check_label(changes["label"], annotation.layer.project)
            current.label = changes["label"]
        if "note" in changes:
            current.note = changes["note"] or ""
        if {"start", "end", "quote"} & changes.keys():
            start = changes.get("start", current.start)
            end = changes.get("end", current.end)
            current.quote = check_span(current.paragraph, start, end, changes.get("quote"))
            current.start, current.end = start, end
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise Conflict(
                f"This layer already has a span on {current.quote!r}; delete one of the two instead."
            ) from None
        _written(record_annotation, current, "updated", user, annotation.layer)
    return current


def annotation_delete(*, annotation: Annotation, user) -> None:
    """Delete a span and the relations that touch it (its comments go with it)."""
    _check_can_edit(annotation.layer, user)
    with transaction.atomic():
        touching = list(Relation.objects.filter(Q(source=annotation) | Q(target=annotation)).only("id", "document_id", "layer_id"))
        deleted = Annotation(pk=annotation.pk, document_id=annotation.document_id, paragraph_id=annotation.paragraph_id,
                             layer_id=annotation.layer_id)
        annotation.delete()
        for relation in touching:
            record_relation(relation, "deleted", user)
        _written(record_annotation, deleted, "deleted", user, annotation.layer)


def relation_create(*, source: Annotation, target: Annotation, kind: str, user) -> Relation:
    """Link two spans of the same document and layer: ``source`` supports or attacks ``target``."""
    if kind not in Relation.Kind.values:
        raise InvalidInput(f"Unknown relation {kind!r}; use 'supports' or 'attacks'.")
    _check_can_edit(source.layer, user)
    if source.document_id != target.document_id:
        raise InvalidInput(
            f"Span {source.pk} and span {target.pk} are in different documents; relations join spans of one document."
        )
    if source.layer_id != target.layer_id:
        raise InvalidInput(
            f"Span {source.pk} and span {target.pk} are in different layers; relations join spans of one layer."
        )
    if source.pk == target.pk:
        raise InvalidInput("A span cannot support or attack itself.")
    relation = Relation(document_id=source.document_id, layer_id=source.layer_id, source=source, target=target, kind=kind, author=user)
    try:
        with transaction.atomic():
            insert_row(relation)
            _written(record_relation, relation, "created", user, source.layer)
    except IntegrityError:
        existing = Relation.objects.filter(source=source, target=target).first()
        if existing is None:
            raise
        raise Conflict(
            f"Span {source.pk} already {existing.kind} span {target.pk} (relation {existing.pk}); delete it first.",
            relation_id=existing.pk,
        ) from None
    return relation


def relation_update(*, relation: Relation, user, kind: str) -> Relation:
    """Turn a relation from supports into attacks or back."""
    if kind not in Relation.Kind.values:
        raise InvalidInput(f"Unknown relation {kind!r}; use 'supports' or 'attacks'.")
    _check_can_edit(relation.layer, user)
    relation.kind = kind
    with transaction.atomic():
        relation.save(update_fields=["kind"])
        _written(record_relation, relation, "updated", user, relation.layer)
    return relation


def relation_delete(*, relation: Relation, user) -> None:
    """Delete a relation; its two spans stay."""
    _check_can_edit(relation.layer, user)
    with transaction.atomic():
        deleted = Relation(pk=relation.pk, document_id=relation.document_id, layer_id=relation.layer_id)
        relation.delete()
        _written(record_relation, deleted, "deleted", user, relation.layer)
