"""A person's workspace preferences, kept on the server so they follow them to every device:
whether the text shows spaCy's suggestions, and from which score."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.base import NamedById


class UserPreference(NamedById):
    str_noun = "preferences"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    show_suggestions = models.BooleanField(
        default=False, help_text="Draw suggestions in the text (off: the text shows only people's spans)."
    )
    suggestion_threshold = models.FloatField(
        null=True, blank=True,
        help_text="Show suggestions scoring at least this; empty: the site's ARGMAP_SUGGESTION_THRESHOLD.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(suggestion_threshold__isnull=True)
                | Q(suggestion_threshold__gte=0.0, suggestion_threshold__lte=1.0),
                name="preference_threshold_between_0_and_1",
            ),
        ]
