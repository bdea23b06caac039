"""Reading a person's workspace preferences, with the site's defaults filled in."""
from __future__ import annotations

from django.conf import settings

from annotations.models import UserPreference


def preference_get(*, user) -> dict:
    """``{"show_suggestions", "suggestion_threshold", "default_threshold"}`` for ``user`` (one query;
    defaults when they never changed anything)."""
    row = UserPreference.objects.filter(user=user).values("show_suggestions", "suggestion_threshold").first() or {}
    default = settings.ARGMAP_SUGGESTION_THRESHOLD
    threshold = row.get("suggestion_threshold")
    return {
        "show_suggestions": bool(row.get("show_suggestions", False)),
        "suggestion_threshold": default if threshold is None else threshold,
        "default_threshold": default,
    }
