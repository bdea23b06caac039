"""Classmates' maps after the due date, anonymised: a student reads a classmate's spans,
relations, comments and changes, and exports them, with the classmate shown as "Classmate N"
and the username nowhere in the page HTML, the API's JSON or the exported file; before the
due date none of it is there; with named sharing, and for the teacher, the names are.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.fixtures.classroom import tag


@pytest.fixture
def lesson(classroom):
    """ann and bob each map the pets article; bob links his spans and comments on one."""
    from annotations import services
    from annotations import services as ex

    c = classroom
    ex.exercise_update(exercise=c.exercise, user=c.teacher, classmates_visible="anonymous",
                       due_at=timezone.now() + timedelta(days=1))
    sub_a = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, sub_a.layer, c.student, 0, 31, "claim")
    sub_b = ex.submission_start(exercise=c.exercise, user=c.student_b)
    claim = tag(c.paragraph, sub_b.layer, c.student_b, 0, 31, "claim")
    evidence = tag(c.paragraph, sub_b.layer, c.student_b, 32, 80, "evidence")
    services.relation_create(source=evidence, target=claim, kind="supports", user=c.student_b)
    services.comment_create(annotation=evidence, user=c.student_b, body="The survey is the evidence.")
    ex.submission_submit(submission=sub_b, user=c.student_b)
    return type("Lesson", (), {"c": c, "sub_a": sub_a, "sub_b": sub_b, "layer_b": sub_b.layer_id, "evidence": evidence})


def _past_due(lesson, sharing="anonymous"):
    from annotations import services as ex

    ex.exercise_update(exercise=lesson.c.exercise, user=lesson.c.teacher, classmates_visible=sharing,
                       due_at=timezone.now() - timedelta(minutes=1))
    for user in (lesson.c.teacher, lesson.c.student, lesson.c.student_b):
        user.__dict__.pop("_argmap_roles", None)  # as in a new request


def _student_reads(lesson, api, client, user) -> dict[str, str]:
    """Every place a student can read a classmate's work: name -> response text."""
    c, layer_b = lesson.c, lesson.layer_b
    doc = c.document.pk
    api.as_user(user)
    urls = {
        "layers": f"/api/documents/{doc}/layers/",
        "layer spans": f"/api/documents/{doc}/layers/{layer_b}/",
        "layer list": f"/api/layers/?project={c.project.slug}",
        "layer": f"/api/layers/{layer_b}/",
        "annotations": f"/api/annotations/?document={doc}",
        "annotation": f"/api/annotations/{lesson.evidence.pk}/",
        "relations": f"/api/relations/?document={doc}",
        "changes": f"/api/documents/{doc}/changes/?since=0",
        "activity": f"/api/documents/{doc}/activity/",
        "comments": f"/api/documents/{doc}/comments/",
        "workspace": f"/api/documents/{doc}/workspace/?layer={layer_b}",
        "export json": f"/api/documents/{doc}/export/?layer={layer_b}&format=json",
        "export aif": f"/api/documents/{doc}/export/?layer={layer_b}&format=aif",
        "export csv": f"/api/documents/{doc}/export/?layer={layer_b}&format=csv",
    }
    texts = {}
    for name, url in urls.items():
        response = api.get(url)
        texts[name] = (response.status_code, response.content.decode())
    client.force_login(user)
    for name, url in {"document page": f"/d/{doc}/", "exercise page": f"/e/{c.exercise.pk}/d/{doc}/",
                      "activity page": f"/d/{doc}/activity/",
                      "compare page": f"/d/{doc}/compare/?first={lesson.sub_a.layer_id}&second={layer_b}",
                      "agreement page": f"/d/{doc}/agreement/?layers={lesson.sub_a.layer_id},{layer_b}",
                      "agreement": f"/api/documents/{doc}/agreement/?layers={lesson.sub_a.layer_id},{layer_b}",
                      "page export": f"/d/{doc}/export/?layer={layer_b}&format=argdown"}.items():
        response = client.get(url)
        texts[name] = (response.status_code, response.content.decode())
    return texts


def test_before_the_due_date_a_student_sees_nothing_of_classmates(lesson, api, client):
    texts = _student_reads(lesson, api, client, lesson.c.student)
    for name in ("layer spans", "layer", "workspace", "export json", "annotation"):
        assert texts[name][0] == 404, name
    assert str(lesson.layer_b) not in {str(row["id"]) for row in api.get(f"/api/documents/{lesson.c.document.pk}/layers/").json()["layers"]}
    assert api.get(f"/api/annotations/?layer={lesson.layer_b}").json()["results"] == []
    for name, (status, text) in texts.items():
        assert "bob" not in text and "The survey is the evidence" not in text, name


def test_after_the_due_date_anonymous_sharing_shows_the_map_under_a_pseudonym(lesson, api, client):
    from annotations.models import Annotation, Layer

    _past_due(lesson)
    # What is stored keeps the names: the masking is on the read path only.
    assert Layer.objects.get(pk=lesson.layer_b).name.startswith("bob")
    assert set(Annotation.objects.filter(layer_id=lesson.layer_b).values_list("author__username", flat=True)) == {"bob"}

    texts = _student_reads(lesson, api, client, lesson.c.student)
    for name, (status, text) in texts.items():
        assert status == 200, (name, status, text[:300])
        assert "bob" not in text.lower(), name
    api.as_user(lesson.c.student)
    doc = lesson.c.document.pk
    layers = {row["id"]: row for row in api.get(f"/api/documents/{doc}/layers/").json()["layers"]}
    bob_layer = layers[lesson.layer_b]
    assert bob_layer["owner"] == "Classmate 2" and bob_layer["name"].startswith("Classmate 2 · ")
    assert layers[lesson.sub_a.layer_id]["owner"] == "ann"  # her own work keeps her name
    spans = api.get(f"/api/documents/{doc}/layers/{lesson.layer_b}/").json()
    assert {span["quote"] for span in spans["annotations"]} == {lesson.c.paragraph.text[0:31], lesson.c.paragraph.text[32:80]}
    assert {span["author"] for span in spans["annotations"]} == {"Classmate 2"}
    listed = [row for row in api.get(f"/api/annotations/?document={doc}").json()["results"] if row["layer"] == lesson.layer_b]
    assert len(listed) == 2 and {row["author"] for row in listed} == {"Classmate 2"}
    relations = [row for row in api.get(f"/api/relations/?document={doc}").json()["results"] if row["layer"] == lesson.layer_b]
    assert [row["author"] for row in relations] == ["Classmate 2"]
    feed = [event for event in api.get(f"/api/documents/{doc}/changes/?since=0").json()["events"] if event["layer"] == lesson.layer_b]
    assert feed and {event["actor"] for event in feed} == {"Classmate 2"}
    assert api.get(f"/api/annotations/?document={doc}&author=bob").json()["results"] == []  # a guessed name tells nothing
    comments = api.get(f"/api/documents/{doc}/comments/").json()["comments"]
    assert [comment["author"] for comment in comments if comment["annotation"] == lesson.evidence.pk] == ["Classmate 2"]
    exported = api.get(f"/api/documents/{doc}/export/?layer={lesson.layer_b}&format=json").content.decode()
    assert "Classmate 2" in exported and "The survey" not in exported
    page = client.get(f"/d/{doc}/")
    assert {layer["name"] for layer in page.context["page_data"]["layers"] if layer["id"] == lesson.layer_b} == {bob_layer["name"]}


def test_pseudonyms_are_stable_per_exercise(lesson, api):
    """The same numbers for every reader: ann (who started first) is Classmate 1 to bob."""
    _past_due(lesson)
    doc = lesson.c.document.pk
    as_bob = {row["id"]: row for row in api.as_user(lesson.c.student_b).get(f"/api/documents/{doc}/layers/").json()["layers"]}
    assert as_bob[lesson.sub_a.layer_id]["owner"] == "Classmate 1"
    assert as_bob[lesson.layer_b]["owner"] == "bob"
    again = {row["id"]: row for row in api.as_user(lesson.c.student).get(f"/api/documents/{doc}/layers/").json()["layers"]}
    assert again[lesson.layer_b]["owner"] == "Classmate 2"


def test_named_sharing_shows_names(lesson, api, client):
    _past_due(lesson, "named")
    texts = _student_reads(lesson, api, client, lesson.c.student)
    for name in ("layers", "layer spans", "annotations", "changes"):
        assert texts[name][0] == 200 and "bob" in texts[name][1], name
    assert "Classmate" not in texts["layers"][1]


def test_the_teacher_sees_names(lesson, api, client):
    _past_due(lesson)
    texts = _student_reads(lesson, api, client, lesson.c.teacher)
    for name in ("layers", "layer spans", "annotations", "relations", "changes", "comments", "export json"):
        assert texts[name][0] == 200 and "bob" in texts[name][1], name
        assert "Classmate" not in texts[name][1], name


def _activity_page(client, user, doc):
    import re

    client.force_login(user)
    page = client.get(f"/d/{doc}/activity/").content.decode()
    events = re.findall(r'<li data-event="(\d+)">(.*?)</li>', page, re.S)
    threads = re.findall(r'<article class="thread" id="thread-(\d+)"', page)
    return page, {int(pk): re.sub(r"<[^>]+>", "", text) for pk, text in events}, [int(pk) for pk in threads]


def test_the_activity_page_shows_classmates_as_the_exercise_allows(lesson, api, client):
    """Before the due date a student's activity page has nothing of a classmate; after it, an
    anonymised exercise shows their changes and comments as "Classmate 2" (as the API's
    activity list and the live feed do), a named one with the name; the teacher sees names."""
    c, doc = lesson.c, lesson.c.document.pk
    page, events, threads = _activity_page(client, c.student, doc)
    assert "bob" not in page and "The survey is the evidence" not in page and threads == []
    own = {row["id"] for row in api.as_user(c.student).get(f"/api/documents/{doc}/activity/").json()["events"]}
    assert set(events) == own and own  # her own changes, the same rows as the API's list

    _past_due(lesson)
    page, events, threads = _activity_page(client, c.student, doc)
    listed = api.as_user(c.student).get(f"/api/documents/{doc}/activity/").json()["events"]
    assert set(events) == {row["id"] for row in listed}
    bobs = [row["id"] for row in listed if row["layer"] == lesson.layer_b]
    assert bobs and all(events[pk].split("\n")[0] and "Classmate 2" in events[pk] for pk in bobs)
    assert threads == [lesson.evidence.pk] and "The survey is the evidence." in page
    assert "bob" not in page.lower()

    _past_due(lesson, "named")
    page, events, threads = _activity_page(client, c.student, doc)
    assert threads == [lesson.evidence.pk] and all("bob" in events[pk] for pk in bobs) and "Classmate" not in page

    _past_due(lesson)
    page, events, _ = _activity_page(client, c.teacher, doc)
    assert all("bob" in events[pk] for pk in bobs) and "Classmate" not in page
