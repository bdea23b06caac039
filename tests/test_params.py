"""The one parser for what a request names: ASCII digits only, nothing past bigint, no NUL."""
from __future__ import annotations

import pytest

from annotations import params
from annotations.errors import InvalidInput

TOO_BIG = str(2**63)


@pytest.mark.parametrize("raw", ["²", "٣", "3.0", "-1", " ", "1e3", "0x10", "١٢", TOO_BIG, True])
def test_whole_number_refuses_what_is_not_ascii_digits_within_bigint(raw):
    """Superscripts and other scripts' digits (which isdigit() and int() accept) and values past bigint are refused."""
    with pytest.raises(InvalidInput) as refused:
        params.whole_number(raw, name="offset")
    assert refused.value.message.startswith("offset")


def test_whole_number_reads_digits_and_says_the_limit():
    """Digits with spaces around read as the number; past bigint the message names the largest allowed."""
    assert params.whole_number(" 42 ", name="offset") == 42
    assert params.whole_number(str(params.BIGINT_MAX), name="offset") == params.BIGINT_MAX
    with pytest.raises(InvalidInput, match="too large; the largest allowed is 9223372036854775807"):
        params.whole_number(TOO_BIG, name="since")


def test_id_list_splits_refuses_repeats_and_non_ids():
    """Ids separated by commas, in one value or several; a repeat or a non-id is a 400."""
    assert params.id_list("3,5") == [3, 5] and params.id_list(["3", "5,7"]) == [3, 5, 7]
    assert params.id_list("") is None and params.id_list(None) is None
    for bad in ("3,3", "3,²", f"3,{TOO_BIG}"):
        with pytest.raises(InvalidInput):
            params.id_list(bad)


def test_text_refuses_nul():
    """A NUL character (which PostgreSQL text cannot hold) is refused with the parameter's name."""
    assert params.text("ann", name="author") == "ann"
    with pytest.raises(InvalidInput, match="author contains a NUL character"):
        params.text("a\x00b", name="author")


def test_optional_values_and_bounds():
    """Absent values are None or the default; a count above the maximum is cut to it."""
    assert params.optional_id(None, name="layer") is None and params.optional_id("", name="layer") is None
    assert params.cursor("0") == 0 and params.cursor(None) is None
    assert params.bounded(None, name="limit", default=100, minimum=1, maximum=500) == 100
    assert params.bounded("9000", name="limit", default=100, minimum=1, maximum=500) == 500
    with pytest.raises(InvalidInput):
        params.bounded("0", name="limit", default=100, minimum=1, maximum=500)
