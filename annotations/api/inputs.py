"""Parsing the bodies of the hot write endpoints (span create, relation create) without
building a DRF serializer per request (DRF deep-copies every field of a serializer for each
instance, which costs more here than the database work).

The rules and messages are those of the serializers that document these bodies in the
schema (``AnnotationCreateSerializer``, ``RelationCreateSerializer``); a test feeds both the
same bad bodies and holds their messages equal.
"""
from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from annotations.errors import InvalidInput, NotFound
from annotations.models import Relation
from annotations.params import BIGINT_MAX, is_whole_number
from annotations.services.text import LONE_SURROGATE, MAX_NOTE_LENGTH

# ASCII digits only: "٣" and "²" are not numbers here (``\d`` and ``int()`` take them)
ASCII_INTEGER = re.compile(r"-?[0-9]+(\.0*)?", re.ASCII)
_MISSING = object()


def _fail(name: str, message: str):
    raise InvalidInput(f"{name}: {message}", errors={name: [message]})


def _present(data, name: str, required: bool):
    """The field's value, or ``_MISSING`` for an optional field left out; a missing required field or a null is refused."""
    value = data.get(name, _MISSING)
    if value is _MISSING and required:
        _fail(name, "This field is required.")
    if value is None:
        _fail(name, "This field may not be null.")
    return value


def _integer(data, name: str, *, required: bool = True, minimum: int = 0):
    value = _present(data, name, required)
    if value is _MISSING:
        return _MISSING
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or not ASCII_INTEGER.fullmatch(str(value).strip()):
        _fail(name, "A valid integer is required.")
    number = int(str(value).strip().split(".")[0]) if isinstance(value, str) else int(value)
    if isinstance(value, float) and value != int(value):
        _fail(name, "A valid integer is required.")
    if number > BIGINT_MAX:
        _fail(name, f"Ensure this value is less than or equal to {BIGINT_MAX}.")
    if number < minimum:
        _fail(name, f"Ensure this value is greater than or equal to {minimum}.")
    return number


def _text(
    data, name: str, *, required: bool = True, trim: bool = True, allow_blank: bool = False, default=_MISSING,
    max_length: int | None = None,
):
    value = _present(data, name, required)
    if value is _MISSING:
        return default
    if not isinstance(value, str):  # as ``api.fields.CharField``: 0 is not text
        _fail(name, "Not a valid string: give text in quotes.")
    if trim:
        value = value.strip()
    if value == "" and not allow_blank:
        _fail(name, "This field may not be blank.")
    if max_length is not None and len(value) > max_length:
        _fail(name, f"Ensure this field has no more than {max_length} characters.")
    if "\x00" in value:
        _fail(name, "Null characters are not allowed.")
    surrogate = LONE_SURROGATE.search(value)
    if surrogate is not None:
        _fail(name, f"Surrogate characters are not allowed: U+{ord(surrogate.group()):X}.")
    return value


def _check_mapping(data) -> None:
    if not hasattr(data, "get") or isinstance(data, (str, bytes)):
        raise InvalidInput(f"Invalid data. Expected a dictionary, but got {type(data).__name__}.")


def span_create_input(data) -> dict:
    """``paragraph``, ``start``, ``end``, ``quote``, ``label``, optional ``note`` and ``layer``."""
    _check_mapping(data)
    parsed = {
        "paragraph": _integer(data, "paragraph"),
        "start": _integer(data, "start"),
        "end": _integer(data, "end"),
        "quote": _text(data, "quote", trim=False),
        "label": _text(data, "label"),
        "note": _text(data, "note", required=False, trim=False, allow_blank=True, default="", max_length=MAX_NOTE_LENGTH),
    }
    layer = _integer(data, "layer", required=False)
    if layer is not _MISSING:
        parsed["layer"] = layer
    return parsed


def relation_create_input(data) -> dict:
    """``source``, ``target`` and ``kind`` (supports or attacks)."""
    _check_mapping(data)
    parsed = {"source": _integer(data, "source"), "target": _integer(data, "target")}
    kind = data.get("kind", _MISSING)
    if kind is _MISSING:
        _fail("kind", "This field is required.")
    if kind is None:
        _fail("kind", "This field may not be null.")
    if kind not in Relation.Kind.values:
        _fail("kind", f'"{kind}" is not a valid choice.')
    parsed["kind"] = kind
    return parsed


# ---- ids in paths and serializer-checked bodies ----------------------------------------------

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)

# ``params.id_list``: ids (digits, within bigint: 18 digits always are) separated by commas
LAYER_IDS = OpenApiParameter(
    "layers", {"type": "string", "pattern": r"^[0-9]{1,18}(,[0-9]{1,18})*$"},
    description="Layer ids separated by commas, e.g. 3,5 (default: every annotator's layer with spans).",
)
# ``selectors.curation.parse_share``: 'all', or a share of annotators in (0, 1]
SHARE_SCHEMA = {"anyOf": [
    {"type": "string", "enum": ["all"]},
    {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
]}
SHARE = OpenApiParameter("share", SHARE_SCHEMA, description="'all' (default) or the share of annotators who must agree, in (0, 1].")
MATCH = OpenApiParameter("match", str, enum=["exact", "overlap"], description="exact (default) or overlap.")


def id_or_404(pk, what: str) -> int:
    """An id from the URL path; anything else names no object (404)."""
    if not is_whole_number(pk):
        raise NotFound(f"No {what} {pk!r}; ids are whole numbers (digits 0-9) up to {BIGINT_MAX}.")
    return int(pk)


def get_or_404(queryset, pk, what: str):
    found = queryset.filter(pk=id_or_404(pk, what)).first()
    if found is None:
        raise NotFound(f"No {what} {pk} in a project you are a member of.")
    return found


def valid_data(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput(first_error(serializer.errors), errors=serializer.errors)
    return dict(serializer.validated_data)


def first_error(errors) -> str:
    for field, messages in errors.items():
        message = messages[0] if isinstance(messages, list) else messages
        if isinstance(message, dict):
            return first_error(message)
        return f"{field}: {message}" if field != "non_field_errors" else str(message)
    return "Invalid input."
