"""Classroom pages: joining a class (/join/), "My exercises", the class page (join code,
roster, exercises), an exercise (instructions, submit, feedback), the exercise workspace on
the student's own work (or the teacher's key), the live class dashboard, a student's map
beside the key, and the grades CSV.

Views parse input, call one service or selector and render; refusals come back as domain
errors that the middleware turns into a page with the message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods, require_POST

from annotations.errors import ArgmapError, InvalidInput, NotFound, NotPermitted
from annotations.models import Exercise, Layer, Submission
from annotations.permissions import can_teach
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors import exercises as selectors
from annotations.selectors.classes import roster_get
from annotations.selectors.pages import document_page_data
from annotations.selectors.projects import layers_visible_to
from annotations.services import classes as class_services
from annotations.services import exercises as services


def _datetime(raw: str | None, name: str):
    raw = (raw or "").strip()
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise InvalidInput(f"{name}: {raw!r} is not a date and time (e.g. 2026-12-01 14:30).")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _int(raw, name: str, default=None):
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a whole number, not {raw!r}.") from None


def _settings_from(post) -> dict:
    return {
        "instructions": post.get("instructions", ""),
        "labels": post.getlist("labels"),
        "relations_count": post.get("relations_count") == "on",
        "opens_at": _datetime(post.get("opens_at"), "Opens"),
        "due_at": _datetime(post.get("due_at"), "Due"),
        "late_policy": post.get("late_policy", Exercise.LatePolicy.REFUSE),
        "attempts_allowed": _int(post.get("attempts_allowed"), "Attempts", 1),
        "show_suggestions": post.get("show_suggestions") == "on",
        "feedback_mode": post.get("feedback_mode", Exercise.FeedbackMode.IMMEDIATE),
        "classmates_visible": post.get("classmates_visible", Exercise.Classmates.HIDDEN),
    }


# ── joining ────────────────────────────────────────────────────────────────────────────

@require_http_methods(["GET", "POST"])
def join(request, code: str = ""):
    """Type the code (or follow its link); without an account, pick a username and password."""
    error, status = None, 200
    code = request.POST.get("code", code)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = class_services.class_join(code=code, user=request.user)
            else:
                membership = class_services.student_sign_up(
                    code=code, username=request.POST.get("username", ""), password=request.POST.get("password", ""),
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"You joined {membership.project.name}.")
            return redirect("my-exercises")
        except ArgmapError as failure:
            error, status = failure.message, failure.status_code
    return render(request, "exercises/join.html", {"code": code, "error": error,
                                                   "username": request.POST.get("username", "")}, status=status)


# ── the student's side ───────────────────────────────────────────────────────────────

@login_required
def my_exercises(request):
    return render(request, "exercises/my_exercises.html", {"rows": selectors.exercises_for_student(user=request.user)})


@login_required
def exercise_detail(request, exercise_id: int):
    """The teacher's exercise page (settings, key, links) or the student's (instructions, documents, submit, feedback)."""
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    documents = list(exercise.documents.order_by("title", "id"))
    if can_teach(exercise.project, request.user):
        key = services.exercise_key_layer(exercise)
        return render(request, "exercises/exercise_teacher.html", {
            "exercise": exercise, "project": exercise.project, "documents": documents, "key": key,
            "key_span_count": key.annotations.count(),
            "source_layers": [l for l in layers_visible_to(project=exercise.project, user=request.user)
                              if l.kind in (Layer.Kind.PERSONAL, Layer.Kind.CONSENSUS, Layer.Kind.ANSWER_KEY)],
            "other_classes": [m.project for m in request.user.memberships.select_related("project")
                              if m.role in ("owner", "curator") and m.project_id != exercise.project_id],
            "settings": _settings_context(exercise.project, exercise),
            "initial": {"title": exercise.title, "instructions": exercise.instructions},
            "import_formats": _import_format_names(),
        })
    submission = selectors.current_submission(exercise=exercise, student=request.user)
    feedback = selectors.submission_feedback(submission=submission, user=request.user) if submission else None
    return render(request, "exercises/exercise_student.html", {
        "exercise": exercise, "project": exercise.project, "documents": documents, "submission": submission,
        "feedback": feedback, "due_at": services.due_for(exercise, request.user),
        "can_retry": bool(submission and submission.status == Submission.Status.SUBMITTED
                          and submission.attempt < exercise.attempts_allowed),
    })


def _import_format_names() -> list[str]:
    from annotations.formats.registry import import_formats

    return [f.name for f in import_formats()]


@login_required
def exercise_workspace(request, exercise_id: int, document_id: int):
    """The document workspace on the student's own work for this exercise (the key, for the
    teacher, or a student's work with ?layer=), with the feedback drawn on the text when visible."""
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    document = document_get_for_user(document_id=document_id, user=request.user)
    if not exercise.documents.filter(pk=document.pk).exists():
        raise NotFound(f"Document {document_id} is not part of this exercise.")
    teacher = can_teach(exercise.project, request.user)
    submission = None
    if teacher:
        layer = selectors.work_layer_for_page(exercise=exercise, user=request.user,
                                              layer_id=_int(request.GET.get("layer"), "layer"))
    else:
        submission = services.submission_start(exercise=exercise, user=request.user)
        layer = submission.layer
    context = document_page_data(document=document, user=request.user, layer=layer)
    feedback = None
    if submission is not None:
        feedback = selectors.submission_feedback(submission=submission, user=request.user)
        if feedback.get("visible") != "detail":
            feedback = {k: v for k, v in feedback.items() if k not in ("spans", "relations")}
    elif layer.kind == Layer.Kind.EXERCISE_WORK:
        feedback = selectors.submission_feedback(submission=layer.submission, user=request.user)
    if not teacher and not exercise.show_suggestions:
        context["page_data"]["suggestions"] = {"disabled": True}
        context["hide_suggestions"] = True
    elif not teacher:
        context["page_data"]["suggestions"]["hints_only"] = True
    if feedback and "spans" in feedback:  # this document's items only, in the order the list shows them
        feedback = {**feedback, "spans": [item for item in feedback["spans"]
                                          if (item["key"] or item["student"])["document"] == document.pk]}
    context["page_data"]["exercise"] = {
        "id": exercise.pk, "title": exercise.title, "layer": layer.pk, "kind": layer.kind,
        "submission": submission.pk if submission else None,
        "feedback": (feedback or {}).get("spans", []),
    }
    context.update({"exercise": exercise, "submission": submission, "exercise_layer": layer, "feedback": feedback,
                    "teacher": teacher})
    return render(request, "exercises/workspace.html", context)


@login_required
@require_POST
def exercise_submit(request, exercise_id: int):
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    if can_teach(exercise.project, request.user):
        raise NotPermitted("Teachers do not submit exercises; edit the key instead.")
    submission = selectors.current_submission(exercise=exercise, student=request.user)
    if submission is None:
        raise InvalidInput("Open a document of the exercise and tag it before submitting.")
    services.submission_submit(submission=submission, user=request.user)
    messages.success(request, "Submitted. Your work is read-only now.")
    if request.POST.get("next"):
        return redirect(_safe_next(request.POST["next"], exercise))
    return redirect("exercise-detail", exercise_id=exercise.pk)


def _safe_next(target: str, exercise: Exercise) -> str:
    from django.urls import reverse

    return target if target.startswith(f"/e/{exercise.pk}/") else reverse("exercise-detail", args=[exercise.pk])


@login_required
@require_POST
def exercise_new_attempt(request, exercise_id: int):
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    submission = services.submission_new_attempt(exercise=exercise, user=request.user)
    messages.success(request, f"Attempt {submission.attempt} started from a copy of your last one.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


# ── the teacher's side ───────────────────────────────────────────────────────────────

def _teacher_exercise(request, exercise_id: int) -> Exercise:
    exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
    if not can_teach(exercise.project, request.user):
        raise NotPermitted("Only the class's teacher can see this.")
    return exercise


def _settings_context(project, exercise=None) -> dict:
    from annotations.selectors.pages import label_choices

    return {
        "labels": label_choices(list(project.labels)),
        "chosen_labels": list(exercise.labels) if exercise else list(project.labels),
        "late_policies": Exercise.LatePolicy.choices, "feedback_modes": Exercise.FeedbackMode.choices,
        "classmates": Exercise.Classmates.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def class_page(request, slug: str):
    """The class: join code, roster with progress, exercises, and the form for a new exercise."""
    project = project_get_for_user(slug=slug, user=request.user)
    if not can_teach(project, request.user):
        raise NotPermitted("Only the class's teacher can manage the class.")
    error = None
    if request.method == "POST":
        try:
            exercise = services.exercise_create(
                project=project, user=request.user, title=request.POST.get("title", ""),
                document_ids=[_int(i, "document") for i in request.POST.getlist("documents")],
                **_settings_from(request.POST),
            )
            messages.success(request, f"Exercise “{exercise.title}” created; now make its key.")
            return redirect("exercise-detail", exercise_id=exercise.pk)
        except ArgmapError as failure:
            error = failure.message
    return render(request, "exercises/class.html", {
        "project": project, "roster": roster_get(project=project), "join_code": selectors.open_join_code(project=project),
        "exercises": selectors.exercises_for_teacher(project=project, user=request.user),
        "documents": project.documents.order_by("title").only("id", "title"), "error": error,
        "settings": _settings_context(project),
        "initial": {"title": request.POST.get("title", ""), "instructions": request.POST.get("instructions", "")},
    }, status=400 if error else 200)


@login_required
@require_POST
def class_join_code(request, slug: str):
    project = project_get_for_user(slug=slug, user=request.user)
    if request.POST.get("action") == "close":
        class_services.join_code_close(project=project, user=request.user)
        messages.success(request, "Join code closed: nobody else can join with it.")
    else:
        code = class_services.join_code_open(project=project, user=request.user)
        messages.success(request, f"New join code: {code.display}.")
    return redirect("class-page", slug=slug)


def _member(project, username: str):
    student = get_user_model().objects.filter(username=username).first()
    if student is None:
        raise NotFound(f"No student {username!r} in this class.")
    return student


@login_required
@require_POST
def class_student(request, slug: str, username: str):
    project = project_get_for_user(slug=slug, user=request.user)
    student = _member(project, username)
    if request.POST.get("action") == "remove":
        class_services.class_student_remove(project=project, user=request.user, student=student)
        messages.success(request, f"{username} was removed from the class; their work stays in the gradebook.")
    else:
        class_services.class_student_password_set(project=project, user=request.user, student=student,
                                                  password=request.POST.get("password", ""))
        messages.success(request, f"New password set for {username}.")
    return redirect("class-page", slug=slug)


@login_required
@require_POST
def exercise_settings(request, exercise_id: int):
    exercise = _teacher_exercise(request, exercise_id)
    services.exercise_update(exercise=exercise, user=request.user, title=request.POST.get("title", exercise.title),
                             **_settings_from(request.POST))
    messages.success(request, "Exercise saved.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_key(request, exercise_id: int):
    """Make the key from a layer (the teacher's own map, the consensus) or an imported file; or set a key span's note."""
    exercise = _teacher_exercise(request, exercise_id)
    action = request.POST.get("action")
    if action == "copy":
        source = Layer.objects.filter(project=exercise.project, pk=_int(request.POST.get("layer"), "layer")).first()
        if source is None:
            raise InvalidInput("Choose a layer of the class to copy into the key.")
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
        from annotations.models import Annotation

        span = Annotation.objects.filter(pk=_int(request.POST.get("annotation"), "span")).first()
        if span is None:
            raise NotFound("No such key span.")
        services.key_note_set(exercise=exercise, user=request.user, annotation=span, text=request.POST.get("text", ""))
        messages.success(request, "Note saved.")
    else:
        raise InvalidInput("Unknown key action.")
    return redirect("exercise-detail", exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_release(request, exercise_id: int):
    exercise = _teacher_exercise(request, exercise_id)
    released = request.POST.get("action") != "withdraw"
    services.exercise_release(exercise=exercise, user=request.user, released=released)
    messages.success(request, "Feedback released to the class." if released else "Feedback withdrawn.")
    target = "exercise-dashboard" if request.POST.get("back") == "dashboard" else "exercise-detail"
    return redirect(target, exercise_id=exercise.pk)


@login_required
@require_POST
def exercise_duplicate(request, exercise_id: int):
    exercise = _teacher_exercise(request, exercise_id)
    target = project_get_for_user(slug=request.POST.get("project", ""), user=request.user)
    copy = services.exercise_duplicate(exercise=exercise, user=request.user, project=target)
    messages.success(request, f"Copied to {target.name}.")
    return redirect("exercise-detail", exercise_id=copy.pk)


@login_required
def exercise_dashboard(request, exercise_id: int):
    exercise = _teacher_exercise(request, exercise_id)
    data = selectors.exercise_dashboard(exercise=exercise, user=request.user)
    return render(request, "exercises/dashboard.html", {**data, "project": exercise.project})


@login_required
def exercise_grades(request, exercise_id: int):
    exercise = _teacher_exercise(request, exercise_id)
    response = HttpResponse(selectors.grades_csv(exercise=exercise), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exercise-{exercise.pk}-grades.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def submission_review(request, exercise_id: int, submission_id: int):
    """A student's map beside the key, with override, reopen and extension forms."""
    exercise = _teacher_exercise(request, exercise_id)
    submission = selectors.submission_get_for_user(submission_id=submission_id, user=request.user)
    if submission.exercise_id != exercise.pk:
        raise NotFound("That submission is not of this exercise.")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "override":
            raw = request.POST.get("score", "").strip()
            try:
                score = float(raw) if raw else None
            except ValueError:
                raise InvalidInput(f"The score must be a number from 0 to 100, not {raw!r}.") from None
            services.submission_override(submission=submission, user=request.user, score=score,
                                         comment=request.POST.get("comment", ""))
            messages.success(request, "Score saved.")
        elif action == "reopen":
            services.submission_reopen(submission=submission, user=request.user)
            messages.success(request, f"Reopened: {submission.student.get_username()} can change their work again.")
        elif action == "extend":
            services.extension_set(exercise=exercise, user=request.user, student=submission.student,
                                   due_at=_datetime(request.POST.get("due_at"), "New due date"))
            messages.success(request, "Extension saved.")
        else:
            raise InvalidInput("Unknown action.")
        return redirect("submission-review", exercise_id=exercise.pk, submission_id=submission.pk)
    from annotations.selectors.layers import layers_compare

    key = services.exercise_key_layer(exercise)
    comparisons = [layers_compare(document=document, first=key, second=submission.layer, match="overlap")
                   for document in exercise.documents.order_by("title", "id")]
    return render(request, "exercises/submission_review.html", {
        "exercise": exercise, "project": exercise.project, "submission": submission, "comparisons": comparisons,
        "feedback": selectors.submission_feedback(submission=submission, user=request.user),
    })
