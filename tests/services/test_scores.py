"""The re-score write (services/scores.py): it stores what the key now gives for every stale
submitted attempt with the revision it read, in one UPDATE, and costs one query when the class
is up to date."""
from __future__ import annotations

import pytest

from annotations import services as ex
from annotations.models import Exercise, Submission
from annotations.selectors.feedback import layer_score
from tests.fixtures.classroom import tag

pytestmark = pytest.mark.django_db


def _submit(c, student, spans):
    submission = ex.submission_start(exercise=c.exercise, user=student)
    for start, end, label in spans:
        tag(c.paragraph, submission.layer, student, start, end, label)
    return ex.submission_submit(submission=submission, user=student)


def test_refresh_stores_the_new_scores_with_the_revision(classroom):
    """Every stale submitted attempt gets the key's current score, parts, summary and revision; working ones are left alone."""
    c = classroom
    ann = _submit(c, c.student, [(0, 31, "claim")])
    working = ex.submission_start(exercise=c.exercise, user=c.student_b)
    ex.annotation_delete(annotation=c.key_spans["evidence"], user=c.teacher)
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    assert ex.exercise_scores_refresh(exercise=exercise) == 1
    stored = Submission.objects.get(pk=ann.pk)
    fresh = layer_score(exercise=exercise, layer=ann.layer)
    assert stored.score == fresh.score != ann.score and stored.score_parts == fresh.parts()
    assert stored.scored_revision == exercise.scoring_revision
    assert Submission.objects.get(pk=working.pk).scored_revision is None


def test_refresh_of_an_up_to_date_class_costs_one_query(classroom, django_assert_num_queries):
    """Nothing stale: one query, nothing written."""
    c = classroom
    _submit(c, c.student, [(0, 31, "claim")])
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    with django_assert_num_queries(1):
        assert ex.exercise_scores_refresh(exercise=exercise) == 0


def test_refresh_leaves_a_reopened_attempt_cleared(classroom):
    """An attempt reopened after the key change has no score to store: the refresh skips it."""
    c = classroom
    ann = _submit(c, c.student, [(0, 31, "claim")])
    ex.annotation_delete(annotation=c.key_spans["evidence"], user=c.teacher)
    ex.submission_reopen(submission=ann, user=c.teacher)
    assert ex.exercise_scores_refresh(exercise=Exercise.objects.get(pk=c.exercise.pk)) == 0
    assert Submission.objects.get(pk=ann.pk).score is None
