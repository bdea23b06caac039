"""Parsing the classroom pages' forms: a date and time, an id, a score, and the exercise
settings a teacher sets (on the class page and the exercise page). Each refusal is an
``InvalidInput`` naming the field.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotations.errors import InvalidInput
from annotations.models import Exercise
from annotations.params import optional_id, whole_number


def form_datetime(raw: str | None, name: str):
    """A date and time typed in a form (the current time zone when it names none); None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:  # well formed but not a date: "2026-13-45T99:99" (month 13)
        value = None
    if value is None:
        raise InvalidInput(f"{name}: {raw!r} is not a date and time (e.g. 2026-12-01 14:30).")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def form_id(raw: str | None, name: str) -> int | None:
    """An id chosen in a form; None when blank."""
    return optional_id((raw or "").strip(), name=name)


def form_score(raw: str | None) -> float | None:
    """A score the teacher typed; None (back to the computed one) when blank."""
    raw = (raw or "").strip()
    try:
        return float(raw) if raw else None
    except ValueError:
        raise InvalidInput(f"The score must be a number from 0 to 100, not {raw!r}.") from None


def exercise_settings_from(post) -> dict:
    """The exercise settings of a submitted form, as ``services.exercise_create`` and ``exercise_update`` take them."""
    attempts = (post.get("attempts_allowed") or "").strip()
    return {
        "instructions": post.get("instructions", ""),
        "labels": post.getlist("labels"),
        "relations_count": post.get("relations_count") == "on",
        "opens_at": form_datetime(post.get("opens_at"), "Opens"),
        "due_at": form_datetime(post.get("due_at"), "Due"),
        "late_policy": post.get("late_policy", Exercise.LatePolicy.REFUSE),
        "attempts_allowed": whole_number(attempts, name="Attempts") if attempts else 1,
        "show_suggestions": post.get("show_suggestions") == "on",
        "feedback_mode": post.get("feedback_mode", Exercise.FeedbackMode.IMMEDIATE),
        "classmates_visible": post.get("classmates_visible", Exercise.Classmates.HIDDEN),
    }
