"""Classroom pages for an attempt: the student submits it or starts the next one; the teacher
reviews a student's map beside the key and overrides the score, reopens the attempt or gives
the student a later due date.

Views parse input, call one service or selector and render; refusals come back as domain
errors that the middleware turns into a page with the message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations import services
from annotations.errors import InvalidInput
from annotations.models import Exercise
from annotations.pages.exercise_forms import form_datetime, form_score
from annotations.selectors import exercise_pages as pages
from annotations.selectors import exercises as selectors


@login_required
@require_POST
def exercise_submit(request, exercise_id: int):
    """Submit the current attempt once confirmed: the Submit dialog's own button posts
    ``confirm=yes``; the Submit button alone (no scripts, so no dialog) gets a page that asks
    first, as the dialog does, and changes nothing."""
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    if request.POST.get("confirm") != "yes":
        next_url = _safe_next(request.POST.get("next") or "", exercise)
        return render(request, "exercises/submit_confirm.html",
                      pages.submit_confirm_page(exercise=exercise, user=request.user, next_url=next_url))
    services.exercise_submit(exercise=exercise, user=request.user)
    messages.success(request, "Submitted. Your work is read-only now.")
    if request.POST.get("next"):
        return redirect(_safe_next(request.POST["next"], exercise))
    return redirect("exercise-detail", exercise_id=exercise.pk)


def _safe_next(target: str, exercise: Exercise) -> str:
    return target if target.startswith(f"/e/{exercise.pk}/") else reverse("exercise-detail", args=[exercise.pk])


@login_required
@require_POST
def exercise_new_attempt(request, exercise_id: int):
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    submission = services.submission_new_attempt(exercise=exercise, user=request.user)
    messages.success(request, f"Attempt {submission.attempt} started from a copy of your last one.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_review(request, exercise_id: int, submission_id: int):
    """A student's map beside the key, with override, reopen and extension forms."""
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    submission = pages.exercise_submission_get(
        exercise=exercise, submission=selectors.submission_get_for_user(submission_id=submission_id, user=request.user))
    if request.method == "GET":
        return render(request, "exercises/submission_review.html",
                      pages.submission_review_page(exercise=exercise, submission=submission, user=request.user))
    action = request.POST.get("action")
    if action == "override":
        services.submission_override(submission=submission, user=request.user, score=form_score(request.POST.get("score")),
                                     comment=request.POST.get("comment", ""))
        messages.success(request, "Score saved.")
    elif action == "reopen":
        services.submission_reopen(submission=submission, user=request.user)
        messages.success(request, f"Reopened: {submission.student.get_username()} can change their work again.")
    elif action == "extend":
        services.extension_set(exercise=exercise, user=request.user, student=submission.student,
                               due_at=form_datetime(request.POST.get("due_at"), "New due date"))
        messages.success(request, "Extension saved.")
    else:
        raise InvalidInput("Unknown action.")
    return redirect("submission-review", exercise_id=exercise.pk, submission_id=submission.pk)
