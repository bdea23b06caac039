"""Parsing JSON that people send: API request bodies and imported map files.

``loads`` is ``json.loads`` for untrusted text: it raises ``json.JSONDecodeError`` (with a
message, line and column, as the callers already report) for what would otherwise reach the
database or blow Python's stack later:

- nesting deeper than ``MAX_DEPTH`` (64) arrays and objects: every argmap body and map is a
  few levels deep, and a body nested thousands deep makes recursive code (validation,
  rendering, copying) raise RecursionError;
- lone surrogates (``"\\ud800"``), which no UTF-8 text can hold and PostgreSQL refuses;
- ``NaN`` and ``Infinity``, which are not JSON;
- integers outside the signed 64-bit range (PostgreSQL's ``bigint``): orjson would read one
  past 2**64 as an inexact float, Python as an int that the database then refuses.

orjson does the parsing (in C, with its own depth limit of 1024, so the depth walk below
never meets a structure deeper than that).
"""
from __future__ import annotations

import json
import re

import orjson

MAX_DEPTH = 64
BIGINT = 2**63
_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH):
    """Parse ``text`` as JSON within the limits above; ``json.JSONDecodeError`` otherwise."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "depth limit" not in error.msg:
            raise
        depth, huge_numbers = max_depth + 1, False
    else:
        depth, huge_numbers = _shape(value)
    document = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
    if depth > max_depth:
        raise json.JSONDecodeError(
            f"nested too deeply (more than {max_depth} levels of arrays and objects; argmap's JSON is a few levels deep)",
            document, _position_past_depth(document, max_depth),
        )
    if huge_numbers:
        _refuse_integers_past_64_bits(document)
    return value


def _shape(value) -> tuple[int, bool]:
    """How deeply arrays and objects nest in ``value`` (0 for a scalar), and whether a number in it
    is past the 64-bit range (an int, or a float that may have been written as one); iterative."""
    deepest, huge, stack = 0, False, [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, depth)
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, (int, float)) and not isinstance(child, bool) and not -BIGINT <= child < BIGINT:
                huge = True
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not -BIGINT <= value < BIGINT:
        huge = True
    return deepest, huge


def _refuse_integers_past_64_bits(document: str) -> None:
    """Raise for the first integer literal outside the signed 64-bit range (floats are fine)."""

    def checked(literal: str) -> int:
        number = int(literal)
        if not -BIGINT <= number < BIGINT:
            raise json.JSONDecodeError(
                f"the integer {literal[:40]} is outside the 64-bit range argmap stores",
                document, max(document.find(literal), 0),
            )
        return number

    json.loads(document, parse_int=checked)


def _position_past_depth(document: str, max_depth: int) -> int:
    """Where the first array or object past ``max_depth`` opens (strings skipped)."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(document):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in "]}":
            depth -= 1
    return 0
