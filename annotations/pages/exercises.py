"""Classroom pages for an exercise: "My exercises", the exercise's page (the teacher's:
settings, key, links; the student's: instructions, documents, submit, feedback), the exercise
workspace on the student's own work (or the teacher's key), the teacher's actions (settings,
key, release, copy to another class), the live class dashboard and the grades CSV.

Views parse input, call one service or selector and render; refusals come back as domain
errors that the middleware turns into a page with the message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotations import services
from annotations.downloads import file_response
from annotations.errors import InvalidInput
from annotations.pages.exercise_forms import exercise_settings_from, form_id
from annotations.permissions import can_teach
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors import exercise_pages as pages
from annotations.selectors import dashboard, scores
from annotations.selectors import exercises as selectors


@login_required
def my_exercises(request):
    return render(request, "exercises/my_exercises.html", {"rows": scores.student_exercises_with_current_scores(user=request.user)})


@login_required
def exercise_detail(request, exercise_id: int):
    """The teacher's exercise page (settings, key, links) or the student's (instructions, documents, submit, feedback)."""
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    if can_teach(exercise.project, request.user):
        return render(request, "exercises/exercise_teacher.html", pages.exercise_teacher_page(exercise=exercise, user=request.user))
    return render(request, "exercises/exercise_student.html", pages.exercise_student_page(exercise=exercise, user=request.user))


@login_required
def exercise_workspace(request, exercise_id: int, document_id: int):
    """The document workspace on the student's own work for this exercise (the key, for the
    teacher, or a student's work with ?layer=), with the feedback drawn on the text when visible."""
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    document = pages.exercise_document_get(exercise=exercise,
                                           document=document_get_for_user(document_id=document_id, user=request.user))
    submission = None
    if can_teach(exercise.project, request.user):
        layer = selectors.work_layer_for_page(exercise=exercise, user=request.user,
                                              layer_id=form_id(request.GET.get("layer"), "layer"))
    else:
        submission = services.submission_start(exercise=exercise, user=request.user)
        layer = submission.layer
    return render(request, "exercises/workspace.html", pages.exercise_workspace_page(
        exercise=exercise, document=document, user=request.user, layer=layer, submission=submission))


@login_required
@require_POST
def exercise_settings(request, exercise_id: int):
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    services.exercise_update(exercise=exercise, user=request.user, title=request.POST.get("title", exercise.title),
                             **exercise_settings_from(request.POST))
    messages.success(request, "Exercise saved.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_key(request, exercise_id: int):
    """Make the key from a layer (the teacher's own map, the consensus) or an imported file; or set a key span's note."""
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    action = request.POST.get("action")
    if action == "copy":
        source = selectors.key_source_get(exercise=exercise, layer_id=form_id(request.POST.get("layer"), "layer"))
        services.exercise_key_copy(exercise=exercise, user=request.user, source=source)
        messages.success(request, f"The key is now a copy of {source.name}.")
    elif action == "import":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("Choose a map file to import into the key.")
        count = services.exercise_key_import(exercise=exercise, user=request.user, format_name=request.POST.get("format", ""),
                                             name=upload.name, data=upload.read())
        messages.success(request, f"Imported {count} span(s) into the key.")
    elif action == "note":
        span = selectors.key_span_get(annotation_id=form_id(request.POST.get("annotation"), "span"))
        services.key_note_set(exercise=exercise, user=request.user, annotation=span, text=request.POST.get("text", ""))
        messages.success(request, "Note saved.")
    else:
        raise InvalidInput("Unknown key action.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_release(request, exercise_id: int):
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    released = request.POST.get("action") != "withdraw"
    services.exercise_release(exercise=exercise, user=request.user, released=released)
    messages.success(request, "Feedback released to the class." if released else "Feedback withdrawn.")
    target = "exercise-dashboard" if request.POST.get("back") == "dashboard" else "exercise-detail"
    return redirect(target, exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_duplicate(request, exercise_id: int):
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    target = project_get_for_user(slug=request.POST.get("project", ""), user=request.user)
    copy = services.exercise_duplicate(exercise=exercise, user=request.user, project=target)
    messages.success(request, f"Copied to {target.name}.")
    return redirect("exercise-detail", exercise_id=copy.pk)


@login_required
def exercise_dashboard(request, exercise_id: int):
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    data = dashboard.exercise_dashboard(exercise=exercise, user=request.user)
    return render(request, "exercises/dashboard.html", {**data, "project": exercise.project})


@login_required
def exercise_grades(request, exercise_id: int):
    exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
    return file_response(dashboard.grades_file(exercise=exercise))
