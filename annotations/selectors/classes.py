"""Reads for a class: its roster with each student's progress over the class's exercises, and
a student named on it."""
from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model

from annotations.errors import NotFound
from annotations.models import Exercise, Membership, Role, Submission


def roster_get(*, project) -> dict:
    """Students (annotators and viewers) with when they joined and how many exercises they
    have submitted / started; teachers listed apart. Three queries."""
    members = list(Membership.objects.filter(project=project).select_related("user").order_by("user__username"))
    exercise_count = Exercise.objects.filter(project=project).count()
    submitted, started = defaultdict(set), defaultdict(set)
    for student_id, exercise_id, status in Submission.objects.filter(exercise__project=project).values_list(
        "student_id", "exercise_id", "status"
    ):
        started[student_id].add(exercise_id)
        if status == Submission.Status.SUBMITTED:
            submitted[student_id].add(exercise_id)
    students = [
        {"user": m.user, "username": m.user.get_username(), "joined_at": m.joined_at, "role": m.role,
         "submitted": len(submitted[m.user_id]), "started": len(started[m.user_id]), "exercises": exercise_count}
        for m in members if m.role in (Role.ANNOTATOR, Role.VIEWER)
    ]
    teachers = [m for m in members if m.role in (Role.OWNER, Role.CURATOR)]
    return {"students": students, "teachers": teachers, "exercise_count": exercise_count}


def student_get(*, username: str):
    """The account a teacher names on the roster; NotFound when there is none (the services
    then check that it is a student of the class)."""
    student = get_user_model().objects.filter(username=username).first()
    if student is None:
        raise NotFound(f"No student {username!r} in this class.")
    return student
