"""Working together on a project: invitations by link, comment threads on spans, and the
change log that lets open pages follow other people's edits without reloading.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.base import Authored, NamedById
from annotations.models.choices import text_choices
from annotations.models.projects import Role


class Invitation(NamedById, Authored):
    """A link that makes whoever follows it a member of ``project`` with ``role``.

    Usable ``max_uses`` times until ``expires_at``, unless revoked first. The token is the
    secret part of the link; only the project's owner sees it.
    """

    str_noun, str_field = "invitation", "role"

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANNOTATOR)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1, help_text="How many people may join with this link.")
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Who the link is for (shown to the owner only).")

    class Meta:
        ordering = ["project_id", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(use_count__lte=F("max_uses")), name="invitation_used_at_most_max_uses"),
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_usable_at_least_once"),
            models.CheckConstraint(condition=~Q(token=""), name="invitation_token_not_empty"),
        ]


class Comment(NamedById):
    """One message in the thread on a span. ``mentions`` are the project members named with @username."""

    str_noun = "comment"

    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="comments")
    annotation = models.ForeignKey("annotations.Annotation", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_comments")
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["annotation_id", "created_at", "id"]
        indexes = [models.Index(fields=["document", "annotation"], name="comment_document_annotation")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(resolved=False) | Q(resolved_at__isnull=False), name="comment_resolved_has_time"
            ),
        ]


class ChangeEvent(models.Model):
    """One write to a document's spans, relations or comments, recorded in the write's transaction.

    The id is the cursor of the changes feed. Writers take a per-document advisory lock
    before inserting (``annotations.services.changes``), so within a document ids are
    committed in increasing order and a poller that saw id ``n`` never misses a later
    commit with a smaller id.
    """

    Kind = text_choices("ChangeEvent.Kind", annotation="Span", relation="Relation", comment="Comment")
    Action = text_choices("ChangeEvent.Action", created="created", updated="updated", deleted="deleted")

    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="change_events")
    layer = models.ForeignKey(
        "annotations.Layer", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="The layer changed (for comments: the layer of the commented span).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_id = models.BigIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField(default=dict, help_text="The object as it is after the change ({'id': …} when deleted).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "id"]
        indexes = [models.Index(fields=["document", "id"], name="change_event_document_cursor")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.action}"


class CurationRejection(NamedById):
    """A curator's "none of these": no candidate span of a disagreement belongs in the consensus.

    ``candidates`` are the rejected options as ``[start, end, label]`` in ``paragraph``, sorted.
    A disagreement counts as decided while every option it shows is among them; a new option
    (an annotator tags something else there) opens it again (``selectors.curation``).
    """

    str_noun = "curation rejection"

    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="curation_rejections")
    paragraph = models.ForeignKey("annotations.Paragraph", on_delete=models.CASCADE, related_name="+")
    candidates = models.JSONField(help_text="The rejected options, [start, end, label] each, sorted.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "paragraph_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "candidates"], name="curation_rejection_once_per_candidate_set"),
        ]

