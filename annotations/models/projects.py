"""Projects (a research team or a class), who belongs to them, and the labels they use."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from annotations.models.base import NamedById
from annotations.models.choices import text_choices


# Argument component labels. A project chooses which of them it uses.
Label = text_choices("Label", major_claim="Major claim", claim="Claim", evidence="Evidence", counterclaim="Counterclaim",
                     rebuttal="Rebuttal")


DEFAULT_LABELS = [Label.CLAIM.value, Label.EVIDENCE.value, Label.COUNTERCLAIM.value]


def default_labels() -> list[str]:
    return list(DEFAULT_LABELS)


# What a member may do. Ordered from most to least rights.
Role = text_choices("Role", owner="Owner", curator="Curator / teacher", annotator="Annotator / student", viewer="Viewer")


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    labels = ArrayField(
        models.CharField(max_length=20, choices=Label.choices),
        default=default_labels,
        help_text="The labels this project tags with, in the order the legend shows them.",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    is_class = models.BooleanField(
        default=False, help_text="A class: students see only their own work (set by a join code or an exercise).")
    class_layers_shared = models.BooleanField(
        default=False, help_text="In a class, whether students see classmates' layers and the consensus.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(labels__contained_by=Label.values) & Q(labels__len__gt=0),
                name="project_labels_are_known_and_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(NamedById):
    str_noun, str_field = "membership", "role"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANNOTATOR)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_one_per_user_and_project"),
        ]
