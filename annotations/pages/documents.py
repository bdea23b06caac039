"""Document pages: uploading documents into a project, the document page (the workspace), and
two layers of a document compared side by side.

Text is always rendered with Django's auto-escaping (never ``|safe``); data for scripts goes
through ``json_script``.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotations import params, services
from annotations.errors import InvalidInput, NotPermitted
from annotations.permissions import can_add_documents
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.layers import document_layers_with_counts, layers_compare, visible_layers_by_id
from annotations.selectors.pages import document_page_data


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


@login_required
def document_compare(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    layers = document_layers_with_counts(document=document, user=request.user)
    comparison = None
    first_id, second_id = request.GET.get("first", ""), request.GET.get("second", "")
    if first_id and second_id:
        ids = [params.optional_id(first_id, name="first"), params.optional_id(second_id, name="second")]
        if ids[0] == ids[1]:
            raise InvalidInput("Choose two different layers.")
        first, second = visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=ids)
        comparison = layers_compare(document=document, first=first, second=second, match=request.GET.get("match", "exact"))
        for paragraph in comparison["paragraphs"]:
            paragraph["first_pieces"] = _pieces(paragraph["text"], paragraph["first"])
            paragraph["second_pieces"] = _pieces(paragraph["text"], paragraph["second"])
    elif len(layers) >= 2:
        first_id, second_id = str(layers[0].pk), str(layers[1].pk)
    return render(request, "annotations/document_compare.html", {
        "document": document, "project": document.project, "layers": layers, "comparison": comparison,
        "first_id": first_id, "second_id": second_id, "match": request.GET.get("match", "exact"),
    })


def _pieces(text: str, spans: list[dict]) -> list[dict]:
    """The paragraph cut into plain and marked pieces (outermost spans; nested ones are listed in titles)."""
    pieces, position = [], 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] < position:
            continue
        if span["start"] > position:
            pieces.append({"text": text[position:span["start"]]})
        pieces.append({"text": text[span["start"]:span["end"]], "span": span})
        position = span["end"]
    if position < len(text):
        pieces.append({"text": text[position:]})
    return pieces
