"""Writes for classroom exercises: setting one (its settings and documents, checked against
the class), changing, duplicating into another class, deleting, releasing its feedback, and
one student's extension. Each checks permission, validates, and runs in one transaction.

The key is written by ``services.exercise_keys``, students' attempts by ``services.submissions``,
the class itself (join codes, joining, the roster) by ``services.classes``.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput
from annotations.models import Annotation, Document, Exercise, Extension, KeyNote, Layer, Paragraph, Project, Relation
from annotations.permissions import CURATOR_ROLES, check_can_teach, role_in
from annotations.selectors.exercises import exercise_key_layer
from annotations.tasks.scores import exercise_scores_queue

EXERCISE_FIELDS = {
    "title", "instructions", "labels", "relations_count", "opens_at", "due_at", "late_policy", "attempts_allowed",
    "show_suggestions", "feedback_mode", "classmates_visible",
}


@contextmanager
def deleting_class_work():
    """Within the caller's transaction, let deletes through the submitted-work trigger (used
    when a whole exercise, class or account is deleted; never for a student's edit)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL argmap.deleting_class_work = 'on'")
        yield


def _validate_settings(project: Project, values: dict) -> None:
    if "title" in values and not (values["title"] or "").strip():
        raise InvalidInput("Give the exercise a title.")
    if "labels" in values:
        labels = list(values["labels"] or [])
        unknown = [label for label in labels if label not in project.labels]
        if not labels:
            raise InvalidInput(f"Choose the labels in play, among the class's: {', '.join(project.labels)}.")
        if unknown:
            raise InvalidInput(f"Label {unknown[0]!r} is not used in this class; choose among {', '.join(project.labels)}.")
    if "attempts_allowed" in values:
        attempts = values["attempts_allowed"]
        if not isinstance(attempts, int) or isinstance(attempts, bool) or not 1 <= attempts <= 20:
            raise InvalidInput("attempts_allowed must be a whole number from 1 to 20.")
    for name, choices in (("late_policy", Exercise.LatePolicy), ("feedback_mode", Exercise.FeedbackMode),
                          ("classmates_visible", Exercise.Classmates)):
        if name in values and values[name] not in choices.values:
            raise InvalidInput(f"{name} must be one of: {', '.join(choices.values)} (not {values[name]!r}).")
    for name in ("opens_at", "due_at"):
        if values.get(name) is not None and not isinstance(values[name], datetime):
            raise InvalidInput(f"{name} must be a date and time.")


def _documents_of(project: Project, document_ids: Sequence[int]) -> list[Document]:
    ids = list(dict.fromkeys(document_ids or []))
    if not ids:
        raise InvalidInput("Choose at least one document of the class for the exercise.")
    documents = list(Document.objects.filter(project=project, pk__in=ids))
    missing = sorted(set(ids) - {document.pk for document in documents})
    if missing:
        raise InvalidInput(f"Document {missing[0]} is not in this class; choose among the class's documents.")
    return documents


def exercise_create(*, project: Project, user, title: str, document_ids: Sequence[int], **settings) -> Exercise:
    """Set an exercise on documents of the class, with an empty key. Makes the project a class."""
    check_can_teach(project, user)
    unknown = set(settings) - EXERCISE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown exercise setting {sorted(unknown)[0]!r}.")
    settings.setdefault("labels", list(project.labels))
    values = {"title": title, **settings}
    _validate_settings(project, values)
    documents = _documents_of(project, document_ids)
    opens, due = values.get("opens_at"), values.get("due_at")
    if opens and due and opens >= due:
        raise InvalidInput("The exercise must open before it is due.")
    with transaction.atomic():
        exercise = Exercise(project=project, created_by=user, **{**values, "title": values["title"].strip()})
        exercise.full_clean(exclude=["documents"])
        exercise.save()
        exercise.documents.set(documents)
        Layer.objects.create(project=project, kind=Layer.Kind.EXERCISE_KEY, exercise=exercise, name=f"Key: {exercise.title}"[:150])
        if not project.is_class:
            Project.objects.filter(pk=project.pk).update(is_class=True)
            project.is_class = True
    return exercise


def exercise_update(*, exercise: Exercise, user, **changes) -> Exercise:
    """Change an exercise's settings (not its documents once students have started)."""
    check_can_teach(exercise.project, user)
    document_ids = changes.pop("document_ids", None)
    unknown = set(changes) - EXERCISE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown exercise setting {sorted(unknown)[0]!r}.")
    _validate_settings(exercise.project, changes)
    with transaction.atomic():
        scored_before = (list(exercise.labels), exercise.relations_count)
        for name, value in changes.items():
            setattr(exercise, name, value.strip() if name == "title" else value)
        if exercise.opens_at and exercise.due_at and exercise.opens_at >= exercise.due_at:
            raise InvalidInput("The exercise must open before it is due.")
        exercise.save(update_fields=[name for name in EXERCISE_FIELDS if name in changes])
        if (list(exercise.labels), exercise.relations_count) != scored_before:
            # What is scored changed: the stored scores are stale until the re-score job has run.
            Exercise.objects.filter(pk=exercise.pk).update(scoring_revision=F("scoring_revision") + 1)
            exercise.refresh_from_db(fields=["scoring_revision"])
            exercise_scores_queue(exercise_id=exercise.pk)
        if document_ids is not None:
            if exercise.submissions.exists():
                raise Conflict("Students have started this exercise; its documents can no longer change.")
            exercise.documents.set(_documents_of(exercise.project, document_ids))
    return exercise


def exercise_duplicate(*, exercise: Exercise, user, project: Project) -> Exercise:
    """Copy the exercise, its key and notes into another class the user teaches. Documents are
    matched by their text (content hash); ones the class lacks are copied into it."""
    check_can_teach(exercise.project, user)
    check_can_teach(project, user)
    with transaction.atomic():
        document_ids = []
        source_documents = list(exercise.documents.all())
        for document in source_documents:
            twin = Document.objects.filter(project=project, content_hash=document.content_hash).first()
            if twin is None:
                twin = Document.objects.create(project=project, title=document.title, source_name=document.source_name,
                                               source_format=document.source_format, content_hash=document.content_hash,
                                               created_by=user)
                Paragraph.objects.bulk_create(Paragraph(document=twin, position=p.position, kind=p.kind, text=p.text)
                                              for p in document.paragraphs.order_by("position"))
            document_ids.append(twin.pk)
        labels = [label for label in exercise.labels if label in project.labels] or list(project.labels)
        copy = exercise_create(
            project=project, user=user, title=exercise.title, document_ids=document_ids,
            **{name: getattr(exercise, name) for name in EXERCISE_FIELDS - {"title", "labels"}}, labels=labels,
        )
        copy.released_at = None
        old_key, new_key = exercise_key_layer(exercise), exercise_key_layer(copy)
        twins = dict(zip([d.pk for d in source_documents], document_ids))
        paragraph_of = {
            (p.document_id, p.position): p.pk for p in Paragraph.objects.filter(document_id__in=document_ids)
        }
        spans = list(Annotation.objects.filter(layer=old_key).select_related("paragraph").order_by("id"))
        copies = Annotation.objects.bulk_create(
            Annotation(document_id=twins[s.document_id], paragraph_id=paragraph_of[(twins[s.document_id], s.paragraph.position)],
                       layer=new_key, start=s.start, end=s.end, quote=s.quote, label=s.label, note=s.note,
                       origin=s.origin, author=user)
            for s in spans if s.label in project.labels
        )
        kept = [s for s in spans if s.label in project.labels]
        copy_of = {s.pk: c for s, c in zip(kept, copies)}
        Relation.objects.bulk_create(
            Relation(document_id=copy_of[r.source_id].document_id, layer=new_key, source=copy_of[r.source_id],
                     target=copy_of[r.target_id], kind=r.kind, author=user)
            for r in Relation.objects.filter(layer=old_key) if r.source_id in copy_of and r.target_id in copy_of
        )
        KeyNote.objects.bulk_create(KeyNote(exercise=copy, annotation=copy_of[n.annotation_id], text=n.text)
                                    for n in KeyNote.objects.filter(exercise=exercise) if n.annotation_id in copy_of)
    return copy


def exercise_delete(*, exercise: Exercise, user) -> None:
    """Delete the exercise with its key and every student's work."""
    check_can_teach(exercise.project, user)
    with deleting_class_work():
        exercise.delete()


def exercise_release(*, exercise: Exercise, user, released: bool = True) -> Exercise:
    """Release feedback (and keys) to the class, or take the release back."""
    check_can_teach(exercise.project, user)
    exercise.released_at = timezone.now() if released else None
    exercise.save(update_fields=["released_at"])
    return exercise


def extension_set(*, exercise: Exercise, user, student, due_at: datetime | None) -> Extension | None:
    """Give one student a later due date (None removes the extension)."""
    check_can_teach(exercise.project, user)
    if role_in(exercise.project, student) in (None, *CURATOR_ROLES):
        raise InvalidInput(f"{student.get_username()} is not a student of this class.")
    with transaction.atomic():
        if due_at is None:
            Extension.objects.filter(exercise=exercise, student=student).delete()
            return None
        extension, _ = Extension.objects.update_or_create(exercise=exercise, student=student, defaults={"due_at": due_at})
    return extension
