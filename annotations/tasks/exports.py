"""Project exports too big for one request run as a background task (django-tasks, database backend).

``project_export_start`` answers small projects at once (a zip in memory) and queues big
ones (more than ``ARGMAP_EXPORT_SYNC_MAX_FILES`` files, or when asked); a worker
(``manage.py db_worker``) writes the zip into ``ARGMAP_EXPORT_DIR`` and the person who asked
downloads it through ``project_export_result`` (API ``/api/exports/<id>/``, page
``/exports/<id>/``). Nobody else can fetch it: the task remembers who asked. Each new export first deletes zips older than
``ARGMAP_EXPORT_KEEP_HOURS`` (default 24).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import InvalidTaskError, TaskResultDoesNotExist, TaskResultMismatch

from annotations.errors import NotFound
from annotations.models import Project
from annotations.selectors.exports import (
    ExportFile,
    project_export_file_name,
    project_export_plan,
    project_export_write,
    project_export_zip,
)


@task()
def project_export_task(*, project_id: int, user_id: int | None, format_names: list[str]) -> dict:
    """Write the project's zip to ARGMAP_EXPORT_DIR; return its stored name and counts."""
    project = Project.objects.get(pk=project_id)
    user = get_user_model().objects.get(pk=user_id) if user_id is not None else None
    plan = project_export_plan(project=project, user=user, format_names=format_names)
    folder = settings.ARGMAP_EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    prune_old_exports()
    stored_name = f"{uuid.uuid4().hex}.zip"
    partial = folder / f"{stored_name}.part"
    project_export_write(plan, partial)
    partial.rename(folder / stored_name)
    return {
        "stored_name": stored_name,
        "file_name": project_export_file_name(project),
        "maps": plan.map_count,
        "files": plan.file_count,
    }


def prune_old_exports() -> int:
    """Delete zips older than ARGMAP_EXPORT_KEEP_HOURS from ARGMAP_EXPORT_DIR; return how many."""
    cutoff = time.time() - settings.ARGMAP_EXPORT_KEEP_HOURS * 3600
    pruned = 0
    for path in settings.ARGMAP_EXPORT_DIR.glob("*.zip*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            pruned += 1
    return pruned


@dataclass
class QueuedExport:
    task_id: str
    files: int


def project_export_start(
    *, project: Project, user, format_names: list[str], background: bool | None = None
) -> ExportFile | QueuedExport:
    """The zip now (small projects, or ``background=False``) or a queued task (big ones, or ``background=True``)."""
    plan = project_export_plan(project=project, user=user, format_names=format_names)
    if background is None:
        background = plan.file_count > settings.ARGMAP_EXPORT_SYNC_MAX_FILES
    if not background:
        return project_export_zip(plan)
    result = project_export_task.enqueue(
        project_id=project.pk, user_id=getattr(user, "pk", None), format_names=[f.name for f in plan.formats]
    )
    return QueuedExport(task_id=str(result.id), files=plan.file_count)


@dataclass
class ExportStatus:
    status: str  # READY, RUNNING, FAILED or SUCCESSFUL
    file: ExportFile | None = None
    message: str = ""


def project_export_result(*, task_id: str, user) -> ExportStatus:
    """The state of a queued export, with the zip once it is done. NotFound for someone else's export."""
    try:
        result = project_export_task.get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, InvalidTaskError, ValidationError, ValueError):
        raise NotFound(f"No export {task_id}.") from None
    if result.kwargs.get("user_id") != getattr(user, "pk", None):
        raise NotFound(f"No export {task_id}.")
    if result.status == TaskResultStatus.FAILED:
        return ExportStatus(status=result.status, message="The export failed; start it again or ask an operator to check the worker's log.")
    if result.status != TaskResultStatus.SUCCESSFUL:
        return ExportStatus(status=result.status, message="The export is queued or running; try again in a moment.")
    value = result.return_value
    path = settings.ARGMAP_EXPORT_DIR / value["stored_name"]
    if not path.is_file():
        raise NotFound(f"Export {task_id} is no longer stored; start it again.")
    return ExportStatus(status=result.status, file=ExportFile(value["file_name"], "application/zip", path.read_bytes()))
