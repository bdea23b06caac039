"""Reads for classroom exercises: finding an exercise a person may see, a student's list of
exercises, the spans of a key and of students' work for scoring, a submission's feedback as
its student may see it, the class dashboard and the grades. Each runs a fixed number of
queries whatever the size of the class.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from annotations.agreement import OUTSIDE, nominal_alpha, token_labels, tokenize
from annotations.errors import NotFound
from annotations.models import (
    Annotation, Document, Exercise, Extension, JoinCode, KeyNote, Layer, Membership, Paragraph, Relation, Role, Submission,
)
from annotations.permissions import CURATOR_ROLES, can_teach, role_in
from annotations.scoring import (
    ScoringRelation, ScoringSpan, confusion, heat_map, most_missed, score_submission,
)

STUDENT_ROLES = (Role.ANNOTATOR, Role.VIEWER)

NOT_STARTED, WORKING, SUBMITTED, LATE = "not started", "working", "submitted", "late"


def exercise_get_for_user(*, exercise_id: int, user) -> Exercise:
    """The exercise with its project; NotFound outside its class. One query (plus the role)."""
    exercise = Exercise.objects.select_related("project").filter(pk=exercise_id).first()
    if exercise is None or role_in(exercise.project, user) is None:
        raise NotFound(f"No exercise {exercise_id} in a class you belong to.")
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
            "status": _status(submission, due, now),
            "score": submission.final_score if level else None,
            "opens_at": exercise.opens_at, "is_open": exercise.opens_at is None or exercise.opens_at <= now,
        })
    return rows


def _status(submission: Submission | None, due, now) -> str:
    if submission is None:
        return LATE if due is not None and now > due else NOT_STARTED
    if submission.status == Submission.Status.SUBMITTED:
        return LATE if submission.late else SUBMITTED
    return LATE if due is not None and now > due else WORKING


def key_and_work_spans(*, exercise: Exercise, layers: Sequence[Layer]):
    """The key's spans (with the teacher's notes) and relations, and each work layer's:
    ``(key_spans, key_relations, {layer id: (spans, relations)})``. Four queries."""
    key_id = Layer.objects.filter(exercise=exercise, kind=Layer.Kind.EXERCISE_KEY).values_list("pk", flat=True).first()
    return _spans_of(exercise=exercise, key_id=key_id, layer_ids=[layer.pk for layer in layers])


def _spans_of(*, exercise: Exercise, key_id: int | None, layer_ids: list[int]):
    document_ids = Exercise.documents.through.objects.filter(exercise=exercise).values("document_id")
    wanted = [key_id, *layer_ids] if key_id else list(layer_ids)
    notes = dict(KeyNote.objects.filter(exercise=exercise).values_list("annotation_id", "text"))
    spans_by_layer = defaultdict(list)
    # Plain rows, not model instances: a class of 200 has tens of thousands of spans.
    for pk, document_id, paragraph_id, layer_id, start, end, label, quote, note in Annotation.objects.filter(
        layer_id__in=wanted, document_id__in=document_ids
    ).order_by("document_id", "paragraph_id", "start", "end", "id").values_list(
        "id", "document_id", "paragraph_id", "layer_id", "start", "end", "label", "quote", "note"
    ):
        spans_by_layer[layer_id].append(ScoringSpan(
            id=f"s{pk}", document=document_id, paragraph=paragraph_id, start=start, end=end, label=label, quote=quote,
            note=notes.get(pk) or (note if layer_id == key_id else ""),
        ))
    relations_by_layer = defaultdict(list)
    for layer_id, source, target, kind in Relation.objects.filter(layer_id__in=wanted, document_id__in=document_ids).values_list(
        "layer_id", "source_id", "target_id", "kind"
    ):
        relations_by_layer[layer_id].append(ScoringRelation(f"s{source}", f"s{target}", kind))
    key_spans, key_relations = spans_by_layer.pop(key_id, []), relations_by_layer.pop(key_id, [])
    work = {layer_id: (spans_by_layer.get(layer_id, []), relations_by_layer.get(layer_id, [])) for layer_id in layer_ids}
    return key_spans, key_relations, work


def submission_feedback(*, submission: Submission, user) -> dict:
    """The submission's result as the viewer may see it: the teacher always sees everything;
    the student what the feedback mode allows ("detail", "score", or nothing yet)."""
    exercise = submission.exercise
    teacher = can_teach(exercise.project, user)
    level = "detail" if teacher and submission.status == Submission.Status.SUBMITTED else feedback_level(exercise, submission)
    if teacher and submission.status != Submission.Status.SUBMITTED:
        level = "detail"  # live view of work in progress
    data = {
        "submission": submission.pk, "exercise": exercise.pk, "student": submission.student.get_username(),
        "attempt": submission.attempt, "status": submission.status, "late": submission.late,
        "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
        "visible": level, "feedback_mode": exercise.feedback_mode,
    }
    if level is None:
        data["message"] = _why_hidden(exercise, submission)
        return data
    from annotations.services.exercises import score_layer

    result = score_layer(exercise=exercise, layer=submission.layer)
    score = submission.final_score if submission.status == Submission.Status.SUBMITTED else result.score
    data.update({"score": score, "computed_score": result.score, "override_comment": submission.override_comment,
                 "parts": result.parts()})
    if level == "detail":
        detail = result.to_dict()
        data.update({"spans": detail["spans"], "relations": detail["relations"], "rules": detail["rules"]})
    return data


def _why_hidden(exercise: Exercise, submission: Submission) -> str:
    if submission.status != Submission.Status.SUBMITTED:
        return "Feedback comes once you submit."
    if exercise.feedback_mode == Exercise.FeedbackMode.RELEASE:
        return "Submitted. Your teacher will release the feedback."
    return "Submitted. This exercise gives no feedback."


def _students(exercise: Exercise) -> list:
    User = get_user_model()
    joined = Membership.objects.filter(project_id=exercise.project_id, user=OuterRef("pk")).values("joined_at")[:1]
    return list(
        User.objects.filter(memberships__project_id=exercise.project_id, memberships__role__in=STUDENT_ROLES)
        .annotate(joined_at=Subquery(joined)).only("id", "username").order_by("username")
    )


def exercise_dashboard(*, exercise: Exercise, user) -> dict:
    """The class dashboard: each student's status and score, the heat map per sentence, the
    key spans most missed, the label confusion table and the students' agreement. Nine
    queries whatever the size of the class."""
    students = _students(exercise)
    submissions = {}
    for submission in Submission.objects.filter(exercise=exercise).select_related("layer").order_by("student_id", "attempt"):
        submissions[submission.student_id] = submission  # the latest attempt wins
    extensions = dict(Extension.objects.filter(exercise=exercise).values_list("student_id", "due_at"))
    key_id = Layer.objects.filter(exercise=exercise, kind=Layer.Kind.EXERCISE_KEY).values_list("pk", flat=True).first()
    layer_ids = [submission.layer_id for submission in submissions.values()]
    key_spans, key_relations, work = _spans_of(exercise=exercise, key_id=key_id, layer_ids=layer_ids)
    documents = list(Document.objects.filter(exercises=exercise).order_by("title", "id").only("id", "title"))
    paragraphs = list(Paragraph.objects.filter(document__in=documents).order_by("document_id", "position").values_list(
        "document_id", "id", "text", "kind"))
    now = timezone.now()
    rows, results, by_student_spans = [], [], {}
    for student in students:
        submission = submissions.get(student.pk)
        due = extensions.get(student.pk, exercise.due_at)
        row = {"student": student, "username": student.get_username(), "joined_at": student.joined_at,
               "submission": submission, "status": _status(submission, due, now), "due_at": due,
               "attempt": submission.attempt if submission else 0, "score": None, "computed_score": None,
               "span_count": 0, "late": bool(submission and submission.late)}
        if submission is not None:
            spans, relations = work.get(submission.layer_id, ([], []))
            row["span_count"] = len(spans)
            by_student_spans[student.pk] = spans
            if submission.status == Submission.Status.SUBMITTED:
                result = score_submission(key_spans=key_spans, key_relations=key_relations, student_spans=spans,
                                          student_relations=relations, labels=exercise.labels,
                                          relations_count=exercise.relations_count)
                results.append(result)
                row["score"] = submission.final_score
                row["computed_score"] = submission.score
        rows.append(row)
    labels = list(exercise.labels)
    class_work = {student.pk: by_student_spans.get(student.pk, []) for student in students}
    heat = heat_map([(d, p, text) for d, p, text, kind in paragraphs if kind == "body"], class_work, labels)
    scores = [row["score"] for row in rows if row["score"] is not None]
    counts = defaultdict(int)
    for row in rows:
        counts[row["status"]] += 1
    return {
        "exercise": exercise,
        "documents": documents,
        "students": rows,
        "counts": {status: counts.get(status, 0) for status in (NOT_STARTED, WORKING, SUBMITTED, LATE)},
        "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        "key_span_count": len(key_spans),
        "key_relation_count": len(key_relations),
        "heat_map": heat,
        "labels": labels,
        "most_missed": most_missed(results),
        "confusion": _confusion_table(confusion(results, labels)),
        "agreement": students_agreement(
            paragraphs=[(p, text) for _, p, text, kind in paragraphs],
            work=[by_student_spans[row["student"].pk] for row in rows
                  if row["submission"] is not None and row["submission"].status == Submission.Status.SUBMITTED],
        ),
    }


def _confusion_table(table: dict) -> dict:
    """Add rows shaped for the template: name, cells with the diagonal marked."""
    table["table"] = [
        {"name": row, "cells": [{"value": value, "diagonal": row == column} for column, value in zip(table["columns"], cells)]}
        for row, cells in zip(table["rows"], table["cells"])
    ]
    return table


def students_agreement(*, paragraphs: Sequence[tuple[int, str]], work: Sequence[Sequence[ScoringSpan]]) -> dict:
    """Krippendorff's nominal alpha among the submitted students over word tokens (each token
    labelled with the label of the span covering it, or none), from ``annotations.agreement``."""
    if len(work) < 2:
        return {"alpha": None, "students": len(work), "tokens": 0}
    by_paragraph = [defaultdict(list) for _ in work]
    for index, spans in enumerate(work):
        for span in spans:
            by_paragraph[index][span.paragraph].append(span)
    units = []
    for paragraph_id, text in paragraphs:
        tokens = tokenize(text)
        if not tokens:
            continue
        columns = [token_labels(tokens, spans[paragraph_id]) for spans in by_paragraph]
        units.extend(zip(*columns))
    alpha = nominal_alpha(units)
    return {"alpha": round(alpha, 3) if alpha is not None else None, "students": len(work), "tokens": len(units),
            "outside": OUTSIDE}


def grades_rows(*, exercise: Exercise) -> list[dict]:
    """One row per student of the class: score and its parts, submitted at, late, attempts. Five queries."""
    students = _students(exercise)
    attempts = defaultdict(int)
    latest = {}
    for submission in Submission.objects.filter(exercise=exercise).order_by("student_id", "attempt"):
        attempts[submission.student_id] += 1
        latest[submission.student_id] = submission
    rows = []
    for student in students:
        submission = latest.get(student.pk)
        parts = submission.score_parts if submission else {}
        submitted = submission is not None and submission.status == Submission.Status.SUBMITTED
        rows.append({
            "student": student.get_username(),
            "status": submission.status if submission else "not started",
            "score": submission.final_score if submitted else None,
            "computed_score": submission.score if submitted else None,
            "override_score": submission.override_score if submission else None,
            "override_comment": submission.override_comment if submission else "",
            "found": parts.get("found"), "partial": parts.get("partial"), "wrong_label": parts.get("wrong_label"),
            "missed": parts.get("missed"), "extra": parts.get("extra"),
            "span_points": parts.get("span_points"), "span_max": parts.get("span_max"),
            "relation_points": parts.get("relation_points"), "relation_max": parts.get("relation_max"),
            "submitted_at": submission.submitted_at.isoformat() if submitted else "",
            "late": bool(submitted and submission.late),
            "attempts": attempts.get(student.pk, 0),
        })
    return rows


GRADE_COLUMNS = ["student", "status", "score", "computed_score", "override_score", "override_comment", "found", "partial",
                 "wrong_label", "missed", "extra", "span_points", "span_max", "relation_points", "relation_max",
                 "submitted_at", "late", "attempts"]


def grades_csv(*, exercise: Exercise) -> str:
    """The gradebook as CSV text (formula-looking cells are quoted with a leading apostrophe)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GRADE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in grades_rows(exercise=exercise):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def exercises_for_teacher(*, project, user) -> list[Exercise]:
    if not can_teach(project, user):
        return []
    return list(Exercise.objects.filter(project=project).order_by("-created_at", "id"))


def work_layer_for_page(*, exercise: Exercise, user, layer_id: int | None = None) -> Layer | None:
    """The layer the exercise page edits or shows: the student's current attempt; the key for
    the teacher (or a student's work they chose)."""
    if can_teach(exercise.project, user):
        if layer_id is None:
            return Layer.objects.get(exercise=exercise, kind=Layer.Kind.EXERCISE_KEY)
        layer = Layer.objects.filter(exercise=exercise, pk=layer_id).select_related("owner").first()
        if layer is None:
            raise NotFound(f"No layer {layer_id} in this exercise.")
        return layer
    submission = current_submission(exercise=exercise, student=user)
    return submission.layer if submission else None


__all__ = ["CURATOR_ROLES"]
