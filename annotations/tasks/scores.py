"""Re-scoring a class in the background after its key, or what is scored, changed.

Each service that writes an exercise's key (its spans and relations: ``services.spans``,
``services.exercise_keys``) or the labels in play and the link rule (``services.exercises``)
calls ``exercise_scores_queue`` inside its own transaction: the task row commits with the
change and rolls back with it. A job still waiting for the worker is reused, so a burst of
key edits queues one job, and its row is locked by the write that found it, which keeps the
worker (it claims rows with ``SKIP LOCKED``) off it until that write has committed: a job that
starts always sees every edit that relied on it. A write that comes while the job runs queues
the next one. The worker (``manage.py db_worker``) runs ``exercise_scores_task``, that is
``services.scores.exercise_scores_refresh``; reads never write, and until the job has run they
compute the same figure in memory (``selectors.scores``).
"""
from __future__ import annotations

from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from annotations.models import Exercise
from annotations.services.scores import exercise_scores_refresh


@task()
def exercise_scores_task(*, exercise_id: int) -> dict:
    """Store the scores of the exercise's attempts scored against an older key; return how many."""
    exercise = Exercise.objects.filter(pk=exercise_id).first()
    if exercise is None:  # deleted while queued: nothing to do
        return {"exercise": exercise_id, "rescored": 0, "skipped": "exercise no longer exists"}
    return {"exercise": exercise_id, "rescored": exercise_scores_refresh(exercise=exercise)}


def exercise_scores_queue(*, exercise_id: int) -> None:
    """Queue the exercise's re-score unless a job for it is waiting already. Called inside the
    transaction of the write that changed its key or what is scored (after the write itself)."""
    if isinstance(exercise_scores_task.get_backend(), DatabaseBackend):
        waiting = (DBTaskResult.objects.select_for_update()
                   .filter(task_path=exercise_scores_task.module_path, status=TaskResultStatus.READY,
                           args_kwargs__kwargs__exercise_id=exercise_id)
                   .values_list("id", flat=True)[:1])
        if list(waiting):
            return
    exercise_scores_task.enqueue(exercise_id=exercise_id)
