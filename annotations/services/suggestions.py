"""Writes on suggestions a person asks for: queueing their computation, and each person's
accept / reject.

- ``suggestions_request`` queues computing a document's suggestions as a background task
  (django-tasks; the work is ``services.suggestion_runs``) and marks the document's
  ``SuggestionRun`` as pending, so the page can show "computing…";
  ``suggestions_queue_for_new_document`` does the same inside the transaction that creates a
  document (upload, map import), so the task row commits with the document or not at all.
- ``suggestion_accept`` creates an annotation in the person's layer through
  ``annotation_create`` (label, offset and quote rules, the change log) pointing back to the
  suggestion, and stores the decision; ``suggestion_reject`` stores a rejection, which hides
  the suggestion in that layer only. A decision is a layer's (the person's own, or the one they
  decide for: an exercise's key), at most one per suggestion and layer (database constraints); ``suggestions_accept_above`` accepts every visible
  suggestion scoring at least a threshold, in one transaction.
- Once enough decisions exist, the decision services queue training the project's model
  (``tasks.suggestions.train_suggestions_task``), never training in the request.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, Document, Layer, Suggestion, SuggestionDecision, SuggestionRun
from annotations.permissions import WRITER_ROLES, can_edit_layer, can_read_suggestions, role_in
from annotations.selectors.suggestions import decision_layer, decisions_in, training_due, visible_suggestions
from annotations.services.spans import annotation_create, annotation_delete, check_work_not_submitted
from annotations.tasks.suggestions import compute_suggestions_task, train_suggestions_task

logger = logging.getLogger(__name__)

# A pending request younger than this is not queued again (a second click while waiting).
REQUEUE_AFTER_SECONDS = 600


def _check_can_decide(project_id: int, user) -> None:
    if role_in(project_id, user) not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot accept or reject suggestions; ask the project's owner for the annotator role.")


def suggestions_request(*, document: Document, user) -> SuggestionRun:
    """Queue computing the document's suggestions in the background; the run says "pending".

    ``user=None`` is the system (after an import, a command); otherwise a member who may
    annotate. A request still waiting from the last few minutes is not queued twice.
    """
    if user is not None and role_in(document.project_id, user) not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot ask for suggestions; ask the project's owner for the annotator role.")
    now = timezone.now()
    with transaction.atomic():
        run, created = SuggestionRun.objects.select_for_update().get_or_create(
            document=document, defaults={"status": SuggestionRun.Status.PENDING, "requested_at": now}
        )
        waiting = (
            not created and run.status in (SuggestionRun.Status.PENDING, SuggestionRun.Status.RUNNING)
            and run.requested_at is not None and (now - run.requested_at).total_seconds() < REQUEUE_AFTER_SECONDS
        )
        if waiting:
            return run
        run.status = SuggestionRun.Status.PENDING
        run.requested_at = now
        run.error = ""
        run.save(update_fields=["status", "requested_at", "error"])
        # The task row commits with the run, so a worker never sees one without the other.
        compute_suggestions_task.enqueue(document_id=document.pk)
    run.refresh_from_db()
    return run


def suggestions_queue_for_new_document(*, document: Document) -> SuggestionRun:
    """Mark a new document's suggestions pending and queue their computation.

    Called inside the transaction that creates the document: django-tasks' database backend
    stores the task in the same database, so the task row commits with the document (a crash
    just after the import commits cannot lose it) and rolls back with it.
    """
    run = SuggestionRun.objects.create(document=document, status=SuggestionRun.Status.PENDING, requested_at=timezone.now())
    compute_suggestions_task.enqueue(document_id=document.pk)
    return run


# ---- decisions ------------------------------------------------------------------------------

def _check_can_decide_in(layer: Layer | None, project_id: int, user) -> None:
    """A decision for ``layer`` (None: the user's own) needs the right to edit it, in the
    suggestion's project, and work that is not submitted yet. Checked before anything else, so
    a layer one may not touch never answers with what was decided in it."""
    if layer is None:
        return
    if layer.project_id != project_id:
        raise InvalidInput("The suggestion and the layer belong to different projects.")
    check_work_not_submitted(layer, user)
    if not can_edit_layer(layer, user):
        raise NotPermitted(f"You cannot edit the layer {layer.name!r}, so you cannot decide on suggestions for it.")


def _decision_in(suggestion: Suggestion, layer: Layer | None, user) -> SuggestionDecision | None:
    """The decision on the suggestion that counts in ``layer`` (None: the user's own), row-locked.
    Called inside the decision's transaction."""
    return SuggestionDecision.objects.select_for_update().filter(decisions_in(layer, user), suggestion=suggestion).first()


def _check_not_accepted(suggestion: Suggestion, layer: Layer | None, user, message: str) -> None:
    """Refuse (409, naming the span) when the decision on the suggestion in this layer is an
    accept whose span still exists. Called inside the decision's transaction: it locks the row."""
    decision = _decision_in(suggestion, layer, user)
    if decision is not None and decision.decision == SuggestionDecision.Decision.ACCEPTED and decision.annotation_id:
        raise Conflict(message.format(decision.annotation_id), annotation_id=decision.annotation_id)


def _decision_store(suggestion: Suggestion, layer: Layer | None, user, **values) -> SuggestionDecision:
    """Write the decision on the suggestion in ``layer`` (None: the user's own), replacing the one
    there (whoever made it). Called inside the decision's transaction, after ``_decision_in``."""
    scope = decision_layer(layer, user)
    decision = _decision_in(suggestion, layer, user)
    if decision is None:
        decision = SuggestionDecision(suggestion=suggestion, layer=scope, user=user)
    decision.user = user
    for name, value in values.items():
        setattr(decision, name, value)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:  # decided at the same moment in another request
        raise Conflict("Someone decided on this suggestion in this layer at the same moment; reload to see it.") from None
    return decision


def suggestion_accept(
    *, suggestion: Suggestion, user, label: str | None = None, start: int | None = None, end: int | None = None,
    quote: str | None = None, layer: Layer | None = None,
) -> Annotation:
    """Accept the suggestion into ``layer`` (one the user may edit, e.g. the exercise key they
    draft; default: the user's own layer), optionally with another label or adjusted boundaries
    (then ``quote``, if given, must match the new span). Returns the new annotation."""
    project_id = suggestion.document.project_id
    _check_can_decide(project_id, user)
    _check_can_decide_in(layer, project_id, user)
    adjusted = start is not None or end is not None
    with transaction.atomic():
        _check_not_accepted(suggestion, layer, user, "This suggestion was already accepted here (span {}); edit that span instead.")
        annotation = annotation_create(
            paragraph=suggestion.paragraph, layer=layer, user=user,
            start=suggestion.start if start is None else start, end=suggestion.end if end is None else end,
            label=label or suggestion.label, quote=quote if adjusted else suggestion.quote,
            origin=Annotation.Origin.SUGGESTION, suggestion=suggestion,
        )
        _decision_store(suggestion, annotation.layer, user, decision=SuggestionDecision.Decision.ACCEPTED,
                        label=annotation.label, annotation=annotation)
        _train_when_enough(project_id)
    return annotation


def suggestion_reject(*, suggestion: Suggestion, user, layer: Layer | None = None) -> SuggestionDecision:
    """Reject the suggestion in ``layer`` (one the user may edit, e.g. an exercise's key; default:
    their own layer): it stays hidden there; their other layers and other people's still offer it."""
    project_id = suggestion.document.project_id
    _check_can_decide(project_id, user)
    _check_can_decide_in(layer, suggestion.document.project_id, user)
    with transaction.atomic():
        _check_not_accepted(suggestion, layer, user, "This suggestion was accepted here as span {}; delete that span instead.")
        decision = _decision_store(suggestion, layer, user, decision=SuggestionDecision.Decision.REJECTED,
                                   label="", annotation=None)
        _train_when_enough(project_id)
    return decision


def suggestion_decision_undo(*, suggestion: Suggestion, user, layer: Layer | None = None) -> None:
    """Take back the decision on the suggestion in ``layer`` (default: the user's own layer;
    Ctrl+Z after accepting or rejecting): the decision goes, and so does the span an accept
    created (with its links), so the suggestion is offered there again."""
    _check_can_decide(suggestion.document.project_id, user)
    _check_can_decide_in(layer, suggestion.document.project_id, user)
    with transaction.atomic():
        decision = _decision_in(suggestion, layer, user)
        if decision is None:
            raise Conflict("This suggestion was not accepted or rejected here: there is nothing to undo.")
        if decision.annotation_id is not None:
            annotation = Annotation.objects.select_related("layer").filter(pk=decision.annotation_id).first()
            if annotation is not None:
                annotation_delete(annotation=annotation, user=user)
        decision.delete()


@dataclass
class BulkAcceptResult:
    accepted: list[Annotation] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (suggestion id, why)


def suggestions_accept_above(*, document: Document, user, min_score: float, layer: Layer | None = None) -> BulkAcceptResult:
    """Accept every suggestion the user still sees with a score of at least ``min_score`` into
    ``layer`` (one the user may edit; default: their own), in one transaction."""
    try:
        min_score = float(min_score)
    except (TypeError, ValueError):
        raise InvalidInput(f"min_score must be a number between 0 and 1, not {min_score!r}.") from None
    if not 0.0 <= min_score <= 1.0:
        raise InvalidInput(f"min_score must be between 0 and 1, not {min_score}.")
    _check_can_decide(document.project_id, user)
    _check_can_decide_in(layer, document.project_id, user)
    result = BulkAcceptResult()
    allowed = set(document.project.labels)
    if not can_read_suggestions(document, user):
        raise NotPermitted("The exercise on this document hides spaCy's suggestions from students.")
    with transaction.atomic():
        run = SuggestionRun.objects.filter(document=document).first()
        chosen = list(
            visible_suggestions(document=document, user=user, run=run, layer=layer)
            .filter(score__gte=min_score).select_related("paragraph", "document__project")
        )
        decisions = []
        for suggestion in chosen:
            if suggestion.label not in allowed:
                result.skipped.append((suggestion.pk, f"label {suggestion.label!r} is not used in this project"))
                continue
            try:
                annotation = annotation_create(
                    paragraph=suggestion.paragraph, layer=layer, user=user, start=suggestion.start, end=suggestion.end,
                    label=suggestion.label, quote=suggestion.quote, origin=Annotation.Origin.SUGGESTION,
                    suggestion=suggestion,
                )
            except Conflict as conflict:
                result.skipped.append((suggestion.pk, conflict.message))
                continue
            result.accepted.append(annotation)
            decisions.append(SuggestionDecision(
                suggestion=suggestion, user=user, layer=decision_layer(annotation.layer, user),
                decision=SuggestionDecision.Decision.ACCEPTED, label=annotation.label, annotation=annotation,
            ))
        # Each was undecided in this layer when read above; one decided there meanwhile by another
        # request makes the whole batch a 409 (nothing stored), as the API promises: all or nothing.
        try:
            with transaction.atomic():
                SuggestionDecision.objects.bulk_create(decisions)
        except IntegrityError:
            raise Conflict("Someone decided on some of these suggestions at the same moment; nothing was accepted. Try again.") from None
        if decisions:
            _train_when_enough(document.project_id)
    return result


def _train_when_enough(project_id: int) -> None:
    """After this transaction commits, queue training if it is due (never trains in the request)."""

    def queue():
        try:
            if not training_due(project_id):
                return
            # One queued training per project at a time in this process (the task re-checks anyway).
            if not cache.add(f"argmap:train-suggestions:{project_id}", True, timeout=REQUEUE_AFTER_SECONDS):
                return
            train_suggestions_task.enqueue(project_id=project_id)
        except Exception:  # noqa: BLE001 - the decision is stored; training can wait for the next one
            logger.exception("Could not queue training for project %s.", project_id)

    transaction.on_commit(queue)
