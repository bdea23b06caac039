"""Writes for students' attempts at an exercise: starting one (with its own work layer),
starting the next from a copy of the last, submitting (scored, then read-only), and the
teacher's actions on an attempt (reopen, override the score). Each checks permission,
validates, and runs in one transaction.

A submitted attempt stores its score, the score's parts and the summary the dashboard reads
(``selectors.feedback.work_summary``) with the key revision they were computed at; the work
cannot change after submission, so only a change to the key (or to what is scored) makes
them stale, and the re-score job brings them up to date (``services.scores``).
"""
from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import Exercise, Layer, Submission
from annotations.permissions import CURATOR_ROLES, WRITER_ROLES, check_can_teach, role_in
from annotations.selectors.exercises import current_submission, due_for
from annotations.selectors.feedback import layers_scored
from annotations.services.exercise_keys import layer_spans_copy


def _check_student(exercise: Exercise, user) -> None:
    role = role_in(exercise.project, user)
    if role is None:
        raise NotFound(f"No exercise {exercise.pk} in a class you belong to.")
    if role in CURATOR_ROLES:
        raise NotPermitted("Teachers do not do the exercise; edit its key instead.")
    if role not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot do exercises; ask your teacher for the student role.")


def _new_work_layer(exercise: Exercise, user, attempt: int) -> Layer:
    name = f"{user.get_username()} · {exercise.title}" + (f" (attempt {attempt})" if attempt > 1 else "")
    return Layer.objects.create(project_id=exercise.project_id, kind=Layer.Kind.EXERCISE_WORK, exercise=exercise,
                                owner=user, name=name[:150])


def submission_start(*, exercise: Exercise, user, now: datetime | None = None) -> Submission:
    """The student's current attempt, started (with its own layer) on first opening."""
    _check_student(exercise, user)
    current = Submission.objects.filter(exercise=exercise, student=user).select_related("layer").order_by("-attempt").first()
    if current is not None:
        return current
    now = now or timezone.now()
    if exercise.opens_at and now < exercise.opens_at:
        raise NotPermitted(f"This exercise opens on {timezone.localtime(exercise.opens_at):%d %B %Y at %H:%M %Z}.")
    try:
        with transaction.atomic():
            layer = _new_work_layer(exercise, user, 1)
            return Submission.objects.create(exercise=exercise, student=user, attempt=1, layer=layer)
    except IntegrityError:  # opened in two tabs at once
        return Submission.objects.select_related("layer").get(exercise=exercise, student=user, attempt=1)


def submission_new_attempt(*, exercise: Exercise, user) -> Submission:
    """Start the next attempt from a copy of the last one, if the exercise allows another."""
    _check_student(exercise, user)
    with transaction.atomic():
        last = (Submission.objects.select_for_update().filter(exercise=exercise, student=user)
                .select_related("layer").order_by("-attempt").first())
        if last is None:
            raise InvalidInput("Open the exercise first.")
        if last.status != Submission.Status.SUBMITTED:
            raise Conflict(f"Attempt {last.attempt} is still open; submit it first.")
        if last.attempt >= exercise.attempts_allowed:
            raise Conflict(f"You have used all {exercise.attempts_allowed} attempt(s) this exercise allows.")
        layer = _new_work_layer(exercise, user, last.attempt + 1)
        layer_spans_copy(documents=list(exercise.documents.all()), source=last.layer, target=layer, user=user)
        try:
            with transaction.atomic():
                return Submission.objects.create(exercise=exercise, student=user, attempt=last.attempt + 1, layer=layer)
        except IntegrityError:
            raise Conflict("That attempt was started in another tab; reload the page.") from None


def submission_submit(*, submission: Submission, user, now: datetime | None = None) -> Submission:
    """Submit the attempt: from now on its work is read-only (the database refuses any write
    to it). Late submissions are refused, naming the due date, unless the policy accepts them."""
    exercise = submission.exercise
    if submission.student_id != user.pk:
        raise NotPermitted("Only the student whose work this is can submit it.")
    _check_student(exercise, user)
    now = now or timezone.now()
    due = due_for(exercise, user)
    late = due is not None and now > due
    if late and exercise.late_policy == Exercise.LatePolicy.REFUSE:
        raise Conflict(f"This exercise was due on {timezone.localtime(due):%d %B %Y at %H:%M %Z}; "
                       "late submissions are not accepted. Ask your teacher for an extension.")
    with transaction.atomic():
        # The row lock makes a concurrent span write wait (its trigger reads this row FOR SHARE)
        # until the submit commits, then fail; a write that got the row first is scored.
        current = Submission.objects.select_for_update().select_related("layer").get(pk=submission.pk)
        if current.status == Submission.Status.SUBMITTED:
            raise Conflict(f"Attempt {current.attempt} was already submitted on "
                           f"{timezone.localtime(current.submitted_at):%d %B %Y at %H:%M %Z}.")
        revision, scored = layers_scored(exercise=exercise, layer_ids=[current.layer_id])
        result, summary = scored[current.layer_id]
        current.status = Submission.Status.SUBMITTED
        current.submitted_at = now
        current.late = late
        current.score = result.score
        current.score_parts = result.parts()
        current.summary = summary
        current.scored_revision = revision
        current.save(update_fields=["status", "submitted_at", "late", "score", "score_parts", "summary", "scored_revision"])
    return current


def exercise_submit(*, exercise: Exercise, user, now: datetime | None = None) -> Submission:
    """Submit the user's current attempt at the exercise (the exercise page's button)."""
    _check_student(exercise, user)
    submission = current_submission(exercise=exercise, student=user)
    if submission is None:
        raise InvalidInput("Open a document of the exercise and tag it before submitting.")
    return submission_submit(submission=submission, user=user, now=now)


def submission_reopen(*, submission: Submission, user) -> Submission:
    """The teacher gives a submitted attempt back to the student to change (score cleared)."""
    check_can_teach(submission.exercise.project, user)
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        if current.status != Submission.Status.SUBMITTED:
            raise Conflict("This attempt is not submitted; there is nothing to reopen.")
        current.status = Submission.Status.WORKING
        current.submitted_at = None
        current.score = None
        current.score_parts = {}
        current.summary = {}
        current.scored_revision = None
        current.reopened_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "score", "score_parts", "summary", "scored_revision",
                                    "reopened_at"])
    return current


def submission_override(*, submission: Submission, user, score: float | None, comment: str = "") -> Submission:
    """Set the score the teacher decided (None goes back to the computed one), with a comment."""
    check_can_teach(submission.exercise.project, user)
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
            raise InvalidInput("The score must be a number from 0 to 100.")
    if submission.status != Submission.Status.SUBMITTED:
        raise Conflict("Only a submitted attempt can have its score overridden.")
    submission.override_score = float(score) if score is not None else None
    submission.override_comment = (comment or "").strip()
    submission.save(update_fields=["override_score", "override_comment"])
    return submission
