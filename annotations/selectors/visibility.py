"""Querysets of what a person may see, for list endpoints: filtered in SQL, never per row.

The rules (as in ``permissions``): members see their projects' documents and paragraphs;
curators and owners see every layer; others see their own layers, and the personal and
consensus layers of others except in a class (unless its teacher shares them), classmates'
exercise work only after the due date if the exercise allows it, and an exercise's key once
its feedback is theirs to see (never the project's answer key); superusers see all.
They are written once here as two SQL sets, ``_member_projects`` and ``_readable_layers``,
which PostgreSQL computes once per query; as raw SQL they also cost far less to build per
request than the equivalent nested ORM expressions. An anonymous user sees nothing (the
schema generator calls these without a signed-in user).
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from annotations.models import (
    Annotation,
    Document,
    Exercise,
    Layer,
    Membership,
    Paragraph,
    Project,
    Relation,
    Submission,
)
from annotations.permissions import CURATOR_ROLES

_MEMBERSHIP = Membership._meta.db_table
_LAYER = Layer._meta.db_table
_PROJECT = Project._meta.db_table
_EXERCISE = Exercise._meta.db_table
_SUBMISSION = Submission._meta.db_table
_CURATOR_ROLES = ", ".join(f"'{role}'" for role in sorted(CURATOR_ROLES))
_MEMBER_PROJECTS_SQL = f'SELECT m.project_id FROM "{_MEMBERSHIP}" m WHERE m.user_id = %s'
# The one layer rule (permissions.py says it in words). Parameters: the user's id, three times.
_READABLE_LAYERS_SQL = f"""SELECT l.id FROM "{_LAYER}" l
JOIN "{_MEMBERSHIP}" m ON m.project_id = l.project_id AND m.user_id = %s
JOIN "{_PROJECT}" p ON p.id = l.project_id
LEFT JOIN "{_EXERCISE}" e ON e.id = l.exercise_id
WHERE m.role IN ({_CURATOR_ROLES})
   OR l.owner_id = %s
   OR (l.kind IN ('personal', 'consensus') AND (NOT p.is_class OR p.class_layers_shared))
   OR (l.kind = 'exercise_work' AND e.classmates_visible IN ('named', 'anonymous') AND e.due_at < now())
   OR (l.kind = 'exercise_key' AND (
         (e.feedback_mode = 'release' AND e.released_at IS NOT NULL)
         OR (e.feedback_mode = 'immediate' AND EXISTS (
               SELECT 1 FROM "{_SUBMISSION}" s WHERE s.exercise_id = e.id AND s.student_id = %s AND s.status = 'submitted'))))"""

# Classmates' work a reader sees under pseudonyms (selectors.pseudonyms). Parameters: the user's id, twice.
MASKED_LAYERS_SQL = f"""SELECT l.id FROM "{_LAYER}" l JOIN "{_EXERCISE}" e ON e.id = l.exercise_id
WHERE l.kind = 'exercise_work' AND e.classmates_visible = 'anonymous' AND e.due_at < now() AND l.owner_id <> %s
  AND l.project_id NOT IN (SELECT m.project_id FROM "{_MEMBERSHIP}" m WHERE m.user_id = %s AND m.role IN ({_CURATOR_ROLES}))"""


def _member_projects(user) -> RawSQL:
    return RawSQL(_MEMBER_PROJECTS_SQL, [user.pk])


def _readable_layers(user) -> RawSQL:
    return RawSQL(_READABLE_LAYERS_SQL, [user.pk, user.pk, user.pk])


def readable_layers(user) -> RawSQL:
    """The ids of the layers the user may read, as a subquery (``layer_id__in=readable_layers(user)``)."""
    return _readable_layers(user)


def visible_documents(user) -> QuerySet[Document]:
    documents = Document.objects.select_related("project")
    if not user.is_authenticated:
        return documents.none()
    return documents if user.is_superuser else documents.filter(project_id__in=_member_projects(user))


def visible_paragraphs(user) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.all()
    if not user.is_authenticated:
        return paragraphs.none()
    return paragraphs if user.is_superuser else paragraphs.filter(document__project_id__in=_member_projects(user))


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.select_related("owner")
    if not user.is_authenticated:
        return layers.none()
    return layers if user.is_superuser else layers.filter(pk__in=_readable_layers(user))


def visible_annotations(user) -> QuerySet[Annotation]:
    annotations = Annotation.objects.select_related("author")
    if not user.is_authenticated:
        return annotations.none()
    return annotations if user.is_superuser else annotations.filter(layer_id__in=_readable_layers(user))


def visible_relations(user) -> QuerySet[Relation]:
    relations = Relation.objects.select_related("author")
    if not user.is_authenticated:
        return relations.none()
    return relations if user.is_superuser else relations.filter(layer_id__in=_readable_layers(user))
