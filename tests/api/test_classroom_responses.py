"""The classroom's JSON endpoints answer in the shape their OpenAPI schema declares (what
schemathesis checks): joining, the feedback as each viewer sees it, the dashboard and the
grades, over a class with submitted, working and not-started students."""
from __future__ import annotations


from annotations import services
from annotations.models import Exercise
from tests.api.test_response_schemas import check
from tests.fixtures.classroom import tag
from tests.factories import UserFactory


def _submitted(c, student, label):
    submission = services.submission_start(exercise=c.exercise, user=student)
    tag(c.paragraph, submission.layer, student, 0, 31, label)
    return services.submission_submit(submission=submission, user=student)


def test_classroom_answers_match_the_schema(classroom, api, openapi):
    """Join, feedback (teacher, student with detail, student before submitting), dashboard and grades answer as declared."""
    c = classroom
    code = services.join_code_open(project=c.project, user=c.teacher)
    check(openapi, api.as_user(UserFactory(username="newcomer")).post("/api/join/", {"code": code.display}, format="json"),
          "/api/join/", "post")
    ann = _submitted(c, c.student, "claim")
    bob_working = services.submission_start(exercise=c.exercise, user=c.student_b)
    for viewer, submission in ((c.teacher, ann), (c.student, ann), (c.student_b, bob_working), (c.teacher, bob_working)):
        body = check(openapi, api.as_user(viewer).get(f"/api/submissions/{submission.pk}/feedback/"),
                     "/api/submissions/{submission_id}/feedback/")
        assert ("message" in body) == (viewer == c.student_b)
    teacher = api.as_user(c.teacher)
    dashboard = check(openapi, teacher.get(f"/api/exercises/{c.exercise.pk}/dashboard/"), "/api/exercises/{exercise_id}/dashboard/")
    assert dashboard["most_missed"] and dashboard["heat_map"]
    rows = check(openapi, api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/grades/"),
                 "/api/exercises/{exercise_id}/grades/")
    assert {row["student"] for row in rows} == {"ann", "bob", "newcomer"}


def test_score_only_and_agreement_answers_match_the_schema(classroom, api, openapi):
    """With two submitted students the agreement names its outside label; score-only feedback has parts but no detail."""
    c = classroom
    Exercise.objects.filter(pk=c.exercise.pk).update(feedback_mode=Exercise.FeedbackMode.SCORE)
    c.exercise.refresh_from_db()
    ann = _submitted(c, c.student, "claim")
    _submitted(c, c.student_b, "evidence")
    body = check(openapi, api.as_user(c.student).get(f"/api/submissions/{ann.pk}/feedback/"),
                 "/api/submissions/{submission_id}/feedback/")
    assert body["visible"] == "score" and "parts" in body and "spans" not in body
    dashboard = check(openapi, api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/dashboard/"),
                      "/api/exercises/{exercise_id}/dashboard/")
    assert dashboard["agreement"]["students"] == 2 and "outside" in dashboard["agreement"]
    released = check(openapi, api.as_user(c.teacher).post(f"/api/exercises/{c.exercise.pk}/release/", {"released": False},
                                                          format="json"), "/api/exercises/{exercise_id}/release/", "post")
    assert released["released_at"] is None
