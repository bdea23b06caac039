"""Server-rendered pages: project list, project page (documents, upload) and the document page.

Views parse input, call one service or selector and render. Text is always rendered with
Django's auto-escaping (never ``|safe``); data for scripts goes through ``json_script``.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from annotations import services
from annotations.errors import ArgmapError, NotPermitted

from annotations.permissions import can_add_documents, role_in
from annotations.selectors import document_get_for_user, project_get_for_user, projects_for_user
from annotations.selectors.exports import project_exchange_data
from annotations.selectors.pages import document_page_data
from annotations.selectors.suggestions import project_suggestion_summary


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request):
    error = None
    if request.method == "POST":
        try:
            project = services.project_create(
                name=request.POST.get("name", ""), slug=request.POST.get("slug", ""), creator=request.user
            )
            return redirect("project-detail", slug=project.slug)
        except ArgmapError as failure:
            error = failure.message
    return render(
        request, "annotations/project_list.html",
        {"projects": projects_for_user(request.user), "error": error},
        status=400 if error else 200,
    )


@login_required
def project_detail(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    documents = project.documents.order_by("title").only("id", "title", "source_format", "source_name", "created_at")
    return render(
        request, "annotations/project_detail.html",
        {
            "project": project,
            "documents": documents,
            "role": role_in(project, request.user),
            "can_upload": can_add_documents(project, request.user),
            "suggestion_summary": project_suggestion_summary(project=project),
            **project_exchange_data(project=project, user=request.user),
        },
    )


@login_required
@require_POST
def document_upload(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    if not can_add_documents(project, request.user):
        raise NotPermitted("Only the project's owner and curators can add documents.")
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "Choose one or more files to upload.")
        return redirect("project-detail", slug=slug)
    result = services.documents_import_many(
        project=project, user=request.user, files=((upload.name, upload.read()) for upload in files)
    )
    status = 200 if result.imported or result.skipped else 400
    return render(request, "annotations/upload_result.html", {"project": project, "result": result}, status=status)


@login_required
def document_detail(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    context = document_page_data(document=document, user=request.user)
    return render(request, "annotations/document_detail.html", context)



