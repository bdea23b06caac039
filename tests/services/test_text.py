"""The rules for free text people write or import (services/text.py): no NUL character, no lone
surrogate, notes of at most MAX_NOTE_LENGTH characters, each refusal saying where and what to do."""
from __future__ import annotations

import pytest

from annotations.errors import InvalidInput
from annotations.services.text import MAX_NOTE_LENGTH, check_storable_text, clean_note


@pytest.mark.parametrize("value", ["", "plain", "emoji 🐱 outside the BMP", "tabs\tand\nnewlines"])
def test_ordinary_text_is_storable(value):
    """Text PostgreSQL can store passes unchanged."""
    check_storable_text(value, what="The comment")
    assert clean_note(value) == value


def test_a_nul_character_is_refused_with_its_position():
    """The message names the field and where the NUL is."""
    with pytest.raises(InvalidInput, match=r"The comment contains a NUL character at position 3"):
        check_storable_text("abc\x00def", what="The comment")


def test_a_lone_surrogate_is_refused_with_its_code_and_position():
    """Half a UTF-16 pair is not a character: the message gives U+D83D and the position."""
    with pytest.raises(InvalidInput, match=r"lone surrogate \(U\+D83D\) at position 5"):
        check_storable_text("note \ud83d!", what="The note")


def test_note_length_limit_and_empty_note():
    """A note at the limit is kept, one character more is refused naming both lengths; None is ''."""
    assert clean_note("x" * MAX_NOTE_LENGTH) == "x" * MAX_NOTE_LENGTH
    with pytest.raises(InvalidInput, match=f"at most {MAX_NOTE_LENGTH:,} characters; this one has {MAX_NOTE_LENGTH + 1:,}"):
        clean_note("x" * (MAX_NOTE_LENGTH + 1))
    assert clean_note(None) == ""
