"""Suggestions in the background: an import queues the task (a database row for db_worker) in
its own transaction, the task moves the run through running to done or failed, and the
immediate backend runs it inline."""
from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations import services
from annotations.models import Suggestion, SuggestionRun
from annotations.tasks.suggestions import compute_suggestions_task
from tests.paths import SAMPLE_ARTICLE

pytestmark = pytest.mark.django_db
TASK_PATH = "annotations.tasks.suggestions.compute_suggestions_task"


def _import(project, user=None):
    return services.document_import(project=project, user=user, data=SAMPLE_ARTICLE.read_bytes(),
                                    filename=SAMPLE_ARTICLE.name)


def test_import_queues_a_task_row_in_its_own_transaction(project, people):
    """The task row for the worker is written by the import's transaction itself, before any commit hook runs."""
    document = _import(project, people["owner"])  # no on_commit callbacks are run here
    row = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert row.args_kwargs["kwargs"] == {"document_id": document.pk}
    assert row.status == "READY"
    assert SuggestionRun.objects.get(document=document).status == "pending"
    assert not Suggestion.objects.exists()  # nothing computed in the request


def test_an_import_that_rolls_back_leaves_no_task_row(project, people):
    """When the transaction around an import rolls back, its document, run and task row go with it."""
    from annotations.models import Document

    with pytest.raises(RuntimeError), transaction.atomic():
        _import(project, people["owner"])
        assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
        raise RuntimeError("the request failed after the import")
    assert not Document.objects.exists() and not SuggestionRun.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_task_function_computes_and_marks_done(project):
    """Running the task's function computes the suggestions and marks the run done."""
    document = _import(project)
    result = compute_suggestions_task.call(document_id=document.pk)
    run = SuggestionRun.objects.get(document=document)
    assert run.status == "done" and result["suggestions"] == run.suggestion_count > 20
    assert Suggestion.objects.filter(document=document).count() == run.suggestion_count


def test_task_failure_marks_the_run_failed(project):
    """A failure inside the task marks the run failed with the error, for the page to show."""
    document = _import(project)
    with mock.patch("annotations.tasks.suggestions.suggestions_compute", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            compute_suggestions_task.call(document_id=document.pk)
    run = SuggestionRun.objects.get(document=document)
    assert run.status == "failed" and "disk full" in run.error


def test_immediate_backend_computes_on_import(project, settings, django_capture_on_commit_callbacks):
    """With the immediate backend (e.g. in development without a worker) an import computes at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        document = _import(project)
    assert SuggestionRun.objects.get(document=document).status == "done"
    assert Suggestion.objects.filter(document=document, label="counterclaim").exists()


def test_a_failure_to_queue_stores_nothing(project):
    """If the task cannot be stored, the import fails whole: no document without its suggestion run."""
    from annotations.models import Document

    with mock.patch("django_tasks_db.backend.DatabaseBackend.enqueue", side_effect=RuntimeError("task table unreachable")):
        with pytest.raises(RuntimeError):
            _import(project)
    assert not Document.objects.exists() and not SuggestionRun.objects.exists()
