"""Every view reads ids, offsets and cursors through one parser: "²" and values past bigint are
a 400 with a message, a NUL character in the address is a 400, an id in the path that is not
one is a 404; never a 500, and nothing is stored. Under /api/ a parameter sent empty is a 400
naming it, flags are true or false, and what the schema allows is answered."""
from __future__ import annotations

import pytest

from tests.factories import AnnotationFactory

TOO_BIG = str(2**63)


def _query_urls(document, layers):
    d = document.pk
    return {
        "offset": f"/api/annotations/?offset={{}}",
        "limit": f"/api/relations/?limit={{}}",
        "since": f"/api/documents/{d}/changes/?since={{}}",
        "layer": f"/api/documents/{d}/workspace/?layer={{}}",
        "annotation": f"/api/documents/{d}/comments/?annotation={{}}",
        "layers": f"/api/documents/{d}/agreement/?layers={{}}",
        "first": f"/api/documents/{d}/compare/?first={{}}&second={layers['annotator'].pk}",
        "document": "/api/annotations/?document={}",
        "activity limit": f"/api/documents/{d}/activity/?limit={{}}",
    }


@pytest.mark.parametrize("bad", ["²", "٣", TOO_BIG])
def test_query_numbers_are_ascii_digits_within_bigint(api, people, document, layers, bad):
    """Each query parameter that names an id, offset or cursor answers 400 naming itself."""
    client = api.as_user(people["owner"])
    for name, url in _query_urls(document, layers).items():
        response = client.get(url.format(bad))
        assert response.status_code == 400, (name, response.status_code, response.content[:200])
        assert name.split()[-1] in response.json()["detail"], (name, response.json())


def test_past_bigint_the_message_names_the_limit(api, people, document):
    """The refusal says what the largest allowed value is."""
    response = api.as_user(people["owner"]).get(f"/api/documents/{document.pk}/changes/?since={TOO_BIG}")
    assert response.json()["detail"] == "since 9223372036854775808 is too large; the largest allowed is 9223372036854775807."


@pytest.mark.parametrize("field, value", [("paragraph", "²"), ("paragraph", 2**63), ("start", "٣"), ("end", TOO_BIG)])
def test_span_body_numbers_are_refused_before_the_database(api, people, paragraph, stored, field, value):
    """A span whose paragraph or offsets are not ASCII digits within bigint is a 400 and stores nothing."""
    before = stored()
    body = {"paragraph": paragraph.pk, "start": 0, "end": 4, "quote": paragraph.text[:4], "label": "claim"} | {field: value}
    response = api.as_user(people["annotator"]).post("/api/annotations/", body, format="json")
    detail = response.json()["detail"]
    # a JSON integer past 64 bits is already refused by the body parser (``json_input``), naming where
    assert response.status_code == 400 and (detail.startswith(field) or "outside the 64-bit range" in detail), detail
    assert stored() == before


def test_body_ids_in_serializers_are_ascii_within_bigint(api, people, document, paragraph, layers):
    """Ids in bodies checked by serializers (a comment's span, a pick) get the same refusal."""
    span = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4)
    client = api.as_user(people["curator"])
    for bad in ("²", 2**63):
        assert client.post("/api/comments/", {"annotation": bad, "body": "hi"}, format="json").status_code == 400
        response = client.post(f"/api/documents/{document.pk}/consensus/pick/", {"annotation": bad}, format="json")
        assert response.status_code == 400
    assert client.post("/api/comments/", {"annotation": span.pk, "body": "hi"}, format="json").status_code == 201


@pytest.mark.parametrize("url", ["/api/annotations/?author=a%00b", "/api/annotations/?label=a%00b", "/api/documents/?project=a%00b",
                                 "/api/projects/cats/members/a%00b/"])
def test_nul_in_the_address_is_a_400(api, people, project, url):
    """A NUL character in a filter or a path segment is refused with a message, before the database sees it."""
    response = api.as_user(people["owner"]).get(url)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_nul_in_a_page_address_is_a_400_page(client, people, project):
    """Pages refuse it too, with the error page."""
    client.force_login(people["owner"])
    response = client.get(f"/p/{project.slug}/agreement/?metric=a%00b")
    assert response.status_code == 400 and b"NUL" in response.content


@pytest.mark.parametrize("pk", ["²", "٣", TOO_BIG])
def test_path_ids_that_are_not_ids_are_404(api, people, pk):
    """/api/annotations/<not an id>/ names no span: 404 with a message, not a 500."""
    response = api.as_user(people["owner"]).patch(f"/api/annotations/{pk}/", {"version": 1, "label": "claim"}, format="json")
    assert response.status_code == 404 and "whole numbers" in response.json()["detail"]


@pytest.mark.parametrize("url", [
    "/api/documents/?offset=", "/api/mentions/?limit=", "/api/paragraphs/?document=", "/api/annotations/?layer=",
    "/api/documents/{d}/curation/?match=", "/api/documents/{d}/export/?format=&layer=own",
])
def test_an_empty_query_parameter_is_a_400_naming_it(api, people, document, url):
    """``?offset=`` is not ``offset`` left out: 400 "offset is empty ..." (DRF and django-filter took it as absent)."""
    response = api.as_user(people["owner"]).get(url.format(d=document.pk))
    name = url.split("?")[1].split("=")[0]
    assert response.status_code == 400, response.content[:200]
    assert response.json()["detail"] == f"{name} is empty: give it a value, or leave {name} out of the address."


def test_pages_still_read_an_empty_field_as_absent(client, people, document):
    """A page's GET form sends empty fields: the compare page with ?first=&second= is the plain page."""
    client.force_login(people["owner"])
    assert client.get(f"/d/{document.pk}/compare/?first=&second=").status_code == 200


@pytest.mark.parametrize("value", ["null", "1", "yes", "maybe"])
def test_background_is_true_or_false(api, people, project, value):
    """?background= takes true or false; anything else (null was read as "by size") is a 400 naming it."""
    response = api.as_user(people["owner"]).get(f"/api/projects/{project.slug}/export/?background={value}")
    assert response.status_code == 400 and response.json()["detail"].startswith("background must be true or false")


def test_a_layer_compared_with_itself_is_all_same(api, people, document, paragraph, layers):
    """compare?first=X&second=X answers (every span "same") instead of refusing what the schema allows."""
    AnnotationFactory(paragraph=paragraph, layer=layers["owner"], start=0, end=4)
    layer = layers["owner"].pk
    response = api.as_user(people["owner"]).get(f"/api/documents/{document.pk}/compare/?first={layer}&second={layer}")
    assert response.status_code == 200, response.json()
    statuses = {span["status"] for item in response.json()["paragraphs"] for span in item["first"]}
    assert statuses == {"same"}


@pytest.mark.parametrize("layer", ["²", TOO_BIG])
def test_an_export_layer_that_is_no_id_is_404(api, people, document, layer):
    """?layer=² or past bigint names no layer: 404 with the layers you may export (int("²") was a 500)."""
    response = api.as_user(people["owner"]).get(f"/api/documents/{document.pk}/export/?format=json&layer={layer}")
    assert response.status_code == 404 and "No layer" in response.json()["detail"]


def test_an_answer_key_from_an_empty_consensus_is_a_conflict(api, people, document, stored):
    """The request is right, the document's state is not: 409 (not 400), and nothing is stored."""
    before = stored()
    response = api.as_user(people["owner"]).post(f"/api/documents/{document.pk}/answer-key/from-consensus/")
    assert response.status_code == 409 and "consensus of this document is empty" in response.json()["detail"]
    assert stored() == before


def test_the_api_docs_page_gets_its_own_script(client, people):
    """Swagger UI asks for /api/docs/?script= (empty on purpose): a page, so not refused."""
    client.force_login(people["owner"])
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200 and b"SwaggerUIBundle" in response.content
