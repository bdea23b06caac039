"""Request bodies take the types the schema says (``annotations.api.fields``): a number is not
text, 0 and "yes" are not true or false, false is not a number, and in a form a field sent
empty is empty, not absent. Each refusal is a 400 naming the field, and nothing is stored."""
from __future__ import annotations

import pytest

from tests.factories import SuggestionFactory


def test_a_number_is_not_a_title(api, people, document):
    """PATCH a document with ``{"title": 0}``: 400 on title, the title unchanged."""
    response = api.as_user(people["owner"]).patch(f"/api/documents/{document.pk}/", {"title": 0}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("title: Not a valid string"), response.json()
    document.refresh_from_db()
    assert document.title != "0"


@pytest.mark.parametrize("value", ["0", "1", "yes", "on", ""])
def test_a_flag_in_a_form_is_true_or_false(api, people, document, stored, value):
    """A form's replace must be "true" or "false" (DRF read "0", "yes", "on" as flags, and "" as absent); nothing is merged."""
    before = stored()
    response = api.as_user(people["owner"]).post(
        f"/api/documents/{document.pk}/consensus/merge/", {"replace": value}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("replace"), response.json()
    assert stored() == before


@pytest.mark.parametrize("value", [0, 1, "0", "yes"])
def test_a_flag_in_json_is_true_or_false(api, people, value):
    """JSON show_suggestions must be true or false; the preference is not changed."""
    client = api.as_user(people["annotator"])
    before = client.get("/api/me/preferences/").json()
    response = client.patch("/api/me/preferences/", {"show_suggestions": value}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("show_suggestions"), response.json()
    assert client.get("/api/me/preferences/").json() == before


def test_a_flag_is_true_or_false_in_json_and_forms(api, people):
    """JSON true/false and a form's "true"/"false" are read as flags."""
    client = api.as_user(people["annotator"])
    assert client.patch("/api/me/preferences/", {"show_suggestions": False}, format="json").json()["show_suggestions"] is False
    assert client.patch("/api/me/preferences/", {"show_suggestions": True}, format="json").json()["show_suggestions"] is True


def test_preferences_take_json_only(api, people):
    """A form cannot say null (suggestion_threshold: null), so the preferences take JSON: a form is 415."""
    response = api.as_user(people["annotator"]).patch("/api/me/preferences/", {"show_suggestions": "false"}, format="multipart")
    assert response.status_code == 415


def test_false_is_not_a_score(api, people, document, paragraph, stored):
    """accept-above with ``{"min_score": false}`` is a 400 (DRF read it as 0: accept everything), nothing accepted."""
    SuggestionFactory(paragraph=paragraph, start=0, end=4, label="claim", score=0.9)
    before = stored()
    response = api.as_user(people["owner"]).post(
        f"/api/documents/{document.pk}/suggestions/accept-above/", {"min_score": False}, format="json"
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("min_score"), response.json()
    assert stored() == before


def test_a_name_sent_empty_in_a_form_is_refused(api, people, project):
    """PATCH a project with a form whose name is empty: 400 (DRF took it as absent and answered 200)."""
    response = api.as_user(people["owner"]).patch(f"/api/projects/{project.slug}/", {"name": ""}, format="multipart")
    assert response.status_code == 400 and response.json()["detail"].startswith("name"), response.json()
    project.refresh_from_db()
    assert project.name


def test_an_empty_label_list_is_refused_by_the_serializer(api, people, project):
    """labels: [] on PATCH is refused with the service's words (the schema says minItems 1)."""
    response = api.as_user(people["owner"]).patch(f"/api/projects/{project.slug}/", {"labels": []}, format="json")
    assert response.status_code == 400 and "at least one label" in response.json()["detail"]


@pytest.mark.parametrize("max_uses", [0, 501])
def test_invitation_bounds_are_the_serializers(api, people, project, max_uses):
    """max_uses outside 1..500 is refused with the bound, as the schema's minimum and maximum say."""
    response = api.as_user(people["owner"]).post(
        f"/api/projects/{project.slug}/invitations/", {"max_uses": max_uses}, format="json"
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("max_uses"), response.json()
