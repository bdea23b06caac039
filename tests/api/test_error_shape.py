"""Every 4xx under /api/ answers in the one error shape, ``{"detail": ...}``: django-filter's and
the token view's validation errors, and a refused CSRF check (which elsewhere keeps Django's page)."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_filter_validation_error_has_a_detail_naming_the_parameter(api, people, project):
    response = api.as_user(people["owner"]).get("/api/layers/", {"kind": "no-such-kind"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("kind: ") and "no-such-kind" in body["detail"]
    assert list(body["errors"]) == ["kind"]


def test_token_view_refusal_has_a_detail_without_field_jargon(api, people):
    response = api.post("/api/auth/token/", {"username": people["owner"].username, "password": "wrong"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Unable to log in with provided credentials."
    assert "non_field_errors" in body["errors"]


def test_csrf_failure_view_answers_json_under_api_and_the_page_elsewhere(settings, rf):
    from django.utils.module_loading import import_string

    view = import_string(settings.CSRF_FAILURE_VIEW)
    api_answer = view(rf.delete("/api/comments/1/"), reason="CSRF cookie not set.")
    assert api_answer.status_code == 403 and api_answer["Content-Type"] == "application/json"
    assert "X-CSRFToken" in json.loads(api_answer.content)["detail"]
    page_answer = view(rf.post("/accounts/logout/"), reason="CSRF cookie not set.")
    assert page_answer.status_code == 403 and page_answer["Content-Type"].startswith("text/html")


def test_members_post_is_not_offered(api, people, project):
    client = api.as_user(people["owner"])
    allow = client.options(f"/api/projects/{project.slug}/members/")["Allow"]
    assert "POST" not in allow and "GET" in allow
    assert client.post(f"/api/projects/{project.slug}/members/", {}, format="json").status_code == 405
