"""Classroom pages for the class itself: joining it (/join/, with an account or signing up on
the spot), and the teacher's class page (join code, roster, exercises, the form for a new
exercise) with its join-code and roster actions.

Views parse input, call one service or selector and render; refusals come back as domain
errors that the middleware turns into a page with the message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from annotations import services
from annotations.errors import ArgmapError
from annotations.pages.exercise_forms import exercise_settings_from, form_id
from annotations.permissions import check_can_teach
from annotations.selectors import project_get_for_user
from annotations.selectors.classes import student_get
from annotations.selectors.exercise_pages import class_page_data


@require_http_methods(["GET", "POST"])
def join(request, code: str = ""):
    """Type the code (or follow its link); without an account, pick a username and password."""
    error, status = None, 200
    code = request.POST.get("code", code)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = services.class_join(code=code, user=request.user)
            else:
                membership = services.student_sign_up(
                    code=code, username=request.POST.get("username", ""), password=request.POST.get("password", ""),
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"You joined {membership.project.name}.")
            return redirect("my-exercises")
        except ArgmapError as failure:
            error, status = failure.message, failure.status_code
    return render(request, "exercises/join.html", {"code": code, "error": error,
                                                   "username": request.POST.get("username", "")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def class_page(request, slug: str):
    """The class: join code, roster with progress, exercises, and the form for a new exercise."""
    project = project_get_for_user(slug=slug, user=request.user)
    check_can_teach(project, request.user)
    error = None
    if request.method == "POST":
        try:
            exercise = services.exercise_create(
                project=project, user=request.user, title=request.POST.get("title", ""),
                document_ids=[form_id(i, "document") for i in request.POST.getlist("documents")],
                **exercise_settings_from(request.POST),
            )
            messages.success(request, f"Exercise “{exercise.title}” created; now make its key.")
            return redirect("exercise-detail", exercise_id=exercise.pk)
        except ArgmapError as failure:
            error = failure.message
    initial = {"title": request.POST.get("title", ""), "instructions": request.POST.get("instructions", "")}
    return render(request, "exercises/class.html", {**class_page_data(project=project, user=request.user, initial=initial),
                                                    "error": error}, status=400 if error else 200)


@login_required
@require_POST
def class_join_code(request, slug: str):
    project = project_get_for_user(slug=slug, user=request.user)
    if request.POST.get("action") == "close":
        services.join_code_close(project=project, user=request.user)
        messages.success(request, "Join code closed: nobody else can join with it.")
    else:
        code = services.join_code_open(project=project, user=request.user)
        messages.success(request, f"New join code: {code.display}.")
    return redirect("class-page", slug=slug)


@login_required
@require_POST
def class_student(request, slug: str, username: str):
    project = project_get_for_user(slug=slug, user=request.user)
    student = student_get(username=username)
    if request.POST.get("action") == "remove":
        services.class_student_remove(project=project, user=request.user, student=student)
        messages.success(request, f"{username} was removed from the class; their work stays in the gradebook.")
    else:
        services.class_student_password_set(project=project, user=request.user, student=student,
                                            password=request.POST.get("password", ""))
        messages.success(request, f"New password set for {username}.")
    return redirect("class-page", slug=slug)
