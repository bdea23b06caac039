"""Writes on comment threads on spans: posting (with @mentions of project members),
editing, resolving and deleting. Each write records a change for the live feed.

Who may: any member who annotates (owner, curator, annotator) comments on any span they
can see; the author edits their comment; the author, the owner of the commented layer,
curators and owners resolve or reopen; the author, curators and owners delete.
"""
from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from annotations.errors import InvalidInput, NotPermitted
from annotations.models import Annotation, Comment
from annotations.permissions import CURATOR_ROLES, WRITER_ROLES, can_view_layer, role_in
from annotations.services.changes import record_comment
from annotations.services.text import check_storable_text

MAX_COMMENT_LENGTH = 5000
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+[\w+-]|[\w])")


def mentioned_usernames(body: str) -> list[str]:
    """The @names in a comment, in order of first appearance, without repeats."""
    names = []
    for match in MENTION.finditer(body):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def _clean_body(body) -> str:
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise InvalidInput("A comment needs some text.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidInput(f"A comment is at most {MAX_COMMENT_LENGTH} characters; this one has {len(body)}.")
    check_storable_text(body, what="The comment")
    return body


def _members_named(project_id: int, names: list[str]) -> list:
    """Project members whose username is one of ``names`` (one query); other names stay plain text."""
    if not names:
        return []
    User = get_user_model()
    found = User.objects.filter(memberships__project_id=project_id, username__in=names)
    by_name = {user.get_username(): user for user in found}
    return [by_name[name] for name in names if name in by_name]


def _set_mentions(comment: Comment, body: str, project_id: int) -> list[str]:
    users = _members_named(project_id, mentioned_usernames(body))
    comment.mentions.set(users)
    return sorted(user.get_username() for user in users)


def comment_create(*, annotation: Annotation, user, body: str) -> Comment:
    """Start or continue the thread on ``annotation``."""
    layer = annotation.layer
    if role_in(layer.project_id, user) not in WRITER_ROLES or not can_view_layer(layer, user):
        raise NotPermitted("Viewers can read comments but not write them.")
    body = _clean_body(body)
    comment = Comment(document_id=annotation.document_id, annotation=annotation, author=user, body=body)
    with transaction.atomic():
        comment.save()
        mentions = _set_mentions(comment, body, layer.project_id)
        record_comment(comment, "created", user, layer_id=layer.pk, mentions=mentions)
    return comment


def comment_update(*, comment: Comment, user, body: str) -> Comment:
    """Change a comment's text (its author only); mentions follow the new text."""
    if comment.author_id != user.pk:
        raise NotPermitted("Only a comment's author can change its text.")
    body = _clean_body(body)
    with transaction.atomic():
        comment.body = body
        comment.save(update_fields=["body", "updated_at"])
        mentions = _set_mentions(comment, body, comment.annotation.layer.project_id)
        record_comment(comment, "updated", user, layer_id=comment.annotation.layer_id, mentions=mentions)
    return comment


def _may_moderate(comment: Comment, user) -> bool:
    layer = comment.annotation.layer
    role = role_in(layer.project_id, user)
    return role in CURATOR_ROLES or (role in WRITER_ROLES and (comment.author_id == user.pk or layer.owner_id == user.pk))


def comment_set_resolved(*, comment: Comment, user, resolved: bool) -> Comment:
    """Mark a comment resolved (or open again)."""
    if not _may_moderate(comment, user):
        raise NotPermitted("Only the comment's author, the layer's owner, curators and the project's owner can resolve it.")
    with transaction.atomic():
        comment.resolved = bool(resolved)
        comment.resolved_by = user if resolved else None
        comment.resolved_at = timezone.now() if resolved else None
        comment.save(update_fields=["resolved", "resolved_by", "resolved_at", "updated_at"])
        record_comment(comment, "updated", user, layer_id=comment.annotation.layer_id)
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    role = role_in(comment.annotation.layer.project_id, user)
    if not (comment.author_id == user.pk and role in CURATOR_ROLES | WRITER_ROLES or role in CURATOR_ROLES):
        raise NotPermitted("Only a comment's author, curators and the project's owner can delete it.")
    with transaction.atomic():
        deleted = Comment(pk=comment.pk, document_id=comment.document_id, annotation_id=comment.annotation_id)
        comment.delete()
        record_comment(deleted, "deleted", user, layer_id=comment.annotation.layer_id)
