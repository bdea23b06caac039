"""What the classroom pages show: the class page (roster, join code, exercises, the form for a
new one), an exercise's page for its teacher and for a student, the exercise workspace on a
layer of the exercise with the feedback drawn on the text, and a student's map beside the key.
Each returns the template's context; the pages (``pages.classes``, ``pages.exercises``,
``pages.submissions``) render it.
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.formats.registry import import_formats
from annotations.models import Document, Exercise, Layer, Submission, Suggestion
from annotations.permissions import CURATOR_ROLES, can_teach
from annotations.selectors.classes import roster_get
from annotations.selectors.exercises import (
    current_submission,
    due_for,
    exercise_key_layer,
    exercises_for_teacher,
    open_join_code,
)
from annotations.selectors.feedback import submission_feedback
from annotations.selectors.pages import document_page_data, label_choices
from annotations.selectors.projects import layers_visible_to

KEY_SOURCE_KINDS = (Layer.Kind.PERSONAL, Layer.Kind.CONSENSUS, Layer.Kind.ANSWER_KEY)


def exercise_settings_choices(project, exercise: Exercise | None = None) -> dict:
    """The choices of the exercise settings form, with the labels chosen so far."""
    return {
        "labels": label_choices(list(project.labels)),
        "chosen_labels": list(exercise.labels) if exercise else list(project.labels),
        "late_policies": Exercise.LatePolicy.choices, "feedback_modes": Exercise.FeedbackMode.choices,
        "classmates": Exercise.Classmates.choices,
    }


def class_page_data(*, project, user, initial: dict) -> dict:
    """The class page: roster with progress, the open join code, the exercises, and the new-exercise form."""
    return {
        "project": project, "roster": roster_get(project=project), "join_code": open_join_code(project=project),
        "exercises": exercises_for_teacher(project=project, user=user),
        "documents": project.documents.order_by("title").only("id", "title"),
        "settings": exercise_settings_choices(project), "initial": initial,
    }


def exercise_teacher_page(*, exercise: Exercise, user) -> dict:
    """The teacher's exercise page: settings, the key and where it can come from, other classes to copy to."""
    key = exercise_key_layer(exercise)
    return {
        "exercise": exercise, "project": exercise.project, "documents": list(exercise.documents.order_by("title", "id")),
        "key": key, "key_span_count": key.annotations.count(), "key_from_suggestions": key_spans_among_suggestions(key),
        "source_layers": [layer for layer in layers_visible_to(project=exercise.project, user=user)
                          if layer.kind in KEY_SOURCE_KINDS],
        "other_classes": [m.project for m in user.memberships.select_related("project")
                          if m.role in CURATOR_ROLES and m.project_id != exercise.project_id],
        "settings": exercise_settings_choices(exercise.project, exercise),
        "initial": {"title": exercise.title, "instructions": exercise.instructions},
        "import_formats": [f.name for f in import_formats()],
    }


def key_spans_among_suggestions(key: Layer) -> int:
    """How many of the key's spans are, word for word, one of spaCy's suggestions: what students
    shown the suggestions as hints would read off them. One query."""
    same = Suggestion.objects.filter(paragraph=OuterRef("paragraph"), start=OuterRef("start"), end=OuterRef("end"))
    return key.annotations.filter(Exists(same)).count()


def exercise_student_page(*, exercise: Exercise, user) -> dict:
    """The student's exercise page: instructions, documents, their attempt and its feedback, their due date."""
    submission = current_submission(exercise=exercise, student=user)
    return {
        "exercise": exercise, "project": exercise.project, "documents": list(exercise.documents.order_by("title", "id")),
        "submission": submission,
        "feedback": submission_feedback(submission=submission, user=user) if submission else None,
        "due_at": due_for(exercise, user),
        "can_retry": bool(submission and submission.status == Submission.Status.SUBMITTED
                          and submission.attempt < exercise.attempts_allowed),
    }


def submit_confirm_page(*, exercise: Exercise, user, next_url: str) -> dict:
    """What the page that asks "Submit attempt N?" shows when the Submit button was pressed
    without scripts (the dialog's confirm button posts ``confirm``): the attempt and what
    submitting it does. Refuses as ``exercise_submit`` would, before anything is asked."""
    if can_teach(exercise.project, user):
        raise NotPermitted("Teachers do not do the exercise; edit its key instead.")
    submission = current_submission(exercise=exercise, student=user)
    if submission is None:
        raise InvalidInput("Open a document of the exercise and tag it before submitting.")
    if submission.status == Submission.Status.SUBMITTED:
        raise Conflict(f"Attempt {submission.attempt} was already submitted on "
                       f"{timezone.localtime(submission.submitted_at):%d %B %Y at %H:%M %Z}.")
    return {"exercise": exercise, "project": exercise.project, "submission": submission, "next": next_url,
            "due_at": due_for(exercise, user)}


def exercise_document_get(*, exercise: Exercise, document: Document) -> Document:
    """``document`` if it is one of the exercise's; NotFound otherwise."""
    if not exercise.documents.filter(pk=document.pk).exists():
        raise NotFound(f"Document {document.pk} is not part of this exercise.")
    return document


def exercise_workspace_page(*, exercise: Exercise, document: Document, user, layer: Layer,
                            submission: Submission | None) -> dict:
    """The document workspace on ``layer`` (the student's ``submission``, or what the teacher
    chose), with this document's feedback items when they are the viewer's to see, and the
    suggestions as the exercise allows them to students."""
    teacher = can_teach(exercise.project, user)
    context = document_page_data(document=document, user=user, layer=layer)
    feedback = None
    if submission is not None:
        feedback = submission_feedback(submission=submission, user=user)
        if feedback.get("visible") != "detail":
            feedback = {k: v for k, v in feedback.items() if k not in ("spans", "relations")}
    elif layer.kind == Layer.Kind.EXERCISE_WORK:
        feedback = submission_feedback(submission=layer.submission, user=user)
    if not teacher and not exercise.show_suggestions:
        context["page_data"]["suggestions"] = {"disabled": True}
        context["hide_suggestions"] = True
    elif not teacher:
        context["page_data"]["suggestions"]["hints_only"] = True
    elif layer.kind == Layer.Kind.EXERCISE_KEY:
        context["page_data"]["suggestions"]["draft_only"] = True  # hidden until the teacher asks, never a to-do
    if feedback and "spans" in feedback:  # this document's items only, in the order the list shows them
        feedback = {**feedback, "spans": [item for item in feedback["spans"]
                                          if (item["key"] or item["student"])["document"] == document.pk]}
    context["page_data"]["exercise"] = {
        "id": exercise.pk, "title": exercise.title, "layer": layer.pk, "kind": layer.kind,
        "submission": submission.pk if submission else None,
        "feedback": (feedback or {}).get("spans", []),
    }
    if submission is not None and submission.status != Submission.Status.WORKING:
        context["can_annotate"] = False  # submitted: PostgreSQL refuses writes; the page shows it locked
    context.update({"exercise": exercise, "submission": submission, "exercise_layer": layer, "feedback": feedback,
                    "teacher": teacher, "read_only_reason": _read_only_reason(layer=layer, submission=submission, user=user),
                    "can_retry": bool(submission and submission.status == Submission.Status.SUBMITTED
                                      and submission.attempt < exercise.attempts_allowed)})
    return context


def _read_only_reason(*, layer: Layer, submission: Submission | None, user) -> str:
    """Why the workspace cannot change this layer, in the words of the line above the text."""
    if submission is not None:
        return "Submitted: your work is locked."
    if layer.kind == Layer.Kind.EXERCISE_WORK and layer.owner_id != user.pk:
        return "A student's work: read-only for you."
    return "You can read this document but not tag it."


def exercise_submission_get(*, exercise: Exercise, submission: Submission) -> Submission:
    """``submission`` if it is an attempt at ``exercise``; NotFound otherwise."""
    if submission.exercise_id != exercise.pk:
        raise NotFound("That submission is not of this exercise.")
    return submission


def submission_review_page(*, exercise: Exercise, submission: Submission, user) -> dict:
    """A student's map beside the key, document by document, with the feedback: both drawn from
    the one scoring (``submission_feedback``), so a key span the feedback calls partly found is
    partly found beside the map too."""
    feedback = submission_feedback(submission=submission, user=user)
    documents = list(exercise.documents.order_by("title", "id").only("id", "title"))
    return {
        "exercise": exercise, "project": exercise.project, "submission": submission,
        "comparisons": beside_the_key(feedback.get("spans", []), documents), "feedback": feedback,
    }


def beside_the_key(items: list[dict], documents: list[Document]) -> list[dict]:
    """The feedback items (``ScoreResult.to_dict()["spans"]``, in text order) as two columns per
    document: each key span with its outcome and each scored student span with the outcome of the
    key span it matched, or "extra" (pure)."""
    columns = {document.pk: {"document": document, "key": [], "student": []} for document in documents}
    for item in items:
        key, student = item["key"], item["student"]
        column = columns.get((key or student)["document"])
        if column is None:
            continue
        if key is not None:
            column["key"].append({"kind": item["kind"], "label": key["label"], "quote": key["quote"],
                                  "other_label": student["label"] if student else None, "credit": item["credit"]})
        if student is not None:
            column["student"].append({"kind": item["kind"], "label": student["label"], "quote": student["quote"],
                                      "other_label": key["label"] if key else None, "credit": item["credit"]})
    return list(columns.values())
