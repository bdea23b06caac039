"""Authentication (session for pages, token for scripts) and the OpenAPI schema and docs."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


def test_token_from_password_then_used(people, db):
    """POST /api/auth/token/ with username and password gives a token that authenticates scripts."""
    people["annotator"].set_password("correct horse battery")
    people["annotator"].save()
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "annotator", "password": "correct horse battery"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert [p["slug"] for p in client.get("/api/projects/").json()["results"]] == ["cats"]


def test_token_refused_for_wrong_password(people, db):
    """A wrong password gets 400 with a message, and no token."""
    response = APIClient().post("/api/auth/token/", {"username": "annotator", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "Unable to log in" in str(response.json())


def test_bad_token_is_401(db):
    """An unknown token is refused with 401 saying so."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/projects/")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_drf_create_token_command(people):
    """`manage.py drf_create_token <username>` prints a token that works for the API."""
    out = io.StringIO()
    call_command("drf_create_token", "viewer", stdout=out)
    token = out.getvalue().split()[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/projects/cats/").json()["my_role"] == "viewer"


def test_session_writes_need_csrf(people, paragraph):
    """A signed-in page (session) can write only with the CSRF token, as the workspace sends it."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["annotator"])
    body = {"paragraph": paragraph.pk, "start": 0, "end": 4, "quote": "Cats", "label": "claim"}
    refused = client.post("/api/annotations/", body, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    page = client.get(f"/d/{paragraph.document_id}/")
    assert page.status_code == 200
    csrf = client.cookies["csrftoken"].value
    accepted = client.post("/api/annotations/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


def test_schema_is_openapi_3_with_every_resource(people, api):
    """/api/schema/ serves an OpenAPI 3 document listing every resource."""
    response = api.as_user(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/projects/", "/api/documents/", "/api/documents/{id}/workspace/", "/api/paragraphs/",
                 "/api/annotations/{id}/", "/api/relations/", "/api/auth/token/"):
        assert path in schema["paths"], path
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert "drf_create_token" in schema["info"]["description"]
    params = {p["name"] for p in schema["paths"]["/api/annotations/"]["get"]["parameters"]}
    assert {"document", "layer", "label", "author", "limit", "offset"} <= params


def test_docs_page_uses_local_assets(people, api):
    """/api/docs/ is Swagger UI served from our static files, with no CDN."""
    response = api.as_user(people["viewer"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower() and "unpkg" not in html


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes: the schema is a usable contract."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/annotations/{id}/" in target.read_text()
