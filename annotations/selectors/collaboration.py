"""Reads for working together: the changes feed, comment threads, a document's activity
(the API's list and the page), a project's members and invitations. Each runs a fixed number
of queries.

What a student reads of classmates here is what they read everywhere else: nothing of a
classmate's exercise work until the exercise opens it (``permissions``), then under the
classmate's name or, in an anonymised exercise, as "Classmate N" (``selectors.pseudonyms``).
The activity page, the API's activity list and the live feed show the same rows.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Max, Prefetch, Q, QuerySet

from annotations.models import ChangeEvent, Comment, Document, Invitation, Membership, Project
from annotations.permissions import CURATOR_ROLES, readable_layers, role_in
from annotations.representations import comment_data
from annotations.selectors.pseudonyms import NO_MASKS, masks_for_layers

FEED_PAGE_SIZE = 500


def _hide_answer_key(queryset: QuerySet, user, project_id: int, layer_field: str = "layer") -> QuerySet:
    """Only rows of layers the user may read (and rows of no layer): the rule in ``selectors.visibility``."""
    if role_in(project_id, user) in CURATOR_ROLES or user.is_superuser:
        return queryset
    return queryset.filter(Q(**{f"{layer_field}__isnull": True}) | Q(**{f"{layer_field}__in": readable_layers(user)}))


def changes_cursor(*, document: Document) -> int:
    """The id of the document's latest change (0 if none): where a freshly loaded page starts."""
    return ChangeEvent.objects.filter(document=document).aggregate(latest=Max("id"))["latest"] or 0


def changes_since(*, document: Document, user, since: int | None, limit: int = FEED_PAGE_SIZE) -> dict:
    """Changes to the document after cursor ``since``, oldest first, at most ``limit`` (then
    ``more`` is true and the client asks again from the returned cursor). Without ``since``:
    no events, only the current cursor. One query whatever the number of changes (after the
    document and role lookups); events of layers the user may not read are read but not
    shown, so the cursor still moves past them."""
    if since is None:
        return {"cursor": changes_cursor(document=document), "events": [], "more": False}
    show_all = user.is_superuser or role_in(document.project_id, user) in CURATOR_ROLES
    events = ChangeEvent.objects.filter(document=document, id__gt=since).select_related("actor", "layer")
    if not show_all:
        # Read but not shown, so the cursor still moves past them.
        events = events.annotate(readable=ExpressionWrapper(
            Q(layer__isnull=True) | Q(layer_id__in=readable_layers(user)), output_field=BooleanField()))
    page = list(events.order_by("id")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    cursor = page[-1].pk if page else since
    masks = NO_MASKS if show_all else masks_for_layers(user=user, layers=[event.layer for event in page],
                                                        project_id=document.project_id)
    return {
        "cursor": cursor,
        "more": more,
        "events": [
            masks.event({
                "id": event.pk, "kind": event.kind, "action": event.action, "object_id": event.object_id,
                "layer": event.layer_id, "actor": event.actor.get_username() if event.actor else None,
                "at": event.created_at.isoformat(), "data": event.payload,
            })
            for event in page
            if show_all or event.readable
        ],
    }


def activity_list(*, document: Document, user, limit: int = 100) -> list[ChangeEvent]:
    """The document's latest changes, newest first (one query)."""
    events = ChangeEvent.objects.filter(document=document).select_related("actor", "layer").order_by("-id")
    return list(_hide_answer_key(events, user, document.project_id)[:limit])


def activity_rows(*, events: list[ChangeEvent], masks) -> list[dict]:
    """Change events as the API's activity list and the activity page show them, people masked."""
    return [
        masks.event({
            "id": event.pk, "kind": event.kind, "action": event.action, "object_id": event.object_id,
            "layer": event.layer_id, "layer_name": event.layer.name if event.layer else None,
            "actor": event.actor.get_username() if event.actor else None,
            "at": event.created_at.isoformat(), "data": event.payload,
        })
        for event in events
    ]


def activity_page(*, document: Document, user, limit: int = 200) -> dict:
    """The activity page's rows: the latest changes and the comment threads the user may
    read, classmates under the names the exercise allows (the same rows as the API's feed,
    activity list and comments). Read before the list, ``cursor`` is where the live page
    goes on from (a change in between shows twice, never not at all)."""
    cursor = changes_cursor(document=document)
    events = activity_list(document=document, user=user, limit=limit)
    comments = list(comments_for_document(document=document, user=user))
    masks = masks_for_layers(user=user, layers=[e.layer for e in events] + [c.annotation.layer for c in comments],
                             project_id=document.project_id)
    kinds = dict(ChangeEvent.Kind.choices)
    rows = activity_rows(events=events, masks=masks)
    for row, event in zip(rows, events):
        row["kind_name"] = kinds.get(row["kind"], row["kind"]).lower()
        row["created_at"] = event.created_at
    threads = {}
    for comment in comments:
        span = comment.annotation
        thread = threads.setdefault(span.pk, {
            "annotation": {"pk": span.pk, "label": span.label, "quote": span.quote,
                           "layer_name": masks.layer_name(span.layer_id, span.layer.name)},
            "comments": [],
        })
        row = masks.row(comment_data(comment, sorted(m.get_username() for m in comment.mentions.all())), span.layer_id)
        thread["comments"].append({**row, "pk": comment.pk, "created_at": comment.created_at})
    return {"cursor": cursor, "events": rows, "threads": list(threads.values())}


def comments_for_document(*, document: Document, user, annotation_id: int | None = None, resolved: bool | None = None) -> QuerySet[Comment]:
    """Comments on spans of the document the user may see, with author and mentions (two queries)."""
    User = get_user_model()
    comments = (
        Comment.objects.filter(document=document)
        .select_related("author", "resolved_by", "annotation__layer")
        .prefetch_related(Prefetch("mentions", queryset=User.objects.only("id", "username")))
        .order_by("annotation_id", "created_at", "id")
    )
    if annotation_id is not None:
        comments = comments.filter(annotation_id=annotation_id)
    if resolved is not None:
        comments = comments.filter(resolved=resolved)
    return _hide_answer_key(comments, user, document.project_id, "annotation__layer")


def mentions_of(user) -> QuerySet[Comment]:
    """Comments mentioning ``user`` in projects they are still in, newest first."""
    User = get_user_model()
    return (
        Comment.objects.filter(mentions=user, document__project__memberships__user=user)
        .select_related("author", "resolved_by", "document", "annotation__layer")
        .prefetch_related(Prefetch("mentions", queryset=User.objects.only("id", "username")))
        .order_by("-created_at", "-id")
    )


def members_of(*, project: Project) -> list[Membership]:
    return list(Membership.objects.filter(project=project).select_related("user").order_by("user__username"))


def invitations_of(*, project: Project) -> list[Invitation]:
    return list(Invitation.objects.filter(project=project).select_related("created_by").order_by("-created_at"))

