"""Pages that download and upload argument maps: the document page's Export menu, the
project page's zip download and Import form. All plain forms, so they work without JavaScript.

Errors (unknown format or layer, a file that cannot be read) are raised as domain errors and
shown by ``DomainErrorMiddleware`` as a 4xx page with the message naming the line or item.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from annotations import services
from annotations.api.exchange import file_response
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.exports import export_layer_get, map_export, project_export_zip


@login_required
@require_GET
def document_export(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    layer = export_layer_get(project=document.project, spec=request.GET.get("layer"), user=request.user)
    return file_response(map_export(document=document, layer=layer, format_name=request.GET.get("format")))


@login_required
@require_GET
def project_export(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    names = [name for value in request.GET.getlist("formats") for name in value.split(",") if name.strip()]
    return file_response(project_export_zip(project=project, user=request.user, format_names=names or ["json"]))


@login_required
@require_POST
def map_import(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    result = services.argument_map_import_files(
        project=project, user=request.user, format_name=request.POST.get("format", ""),
        files=[(upload.name, upload.read()) for upload in request.FILES.getlist("files")],
        layer=request.POST.get("layer", "own"), replace=request.POST.get("replace") == "on",
    )
    messages.success(request, f"Imported: {result.summary}.")
    return redirect("project-detail", slug=slug)
