"""Reads for classroom exercises: finding an exercise or a submission a person may see, the
exercise's key layer, a student's due date, what a student may see of a result, and the lists
of exercises and submissions (a student's, a class's). Each runs a fixed number of queries
whatever the size of the class.

The scores and feedback are in ``selectors.feedback``, the dashboard and grades in
``selectors.dashboard``, what the classroom pages show in ``selectors.exercise_pages``.
"""
from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from annotations.errors import InvalidInput, NotFound
from annotations.models import Annotation, Document, Exercise, Extension, JoinCode, Layer, Membership, Role, Submission
from annotations.params import is_whole_number
from annotations.permissions import can_teach, can_view_layer, check_can_teach, role_in

STUDENT_ROLES = (Role.ANNOTATOR, Role.VIEWER)

NOT_STARTED, WORKING, SUBMITTED, LATE = "not started", "working", "submitted", "late"


def exercise_get_for_user(*, exercise_id: int, user) -> Exercise:
    """The exercise with its project; NotFound outside its class. One query (plus the role)."""
    exercise = Exercise.objects.select_related("project").filter(pk=exercise_id).first()
    if exercise is None or role_in(exercise.project, user) is None:
        raise NotFound(f"No exercise {exercise_id} in a class you belong to.")
    return exercise


def exercise_get_for_teacher(*, exercise_id: int, user) -> Exercise:
    """The exercise, for its class's teacher only (NotFound outside the class, NotPermitted for a student)."""
    exercise = exercise_get_for_user(exercise_id=exercise_id, user=user)
    check_can_teach(exercise.project, user)
    return exercise


def submission_get_for_user(*, submission_id: int, user) -> Submission:
    """A submission its student or the class's teacher may see; NotFound for anyone else."""
    submission = (Submission.objects.select_related("exercise__project", "layer", "student")
                  .filter(pk=submission_id).first())
    if submission is None or not (
        (submission.student_id == user.pk and role_in(submission.exercise.project, user) is not None)
        or can_teach(submission.exercise.project, user)
    ):
        raise NotFound(f"No submission {submission_id} that you may see.")
    return submission


def current_submission(*, exercise: Exercise, student) -> Submission | None:
    return Submission.objects.filter(exercise=exercise, student=student).select_related("layer").order_by("-attempt").first()


def open_join_code(*, project) -> JoinCode | None:
    return JoinCode.objects.filter(project=project, closed_at__isnull=True).first()


def _key_of(exercise: Exercise) -> QuerySet[Layer]:
    return Layer.objects.filter(exercise=exercise, kind=Layer.Kind.EXERCISE_KEY)


def exercise_key_layer(exercise: Exercise) -> Layer:
    return _key_of(exercise).get()


def exercise_key_id(exercise: Exercise) -> int | None:
    """The id of the exercise's key layer, in one query (the scoring reads want only the id)."""
    return _key_of(exercise).values_list("pk", flat=True).first()


def key_source_get(*, exercise: Exercise, layer_id: int | None) -> Layer:
    """A layer of the exercise's class to copy into its key; InvalidInput when there is none."""
    source = Layer.objects.filter(project=exercise.project, pk=layer_id).first() if layer_id is not None else None
    if source is None:
        raise InvalidInput("Choose a layer of the class to copy into the key.")
    return source


def key_span_get(*, annotation_id: int | None) -> Annotation:
    """The span a key note is for (the service checks that it is in the key); NotFound when there is none."""
    span = Annotation.objects.filter(pk=annotation_id).first() if annotation_id is not None else None
    if span is None:
        raise NotFound("No such key span.")
    return span


def due_for(exercise: Exercise, student) -> datetime | None:
    """The student's due date: their extension if they have one, else the exercise's."""
    extension = Extension.objects.filter(exercise=exercise, student=student).values_list("due_at", flat=True).first()
    return extension or exercise.due_at


def feedback_level(exercise: Exercise, submission: Submission | None) -> str | None:
    """What the student may see of a submission's result: "detail", "score" or None."""
    if submission is None or submission.status != Submission.Status.SUBMITTED:
        return None
    mode = exercise.feedback_mode
    if mode == Exercise.FeedbackMode.IMMEDIATE:
        return "detail"
    if mode == Exercise.FeedbackMode.SCORE:
        return "score"
    if mode == Exercise.FeedbackMode.RELEASE and exercise.released_at is not None:
        return "detail"
    return None


def score_visible(submission: Submission, user) -> bool:
    """The teacher always sees a submission's score; its student once the feedback mode lets them."""
    return can_teach(submission.exercise.project, user) or feedback_level(submission.exercise, submission) is not None


def submission_status(submission: Submission | None, due, now) -> str:
    """One of NOT_STARTED, WORKING, SUBMITTED, LATE, as the lists and the dashboard show it."""
    if submission is None:
        return LATE if due is not None and now > due else NOT_STARTED
    if submission.status == Submission.Status.SUBMITTED:
        return LATE if submission.late else SUBMITTED
    return LATE if due is not None and now > due else WORKING


def exercises_for_student(*, user) -> list[dict]:
    """"My exercises": every exercise of the classes the user is a student of, with status,
    due date (their extension if any) and the score once they may see it. Three queries."""
    projects = Membership.objects.filter(user=user, role__in=STUDENT_ROLES).values("project_id")
    exercises = list(Exercise.objects.filter(project_id__in=projects).select_related("project").order_by("due_at", "title", "id"))
    latest = {}
    for submission in Submission.objects.filter(student=user, exercise__in=exercises).order_by("exercise_id", "attempt"):
        latest[submission.exercise_id] = submission
    extensions = dict(Extension.objects.filter(student=user, exercise__in=exercises).values_list("exercise_id", "due_at"))
    now = timezone.now()
    rows = []
    for exercise in exercises:
        submission = latest.get(exercise.pk)
        due = extensions.get(exercise.pk, exercise.due_at)
        level = feedback_level(exercise, submission)
        rows.append({
            "exercise": exercise, "submission": submission, "due_at": due,
            "status": submission_status(submission, due, now),
            "score": submission.final_score if level else None,
            "opens_at": exercise.opens_at, "is_open": exercise.opens_at is None or exercise.opens_at <= now,
        })
    return rows


def exercises_for_teacher(*, project, user) -> list[Exercise]:
    if not can_teach(project, user):
        return []
    return list(Exercise.objects.filter(project=project).order_by("-created_at", "id"))


def exercises_of_project(*, project) -> QuerySet[Exercise]:
    """A class's exercises with what their representation names (the caller found the project for the user)."""
    return Exercise.objects.filter(project=project).prefetch_related("documents").select_related("project")


def submissions_for_user(*, exercise: Exercise, user) -> QuerySet[Submission]:
    """Every attempt of the class (for its teacher) or the user's own, by student and attempt."""
    submissions = Submission.objects.filter(exercise=exercise).select_related("student", "exercise__project")
    if not can_teach(exercise.project, user):
        submissions = submissions.filter(student=user)
    return submissions.order_by("student__username", "attempt")


def export_source_get(*, exercise: Exercise, document: str, layer: str, user) -> tuple[Document, Layer]:
    """What an export of the exercise names: one of its documents (by id) and ``key`` or a
    submission's id. The key only once the user may read it; a submission only its student's
    or the teacher's."""
    if not is_whole_number(document):
        raise InvalidInput("document must be the id of one of the exercise's documents.")
    found = exercise.documents.filter(pk=int(document)).select_related("project").first()
    if found is None:
        raise NotFound(f"Document {document} is not part of this exercise.")
    if layer == "key":
        key = exercise_key_layer(exercise)
        if not can_view_layer(key, user):
            raise NotFound("The key is not open to you yet.")
        return found, key
    if is_whole_number(layer):
        return found, submission_get_for_user(submission_id=int(layer), user=user).layer
    raise InvalidInput("layer must be key or a submission id.")


def work_layer_for_page(*, exercise: Exercise, user, layer_id: int | None = None) -> Layer | None:
    """The layer the exercise page edits or shows: the student's current attempt; the key for
    the teacher (or a student's work they chose)."""
    if can_teach(exercise.project, user):
        if layer_id is None:
            return exercise_key_layer(exercise)
        layer = Layer.objects.filter(exercise=exercise, pk=layer_id).select_related("owner").first()
        if layer is None:
            raise NotFound(f"No layer {layer_id} in this exercise.")
        return layer
    submission = current_submission(exercise=exercise, student=user)
    return submission.layer if submission else None
