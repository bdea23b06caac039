"""Background tasks for suggestions (django-tasks; the database backend by default, run by
``python manage.py db_worker`` on this or another machine).

- ``compute_suggestions_task``: the document's suggestions (``services.suggestion_runs.suggestions_compute``),
  with the document's ``SuggestionRun`` moved through running → done / failed for the page.
- ``train_suggestions_task``: the project's classifier from its decisions
  (``services.suggestion_runs.project_model_train``), queued by the decision services once enough exist.
"""
from __future__ import annotations

from django_tasks import task

from annotations.models import Document, Project
from annotations.services.suggestion_runs import (
    project_model_train,
    suggestions_compute,
    suggestions_mark_failed,
    suggestions_mark_running,
)


@task()
def compute_suggestions_task(*, document_id: int) -> dict:
    """Compute and store the document's suggestions; return how many and with which pipeline."""
    document = Document.objects.select_related("project").filter(pk=document_id).first()
    if document is None:  # deleted while queued: nothing to do
        return {"document": document_id, "suggestions": 0, "skipped": "document no longer exists"}
    suggestions_mark_running(document_id=document_id)
    try:
        run = suggestions_compute(document=document)
    except Exception as error:
        suggestions_mark_failed(document_id=document_id, error=f"{type(error).__name__}: {error}")
        raise
    return {"document": document_id, "suggestions": run.suggestion_count,
            "pipeline": f"{run.pipeline_name} {run.pipeline_version}"}


@task()
def train_suggestions_task(*, project_id: int) -> dict:
    """Train and store the project's suggestion model if it is due; return its figures."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return {"project": project_id, "trained": False}
    stored = project_model_train(project=project)
    if stored is None:
        return {"project": project_id, "trained": False}
    return {"project": project_id, "trained": True, "examples": stored.n_examples,
            "accuracy_model": stored.accuracy_model, "accuracy_rules": stored.accuracy_rules}
