"""Machine proposals (spaCy's candidate spans) and each person's decision on them.

Suggestions never change human work: accepting one creates an ``Annotation`` that points
back to it; re-running the pipeline replaces only suggestions.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.base import NamedById
from annotations.models.choices import text_choices
from annotations.models.projects import Label


class Suggestion(models.Model):
    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="suggestions")
    paragraph = models.ForeignKey("annotations.Paragraph", on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    label = models.CharField(max_length=20, choices=Label.choices)
    score = models.FloatField()
    cues = models.JSONField(default=list, blank=True, help_text="Human-readable reasons: the cues that fired.")
    pipeline_name = models.CharField(max_length=100)
    pipeline_version = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "paragraph_id", "start", "end"]
        indexes = [models.Index(fields=["document", "pipeline_name"], name="suggestion_document_pipeline")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="suggestion_start_before_end"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_in_unit_range"),
            models.CheckConstraint(condition=Q(label__in=Label.values), name="suggestion_label_is_known"),
            models.UniqueConstraint(
                fields=["paragraph", "start", "end", "pipeline_name", "pipeline_version"],
                name="suggestion_span_once_per_pipeline_version",
            ),
        ]

    def __str__(self) -> str:
        return f"suggested {self.label} [{self.start}, {self.end})"


class SuggestionDecision(NamedById):
    """A person's accept or reject of a suggestion, in one layer: their own (``layer`` empty) or
    the one they decided it for (an exercise's key, the consensus). A suggestion decided in one
    layer is still offered in the others; each layer holds at most one decision on it."""

    str_noun, str_field = "decision", "decision"

    Decision = text_choices("SuggestionDecision.Decision", accepted="Accepted", rejected="Rejected")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_decisions")
    layer = models.ForeignKey(
        "annotations.Layer", null=True, blank=True, on_delete=models.CASCADE, related_name="suggestion_decisions",
        help_text="The layer decided for; empty: the person's own layer (as every decision was before layers had their own).",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    label = models.CharField(
        max_length=20, choices=Label.choices, blank=True, help_text="The label accepted with (may differ)."
    )
    annotation = models.ForeignKey(
        "annotations.Annotation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["suggestion_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "user"], condition=Q(layer__isnull=True),
                name="suggestion_decided_once_in_own_layer",
            ),
            models.UniqueConstraint(fields=["suggestion", "layer"], name="suggestion_decided_once_per_layer"),
        ]


class SuggestionRun(models.Model):
    """Where suggesting stands for one document: queued, running, done or failed.

    One row per document, written by the services and the background task, so the page can
    show "computing…" and poll until done whatever task backend runs the work.
    """

    Status = text_choices("SuggestionRun.Status", pending="Queued", running="Computing", done="Done", failed="Failed")

    document = models.OneToOneField(
        "annotations.Document", on_delete=models.CASCADE, related_name="suggestion_run", primary_key=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pipeline_name = models.CharField(max_length=100, blank=True)
    pipeline_version = models.CharField(max_length=50, blank=True)
    fallback_message = models.TextField(blank=True, help_text="Set when the spaCy model was missing and a blank pipeline stood in.")
    error = models.TextField(blank=True)
    suggestion_count = models.PositiveIntegerField(default=0)
    used_project_model = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]), name="suggestion_run_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"suggestions for document {self.document_id}: {self.status}"


class ProjectSuggestionModel(models.Model):
    """A project's own classifier, trained from its people's decisions (annotations/nlp/learning.py).

    Suggesting re-ranks and relabels the rule-based candidates with it. The accuracies are
    measured on held-back decisions: the model's and the rules' on the same examples.
    """

    project = models.OneToOneField(
        "annotations.Project", on_delete=models.CASCADE, related_name="suggestion_model", primary_key=True
    )
    trained_at = models.DateTimeField()
    n_examples = models.PositiveIntegerField(help_text="Decisions and manual spans it was trained on.")
    n_held_back = models.PositiveIntegerField(default=0)
    accuracy_model = models.FloatField()
    accuracy_rules = models.FloatField()
    model = models.BinaryField(help_text="learning.model_to_bytes() output.")
    pipeline_name = models.CharField(max_length=100)
    pipeline_version = models.CharField(max_length=50)
    history = models.JSONField(
        default=list, blank=True,
        help_text="The last trainings, oldest first: {trained_at, examples, accuracy_model, accuracy_rules}.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(accuracy_model__gte=0) & Q(accuracy_model__lte=1) & Q(accuracy_rules__gte=0)
                & Q(accuracy_rules__lte=1),
                name="suggestion_model_accuracies_in_unit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"suggestion model ({self.n_examples} examples)"
