"""Layers, the spans people tag in them (``Annotation``) and the links between spans.

A layer is one person's work in a project, the project's consensus, or an answer key.
Spans of one layer never repeat; relations join two spans of the same document and
layer — both enforced by PostgreSQL (see the composite foreign keys in migration 0002),
so concurrent requests cannot break them.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.base import NamedById
from annotations.models.choices import text_choices
from annotations.models.projects import Label


OWNED_KINDS = ["personal", "exercise_work"]
EXERCISE_KINDS = ["exercise_key", "exercise_work"]


class Layer(models.Model):
    Kind = text_choices("Layer.Kind", personal="Personal", consensus="Consensus", answer_key="Answer key",
                        exercise_key="Exercise key", exercise_work="Exercise work")

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="layers")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSONAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="layers",
        help_text="The person whose layer this is (personal layers only).",
    )
    name = models.CharField(max_length=150, help_text="Shown in layer pickers and exports.")
    exercise = models.ForeignKey(
        "annotations.Exercise", null=True, blank=True, on_delete=models.CASCADE, related_name="layers",
        help_text="The exercise whose key or student work this is (exercise layers only).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OWNED_KINDS, owner__isnull=False) | (~Q(kind__in=OWNED_KINDS) & Q(owner__isnull=True)),
                name="layer_owned_iff_personal_or_work",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EXERCISE_KINDS, exercise__isnull=False) | (~Q(kind__in=EXERCISE_KINDS) & Q(exercise__isnull=True)),
                name="layer_exercise_iff_exercise_kind",
            ),
            models.UniqueConstraint(
                fields=["exercise"], condition=Q(kind="exercise_key"), name="layer_one_key_per_exercise"
            ),
            # Target of the submissions' composite foreign key (0005).
            models.UniqueConstraint(fields=["id", "exercise", "owner"], name="layer_id_exercise_owner_unique"),
            models.UniqueConstraint(
                fields=["project", "owner"], condition=Q(kind="personal"), name="layer_one_personal_per_member"
            ),
            models.UniqueConstraint(
                fields=["project", "kind"], condition=Q(kind__in=["consensus", "answer_key"]), name="layer_one_shared_of_each_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Annotation(models.Model):
    """A tagged span: ``[start, end)`` in Unicode code points of one paragraph's text."""

    # ("import" is a Python keyword, so it is given as a mapping.)
    Origin = text_choices("Annotation.Origin", manual="Manual", suggestion="Accepted suggestion", **{"import": "Imported"},
                          merge="Merged into consensus")

    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="annotations")
    paragraph = models.ForeignKey("annotations.Paragraph", on_delete=models.CASCADE, related_name="annotations")
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The paragraph's text from start to end, as the author saw it.")
    label = models.CharField(max_length=20, choices=Label.choices)
    note = models.TextField(blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    suggestion = models.ForeignKey(
        "annotations.Suggestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised by every update; stale updates get 409.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document_id", "paragraph_id", "start", "end", "id"]
        indexes = [models.Index(fields=["document", "layer"], name="annotation_document_layer")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_start_before_end"),
            models.CheckConstraint(condition=Q(label__in=Label.values), name="annotation_label_is_known"),
            models.CheckConstraint(condition=~Q(quote=""), name="annotation_quote_not_empty"),
            models.UniqueConstraint(
                fields=["layer", "paragraph", "start", "end"], name="annotation_span_once_per_layer"
            ),
            # Target of the relations' composite foreign keys (0002).
            models.UniqueConstraint(fields=["id", "layer", "document"], name="annotation_id_layer_document_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.start}, {self.end})"


class Relation(NamedById):
    """``source`` supports or attacks ``target``; both spans of the same document and layer."""

    str_noun, str_field = "relation", "kind"

    Kind = text_choices("Relation.Kind", supports="supports", attacks="attacks")

    document = models.ForeignKey("annotations.Document", on_delete=models.CASCADE, related_name="relations")
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="relations")
    source = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "id"]
        indexes = [models.Index(fields=["document", "layer"], name="relation_document_layer")]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="relation_not_to_itself"),
            models.CheckConstraint(condition=Q(kind__in=["supports", "attacks"]), name="relation_kind_is_known"),
            models.UniqueConstraint(fields=["source", "target"], name="relation_once_per_pair"),
        ]
