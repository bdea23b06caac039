"""Pages that download and upload argument maps: the document page's Export menu, the
project page's zip download and Import form. All plain forms, so they work without JavaScript.

Errors (unknown format or layer, a file that cannot be read) are raised as domain errors and
shown by ``DomainErrorMiddleware`` as a 4xx page with the message naming the line or item.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations import services
from annotations.downloads import file_response
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.exports import ExportFile, export_layer_get, map_export
from annotations.tasks.exports import project_export_result, project_export_start


@login_required
@require_GET
def document_export(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    layer = export_layer_get(project=document.project, spec=request.GET.get("layer"), user=request.user)
    return file_response(map_export(document=document, layer=layer, format_name=request.GET.get("format"), user=request.user))


@login_required
@require_GET
def project_export(request, slug):
    """The zip at once for small projects; big ones are queued and the person waits on ``export_result``."""
    project = project_get_for_user(slug=slug, user=request.user)
    names = [name for value in request.GET.getlist("formats") for name in value.split(",") if name.strip()]
    started = project_export_start(project=project, user=request.user, format_names=names or ["json"])
    if isinstance(started, ExportFile):
        return file_response(started)
    return redirect("export-result", task_id=started.task_id)


@login_required
@require_GET
def export_result(request, task_id):
    """The zip when the queued export is done; until then a page that reloads itself (no JavaScript)."""
    export = project_export_result(task_id=task_id, user=request.user)
    if export.file is not None:
        return file_response(export.file)
    status = 500 if export.status == "FAILED" else 202
    return render(request, "annotations/export_waiting.html", {"export": export}, status=status)


@login_required
@require_POST
def map_import(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    result = services.argument_map_import_files(
        project=project, user=request.user, format_name=request.POST.get("format") or "auto",
        files=[(upload.name, upload.read()) for upload in request.FILES.getlist("files")],
        layer=request.POST.get("layer", "own"), replace=request.POST.get("replace") == "on",
        label_map=[value for value in request.POST.getlist("map") if value.strip()],
        strict=request.POST.get("strict") == "on",
    )
    messages.success(request, f"Imported: {result.summary}.")
    for line in result.merged + [f"Left out: {line}" for line in result.left_out][:50]:
        messages.info(request, line)
    if len(result.left_out) > 50:
        messages.info(request, f"… and {len(result.left_out) - 50} more left out.")
    return redirect("project-detail", slug=slug)
