"""Classroom exercises: a class's join code, the exercises a teacher sets, and each
student's submissions.

A project becomes a class (``Project.is_class``) when its teacher opens a join code or sets
an exercise; from then on students see only their own work (``permissions``). An exercise
points at documents of the class and has one answer key, a layer of kind ``exercise_key``.
Each attempt of a student is a ``Submission`` with its own layer of kind ``exercise_work``.
PostgreSQL enforces (migration 0008):

- one submission per student, exercise and attempt (a unique constraint);
- a student's work belongs to one exercise: the submission's (layer, exercise, student)
  is a composite foreign key onto the layer's (id, exercise, owner), and a layer's
  (exercise, project) onto the exercise's (id, project);
- a submitted attempt cannot change: a trigger on spans and relations refuses any write to a
  layer whose submission is submitted, reading the submission ``FOR SHARE`` so a write
  racing the submit either commits before it (and is scored) or is refused after it;
- the key's revision follows its spans and relations: a statement trigger on both tables
  (migration 0010) adds one to ``Exercise.scoring_revision`` whenever a write touches an
  exercise's key, whichever code path made it. A submission's stored score and summary carry
  the revision they were computed at (``Submission.scored_revision``); the service that made
  the change queues the class's re-score (``tasks.scores``), and until the worker has run it,
  reads compute the figure in memory (``selectors.scores``) and write nothing.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from annotations.models.base import Authored, NamedById
from annotations.models.choices import text_choices
from annotations.models.projects import Label, default_labels

# Crockford-like alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V).
JOIN_CODE_ALPHABET = "3467ACDEFGHJKMNPQRTWXY9"
JOIN_CODE_LENGTH = 6  # shown as K7Q-4MX


class JoinCode(Authored):
    """The code students type at /join/ to enter a class. One open code per class at a time."""

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="join_codes")
    code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, help_text="Without the dash.")
    closed_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(closed_at__isnull=True), name="join_code_one_open_per_class"),
            models.CheckConstraint(condition=Q(code__regex=rf"^[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}$"),
                                   name="join_code_uses_unambiguous_characters"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        half = JOIN_CODE_LENGTH // 2
        return f"{self.code[:half]}-{self.code[half:]}"


class Exercise(Authored):
    """A task a teacher sets on documents of the class, scored against its key layer."""

    # What a submission after the due date (the student's extension, if any) gets.
    LatePolicy = text_choices("Exercise.LatePolicy", refuse="Refuse late submissions", accept="Accept and mark late")
    # When a student sees their score and the feedback per key span (selectors.exercises.feedback_level).
    FeedbackMode = text_choices("Exercise.FeedbackMode", immediate="At once on submission, with detail",
                                score="Score only, at once", release="When the teacher releases it", none="None")
    # Whether students read classmates' work after the due date (permissions), and under which names.
    Classmates = text_choices("Exercise.Classmates", hidden="Never", named="After the due date, with names",
                              anonymous="After the due date, anonymised")

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="exercises")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    documents = models.ManyToManyField("annotations.Document", related_name="exercises")
    labels = ArrayField(models.CharField(max_length=20, choices=Label.choices), default=default_labels)
    relations_count = models.BooleanField(default=True, help_text="Whether supports/attacks links are scored.")
    opens_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    late_policy = models.CharField(max_length=10, choices=LatePolicy.choices, default=LatePolicy.REFUSE)
    attempts_allowed = models.PositiveIntegerField(default=1)
    show_suggestions = models.BooleanField(default=False, help_text="Show spaCy's suggestions to students as hints.")
    feedback_mode = models.CharField(max_length=10, choices=FeedbackMode.choices, default=FeedbackMode.IMMEDIATE)
    classmates_visible = models.CharField(max_length=10, choices=Classmates.choices, default=Classmates.HIDDEN)
    released_at = models.DateTimeField(null=True, blank=True, help_text="When the teacher released feedback.")
    scoring_revision = models.PositiveBigIntegerField(
        default=0, help_text="Counts changes to the key and to what is scored (a trigger on the key's spans and relations).")

    class Meta:
        ordering = ["project_id", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="exercise_title_not_empty"),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="exercise_at_least_one_attempt"),
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(due_at__isnull=True) | Q(opens_at__lt=F("due_at")),
                                   name="exercise_opens_before_due"),
            models.CheckConstraint(condition=Q(labels__contained_by=Label.values) & Q(labels__len__gt=0),
                                   name="exercise_labels_are_known_and_not_empty"),
            # Target of the layers' composite foreign key (0008).
            models.UniqueConstraint(fields=["id", "project"], name="exercise_id_project_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Extension(NamedById):
    """A later due date for one student."""

    str_noun = "extension"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "student"], name="extension_one_per_student")]


class KeyNote(NamedById):
    """The teacher's explanation of one key span: what a student reads when they miss it."""

    str_noun = "key note"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="key_notes")
    annotation = models.OneToOneField("annotations.Annotation", on_delete=models.CASCADE, related_name="key_note")
    text = models.TextField()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="key_note_not_empty")]


class Submission(models.Model):
    """One attempt of one student at one exercise, with the layer that holds the work."""

    # A submitted attempt is read-only (the trigger of migration 0008) until the teacher reopens it.
    Status = text_choices("Submission.Status", working="Working", submitted="Submitted")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    attempt = models.PositiveIntegerField(default=1)
    layer = models.OneToOneField("annotations.Layer", on_delete=models.CASCADE, related_name="submission")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WORKING)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True, help_text="0–100, computed by annotations.scoring at submission.")
    score_parts = models.JSONField(default=dict, blank=True)
    scored_revision = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The exercise's scoring_revision that score, score_parts and summary were computed at.")
    summary = models.JSONField(default=dict, blank=True, help_text=(
        "What the dashboard needs of this attempt, stored at submission: each key span's outcome, the extra spans' "
        "labels, the label of each word and the labelled sentences (selectors.feedback.work_summary)."))
    override_score = models.FloatField(null=True, blank=True)
    override_comment = models.TextField(blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exercise_id", "student_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "student", "attempt"], name="submission_one_per_student_exercise_attempt"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="submission_attempt_from_one"),
            models.CheckConstraint(condition=Q(status="working") | Q(submitted_at__isnull=False),
                                   name="submission_submitted_has_time"),
            models.CheckConstraint(condition=Q(override_score__isnull=True) | Q(override_score__gte=0, override_score__lte=100),
                                   name="submission_override_between_0_and_100"),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk} (attempt {self.attempt}, {self.status})"

    @property
    def final_score(self) -> float | None:
        return self.override_score if self.override_score is not None else self.score
