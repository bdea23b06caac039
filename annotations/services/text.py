"""Rules for the free text people write or import (span notes, comments, imported maps).

PostgreSQL cannot store a NUL character, and a lone surrogate (half of a UTF-16 pair, which
JSON's ``\\ud800`` escape can smuggle into Python text) is not text at all: both are refused
with where they are, before anything is written. Notes have a length limit, as comments do.
"""
from __future__ import annotations

import re

from annotations.errors import InvalidInput

MAX_NOTE_LENGTH = 10_000
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_storable_text(value: str, *, what: str) -> None:
    """Raise InvalidInput if ``value`` holds a NUL character or a lone surrogate."""
    position = value.find("\x00")
    if position >= 0:
        raise InvalidInput(f"{what} contains a NUL character at position {position}; remove it and try again.")
    surrogate = LONE_SURROGATE.search(value)
    if surrogate is not None:
        raise InvalidInput(
            f"{what} contains a lone surrogate (U+{ord(surrogate.group()):04X}) at position {surrogate.start()}, "
            "which is not a character; remove it and try again."
        )


def check_paragraph_length(text: str, *, what: str) -> None:
    """Raise InvalidInput if a paragraph's text is longer than ``ARGMAP_MAX_PARAGRAPH_CHARS``."""
    from django.conf import settings

    limit = settings.ARGMAP_MAX_PARAGRAPH_CHARS
    if len(text) > limit:
        raise InvalidInput(
            f"{what} has {len(text):,} characters; a paragraph holds at most {limit:,} (ARGMAP_MAX_PARAGRAPH_CHARS). "
            "Break it into paragraphs with blank lines."
        )


def clean_note(note: str | None) -> str:
    """A span's note, checked: storable and at most ``MAX_NOTE_LENGTH`` characters."""
    note = note or ""
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            f"A note is at most {MAX_NOTE_LENGTH:,} characters; this one has {len(note):,}. "
            "Shorten it, or put the longer text in a comment thread."
        )
    check_storable_text(note, what="The note")
    return note
