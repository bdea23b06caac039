"""The list of argument-map formats: the API, the page and the commands all look them up here."""
from __future__ import annotations

from annotations.formats import aif, argdown, argmap_json, brat, csv_export, docbin, doccano, graphml, kialo
from annotations.formats.base import FormatError, MapFormat
from annotations.formats.pictures import PDF, PNG, SVG

FORMATS: tuple[MapFormat, ...] = (
    argmap_json.FORMAT, aif.FORMAT, argdown.FORMAT, brat.FORMAT, doccano.FORMAT, csv_export.FORMAT, graphml.FORMAT, kialo.FORMAT,
    SVG, PNG, PDF, docbin.FORMAT,
)
_BY_NAME = {map_format.name: map_format for map_format in FORMATS}


def get_format(name: str) -> MapFormat:
    """The format called ``name`` (``"json"``, ``"aif"``, ``"argdown"``, ...)."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise FormatError(f"unknown format {name!r}; argmap knows {', '.join(_BY_NAME)}") from None


def get_import_format(name: str) -> MapFormat:
    map_format = get_format(name)
    if not map_format.can_import:
        readable = ", ".join(f.name for f in import_formats())
        raise FormatError(f"the {map_format.name} format cannot be imported; argmap reads {readable}")
    return map_format


def export_formats() -> list[MapFormat]:
    return list(FORMATS)


def import_formats() -> list[MapFormat]:
    return [map_format for map_format in FORMATS if map_format.can_import]
