"""One shape per resource: the dicts of ``annotations.representations`` equal what the API's
serializers say of the same row, and every smaller view the schema declares is cut from them."""
from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer

from tests.factories import AnnotationFactory, RelationFactory, SuggestionFactory
from tests.fixtures.collaboration import layers  # noqa: F401  (a fixture)


def _rendered(data):
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def rows(paragraph, layers, people):
    span = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], author=people["annotator"], start=0, end=4)
    relation = RelationFactory(source=span, target__start=5, target__end=8, author=people["annotator"])
    suggestion = SuggestionFactory(paragraph=paragraph, start=9, end=13)
    return {"span": span, "relation": relation, "suggestion": suggestion, "layer": layers["annotator"],
            "shared": layers["consensus"]}


# serializer -> the view it documents; the full views' serializers are the resources' own, the
# smaller views' are the response serializers ``view_of`` cut from them.
CASES = {
    "serializers.AnnotationSerializer": "SPAN", "serializers.RelationSerializer": "RELATION",
    "serializers.LayerSerializer": "LAYER", "serializers.SuggestionSerializer": "SUGGESTION",
    "responses.LayerBriefSerializer": "LAYER_BRIEF", "responses.ImportedLayerSerializer": "LAYER_NAMED",
    "responses.NamedLayerSerializer": "LAYER_NAME", "responses.LayerSpanSerializer": "SPAN_IN_LAYER",
    "responses.LayerRelationSerializer": "RELATION_IN_LAYER",
}


@pytest.mark.parametrize(("serializer", "view"), CASES.items())
def test_views_equal_their_serializers(rows, serializer, view):
    """The serializer has exactly the view's fields and renders the row as the representation's dict does."""
    from annotations import representations
    from annotations.api import responses, serializers

    module, name = serializer.split(".")
    serializer = getattr({"serializers": serializers, "responses": responses}[module], name)
    resource = view.split("_")[0].lower()  # span, relation, layer, suggestion
    row, view = rows[resource], getattr(representations, view)
    assert tuple(serializer().fields) == view
    assert _rendered(getattr(representations, f"{resource}_data")(row, view)) == _rendered(serializer(row).data)


def test_a_shared_layer_has_no_owner(rows):
    """A consensus layer's ``owner`` is null, in the dict as in the serializer."""
    from annotations.api.serializers import LayerSerializer
    from annotations.representations import LAYER, layer_data

    assert layer_data(rows["shared"], LAYER)["owner"] is None
    assert _rendered(layer_data(rows["shared"], LAYER)) == _rendered(LayerSerializer(rows["shared"]).data)


def test_views_keep_their_order_and_read_unset_relations_as_null(rows):
    """Keys come in the view's order (the JSON the API sends), a one-field view works, a span
    without an author reads ``author`` as null, and a list of names reads as its tuple does."""
    from annotations.representations import SPAN, SPAN_IN_FEED, span_data

    span = rows["span"]
    assert list(span_data(span, SPAN)) == list(SPAN)
    assert list(span_data(span, SPAN_IN_FEED)) == list(SPAN_IN_FEED)
    assert span_data(span, ("quote",)) == {"quote": span.quote}
    assert span_data(span, ["id", "author"]) == {"id": span.pk, "author": "annotator"}
    span.author = None
    assert span_data(span, ("id", "author")) == {"id": span.pk, "author": None}
