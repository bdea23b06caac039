"""Who may do what through the API: outsiders see nothing (404, never 403, so ids reveal
nothing), viewers read but never write, answer keys are for curators."""
from __future__ import annotations

import pytest

from tests.factories import AnnotationFactory, RelationFactory


@pytest.fixture
def world(project, document, paragraph, layers, people):
    """One object of every kind in the project."""
    claim = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=30, author=people["annotator"])
    evidence = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=32, end=80, label="evidence")
    key_span = AnnotationFactory(paragraph=paragraph, layer=layers["answer_key"], start=0, end=4)
    return {
        "project": project, "document": document, "paragraph": paragraph, "layer": layers["annotator"],
        "claim": claim, "evidence": evidence, "relation": RelationFactory(source=evidence, target=claim),
        "answer_key": layers["answer_key"], "key_span": key_span,
    }


def detail_urls(world):
    return {
        "project": f"/api/projects/{world['project'].slug}/",
        "document": f"/api/documents/{world['document'].pk}/",
        "workspace": f"/api/documents/{world['document'].pk}/workspace/",
        "paragraph": f"/api/paragraphs/{world['paragraph'].pk}/",
        "layer": f"/api/layers/{world['layer'].pk}/",
        "annotation": f"/api/annotations/{world['claim'].pk}/",
        "relation": f"/api/relations/{world['relation'].pk}/",
    }


WRITES = {
    "project": {"name": "Renamed"},
    "document": {"title": "Renamed"},
    "paragraph": {"kind": "heading"},
    "annotation": {"version": 1, "label": "evidence"},
    "relation": {"kind": "attacks"},
}


def creations(world):
    paragraph, claim, evidence = world["paragraph"], world["claim"], world["evidence"]
    return {
        "/api/annotations/": {"paragraph": paragraph.pk, "start": 0, "end": 4, "quote": "Cats", "label": "claim"},
        "/api/relations/": {"source": claim.pk, "target": evidence.pk, "kind": "attacks"},
        "/api/paragraphs/": {"document": world["document"].pk, "text": "More."},
        "/api/documents/": {"project": world["project"].slug, "text": "A new article.\n\nWith two paragraphs."},
        f"/api/projects/{world['project'].slug}/members/": {"username": "outsider", "role": "owner"},
    }


def test_outsider_gets_404_reading_every_object(api, people, world):
    """Every detail URL of the project answers 404 to a member of another project."""
    client = api.as_user(people["outsider"])
    for name, url in detail_urls(world).items():
        response = client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert "member" in response.json()["detail"], name


def test_outsider_gets_404_changing_every_object(api, people, world, stored):
    """PATCH and DELETE on every object answer 404 to an outsider; nothing changes."""
    client = api.as_user(people["outsider"])
    before = stored()
    for name, url in detail_urls(world).items():
        if name in WRITES:
            assert client.patch(url, WRITES[name], format="json").status_code == 404, name
        if name not in ("workspace", "layer"):
            assert client.delete(url).status_code == 404, name
    assert stored() == before


def test_outsider_gets_404_creating_inside_the_project(api, people, world, stored):
    """Creating a span, relation, paragraph, document or membership that points into the project is 404."""
    client = api.as_user(people["outsider"])
    before = stored()
    for url, body in creations(world).items():
        response = client.post(url, body, format="json")
        assert response.status_code == 404, (url, response.status_code, response.json())
    assert stored() == before


def test_outsider_lists_are_empty(api, people, world):
    """List endpoints show an outsider nothing of the project."""
    client = api.as_user(people["outsider"])
    for url in ("/api/documents/", "/api/paragraphs/", "/api/annotations/", "/api/relations/"):
        assert client.get(url).json()["count"] == 0, url
    assert world["project"].slug not in [p["slug"] for p in client.get("/api/projects/").json()["results"]]
    assert world["layer"].pk not in [layer["id"] for layer in client.get("/api/layers/").json()["results"]]


def test_viewer_reads_everything_but_the_answer_key(api, people, world):
    """A viewer reads the project, document, paragraphs, spans and relations; the answer key is 404."""
    client = api.as_user(people["viewer"])
    for name, url in detail_urls(world).items():
        assert client.get(url).status_code == 200, name
    assert client.get(f"/api/layers/{world['answer_key'].pk}/").status_code == 404
    assert client.get(f"/api/annotations/{world['key_span'].pk}/").status_code == 404
    assert world["key_span"].pk not in [row["id"] for row in client.get("/api/annotations/").json()["results"]]
    assert api.as_user(people["curator"]).get(f"/api/annotations/{world['key_span'].pk}/").status_code == 200


def test_viewer_cannot_write_anything(api, people, world, stored):
    """Every write a viewer tries is 403 with a message, and nothing is stored."""
    client = api.as_user(people["viewer"])
    before = stored()
    for name, url in detail_urls(world).items():
        if name in WRITES:
            response = client.patch(url, WRITES[name], format="json")
            assert response.status_code == 403 and response.json()["detail"], name
        if name not in ("workspace", "layer"):
            assert client.delete(url).status_code == 403, name
    for url, body in creations(world).items():
        response = client.post(url, body, format="json")
        # Nobody is added to a project by name, whatever their role (405, see api/members.py).
        expected = 405 if url.endswith("/members/") else 403
        assert response.status_code == expected, (url, response.status_code, response.json())
    assert stored() == before


def test_unauthenticated_requests_get_401(api, world):
    """Without a session or token every endpoint says 401 and how to authenticate."""
    for url in ("/api/projects/", "/api/annotations/", detail_urls(world)["document"]):
        response = api.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
