"""Counters of failed sign-ins (and sign-ups) per account and per address, in fixed windows.

One row per (scope, key, window); attempts are counted with an atomic upsert, so concurrent
requests cannot slip past the limit (annotations/services/throttle.py).
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q


class SignInThrottle(models.Model):
    class Scope(models.TextChoices):
        ACCOUNT = "account", "account"
        ADDRESS = "address", "address"
        SIGN_UP = "sign_up", "sign-up from an address"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=200, help_text="The lower-cased username, or the client address.")
    window_start = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="sign_in_throttle_one_row_per_window"),
            models.CheckConstraint(condition=~Q(key=""), name="sign_in_throttle_key_not_empty"),
        ]
        indexes = [models.Index(fields=["window_start"], name="sign_in_throttle_window")]

    def __str__(self) -> str:
        return f"{self.scope} throttle ({self.attempts} attempts)"
