"""Which import format a set of uploaded files is in, told from their content (format ``auto``).

Each file is looked at on its own (``guess``): a zip by its members' names (``.argmap.json`` → json,
``.ann`` → brat, ``.jsonl`` → doccano, ``nodeset*.json`` or a JSON member with ``nodes``
→ aif); JSON by its keys (``"format": "argmap-map"`` → json, ``nodes`` / ``AIF`` / OVA2's
``analysis`` → aif, records with ``text`` or ``data`` → doccano, also as JSON Lines); XML with
``<graphml`` → graphml; a text whose first line is ``Discussion Title:`` or ``1.`` and that numbers
claims ``1.1. Pro:`` → kialo; Argdown by its marks (``[Title]:``, ``<+``, ``===`` front matter) or
the ``.argdown`` name; a ``.ann`` or ``annotation.conf`` → brat, and the ``.txt`` next to it.
Then the files must agree (``sniff``); a file none of these fit, or files in two formats, are
refused naming them and saying to choose the format.
"""
from __future__ import annotations

import json
import re

from annotations.formats.archive import is_zip, open_zip
from annotations.formats.base import FormatError, ImportOptions

AUTO = "auto"
_KIALO_FIRST = re.compile(r"(?:Discussion\s+(?:Title|Name)\s*:|1\.(?:\s|$))", re.IGNORECASE)
_KIALO_CLAIM = re.compile(r"^\s*\d+\.(?:\d+\.)+\s*(?:Pro|Con|Contra|Thesis|Question)\s*:", re.IGNORECASE | re.MULTILINE)
_ARGDOWN = re.compile(r"^\s*(?:\[[^\]\n]+\]:|<[^>\n]+>:|[<>]?[+-]>?\s|<[+-]|===\s*$)", re.MULTILINE)
_PEEK = 64 * 1024  # bytes of a text file looked at


def _json_kind(value) -> str | None:
    if isinstance(value, dict):
        keys = {key.lower() if isinstance(key, str) else key for key in value}
        if value.get("format") == "argmap-map":
            return "json"
        if keys & {"aif", "nodes"} or isinstance(value.get("analysis"), dict):
            return "aif"
        if keys & {"text", "data"} and keys & {"entities", "label", "labels", "annotations", "relations", "cats", "id"}:
            return "doccano"
        if "text" in keys and len(keys) <= 3:
            return "doccano"
        return None
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value[:20]):
        first = value[0]
        if {"background_color", "suffix_key"} & set(first):  # doccano's label file
            return "doccano"
        return _json_kind(first)
    return None


def _zip_kind(data: bytes, name: str) -> str | None:
    options = ImportOptions()
    with open_zip(data, what=name or "the zip", max_members=options.max_members,
                  max_unpacked_bytes=options.max_unpacked_bytes) as archive:
        names = [member.name.lower() for member in archive.members]
        if any(item.endswith(".argmap.json") for item in names):  # a project export (with other formats beside)
            return "json"
        if any(item.endswith(".ann") for item in names):
            return "brat"
        if any(item.endswith(".jsonl") for item in names):
            return "doccano"
        if any(re.fullmatch(r"(?:.*/)?nodeset\d+\.json", item) for item in names):
            return "aif"
        for member in archive.members:
            if member.name.lower().endswith(".json"):
                try:
                    return _json_kind(json.loads(archive.read(member.name).decode("utf-8-sig")))
                except (ValueError, UnicodeDecodeError):
                    return None
    return None


def guess(name: str, data: bytes) -> str | None:
    """The format one file looks like, or None."""
    lower = name.lower()
    if is_zip(data):
        return _zip_kind(data, name)
    if lower.endswith((".ann", ".conf")):
        return "brat"
    if lower.endswith((".argdown", ".ad")):
        return "argdown"
    if lower.endswith(".graphml"):
        return "graphml"
    text = data[:_PEEK].decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("<"):
        return "graphml" if "<graphml" in text[:4096] else None
    if text.startswith(("{", "[")):
        try:
            return _json_kind(json.loads(data.decode("utf-8-sig")))
        except (ValueError, UnicodeDecodeError, RecursionError):
            try:  # JSON Lines, or records pretty-printed one after another: the first one
                return _json_kind(json.JSONDecoder().raw_decode(data.decode("utf-8-sig", errors="replace").lstrip())[0])
            except (ValueError, RecursionError):
                pass  # not JSON: "[Title]: text" is Argdown
    if _KIALO_FIRST.match(text) and _KIALO_CLAIM.search(text):
        return "kialo"
    if lower.endswith(".txt"):
        return "brat?"  # the text of a brat pair, if its .ann comes with it
    if _ARGDOWN.search(text):
        return "argdown"
    return None


def sniff(files: list[tuple[str, bytes]]) -> str:
    """The one import format of ``files``; FormatError naming the files that do not tell or disagree."""
    guesses = {name: guess(name, data) for name, data in files}
    found = {kind for kind in guesses.values() if kind}
    if found == {"brat?"} or ("brat" in found and found <= {"brat", "brat?"}):
        if "brat" not in found:
            raise FormatError(f"{', '.join(guesses)}: plain text without a .ann file; add the brat .ann files, "
                              "or choose the format")
        return "brat"
    unknown = [name for name, kind in guesses.items() if kind in (None, "brat?")]
    if unknown:
        raise FormatError(f"cannot tell which format {', '.join(unknown)} is in; choose the format in the list "
                          "(--format, the API's format field)")
    if len(found) > 1:
        named = "; ".join(f"{name}: {kind}" for name, kind in guesses.items())
        raise FormatError(f"the files are in different formats ({named}); import each format on its own")
    return found.pop()
