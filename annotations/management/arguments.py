"""Arguments that several commands take, declared once: the map format a command reads or writes,
its help naming from the registry exactly the formats argmap knows (never a list that drifts)."""
from __future__ import annotations

from annotations.formats import MapFormat


def add_format_argument(parser, *, formats: list[MapFormat], many: bool = False, auto: bool = False) -> None:
    """``--format NAME`` (required, as ``format_name``; with ``auto`` optional, default ``auto``: told from the
    files), or with ``many`` ``--formats A,B`` (default json)."""
    names = ", ".join(map_format.name for map_format in formats)
    if many:
        parser.add_argument("--formats", default="json", help=f"Comma-separated format names: {names} (default json).")
    elif auto:
        parser.add_argument("--format", default="auto", dest="format_name",
                            help=f"The format: {names}, or auto (the default: told from the files' content).")
    else:
        parser.add_argument("--format", required=True, dest="format_name", help=f"The format: {names}.")
