"""Re-scoring in the background: a write to the key (or to what is scored) queues one job per
class in its own transaction, a burst of edits reuses the job still waiting, and the worker's
run stores what the reads were computing in memory meanwhile."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations import services as ex
from annotations.models import Exercise, Relation, Submission
from annotations.selectors.feedback import layer_score
from annotations.selectors.scores import student_exercises_with_current_scores
from annotations.tasks.scores import exercise_scores_task
from tests.fixtures.classroom import tag

pytestmark = pytest.mark.django_db
TASK_PATH = "annotations.tasks.scores.exercise_scores_task"


def _jobs(exercise, status=None):
    rows = DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__kwargs__exercise_id=exercise.pk)
    return rows.filter(status=status) if status else rows


def _submit(c, student, spans):
    submission = ex.submission_start(exercise=c.exercise, user=student)
    for start, end, label in spans:
        tag(c.paragraph, submission.layer, student, start, end, label)
    return ex.submission_submit(submission=submission, user=student)


def _run_waiting_jobs():
    """What ``db_worker`` does with the queued rows, run here on this test's connection."""
    for row in DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY"):
        exercise_scores_task.call(**row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")


def test_a_burst_of_key_edits_queues_one_job(classroom):
    """Tagging, relabelling, linking and deleting in the key leave one waiting job for the class."""
    c = classroom
    _run_waiting_jobs()  # the fixture's key was written through the services too
    assert not _jobs(c.exercise, "READY").exists()
    span = ex.annotation_create(paragraph=c.paragraph, layer=c.key, user=c.teacher, start=0, end=4, label="evidence",
                                quote=None)
    ex.annotation_update(annotation=span, user=c.teacher, version=None, label="claim")
    link = ex.relation_create(source=span, target=c.key_spans["claim"], kind="supports", user=c.teacher)
    ex.relation_update(relation=link, user=c.teacher, kind="attacks")
    ex.relation_delete(relation=link, user=c.teacher)
    ex.annotation_delete(annotation=span, user=c.teacher)
    jobs = _jobs(c.exercise, "READY")
    assert jobs.count() == 1 and jobs.get().args_kwargs["kwargs"] == {"exercise_id": c.exercise.pk}


def test_work_outside_the_key_queues_nothing(classroom):
    """A student's spans and a personal layer's are not the key: no job."""
    c = classroom
    _run_waiting_jobs()
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    ex.annotation_create(paragraph=c.paragraph, layer=None, user=c.teacher, start=0, end=31, label="claim", quote=None)
    assert not _jobs(c.exercise).filter(status="READY").exists()


def test_a_job_already_running_does_not_absorb_the_next_edit(classroom):
    """Once the worker has claimed the waiting job, the next key edit queues another (the running one may have read the old key)."""
    c = classroom
    assert _jobs(c.exercise, "READY").count() == 1
    _jobs(c.exercise, "READY").update(status="RUNNING")
    ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
    assert _jobs(c.exercise, "READY").count() == 1 and _jobs(c.exercise).count() == 2


@pytest.mark.parametrize("change", ["labels", "relations_count", "key_copy", "key_import", "document_delete"])
def test_every_change_to_what_is_scored_queues_the_job(classroom, change):
    """The scored labels, the link rule, a key replaced by a copy or an import, a document's deletion: each queues the re-score."""
    c = classroom
    _run_waiting_jobs()
    if change == "labels":
        ex.exercise_update(exercise=c.exercise, user=c.teacher, labels=["claim", "evidence"])
    elif change == "relations_count":
        ex.exercise_update(exercise=c.exercise, user=c.teacher, relations_count=False)
    elif change == "key_copy":
        mine = ex.layer_get_or_create_personal(project=c.project, user=c.teacher)
        ex.exercise_key_copy(exercise=c.exercise, user=c.teacher, source=mine)
    elif change == "key_import":
        data = _key_file(c)
        _run_waiting_jobs()
        ex.exercise_key_import(exercise=c.exercise, user=c.teacher, format_name="json", name="key.json",
                               data=data)
    else:
        ex.document_delete(document=c.document, user=c.teacher)
    assert _jobs(c.exercise, "READY").count() == 1
    ex.exercise_update(exercise=c.exercise, user=c.teacher, title="Renamed")  # not what is scored: the same job
    assert _jobs(c.exercise, "READY").count() == 1


def _key_file(c) -> bytes:
    from annotations.formats.registry import get_format
    from annotations.selectors.maps import argument_map_get

    mine = ex.layer_get_or_create_personal(project=c.project, user=c.teacher)
    tag(c.paragraph, mine, c.teacher, 0, 31, "claim")
    return get_format("json").export(argument_map_get(document=c.document, layer=mine))


def test_key_change_job_worker_then_the_stored_score_and_my_exercises(classroom, client):
    """Key change → job queued → worker run → stored score and summary updated, and the
    student's "My exercises" shows the new score (it already did before the worker, in memory)."""
    c = classroom
    submission = _submit(c, c.student, [(0, 31, "claim")])
    before = submission.score
    ex.relation_delete(relation=Relation.objects.get(layer=c.key, kind="attacks"), user=c.teacher)
    ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
    fresh = layer_score(exercise=Exercise.objects.get(pk=c.exercise.pk), layer=submission.layer).score
    assert fresh != before
    [row] = student_exercises_with_current_scores(user=c.student)
    assert row["score"] == fresh  # before the worker: computed, not stored
    assert Submission.objects.get(pk=submission.pk).score == before
    _run_waiting_jobs()
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.score == fresh and stored.scored_revision == Exercise.objects.get(pk=c.exercise.pk).scoring_revision
    assert stored.summary["outcomes"]["spans"] == [[f"s{c.key_spans['claim'].pk}", "claim", "found", "claim"],
                                                   [f"s{c.key_spans['evidence'].pk}", "evidence", "missed", ""]]
    client.force_login(c.student)
    page = client.get("/exercises/").content.decode()
    assert f"{fresh} %" in page and f"{before} %" not in page


def test_the_job_for_a_deleted_exercise_does_nothing(classroom):
    """An exercise deleted while its job waited: the job says so and stores nothing."""
    c = classroom
    exercise_id = c.exercise.pk
    ex.exercise_delete(exercise=c.exercise, user=c.teacher)
    assert exercise_scores_task.call(exercise_id=exercise_id) == {
        "exercise": exercise_id, "rescored": 0, "skipped": "exercise no longer exists"}


def test_a_rolled_back_key_edit_leaves_no_job(classroom):
    """The job's row commits with the key edit, and goes with it when it rolls back."""
    c = classroom
    _run_waiting_jobs()
    with pytest.raises(RuntimeError), transaction.atomic():
        ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
        assert _jobs(c.exercise, "READY").count() == 1
        raise RuntimeError("the request failed after the edit")
    assert not _jobs(c.exercise, "READY").exists()


def test_immediate_backend_rescores_with_the_edit(classroom, settings):
    """With the immediate backend (development without a worker) the key edit stores the new scores at once."""
    c = classroom
    submission = _submit(c, c.student, [(0, 31, "claim")])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ex.annotation_delete(annotation=c.key_spans["evidence"], user=c.teacher)
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.score != submission.score
    assert stored.scored_revision == Exercise.objects.get(pk=c.exercise.pk).scoring_revision


@pytest.mark.django_db(transaction=True)  # the worker runs in its own transactions and closes its connection
def test_db_worker_runs_the_queued_rescore(classroom):
    """The real worker command picks the queued job up and stores the new scores."""
    c = classroom
    submission = _submit(c, c.student, [(0, 31, "claim")])
    ex.annotation_delete(annotation=c.key_spans["evidence"], user=c.teacher)
    assert Submission.objects.get(pk=submission.pk).scored_revision < Exercise.objects.get(pk=c.exercise.pk).scoring_revision
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.scored_revision == Exercise.objects.get(pk=c.exercise.pk).scoring_revision
    assert stored.score == layer_score(exercise=Exercise.objects.get(pk=c.exercise.pk), layer=submission.layer).score
    assert not _jobs(c.exercise, "READY").exists() and _jobs(c.exercise, "SUCCESSFUL").exists()


@pytest.mark.django_db(transaction=True)  # two connections: the editing request and the worker
def test_the_worker_cannot_claim_the_job_while_an_edit_that_relies_on_it_is_open(classroom):
    """A key edit that finds the job waiting holds its row until it commits: the worker's claim
    (``SKIP LOCKED``) finds nothing meanwhile, so the job never runs on a key older than the edit."""
    import threading

    from django.db import connection

    c = classroom
    assert _jobs(c.exercise, "READY").count() == 1  # queued by the fixture's key, not run yet
    edited, finish, failures = threading.Event(), threading.Event(), []

    def teacher_edits():
        try:
            with transaction.atomic():
                ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
                edited.set()
                finish.wait(60)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
            edited.set()
        finally:
            connection.close()

    thread = threading.Thread(target=teacher_edits)
    thread.start()
    assert edited.wait(60) and not failures
    with transaction.atomic():
        assert DBTaskResult.objects.ready().filter(task_path=TASK_PATH).get_locked() is None
    finish.set()
    thread.join(60)
    assert not failures
    with transaction.atomic():
        claimed = DBTaskResult.objects.ready().filter(task_path=TASK_PATH).get_locked()
        assert claimed is not None and claimed.args_kwargs["kwargs"] == {"exercise_id": c.exercise.pk}
    assert _jobs(c.exercise).count() == 1  # the edit reused the waiting job
