"""Reads for the teacher's view of a whole class at one exercise: the live dashboard (each
student's status and score, the heat map, the key spans most missed, the label confusion
table, the students' agreement) and the gradebook (rows and CSV). A fixed number of queries
whatever the size of the class.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from annotations.agreement import OUTSIDE
from annotations.agreement.tokens import OUTSIDE_CODE, code_counts, nominal_alpha_from_counts
from annotations.models import Document, Exercise, Extension, Membership, Paragraph, Submission
from annotations.scoring import confusion_of, heat_map_of, most_missed_of, sentence_tags
from annotations.selectors.exercises import (
    LATE,
    NOT_STARTED,
    STUDENT_ROLES,
    SUBMITTED,
    WORKING,
    exercise_key_id,
    submission_status,
)
from annotations.selectors.exports import ExportFile
from annotations.selectors.feedback import ExerciseText, score_is_stale, spans_of, work_scored
from annotations.selectors.scores import scores_current


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
    queries whatever the size of the class.

    Submitted attempts are read from what was stored with them (score, outcomes, word labels,
    tagged sentences: ``selectors.feedback.work_summary``), so a class of 200 is not re-scored
    on every poll; only the spans of attempts still being worked on are read. An attempt whose
    stored summary predates the key's revision (the re-score job, ``tasks.scores``, has not run
    yet) is scored here, in memory, by the job's own function (``selectors.feedback.work_scored``),
    in the same queries: the page is right either way, and a read never writes."""
    students = _students(exercise)
    submissions = {}
    for submission in Submission.objects.filter(exercise=exercise).order_by("student_id", "attempt"):
        submissions[submission.student_id] = submission  # the latest attempt wins
    extensions = dict(Extension.objects.filter(exercise=exercise).values_list("student_id", "due_at"))
    key_id = exercise_key_id(exercise)
    stale = {s.layer_id for s in submissions.values() if score_is_stale(s, exercise)}
    live = [s.layer_id for s in submissions.values() if s.status != Submission.Status.SUBMITTED or s.layer_id in stale]
    key_spans, key_relations, work = spans_of(exercise=exercise, key_id=key_id, layer_ids=live)
    documents = list(Document.objects.filter(exercises=exercise).order_by("title", "id").only("id", "title"))
    paragraphs = list(Paragraph.objects.filter(document__in=documents).order_by("document_id", "position").values_list(
        "document_id", "id", "text", "kind"))
    text = ExerciseText(paragraphs)
    body = text.body
    now = timezone.now()
    rows, summaries, tags = [], [], []
    for student in students:
        submission = submissions.get(student.pk)
        due = extensions.get(student.pk, exercise.due_at)
        row = {"student": student, "username": student.get_username(), "joined_at": student.joined_at,
               "submission": submission, "status": submission_status(submission, due, now), "due_at": due,
               "attempt": submission.attempt if submission else 0, "score": None, "computed_score": None,
               "span_count": 0, "late": bool(submission and submission.late)}
        is_submitted = submission is not None and submission.status == Submission.Status.SUBMITTED
        if submission is not None and submission.layer_id in work:
            spans, relations = work[submission.layer_id]
            summary = None
            if is_submitted:  # its stored summary is stale: scored now, in memory
                result, summary = work_scored(exercise=exercise, text=text, key_spans=key_spans,
                                              key_relations=key_relations, spans=spans, relations=relations)
                submission.score = result.score
            row["span_count"] = len(spans)
            tags.append(summary["sentences"] if summary else sentence_tags(body, spans, text.sentences))
        elif submission is not None:
            summary = submission.summary
            row["span_count"] = summary.get("span_count", 0)
            tags.append(summary.get("sentences", ()))
        if is_submitted:
            summaries.append(summary)
            row["score"] = submission.final_score
            row["computed_score"] = submission.score
        rows.append(row)
    labels = list(exercise.labels)
    heat = heat_map_of(body, tags, labels, len(students))
    scores = [row["score"] for row in rows if row["score"] is not None]
    counts = defaultdict(int)
    for row in rows:
        counts[row["status"]] += 1
    outcome_list = [summary.get("outcomes", {}) for summary in summaries]
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
        "most_missed": most_missed_of(outcome_list, key_spans),
        "confusion": _confusion_table(confusion_of(outcome_list, labels)),
        "agreement": students_agreement(words_of=text.words, words=[summary.get("tokens", {}) for summary in summaries]),
    }


def _confusion_table(table: dict) -> dict:
    """Add rows shaped for the template: name, cells with the diagonal marked."""
    table["table"] = [
        {"name": row, "cells": [{"value": value, "diagonal": row == column} for column, value in zip(table["columns"], cells)]}
        for row, cells in zip(table["rows"], table["cells"])
    ]
    return table


def students_agreement(*, words_of: Mapping[int, Sequence], words: Sequence[Mapping[str, str]]) -> dict:
    """Krippendorff's nominal alpha among the submitted students over word tokens (each token
    labelled with the label of the span covering it, or none: ``annotations.agreement``), from
    each student's stored word labels (``{paragraph id: one character per word}``; a paragraph
    missing, or whose words no longer line up, is all outside: a paragraph's text cannot
    change while spans point into it). ``words_of``: each paragraph's words, in order."""
    if len(words) < 2:
        return {"alpha": None, "students": len(words), "tokens": 0}
    tables = []
    for paragraph_id, tokens in words_of.items():
        length = len(tokens)
        if not length:
            continue
        blank = OUTSIDE_CODE * length
        rows = []
        for mine in words:
            codes = mine.get(str(paragraph_id))
            rows.append(codes if codes is not None and len(codes) == length else blank)
        tables.append(code_counts(rows, length))
    units = sum(len(table) for table in tables)
    alpha = nominal_alpha_from_counts(np.concatenate(tables)) if tables else None
    return {"alpha": round(alpha, 3) if alpha is not None else None, "students": len(words), "tokens": units,
            "outside": OUTSIDE}


def grades_rows(*, exercise: Exercise) -> list[dict]:
    """One row per student of the class: score and its parts, submitted at, late, attempts.
    Two queries, and six more while some attempt's stored score predates a change to the key
    (``selectors.scores.scores_current``)."""
    students = _students(exercise)
    attempts = defaultdict(int)
    latest = {}
    for submission in Submission.objects.filter(exercise=exercise).order_by("student_id", "attempt"):
        attempts[submission.student_id] += 1
        latest[submission.student_id] = submission
    scores_current(exercise=exercise, submissions=latest.values())
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


def grades_file(*, exercise: Exercise) -> ExportFile:
    """The gradebook CSV as the download the page and the API send."""
    return ExportFile(file_name=f"exercise-{exercise.pk}-grades.csv", content_type="text/csv; charset=utf-8",
                      data=grades_csv(exercise=exercise).encode())
