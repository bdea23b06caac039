"""Authentication (``api/authentication.py``): a session for pages, a token for scripts."""
from __future__ import annotations

import io

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
