"""Project pages: the list of your projects (and creating one) and a project's page with its
documents, upload form and exchange menus.

Views parse input, call one service or selector and render. Text is always rendered with
Django's auto-escaping (never ``|safe``); data for scripts goes through ``json_script``.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from annotations import services
from annotations.errors import ArgmapError
from annotations.permissions import can_add_documents, role_in
from annotations.selectors import project_get_for_user, projects_for_user
from annotations.selectors.exports import project_exchange_data
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
