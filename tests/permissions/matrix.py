"""What the role matrices share: a cell (one request, the status each role gets), filling a
cell's URL and body with the world's ids, and the cases (each cell × each role)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class Cell:
    name: str
    method: str
    url: str  # formatted with the world's ids
    expected: dict[str, int | None]  # None: the anonymous default (401 from the API, 302 to sign in from a page)
    body: dict = field(default_factory=dict)
    multipart: bool = False
    upload: bytes = b"A new article.\n\nIt has two paragraphs."


def fill(value, ids: dict):
    """``value`` with ``{name}`` replaced from ``ids``; a lone id becomes a number."""
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    return value


def cases(cells: list[Cell], roles: tuple[str, ...]) -> list:
    return [pytest.param(cell, role, id=f"{cell.name} · {role}") for cell in cells for role in roles]
