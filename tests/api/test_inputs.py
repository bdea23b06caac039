"""The fast body parsers of span and relation create agree with the serializers that document them."""
from __future__ import annotations

import pytest

from annotations.api.inputs import relation_create_input, span_create_input
from annotations.api.serializers import AnnotationCreateSerializer, RelationCreateSerializer
from annotations.errors import InvalidInput

GOOD_SPAN = {"paragraph": 7, "start": 0, "end": 4, "quote": " Cats", "label": "claim"}
SPAN_CASES = [
    GOOD_SPAN,
    GOOD_SPAN | {"note": "  kept as typed ", "layer": 3},
    GOOD_SPAN | {"start": "2", "end": 5.0, "paragraph": "7"},
    GOOD_SPAN | {"label": "  claim  "},
    {k: v for k, v in GOOD_SPAN.items() if k != "quote"},
    {k: v for k, v in GOOD_SPAN.items() if k != "paragraph"},
    GOOD_SPAN | {"start": -1},
    GOOD_SPAN | {"end": "four"},
    GOOD_SPAN | {"end": True},
    GOOD_SPAN | {"end": 4.5},
    GOOD_SPAN | {"paragraph": None},
    GOOD_SPAN | {"quote": ""},
    GOOD_SPAN | {"label": ""},
    GOOD_SPAN | {"label": ["claim"]},
    GOOD_SPAN | {"label": 0},
    GOOD_SPAN | {"layer": -(2**63)},
    GOOD_SPAN | {"note": None},
    GOOD_SPAN | {"layer": "x"},
    GOOD_SPAN | {"paragraph": "٣"},
    GOOD_SPAN | {"start": "²"},
    GOOD_SPAN | {"paragraph": 2**63},
    GOOD_SPAN | {"end": str(2**63)},
    GOOD_SPAN | {"layer": 2**63 - 1},
    GOOD_SPAN | {"note": "n" * 10_001},
    GOOD_SPAN | {"note": "a\x00b"},
    GOOD_SPAN | {"note": "a\ud800b"},
    GOOD_SPAN | {"quote": "Ca\x00ts"},
]
GOOD_RELATION = {"source": 1, "target": 2, "kind": "supports"}
RELATION_CASES = [
    GOOD_RELATION,
    GOOD_RELATION | {"kind": "undercuts"},
    GOOD_RELATION | {"kind": None},
    {"source": 1, "target": 2},
    GOOD_RELATION | {"target": "two"},
    GOOD_RELATION | {"source": "١"},
    GOOD_RELATION | {"target": 2**63},
    GOOD_RELATION | {"target": -(2**63)},
    GOOD_RELATION | {"source": -1},
]


def _serializer_says(serializer_class, body):
    from annotations.api.inputs import first_error

    serializer = serializer_class(data=body)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    return first_error(serializer.errors)


def _parser_says(parse, body):
    try:
        return parse(body)
    except InvalidInput as error:
        return error.message


@pytest.mark.parametrize("body", SPAN_CASES)
def test_span_parser_agrees_with_serializer(body):
    """Same values for good bodies, same first message for bad ones."""
    assert _parser_says(span_create_input, body) == _serializer_says(AnnotationCreateSerializer, body)


@pytest.mark.parametrize("body", RELATION_CASES)
def test_relation_parser_agrees_with_serializer(body):
    """Same values for good bodies, same first message for bad ones."""
    assert _parser_says(relation_create_input, body) == _serializer_says(RelationCreateSerializer, body)


def test_non_object_body_refused():
    """A JSON list instead of an object is refused with DRF's message."""
    assert _parser_says(span_create_input, [1, 2]) == "Invalid data. Expected a dictionary, but got list."
