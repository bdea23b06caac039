"""Limits on failed sign-ins per account and per address, and on sign-ups per address.

An attempt is counted *before* the password is checked (``signin_attempt_reserve``), with an
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on the window's row, so that N concurrent
guesses count N even if they race; a successful sign-in then gives its reservation back
(``signin_succeeded``: the account's count is cleared, the address's lowered by one). A
refused attempt is :class:`Throttled`, whose message says when to try again.

Windows are fixed (``ARGMAP_SIGNIN_WINDOW_MINUTES``, 15): the limit is ``ARGMAP_SIGNIN_LIMIT_ACCOUNT``
(5) failures for one username and ``ARGMAP_SIGNIN_LIMIT_ADDRESS`` (20) from one address, and
``ARGMAP_SIGNUP_LIMIT_ADDRESS`` (10) sign-up attempts through invitation links from one address.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotations.errors import ArgmapError
from annotations.models import SignInThrottle

Scope = SignInThrottle.Scope


class Throttled(ArgmapError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reservation:
    """What one attempt counted: (scope, key) pairs, in the window starting at ``window_start``."""

    window_start: datetime
    keys: tuple[tuple[str, str], ...]


def window_seconds() -> int:
    return int(float(getattr(settings, "ARGMAP_SIGNIN_WINDOW_MINUTES", 15)) * 60)


def _limits() -> dict[str, int]:
    return {
        Scope.ACCOUNT: int(getattr(settings, "ARGMAP_SIGNIN_LIMIT_ACCOUNT", 5)),
        Scope.ADDRESS: int(getattr(settings, "ARGMAP_SIGNIN_LIMIT_ADDRESS", 20)),
        Scope.SIGN_UP: int(getattr(settings, "ARGMAP_SIGNUP_LIMIT_ADDRESS", 10)),
    }


def _window(now: datetime) -> tuple[datetime, int]:
    """The start of the window holding ``now`` and the seconds left in it."""
    length = window_seconds()
    epoch = int(now.timestamp())
    start = epoch - epoch % length
    return datetime.fromtimestamp(start, tz=dt_timezone.utc), start + length - epoch


def _count(scope: str, key: str, window_start: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SignInThrottle._meta.db_table} (scope, key, window_start, attempts) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, key, window_start) DO UPDATE SET attempts = {SignInThrottle._meta.db_table}.attempts + 1 "
            "RETURNING attempts",
            [scope, key, window_start],
        )
        return cursor.fetchone()[0]


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _key(value: str) -> str:
    """A counting key PostgreSQL can store: a NUL or a lone surrogate in a typed username (the view
    refuses it with a 400 afterwards) becomes U+FFFD, and the key is cut at 200 characters."""
    return _UNSTORABLE.sub("\ufffd", value[:200])


def signin_attempt_reserve(*, username: str, address: str, now: datetime | None = None) -> Reservation:
    """Count one sign-in attempt for the account and the address; Throttled if either is past its limit."""
    keys = [(Scope.ADDRESS, _key(address) or "unknown")]
    if username.strip():
        keys.insert(0, (Scope.ACCOUNT, _key(username.strip().lower())))
    return _reserve(keys, now, {
        Scope.ACCOUNT: "Too many failed sign-ins for this account",
        Scope.ADDRESS: "Too many failed sign-ins from your address",
    })


def signup_attempt_reserve(*, address: str, now: datetime | None = None) -> Reservation:
    """Count one sign-up attempt (through an invitation link) from the address; Throttled past the limit."""
    return _reserve([(Scope.SIGN_UP, _key(address) or "unknown")], now,
                    {Scope.SIGN_UP: "Too many sign-up attempts from your address"})


def _reserve(keys, now, messages) -> Reservation:
    start, left = _window(now or timezone.now())
    limits = _limits()
    with transaction.atomic():
        counts = {scope: _count(scope, key, start) for scope, key in keys}
    for scope, _key in keys:
        if counts[scope] > limits[scope]:
            minutes = math.ceil(left / 60)
            raise Throttled(
                f"{messages[scope]}. Try again in {minutes} minute{'s' if minutes != 1 else ''} "
                f"(after {(start + timedelta(seconds=window_seconds())):%H:%M} UTC).",
                retry_after=left,
            )
    return Reservation(window_start=start, keys=tuple(keys))


def signin_succeeded(*, reservation: Reservation) -> None:
    """The password was right: clear the account's failures and give the address its attempt back."""
    table = SignInThrottle._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for scope, key in reservation.keys:
            if scope == Scope.ACCOUNT:
                cursor.execute(f"DELETE FROM {table} WHERE scope = %s AND key = %s", [scope, key])
            else:
                cursor.execute(
                    f"UPDATE {table} SET attempts = GREATEST(attempts - 1, 0) WHERE scope = %s AND key = %s AND window_start = %s",
                    [scope, key, reservation.window_start],
                )
        # Old windows are of no use: drop them now and then (cheap, by the window index).
        cursor.execute(f"DELETE FROM {table} WHERE window_start < %s", [timezone.now() - timedelta(days=1)])
