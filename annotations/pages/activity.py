"""Pages for a document's activity: the change list with comment threads, posting and
resolving comments, and the comments that mention you."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations import params, services
from annotations.errors import InvalidInput, NotFound
from annotations.models import Role
from annotations.permissions import role_in
from annotations.selectors import document_get_for_user
from annotations.selectors.collaboration import activity_page, comments_for_document, mentions_of
from annotations.selectors.visibility import visible_annotations

@login_required
def document_activity(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    data = activity_page(document=document, user=request.user)
    role = role_in(document.project_id, request.user)
    return render(request, "annotations/document_activity.html", {
        "document": document, "project": document.project, **data,
        "can_comment": role in {Role.OWNER, Role.CURATOR, Role.ANNOTATOR},
    })


@login_required
def mentions(request):
    return render(request, "annotations/mentions.html", {"comments": mentions_of(request.user)[:100]})


@login_required
@require_POST
def comment_post(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    annotation = visible_annotations(request.user).select_related("layer__project").filter(
        pk=params.whole_number(request.POST.get("annotation", ""), name="annotation", what="a span id"), document=document
    ).first()
    if annotation is None:
        raise NotFound("No such span in this document.")
    try:
        services.comment_create(annotation=annotation, user=request.user, body=request.POST.get("body", ""))
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(reverse("document-activity", args=[document.pk]) + f"#thread-{annotation.pk}")


@login_required
@require_POST
def comment_resolve(request, document_id, comment_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    comment = comments_for_document(document=document, user=request.user).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(f"No comment {comment_id} in this document.")
    services.comment_set_resolved(comment=comment, user=request.user, resolved=request.POST.get("resolved") == "1")
    return redirect(reverse("document-activity", args=[document.pk]) + f"#thread-{comment.annotation_id}")
