"""Scores as they stand, for every read that shows one: a submitted attempt's stored score, or,
while the key (or what is scored) changed since it was scored and the re-score job
(``tasks.scores``) has not run yet, the figure computed now by the job's own function
(``selectors.feedback.layers_scored``). Computed in memory and never written: a read only reads.

The stored score catches up when the job runs; until then each read of a stale attempt pays
six queries per exercise concerned (the key, the work, the paragraphs), and none once it is
up to date.
"""
from __future__ import annotations

from collections.abc import Iterable

from annotations.models import Exercise, Submission
from annotations.selectors.exercises import (exercises_for_student, feedback_level, submission_get_for_user,
                                            submissions_for_user)
from annotations.selectors.feedback import layers_scored, score_is_stale


def scores_current(*, exercise: Exercise, submissions: Iterable[Submission]) -> int:
    """Bring the stale ones among the exercise's ``submissions`` up to date in memory (score,
    parts, summary; ``scored_revision`` is left as stored). Returns how many were stale."""
    stale = [submission for submission in submissions if submission is not None and score_is_stale(submission, exercise)]
    if not stale:
        return 0
    _, scored = layers_scored(exercise=exercise, layer_ids=[submission.layer_id for submission in stale])
    for submission in stale:
        result, summary = scored[submission.layer_id]
        submission.score, submission.score_parts, submission.summary = result.score, result.parts(), summary
    return len(stale)


def student_exercises_with_current_scores(*, user) -> list[dict]:
    """"My exercises" (``selectors.exercises.exercises_for_student``) with each visible score as it stands now."""
    rows = exercises_for_student(user=user)
    for row in rows:
        shown = feedback_level(row["exercise"], row["submission"]) is not None
        if shown and scores_current(exercise=row["exercise"], submissions=[row["submission"]]):
            row["score"] = row["submission"].final_score
    return rows


def submissions_with_current_scores(*, exercise: Exercise, user) -> list[Submission]:
    """``selectors.exercises.submissions_for_user`` with the scores as they stand now."""
    submissions = list(submissions_for_user(exercise=exercise, user=user))
    scores_current(exercise=exercise, submissions=submissions)
    return submissions


def submission_with_current_score(*, submission_id: int, user) -> Submission:
    """``selectors.exercises.submission_get_for_user`` with the score as it stands now."""
    submission = submission_get_for_user(submission_id=submission_id, user=user)
    scores_current(exercise=submission.exercise, submissions=[submission])
    return submission
