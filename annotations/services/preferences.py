"""Writes to a person's workspace preferences (annotations/models/preferences.py)."""
from __future__ import annotations

from django.db import transaction

from annotations.errors import InvalidInput
from annotations.models import UserPreference

UNSET = object()


def preference_update(*, user, show_suggestions: bool | None = None, suggestion_threshold=UNSET) -> UserPreference:
    """Change the given preferences of ``user`` (the others stay); ``suggestion_threshold=None``
    goes back to the site's default."""
    if suggestion_threshold is not UNSET and suggestion_threshold is not None:
        if not 0.0 <= float(suggestion_threshold) <= 1.0:
            raise InvalidInput(f"The suggestion threshold must be between 0 and 1, not {suggestion_threshold}.")
    with transaction.atomic():
        preference, _ = UserPreference.objects.select_for_update().get_or_create(user=user)
        if show_suggestions is not None:
            preference.show_suggestions = bool(show_suggestions)
        if suggestion_threshold is not UNSET:
            preference.suggestion_threshold = None if suggestion_threshold is None else float(suggestion_threshold)
        preference.full_clean()
        preference.save()
    return preference
