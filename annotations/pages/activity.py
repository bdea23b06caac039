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
from annotations.selectors.collaboration import activity_list, changes_cursor, comments_for_document, mentions_of
from annotations.selectors.pseudonyms import masks_for_layers
from annotations.selectors.visibility import visible_annotations

@login_required
def document_activity(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    # This page renders people from model instances: what a student must read under
    # pseudonyms (selectors.pseudonyms) is left off here; the API's feed and comments show it masked.
    events = activity_list(document=document, user=request.user, limit=200)
    comments = list(comments_for_document(document=document, user=request.user))
    masks = masks_for_layers(user=request.user, layers=[e.layer for e in events] + [c.annotation.layer for c in comments],
                             project_id=document.project_id)
    comments = [c for c in comments if c.annotation.layer_id not in masks.layer_names]
    threads = {}
    for comment in comments:
        threads.setdefault(comment.annotation_id, {"annotation": comment.annotation, "comments": []})["comments"].append(comment)
    role = role_in(document.project_id, request.user)
    cursor = changes_cursor(document=document)  # read before the list: a change in between shows twice, never not at all
    return render(request, "annotations/document_activity.html", {
        "document": document, "project": document.project,
        "events": [event for event in events if event.layer_id not in masks.layer_names],
        "cursor": cursor,
        "threads": list(threads.values()),
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
