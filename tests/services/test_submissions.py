"""Students' attempts (services/submissions.py): starting, submitting (scored, then read-only, which
PostgreSQL enforces too), one submission per attempt, the due date, new attempts, reopen and override."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from annotations import services as ex
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, Layer, Submission
from tests.fixtures.classroom import tag


def test_submit_scores_and_freezes_the_work(classroom):
    """A student's attempt has its own layer; submitting scores it and makes it read-only."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    assert submission.layer.kind == Layer.Kind.EXERCISE_WORK and submission.layer.exercise_id == c.exercise.pk
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    tag(c.paragraph, submission.layer, c.student, 81, 100, "evidence")
    done = ex.submission_submit(submission=submission, user=c.student)
    assert done.status == "submitted" and done.late is False
    # claim found (1), evidence missed, counterclaim wrong label; relations 0/2 → 0.7 × 1/3 = 23.3
    assert done.score == 23.3
    assert done.score_parts["found"] == 1 and done.score_parts["wrong_label"] == 1 and done.score_parts["missed"] == 1
    with pytest.raises(Conflict, match="read-only"):
        tag(c.paragraph, submission.layer, c.student, 32, 80, "evidence")


def test_the_database_refuses_writes_to_submitted_work(classroom):
    """Even a write that skips the services (an insert, an update, a delete) fails on submitted work."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    span = tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    ex.submission_submit(submission=submission, user=c.student)
    for write in (
        lambda: Annotation.objects.create(document=c.document, paragraph=c.paragraph, layer=submission.layer, start=32,
                                          end=80, quote=c.paragraph.text[32:80], label="evidence"),
        lambda: Annotation.objects.filter(pk=span.pk).update(label="evidence"),
        lambda: Annotation.objects.filter(pk=span.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="submitted"):
            with transaction.atomic():
                write()
    assert Annotation.objects.get(pk=span.pk).label == "claim"


def test_one_submission_per_student_exercise_and_attempt(classroom):
    """A second attempt 1 is refused by the unique constraint."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    layer = Layer.objects.create(project=c.project, kind="exercise_work", exercise=c.exercise, owner=c.student, name="x")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Submission.objects.create(exercise=c.exercise, student=c.student, attempt=submission.attempt, layer=layer)


def _wait_for_a_lock_wait(seconds=60):
    """True once another connection of this database waits for a lock (polled, at most ``seconds``)."""
    import time

    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid() AND pid IN "
                           "(SELECT pid FROM pg_stat_activity WHERE datname = current_database())")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_write_racing_the_submit_is_scored_or_refused(classroom):
    """A span insert holding its transaction open while the student submits: the submit waits
    for it and scores it; an insert after the submit is refused."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    inserted, submitted = threading.Event(), {}

    def submit():
        from django.db import connection as thread_connection

        try:
            inserted.wait(60)
            submitted["result"] = ex.submission_submit(submission=submission, user=c.student)
        finally:
            thread_connection.close()

    worker = threading.Thread(target=submit)
    worker.start()
    with transaction.atomic():
        tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
        inserted.set()
        # The submit waits for this transaction: seen as its lock request not granted (bounded, not timed).
        assert _wait_for_a_lock_wait(), "the submit never waited for the span's transaction"
        assert worker.is_alive()
    worker.join(60)
    assert not worker.is_alive()
    assert submitted["result"].score_parts["found"] == 1
    with pytest.raises(Conflict):
        tag(c.paragraph, submission.layer, c.student, 32, 80, "evidence")


def test_late_submission_refused_naming_the_due_date_unless_accepted_or_extended(classroom):
    """refuse: Conflict naming the date; an extension lets it through; accept: stored as late."""
    c = classroom
    due = timezone.now() - timedelta(hours=1)
    ex.exercise_update(exercise=c.exercise, user=c.teacher, due_at=due)
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    with pytest.raises(Conflict, match=f"due on {timezone.localtime(due):%d %B %Y}"):
        ex.submission_submit(submission=submission, user=c.student)
    ex.extension_set(exercise=c.exercise, user=c.teacher, student=c.student, due_at=timezone.now() + timedelta(days=1))
    assert ex.submission_submit(submission=submission, user=c.student).late is False
    ex.exercise_update(exercise=c.exercise, user=c.teacher, late_policy="accept")
    late = ex.submission_submit(submission=ex.submission_start(exercise=c.exercise, user=c.student_b), user=c.student_b)
    assert late.late is True


def test_attempts_reopen_override_and_release(classroom):
    """A new attempt copies the last one; the teacher reopens, overrides with a comment, releases."""
    c = classroom
    ex.exercise_update(exercise=c.exercise, user=c.teacher, attempts_allowed=2, feedback_mode="release")
    first = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, first.layer, c.student, 0, 31, "claim")
    ex.submission_submit(submission=first, user=c.student)
    second = ex.submission_new_attempt(exercise=c.exercise, user=c.student)
    assert second.attempt == 2 and second.layer.annotations.count() == 1
    ex.submission_submit(submission=second, user=c.student)
    with pytest.raises(Conflict, match="all 2 attempt"):
        ex.submission_new_attempt(exercise=c.exercise, user=c.student)
    with pytest.raises(NotPermitted):
        ex.submission_reopen(submission=second, user=c.student)
    reopened = ex.submission_reopen(submission=second, user=c.teacher)
    tag(c.paragraph, reopened.layer, c.student, 32, 80, "evidence")
    second = ex.submission_submit(submission=reopened, user=c.student)
    ex.submission_override(submission=second, user=c.teacher, score=90, comment="Good reading of the survey.")
    second.refresh_from_db()
    assert second.final_score == 90.0 and second.override_comment == "Good reading of the survey."
    with pytest.raises(InvalidInput):
        ex.submission_override(submission=second, user=c.teacher, score=120)
    ex.exercise_release(exercise=c.exercise, user=c.teacher)
    c.exercise.refresh_from_db()
    assert c.exercise.released_at is not None
