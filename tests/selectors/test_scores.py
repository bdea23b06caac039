"""Scores as they stand (selectors/scores.py): a read that finds an attempt scored against an
older key shows the figure the key gives now, computed by the re-score job's own function, and
no GET that shows a score writes anything (no INSERT, UPDATE, DELETE or row lock)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services as ex
from annotations.models import Exercise, Submission
from annotations.selectors.feedback import layer_score
from annotations.selectors.scores import scores_current, student_exercises_with_current_scores
from tests.fixtures.classroom import tag

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _submit(c, student, spans):
    submission = ex.submission_start(exercise=c.exercise, user=student)
    for start, end, label in spans:
        tag(c.paragraph, submission.layer, student, start, end, label)
    return ex.submission_submit(submission=submission, user=student)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES) or "FOR UPDATE" in q["sql"].upper()
            or "FOR SHARE" in q["sql"].upper()]


@pytest.fixture
def stale(classroom):
    """A class whose two submitted attempts were scored before the teacher changed the key."""
    c = classroom
    c.ann = _submit(c, c.student, [(0, 31, "claim"), (32, 80, "evidence")])
    c.bob = _submit(c, c.student_b, [(0, 31, "evidence")])
    ex.annotation_update(annotation=c.key_spans["evidence"], user=c.teacher, version=None, label="counterclaim")
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    c.fresh = {s.student_id: layer_score(exercise=exercise, layer=s.layer).score for s in (c.ann, c.bob)}
    assert c.fresh[c.student.pk] != c.ann.score
    return c


@pytest.mark.parametrize("who, url", [
    ("teacher", "/e/{exercise}/dashboard/"),
    ("teacher", "/e/{exercise}/grades.csv"),
    ("teacher", "/api/exercises/{exercise}/dashboard/"),
    ("teacher", "/api/exercises/{exercise}/grades/"),
    ("teacher", "/api/exercises/{exercise}/grades/?format=csv"),
    ("teacher", "/api/exercises/{exercise}/submissions/"),
    ("teacher", "/api/submissions/{submission}/"),
    ("student", "/exercises/"),
    ("student", "/api/exercises/{exercise}/submissions/"),
    ("student", "/api/submissions/{submission}/"),
    ("student", "/api/submissions/{submission}/feedback/"),
])
def test_a_get_that_shows_scores_writes_nothing(stale, client, who, url):
    """With stale scores in the class, the dashboard, grades, My exercises and the submission reads only read."""
    c = stale
    client.force_login(c.teacher if who == "teacher" else c.student)
    address = url.format(exercise=c.exercise.pk, submission=c.ann.pk)
    client.get(address)  # the session's first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, response.content[:300]
    assert _writes(queries.captured_queries) == []
    assert Submission.objects.get(pk=c.ann.pk).score == c.ann.score  # still as stored: the job has not run


def test_stale_reads_show_the_score_the_key_gives_now(stale, api):
    """Before the job runs, every read shows the new figure: dashboard, grades, submissions, My exercises."""
    c = stale
    want = c.fresh[c.student.pk]
    teacher = api.as_user(c.teacher)
    rows = {r["username"]: r for r in teacher.get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()["students"]}
    assert rows["ann"]["score"] == want and rows["bob"]["score"] == c.fresh[c.student_b.pk]
    grades = {r["student"]: r for r in teacher.get(f"/api/exercises/{c.exercise.pk}/grades/").json()}
    assert grades["ann"]["computed_score"] == want and grades["ann"]["wrong_label"] == 1
    listed = {r["student"]: r for r in teacher.get(f"/api/exercises/{c.exercise.pk}/submissions/").json()}
    assert listed["ann"]["computed_score"] == want
    assert teacher.get(f"/api/submissions/{c.ann.pk}/").json()["computed_score"] == want
    student = api.as_user(c.student)
    assert student.get(f"/api/submissions/{c.ann.pk}/").json()["score"] == want
    [row] = student_exercises_with_current_scores(user=c.student)
    assert row["score"] == want


def test_an_override_still_wins_over_a_stale_score(stale):
    """The teacher's score is shown whatever the key gives."""
    c = stale
    ex.submission_override(submission=c.ann, user=c.teacher, score=55, comment="")
    [row] = student_exercises_with_current_scores(user=c.student)
    assert row["score"] == 55


def test_scores_current_scores_only_the_stale_in_six_queries(stale, django_assert_num_queries):
    """Up-to-date attempts cost nothing; the stale ones of one exercise cost six queries together."""
    c = stale
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    submissions = list(Submission.objects.filter(exercise=exercise))
    with django_assert_num_queries(6):
        assert scores_current(exercise=exercise, submissions=submissions) == 2
    ex.exercise_scores_refresh(exercise=exercise)
    submissions = list(Submission.objects.filter(exercise=exercise))
    with django_assert_num_queries(0):
        assert scores_current(exercise=exercise, submissions=submissions) == 0
    assert {s.student_id: s.score for s in submissions} == c.fresh


def test_grades_rows_cost_two_queries_and_six_more_while_stale(stale, django_assert_num_queries):
    """The gradebook reads the roster and the attempts; a stale class adds the six of the in-memory scoring."""
    from annotations.selectors.dashboard import grades_rows

    c = stale
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    with django_assert_num_queries(8):
        rows = {row["student"]: row for row in grades_rows(exercise=exercise)}
    assert rows["ann"]["computed_score"] == c.fresh[c.student.pk]
    ex.exercise_scores_refresh(exercise=exercise)
    with django_assert_num_queries(2):
        assert {row["student"]: row for row in grades_rows(exercise=exercise)} == rows


def test_a_score_stored_against_an_empty_key_shows_once_the_key_has_spans(classroom):
    """Submitted while the key was empty (no score), the attempt shows the score of the key the teacher then wrote."""
    from annotations.models import Annotation, Relation

    c = classroom
    Relation.objects.filter(layer=c.key).delete()
    Annotation.objects.filter(layer=c.key).delete()
    submission = _submit(c, c.student, [(0, 31, "claim")])
    assert submission.score is None
    ex.annotation_create(paragraph=c.paragraph, layer=c.key, user=c.teacher, start=0, end=31, label="claim", quote=None)
    [row] = student_exercises_with_current_scores(user=c.student)
    assert row["score"] == 100.0
