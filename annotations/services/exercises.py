"""Writes for classroom exercises: setting and duplicating an exercise, its key (copied from
a layer, imported from a file, or edited in the workspace) and the key's notes, students'
attempts (start, submit, new attempt), and the teacher's actions on them (reopen, override,
release, extend). Each checks permission, validates, and runs in one transaction.

The class itself (join codes, joining, the roster) is in ``services.classes``.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import Annotation, Document, Exercise, Extension, KeyNote, Layer, Paragraph, Project, Relation, Submission
from annotations.models.projects import Label
from annotations.permissions import CURATOR_ROLES, WRITER_ROLES, can_teach, role_in

EXERCISE_FIELDS = {
    "title", "instructions", "labels", "relations_count", "opens_at", "due_at", "late_policy", "attempts_allowed",
    "show_suggestions", "feedback_mode", "classmates_visible",
}


def _check_teacher(project: Project, user) -> None:
    if not can_teach(project, user):
        raise NotPermitted("Only the class's teacher (its owner or a curator) can do this.")


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
    _check_teacher(project, user)
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
    _check_teacher(exercise.project, user)
    document_ids = changes.pop("document_ids", None)
    unknown = set(changes) - EXERCISE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown exercise setting {sorted(unknown)[0]!r}.")
    _validate_settings(exercise.project, changes)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(exercise, name, value.strip() if name == "title" else value)
        if exercise.opens_at and exercise.due_at and exercise.opens_at >= exercise.due_at:
            raise InvalidInput("The exercise must open before it is due.")
        exercise.save()
        if document_ids is not None:
            if exercise.submissions.exists():
                raise Conflict("Students have started this exercise; its documents can no longer change.")
            exercise.documents.set(_documents_of(exercise.project, document_ids))
    return exercise


def exercise_key_layer(exercise: Exercise) -> Layer:
    return Layer.objects.get(exercise=exercise, kind=Layer.Kind.EXERCISE_KEY)


def _copy_spans(*, documents, source: Layer, target: Layer, user, notes: dict | None = None) -> dict[int, Annotation]:
    """Copy the source layer's spans and relations on ``documents`` into ``target`` (empty). Returns old id → copy."""
    spans = list(Annotation.objects.filter(layer=source, document__in=documents).order_by("id"))
    copies = Annotation.objects.bulk_create(
        Annotation(document_id=span.document_id, paragraph_id=span.paragraph_id, layer=target, start=span.start,
                   end=span.end, quote=span.quote, label=span.label, note=span.note, origin=span.origin, author=user)
        for span in spans
    )
    copy_of = {span.pk: copy for span, copy in zip(spans, copies)}
    Relation.objects.bulk_create(
        Relation(document_id=relation.document_id, layer=target, source=copy_of[relation.source_id],
                 target=copy_of[relation.target_id], kind=relation.kind, author=user)
        for relation in Relation.objects.filter(layer=source, document__in=documents)
    )
    return copy_of


def exercise_key_copy(*, exercise: Exercise, user, source: Layer) -> Layer:
    """Replace the key with a copy of ``source`` on the exercise's documents: the teacher's own
    map, the consensus they curated, or the project's answer key. Notes of the old key go."""
    _check_teacher(exercise.project, user)
    if source.project_id != exercise.project_id:
        raise InvalidInput("That layer is not in this class.")
    if source.kind == Layer.Kind.EXERCISE_WORK:
        raise InvalidInput("A student's work cannot become the key; copy your own map, the consensus or another key.")
    key = exercise_key_layer(exercise)
    if source.pk == key.pk:
        raise InvalidInput("That is the key already.")
    documents = list(exercise.documents.all())
    with transaction.atomic():
        Relation.objects.filter(layer=key).delete()
        Annotation.objects.filter(layer=key).delete()
        _copy_spans(documents=documents, source=source, target=key, user=user)
    return key


def exercise_key_import(*, exercise: Exercise, user, format_name: str, name: str, data: bytes, replace: bool = True) -> int:
    """Import a map file (any import format) into the key: each map onto the exercise's
    document with the same paragraphs. Returns the number of spans stored; all or nothing."""
    from annotations.formats.base import FormatError
    from annotations.formats.registry import get_import_format, import_formats
    from annotations.services.maps import _check_importable, _store_spans

    _check_teacher(exercise.project, user)
    try:
        map_format = get_import_format(format_name or "")
    except FormatError:
        raise InvalidInput(f"Cannot import the format {format_name!r}; argmap imports "
                           f"{', '.join(f.name for f in import_formats())}.") from None
    try:
        maps = map_format.import_(data, name=name)
    except FormatError as error:
        raise InvalidInput(f"{name}: {error}") from None
    if not maps:
        raise InvalidInput(f"{name} holds no argument map.")
    documents = list(exercise.documents.all())
    texts = {}
    for paragraph in Paragraph.objects.filter(document__in=documents).order_by("document_id", "position"):
        texts.setdefault(paragraph.document_id, []).append(paragraph.text)
    key = exercise_key_layer(exercise)
    stored = 0
    with transaction.atomic():
        if replace:
            Relation.objects.filter(layer=key).delete()
            Annotation.objects.filter(layer=key).delete()
        for index, argument_map in enumerate(maps):
            where = f"{name}, map {index + 1}" if len(maps) > 1 else name
            _check_importable(argument_map, exercise.project, where=where)
            wanted = [paragraph.text for paragraph in argument_map.paragraphs]
            document = next((d for d in documents if texts.get(d.pk) == wanted), None)
            if document is None:
                raise InvalidInput(f"{where}: its text is not one of the exercise's documents; export the key from "
                                   "the same article, or add that article to the exercise.")
            imported, _ = _store_spans(document, True, key, user, argument_map, {}, False, None, where=where)
            stored += imported.spans
    return stored


def key_note_set(*, exercise: Exercise, user, annotation: Annotation, text: str) -> KeyNote | None:
    """Set (or, with empty text, remove) the note a student reads about this key span."""
    _check_teacher(exercise.project, user)
    if annotation.layer_id != exercise_key_layer(exercise).pk:
        raise InvalidInput(f"Span {annotation.pk} is not in this exercise's key.")
    text = (text or "").strip()
    with transaction.atomic():
        if not text:
            KeyNote.objects.filter(annotation=annotation).delete()
            return None
        note, _ = KeyNote.objects.update_or_create(annotation=annotation, defaults={"exercise": exercise, "text": text})
    return note


def exercise_duplicate(*, exercise: Exercise, user, project: Project) -> Exercise:
    """Copy the exercise, its key and notes into another class the user teaches. Documents are
    matched by their text (content hash); ones the class lacks are copied into it."""
    _check_teacher(exercise.project, user)
    _check_teacher(project, user)
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
    _check_teacher(exercise.project, user)
    with deleting_class_work():
        exercise.delete()


def exercise_release(*, exercise: Exercise, user, released: bool = True) -> Exercise:
    """Release feedback (and keys) to the class, or take the release back."""
    _check_teacher(exercise.project, user)
    exercise.released_at = timezone.now() if released else None
    exercise.save(update_fields=["released_at"])
    return exercise


def extension_set(*, exercise: Exercise, user, student, due_at: datetime | None) -> Extension | None:
    """Give one student a later due date (None removes the extension)."""
    _check_teacher(exercise.project, user)
    if role_in(exercise.project, student) in (None, *CURATOR_ROLES):
        raise InvalidInput(f"{student.get_username()} is not a student of this class.")
    with transaction.atomic():
        if due_at is None:
            Extension.objects.filter(exercise=exercise, student=student).delete()
            return None
        extension, _ = Extension.objects.update_or_create(exercise=exercise, student=student, defaults={"due_at": due_at})
    return extension


# ── the student's side ─────────────────────────────────────────────────────────────────

def due_for(exercise: Exercise, student) -> datetime | None:
    extension = Extension.objects.filter(exercise=exercise, student=student).values_list("due_at", flat=True).first()
    return extension or exercise.due_at


def _check_student(exercise: Exercise, user) -> None:
    role = role_in(exercise.project, user)
    if role is None:
        raise NotFound(f"No exercise {exercise.pk} in a class you belong to.")
    if role in CURATOR_ROLES:
        raise NotPermitted("Teachers do not do the exercise; edit its key instead.")
    if role not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot do exercises; ask your teacher for the student role.")


def _new_work_layer(exercise: Exercise, user, attempt: int) -> Layer:
    name = f"{user.get_username()} · {exercise.title}" + (f" (attempt {attempt})" if attempt > 1 else "")
    return Layer.objects.create(project_id=exercise.project_id, kind=Layer.Kind.EXERCISE_WORK, exercise=exercise,
                                owner=user, name=name[:150])


def submission_start(*, exercise: Exercise, user, now: datetime | None = None) -> Submission:
    """The student's current attempt, started (with its own layer) on first opening."""
    _check_student(exercise, user)
    current = Submission.objects.filter(exercise=exercise, student=user).select_related("layer").order_by("-attempt").first()
    if current is not None:
        return current
    now = now or timezone.now()
    if exercise.opens_at and now < exercise.opens_at:
        raise NotPermitted(f"This exercise opens on {timezone.localtime(exercise.opens_at):%d %B %Y at %H:%M}.")
    try:
        with transaction.atomic():
            layer = _new_work_layer(exercise, user, 1)
            return Submission.objects.create(exercise=exercise, student=user, attempt=1, layer=layer)
    except IntegrityError:  # opened in two tabs at once
        return Submission.objects.select_related("layer").get(exercise=exercise, student=user, attempt=1)


def submission_new_attempt(*, exercise: Exercise, user) -> Submission:
    """Start the next attempt from a copy of the last one, if the exercise allows another."""
    _check_student(exercise, user)
    with transaction.atomic():
        last = (Submission.objects.select_for_update().filter(exercise=exercise, student=user)
                .select_related("layer").order_by("-attempt").first())
        if last is None:
            raise InvalidInput("Open the exercise first.")
        if last.status != Submission.Status.SUBMITTED:
            raise Conflict(f"Attempt {last.attempt} is still open; submit it first.")
        if last.attempt >= exercise.attempts_allowed:
            raise Conflict(f"You have used all {exercise.attempts_allowed} attempt(s) this exercise allows.")
        layer = _new_work_layer(exercise, user, last.attempt + 1)
        _copy_spans(documents=list(exercise.documents.all()), source=last.layer, target=layer, user=user)
        try:
            with transaction.atomic():
                return Submission.objects.create(exercise=exercise, student=user, attempt=last.attempt + 1, layer=layer)
        except IntegrityError:
            raise Conflict("That attempt was started in another tab; reload the page.") from None


def score_layer(*, exercise: Exercise, layer: Layer):
    """Score one work layer against the key (the pure rules in ``annotations.scoring``)."""
    from annotations.selectors.exercises import key_and_work_spans

    from annotations.scoring import score_submission

    key_spans, key_relations, work = key_and_work_spans(exercise=exercise, layers=[layer])
    spans, relations = work.get(layer.pk, ([], []))
    return score_submission(key_spans=key_spans, key_relations=key_relations, student_spans=spans,
                            student_relations=relations, labels=exercise.labels, relations_count=exercise.relations_count)


def submission_submit(*, submission: Submission, user, now: datetime | None = None) -> Submission:
    """Submit the attempt: from now on its work is read-only (the database refuses any write
    to it). Late submissions are refused, naming the due date, unless the policy accepts them."""
    exercise = submission.exercise
    if submission.student_id != user.pk:
        raise NotPermitted("Only the student whose work this is can submit it.")
    _check_student(exercise, user)
    now = now or timezone.now()
    due = due_for(exercise, user)
    late = due is not None and now > due
    if late and exercise.late_policy == Exercise.LatePolicy.REFUSE:
        raise Conflict(f"This exercise was due on {timezone.localtime(due):%d %B %Y at %H:%M}; "
                       "late submissions are not accepted. Ask your teacher for an extension.")
    with transaction.atomic():
        # The row lock makes a concurrent span write wait (its trigger reads this row FOR SHARE)
        # until the submit commits, then fail; a write that got the row first is scored.
        current = Submission.objects.select_for_update().select_related("layer").get(pk=submission.pk)
        if current.status == Submission.Status.SUBMITTED:
            raise Conflict(f"Attempt {current.attempt} was already submitted on "
                           f"{timezone.localtime(current.submitted_at):%d %B %Y at %H:%M}.")
        result = score_layer(exercise=exercise, layer=current.layer)
        current.status = Submission.Status.SUBMITTED
        current.submitted_at = now
        current.late = late
        current.score = result.score
        current.score_parts = result.parts()
        current.save(update_fields=["status", "submitted_at", "late", "score", "score_parts"])
    return current


def submission_reopen(*, submission: Submission, user) -> Submission:
    """The teacher gives a submitted attempt back to the student to change (score cleared)."""
    _check_teacher(submission.exercise.project, user)
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        if current.status != Submission.Status.SUBMITTED:
            raise Conflict("This attempt is not submitted; there is nothing to reopen.")
        current.status = Submission.Status.WORKING
        current.submitted_at = None
        current.score = None
        current.score_parts = {}
        current.reopened_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "score", "score_parts", "reopened_at"])
    return current


def submission_override(*, submission: Submission, user, score: float | None, comment: str = "") -> Submission:
    """Set the score the teacher decided (None goes back to the computed one), with a comment."""
    _check_teacher(submission.exercise.project, user)
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
            raise InvalidInput("The score must be a number from 0 to 100.")
    if submission.status != Submission.Status.SUBMITTED:
        raise Conflict("Only a submitted attempt can have its score overridden.")
    submission.override_score = float(score) if score is not None else None
    submission.override_comment = (comment or "").strip()
    submission.save(update_fields=["override_score", "override_comment"])
    return submission


def label_names() -> dict[str, str]:
    return {label.value: label.label.lower() for label in Label}
