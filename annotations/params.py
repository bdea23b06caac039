"""Parsing what a request names at the edge (API views, pages, commands): ids, offsets,
cursors, lists of ids and filter text. One parser, so every view refuses the same things with
the same message.

- Whole numbers are ASCII digits only. ``str.isdigit()`` accepts "²" and "٣" and ``int()``
  turns "٣" into 3; neither is a number a person typed on purpose here.
- Nothing past PostgreSQL's ``bigint`` (2**63 - 1) reaches the database, where it would be an
  error rather than "no such row".
- No NUL character reaches the database: PostgreSQL text cannot hold one.

Each refusal is an ``InvalidInput`` (400) naming the parameter and what it takes.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from annotations.errors import InvalidInput

BIGINT_MAX = 2**63 - 1
_WHOLE = re.compile(r"[0-9]+", re.ASCII)


def is_whole_number(raw) -> bool:
    """True for a non-negative whole number within bigint (an int, or a string of ASCII digits)."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int):
        return 0 <= raw <= BIGINT_MAX
    return isinstance(raw, str) and _WHOLE.fullmatch(raw) is not None and int(raw) <= BIGINT_MAX


def whole_number(raw, *, name: str, what: str = "a whole number", minimum: int = 0, maximum: int = BIGINT_MAX) -> int:
    """``raw`` (an int, or ASCII digits with surrounding spaces) as an int in [minimum, maximum]."""
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, bool) or not (isinstance(text, int) or (isinstance(text, str) and _WHOLE.fullmatch(text))):
        raise InvalidInput(f"{name} must be {what} (digits 0-9), not {raw!r}.")
    number = int(text)
    if number > maximum:
        raise InvalidInput(f"{name} {number} is too large; the largest allowed is {maximum}.")
    if number < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}, not {number}.")
    return number


def optional_id(raw, *, name: str) -> int | None:
    """An id, or None when the parameter is absent or empty."""
    if raw is None or raw == "":
        return None
    return whole_number(raw, name=name, what="an id (a whole number)")


def optional_offset(raw, *, name: str) -> int | None:
    """A character offset into a paragraph, or None when absent or empty."""
    if raw is None or raw == "":
        return None
    return whole_number(raw, name=name, what="an offset (a whole number of characters)")


def id_list(raw: str | Sequence | None, *, name: str = "layers", what: str = "layer") -> list[int] | None:
    """``"3,5"`` or ``["3", "5"]`` -> ``[3, 5]``; None/empty -> None. Refuses repeats and non-ids."""
    if raw is None or raw == "" or raw == []:
        return None
    items = raw.split(",") if isinstance(raw, str) else [part for item in raw for part in str(item).split(",")]
    ids = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        if not is_whole_number(item):
            raise InvalidInput(f"{name}: {item!r} is not a {what} id; give {what} ids (digits 0-9) separated by commas, e.g. 3,5.")
        ids.append(int(item))
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{name}: a {what} is listed twice.")
    return ids or None


def cursor(raw, *, name: str = "since") -> int | None:
    """A change-feed cursor from an earlier answer; None when absent."""
    if raw is None or raw == "":
        return None
    return whole_number(raw, name=name, what="a cursor from an earlier response (a whole number)")


def bounded(raw, *, name: str, default: int, minimum: int, maximum: int) -> int:
    """A count such as ``limit`` or ``offset``: the default when absent; larger values are cut to ``maximum``."""
    if raw is None or raw == "":
        return default
    return min(whole_number(raw, name=name, minimum=minimum), maximum)


def flag(raw, *, name: str) -> bool | None:
    """``true`` or ``false`` (any case), None when absent; anything else is refused rather than guessed."""
    if raw is None:
        return None
    value = str(raw).strip().lower()
    if value not in ("true", "false"):
        raise InvalidInput(f"{name} must be true or false, not {raw!r}.")
    return value == "true"


def fraction(raw, *, name: str, what: str = "a number between 0 and 1", note: str = "") -> float:
    """A number in (0, 1]: an overlap threshold, a share of annotators (``note`` says what 1 means)."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be {what}, not {raw!r}.") from None
    if not 0 < value <= 1:
        raise InvalidInput(f"{name} must be more than 0 and at most 1{note}, not {value}.")
    return value


def text(raw, *, name: str) -> str:
    """A filter or lookup value as text; refuses NUL characters (PostgreSQL text cannot hold them)."""
    value = str(raw)
    if "\x00" in value:
        raise InvalidInput(f"{name} contains a NUL character (%00); remove it.")
    return value
