"""Span endpoints: every rule of a span write is a 4xx with a message a person can act on,
and a refused write stores nothing."""
from __future__ import annotations

from functools import partial

import pytest

from annotations.models import Annotation, Layer
from tests.api.conftest import EMOJI_TEXT, listed
from tests.conftest import SAMPLE_TEXT
from tests.factories import AnnotationFactory

URL = "/api/annotations/"


def span(paragraph, start, end, label="claim", **extra):
    return {"paragraph": paragraph.pk, "start": start, "end": end, "quote": paragraph.text[start:end], "label": label} | extra


def test_create_stores_span_in_own_layer(api, people, paragraph):
    """A valid span is stored in the author's personal layer (created on first use) and returned."""
    response = api.as_user(people["annotator"]).post(URL, span(paragraph, 0, 30), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    stored = Annotation.objects.get(pk=body["id"])
    assert stored.layer.kind == Layer.Kind.PERSONAL and stored.layer.owner == people["annotator"]
    assert (stored.start, stored.end, stored.quote, stored.label) == (0, 30, SAMPLE_TEXT[:30], "claim")
    assert body["author"] == "annotator" and body["version"] == 1 and body["layer"] == stored.layer_id
    assert body["created_at"].endswith("Z")


def test_response_matches_serializer_shape(api, people, paragraph):
    """The fast create response has exactly AnnotationSerializer's fields and values."""
    from annotations.api.serializers import AnnotationSerializer
    from rest_framework.renderers import JSONRenderer
    import json

    body = api.as_user(people["annotator"]).post(URL, span(paragraph, 0, 4), format="json").json()
    expected = json.loads(JSONRenderer().render(AnnotationSerializer(Annotation.objects.get(pk=body["id"])).data))
    assert body == expected
    listed = api.get(URL, {"document": paragraph.document_id}).json()["results"]
    assert listed == [expected]


def test_emoji_offsets_are_code_points(api, people, emoji_paragraph):
    """Offsets count code points: '🐶 at napping' starts at 17 although UTF-16 would say 18."""
    start = EMOJI_TEXT.index("🐶")
    assert start == 17
    response = api.as_user(people["annotator"]).post(
        URL, {"paragraph": emoji_paragraph.pk, "start": start, "end": start + 12, "quote": "🐶 at napping", "label": "evidence"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Annotation.objects.get().quote == "🐶 at napping"


def test_utf16_offsets_are_refused_naming_both_texts(api, people, emoji_paragraph, stored):
    """Offsets a browser forgot to convert from UTF-16 land one character late: refused, naming both texts."""
    before = stored()
    response = api.as_user(people["annotator"]).post(
        URL, {"paragraph": emoji_paragraph.pk, "start": 18, "end": 30, "quote": "🐶 at napping", "label": "claim"},
        format="json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'🐶 at napping'" in detail and repr(EMOJI_TEXT[18:30]) in detail and "[18, 30)" in detail
    assert response.json()["actual"] == EMOJI_TEXT[18:30]
    assert stored() == before


@pytest.mark.parametrize(
    ("start", "end", "status", "words"),
    [
        (5, 5, 400, "start 5 must be before end 5"),
        (9, 3, 400, "start 9 must be before end 3"),
        (0, 500, 400, "end 500 is past the end of paragraph 1 (80 characters)"),
        (80, 90, 400, "start 80 is past the end of paragraph 1 (80 characters)"),
        (-1, 4, 400, "start: Ensure this value is greater than or equal to 0"),
    ],
)
def test_bad_offsets_refused(api, people, paragraph, stored, start, end, status, words):
    """Out-of-range offsets and start >= end get 400 with the numbers in the message, nothing stored."""
    before = stored()
    body = {"paragraph": paragraph.pk, "start": start, "end": end, "quote": "x", "label": "claim"}
    response = api.as_user(people["annotator"]).post(URL, body, format="json")
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert stored() == before


def test_unknown_label_refused(api, people, paragraph, stored):
    """A label argmap does not know is refused, listing the project's labels."""
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, span(paragraph, 0, 4, label="opinion"), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Label unknown 'opinion' is not used in this project; choose one of: claim, evidence, counterclaim."
    )
    assert stored() == before


def test_label_outside_project_set_refused(api, people, paragraph, stored):
    """A known label the project does not use (rebuttal) is refused too."""
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, span(paragraph, 0, 4, label="rebuttal"), format="json")
    assert response.status_code == 400
    assert "'rebuttal' is not used in this project" in response.json()["detail"]
    assert stored() == before


def test_duplicate_span_conflicts(api, people, paragraph, stored):
    """The same offsets twice in one layer: 409 naming the existing span, nothing new stored."""
    client = api.as_user(people["annotator"])
    first = client.post(URL, span(paragraph, 0, 4), format="json").json()
    before = stored()
    response = client.post(URL, span(paragraph, 0, 4, label="evidence"), format="json")
    assert response.status_code == 409
    assert f"span {first['id']}" in response.json()["detail"] and response.json()["annotation_id"] == first["id"]
    assert stored() == before


def test_viewer_cannot_create(api, people, paragraph, stored):
    """A viewer gets 403 with the way out (ask for the annotator role); no layer is made for them."""
    before = stored()
    response = api.as_user(people["viewer"]).post(URL, span(paragraph, 0, 4), format="json")
    assert response.status_code == 403
    assert "annotator role" in response.json()["detail"]
    assert stored() == before


def test_writing_into_someone_elses_layer_refused(api, people, paragraph, layers, stored):
    """Naming another person's layer gets 403 saying whose it is."""
    before = stored()
    response = api.as_user(people["annotator"]).post(
        URL, span(paragraph, 0, 4, layer=layers["annotator_b"].pk), format="json"
    )
    assert response.status_code == 403
    assert "'annotator_b' belongs to someone else" in response.json()["detail"]
    assert stored() == before


def test_curator_writes_consensus_annotator_does_not(api, people, paragraph, layers, stored):
    """The consensus layer takes spans from curators; an annotator gets 403."""
    before = stored()
    refused = api.as_user(people["annotator"]).post(URL, span(paragraph, 0, 4, layer=layers["consensus"].pk), format="json")
    assert refused.status_code == 403 and "curators" in refused.json()["detail"]
    assert stored() == before
    accepted = api.as_user(people["curator"]).post(URL, span(paragraph, 0, 4, layer=layers["consensus"].pk), format="json")
    assert accepted.status_code == 201 and accepted.json()["layer"] == layers["consensus"].pk


def test_missing_fields_named(api, people, paragraph):
    """A body without a quote is refused naming the field."""
    response = api.as_user(people["annotator"]).post(URL, {"paragraph": paragraph.pk, "start": 0, "end": 4, "label": "claim"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "quote: This field is required."


# --- updates ---------------------------------------------------------------------------


@pytest.fixture
def own_span(paragraph, layers):
    return AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4, author=layers["annotator"].owner)


def test_update_label_bumps_version(api, people, own_span):
    """Changing the label with the current version succeeds and raises the version."""
    response = api.as_user(people["annotator"]).patch(f"{URL}{own_span.pk}/", {"version": 1, "label": "evidence"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["label"] == "evidence" and response.json()["version"] == 2
    own_span.refresh_from_db()
    assert (own_span.label, own_span.version) == ("evidence", 2)


def test_stale_version_conflicts_with_current_state(api, people, own_span, stored):
    """An update from version 1 after someone saved version 2 gets 409 with the current span; nothing lost."""
    client = api.as_user(people["annotator"])
    assert client.patch(f"{URL}{own_span.pk}/", {"version": 1, "note": "first"}, format="json").status_code == 200
    before = stored()
    response = client.patch(f"{URL}{own_span.pk}/", {"version": 1, "label": "evidence"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert "you edited version 1, it is now version 2" in body["detail"]
    assert body["current"]["version"] == 2 and body["current"]["note"] == "first" and body["current"]["label"] == "claim"
    assert stored() == before


def test_move_boundary_checks_quote(api, people, own_span, stored):
    """Moving a boundary with a quote that does not match is refused naming both texts."""
    before = stored()
    response = api.as_user(people["annotator"]).patch(
        f"{URL}{own_span.pk}/", {"version": 1, "start": 0, "end": 8, "quote": "Dogs are"}, format="json"
    )
    assert response.status_code == 400
    assert "'Dogs are'" in response.json()["detail"] and "'Cats are'" in response.json()["detail"]
    assert stored() == before


def test_move_boundary_updates_quote(api, people, own_span):
    """Moving the end boundary stores the new quote from the text."""
    response = api.as_user(people["annotator"]).patch(f"{URL}{own_span.pk}/", {"version": 1, "end": 8}, format="json")
    assert response.status_code == 200
    assert response.json()["quote"] == "Cats are"


def test_update_onto_existing_span_conflicts(api, people, own_span, paragraph, layers, stored):
    """Moving a span onto another span of the layer gets 409, both spans unchanged."""
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=5, end=8)
    before = stored()
    response = api.as_user(people["annotator"]).patch(f"{URL}{own_span.pk}/", {"version": 1, "start": 5, "end": 8}, format="json")
    assert response.status_code == 409 and "already has a span on 'are'" in response.json()["detail"]
    assert stored() == before


def test_update_to_label_outside_project_refused(api, people, own_span, stored):
    """Relabelling to a label the project does not use is refused."""
    before = stored()
    response = api.as_user(people["annotator"]).patch(f"{URL}{own_span.pk}/", {"version": 1, "label": "major_claim"}, format="json")
    assert response.status_code == 400 and "'major_claim' is not used" in response.json()["detail"]
    assert stored() == before


def test_editing_someone_elses_span_refused(api, people, own_span, stored):
    """Another annotator, and a viewer, get 403 on a span of someone else's layer; it stays as it was."""
    before = stored()
    for name in ("annotator_b", "viewer"):
        client = api.as_user(people[name])
        response = client.patch(f"{URL}{own_span.pk}/", {"version": 1, "label": "evidence"}, format="json")
        assert response.status_code == 403 and "belongs to someone else" in response.json()["detail"]
        assert client.delete(f"{URL}{own_span.pk}/").status_code == 403
    assert stored() == before


def test_put_is_not_offered(api, people, own_span):
    """Updates are partial (PATCH with a version); PUT is 405."""
    response = api.as_user(people["annotator"]).put(f"{URL}{own_span.pk}/", {"version": 1}, format="json")
    assert response.status_code == 405


def test_delete_removes_span_and_its_relations(api, people, own_span, paragraph, layers):
    """Deleting a span removes it and the relations that touch it."""
    from tests.factories import RelationFactory

    relation = RelationFactory(source=own_span, target=AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=5, end=8))
    assert api.as_user(people["annotator"]).delete(f"{URL}{own_span.pk}/").status_code == 204
    assert not Annotation.objects.filter(pk=own_span.pk).exists()
    assert not type(relation).objects.filter(pk=relation.pk).exists()


def test_filters(api, people, paragraph, layers):
    """List filters by document, layer, label and author (username)."""
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4, label="claim", author=people["annotator"])
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=5, end=8, label="evidence", author=people["annotator_b"])
    quotes = partial(listed, api.as_user(people["viewer"]), URL, "quote")
    assert quotes(document=paragraph.document_id) == ["Cats", "are"]
    assert quotes(layer=layers["annotator_b"].pk) == ["are"]
    assert quotes(label="claim") == ["Cats"]
    assert quotes(author="annotator_b") == ["are"]
    assert quotes(author="annotator", label="evidence") == []


def test_pagination(api, people, paragraph, layers):
    """Lists come in pages with a count and a next link; limit is capped at 5,000."""
    for start in range(7):
        AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=start, end=start + 1)
    client = api.as_user(people["annotator"])
    page = client.get(URL, {"limit": 3, "offset": 3}).json()
    assert page["count"] == 7 and [row["start"] for row in page["results"]] == [3, 4, 5]
    assert "offset=6" in page["next"]
    assert len(client.get(URL, {"limit": 100000}).json()["results"]) == 7
    past_the_end = client.get(URL, {"limit": 3, "offset": 30}).json()
    assert past_the_end["count"] == 7 and past_the_end["results"] == []
    assert client.get(URL, {"label": "evidence"}).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_list_timestamps_match_serializer_with_and_without_microseconds(api, people, paragraph, layers):
    """Timestamps formatted by PostgreSQL in lists equal DRF's rendering, also on a whole second."""
    import datetime
    import json

    from rest_framework.renderers import JSONRenderer

    from annotations.api.serializers import AnnotationSerializer

    whole = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4)
    fraction = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=5, end=8)
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    Annotation.objects.filter(pk=whole.pk).update(created_at=moment, updated_at=moment)
    Annotation.objects.filter(pk=fraction.pk).update(created_at=moment.replace(microsecond=7))
    listed = api.as_user(people["annotator"]).get(URL).json()["results"]
    expected = json.loads(JSONRenderer().render(AnnotationSerializer(Annotation.objects.order_by("start"), many=True).data))
    assert listed == expected
    assert listed[0]["created_at"] == "2026-01-02T03:04:05Z" and listed[1]["created_at"] == "2026-01-02T03:04:05.000007Z"
