"""The classroom permission matrix: every exercise endpoint and page, tried by anonymous, the
teacher, a student who has submitted (ann), a classmate still working (bob), a removed
student (dee) and a student of another class (cy), each cell asserted. Then the leak the
issue names: classmates' layers, the consensus and the key stay out of a student's reach
(pages, API, exports, the changes feed) until the teacher allows it, and appear after.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.fixtures.classroom import tag
from tests.permissions.matrix import Cell, cases, fill

ROLES = ("anonymous", "teacher", "student", "classmate", "removed", "stranger")
SECRET = "Dogs protect homes"  # words of the class's article: never shown to an outsider


def expect(default, *, anonymous=None, **overrides):
    table = {"teacher": default, "student": default, "classmate": default, "removed": 404, "stranger": 404,
             "anonymous": anonymous}
    table.update(overrides)
    return table


def teacher_only(code, refused=403):
    return expect(refused, teacher=code)


API_CELLS = [
    Cell("exercises of the class", "get", "/api/exercises/?project={slug}", expect(200)),
    Cell("my exercises", "get", "/api/exercises/", expect(200, removed=200, stranger=200)),
    Cell("create exercise", "post", "/api/exercises/", teacher_only(201),
         {"project": "{slug}", "title": "Another", "documents": ["{document}"]}),
    Cell("exercise", "get", "/api/exercises/{exercise}/", expect(200)),
    Cell("change exercise", "patch", "/api/exercises/{exercise}/", teacher_only(200), {"title": "Renamed"}),
    Cell("delete exercise", "delete", "/api/exercises/{exercise2}/", teacher_only(204)),
    Cell("release", "post", "/api/exercises/{exercise}/release/", teacher_only(200)),
    Cell("submissions", "get", "/api/exercises/{exercise}/submissions/", expect(200)),
    Cell("start attempt", "post", "/api/exercises/{exercise}/submissions/", expect(201, teacher=403)),
    Cell("next attempt", "post", "/api/exercises/{exercise}/attempts/", expect(409, teacher=403)),
    Cell("dashboard", "get", "/api/exercises/{exercise}/dashboard/", teacher_only(200)),
    Cell("grades", "get", "/api/exercises/{exercise}/grades/", teacher_only(200)),
    Cell("export key", "get", "/api/exercises/{exercise}/export/?document={document}&layer=key&format=json", teacher_only(200, 404)),
    Cell("export a submission", "get", "/api/exercises/{exercise}/export/?document={document}&layer={sub_a}&format=aif",
         expect(200, classmate=404)),
    Cell("submission", "get", "/api/submissions/{sub_a}/", expect(200, classmate=404)),
    Cell("submit", "post", "/api/submissions/{sub_b}/submit/", expect(200, teacher=403, student=404)),
    Cell("reopen", "post", "/api/submissions/{sub_a}/reopen/", expect(403, teacher=200, classmate=404)),
    Cell("override", "post", "/api/submissions/{sub_a}/override/", expect(403, teacher=200, classmate=404),
         {"score": 75, "comment": "Fine"}),
    Cell("feedback", "get", "/api/submissions/{sub_a}/feedback/", expect(200, classmate=404)),
    Cell("join", "post", "/api/join/", expect(200, removed=200, stranger=200), {"code": "{code}"}),
]

PAGE_CELLS = [
    Cell("join page", "get", "/join/", expect(200, anonymous=200, removed=200, stranger=200)),
    Cell("join link", "get", "/join/{code}/", expect(200, anonymous=200, removed=200, stranger=200)),
    Cell("my exercises page", "get", "/exercises/", expect(200, removed=200, stranger=200)),
    Cell("class page", "get", "/p/{slug}/class/", teacher_only(200)),
    Cell("new exercise", "post", "/p/{slug}/class/", teacher_only(302),
         {"title": "Another", "documents": "{document}", "labels": "claim"}),
    Cell("join code", "post", "/p/{slug}/class/join-code/", teacher_only(302), {"action": "rotate"}),
    Cell("student password", "post", "/p/{slug}/class/students/{classmate}/", teacher_only(302),
         {"action": "password", "password": "a-new-pass-phrase"}),
    Cell("exercise page", "get", "/e/{exercise}/", expect(200)),
    Cell("exercise workspace", "get", "/e/{exercise}/d/{document}/", expect(200)),
    Cell("submit page", "post", "/e/{exercise}/submit/", expect(302, teacher=403, student=409), {"confirm": "yes"}),
    Cell("submit page, asked first", "post", "/e/{exercise}/submit/", expect(200, teacher=403, student=409)),
    Cell("attempt page", "post", "/e/{exercise}/attempt/", expect(409, teacher=403)),
    Cell("settings", "post", "/e/{exercise}/settings/", teacher_only(302), {"title": "Renamed", "labels": "claim"}),
    Cell("key", "post", "/e/{exercise}/key/", teacher_only(302), {"action": "copy", "layer": "{consensus}"}),
    Cell("release page", "post", "/e/{exercise}/release/", teacher_only(302)),
    Cell("duplicate", "post", "/e/{exercise}/duplicate/", teacher_only(302), {"project": "class-b"}),
    Cell("dashboard page", "get", "/e/{exercise}/dashboard/", teacher_only(200)),
    Cell("grades csv", "get", "/e/{exercise}/grades.csv", teacher_only(200)),
    Cell("submission review", "get", "/e/{exercise}/submissions/{sub_a}/", teacher_only(200)),
]


@pytest.fixture
def world(classroom):
    """ann submitted (feedback on release), bob working, dee removed after starting, a consensus, an open code."""
    from annotations.models import Layer, Role
    from annotations import services as ex
    from annotations.services import classes
    from annotations.services.layers import layer_get_or_create_shared
    from tests.factories import MembershipFactory, UserFactory

    c = classroom
    ex.exercise_update(exercise=c.exercise, user=c.teacher, feedback_mode="release")
    removed = MembershipFactory(project=c.project, user=UserFactory(username="dee"), role=Role.ANNOTATOR).user
    sub_a = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, sub_a.layer, c.student, 0, 31, "claim")
    ex.submission_submit(submission=sub_a, user=c.student)
    sub_b = ex.submission_start(exercise=c.exercise, user=c.student_b)
    span_b = tag(c.paragraph, sub_b.layer, c.student_b, 32, 80, "evidence")
    ex.submission_start(exercise=c.exercise, user=removed)
    classes.class_student_remove(project=c.project, user=c.teacher, student=removed)
    consensus = layer_get_or_create_shared(project=c.project, kind=Layer.Kind.CONSENSUS)
    tag(c.paragraph, consensus, c.teacher, 81, 100, "counterclaim")
    exercise2 = ex.exercise_create(project=c.project, user=c.teacher, title="Spare", document_ids=[c.document.pk])
    code = classes.join_code_open(project=c.project, user=c.teacher)
    for user in (c.teacher, c.student, c.student_b, removed, c.stranger):
        user.__dict__.pop("_argmap_roles", None)  # as in a new request: roles are read again
    people = {"teacher": c.teacher, "student": c.student, "classmate": c.student_b, "removed": removed, "stranger": c.stranger}
    ids = {"slug": c.project.slug, "document": c.document.pk, "exercise": c.exercise.pk, "exercise2": exercise2.pk,
           "sub_a": sub_a.pk, "sub_b": sub_b.pk, "code": code.code, "classmate": "bob", "consensus": consensus.pk,
           "layer_b": sub_b.layer_id, "layer_a": sub_a.layer_id, "key": c.key.pk, "span_b": span_b.pk}
    return type("World", (), {"c": c, "people": people, "ids": ids, "sub_a": sub_a, "sub_b": sub_b, "consensus": consensus})


@pytest.mark.django_db
@pytest.mark.parametrize("cell, role", cases(API_CELLS, ROLES))
def test_classroom_api_matrix(cell, role, world, api):
    """Each exercise endpoint answers each classroom role as the rules say."""
    client = api if role == "anonymous" else api.as_user(world.people[role])
    url = cell.url.format(**world.ids)
    body = {key: fill(value, world.ids) for key, value in cell.body.items()}
    response = client.get(url) if cell.method == "get" else getattr(client, cell.method)(url, body, format="json")
    expected = cell.expected[role] if cell.expected[role] is not None else 401
    assert response.status_code == expected, response.content[:300]
    if role in ("anonymous", "stranger", "removed") and response.status_code >= 400:
        assert SECRET not in response.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("cell, role", cases(PAGE_CELLS, ROLES))
def test_classroom_page_matrix(cell, role, world, client):
    """Each classroom page answers each role as the rules say."""
    if role != "anonymous":
        client.force_login(world.people[role])
    url = cell.url.format(**world.ids)
    body = {key: fill(value, world.ids) for key, value in cell.body.items()}
    response = client.get(url) if cell.method == "get" else client.post(url, body)
    expected = cell.expected[role] if cell.expected[role] is not None else 302
    assert response.status_code == expected, response.content[:300]
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/accounts/login/")
    if role in ("anonymous", "stranger", "removed"):
        assert SECRET not in response.content.decode(errors="replace")


CLASSROOM_URLS = [cell.url for cell in API_CELLS + PAGE_CELLS]


# ── the leak ───────────────────────────────────────────────────────────────────────────

def _layer_ids(response):
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}


def test_a_student_cannot_reach_classmates_consensus_or_key(world, api, client):
    """Before the teacher allows it: not listed, not readable, not exportable, not in the feed, not on the page."""
    ids, bob = world.ids, world.people["classmate"]
    api.as_user(bob)
    listed = _layer_ids(api.get(f"/api/layers/?project={ids['slug']}"))
    assert listed == {ids["layer_b"]}
    spans = api.get(f"/api/annotations/?document={ids['document']}").json()
    assert {row["layer"] for row in spans["results"]} == {ids["layer_b"]}
    for layer in ("layer_a", "consensus", "key"):
        assert api.get(f"/api/documents/{ids['document']}/layers/{ids[layer]}/").status_code == 404
        assert api.get(f"/api/documents/{ids['document']}/export/?layer={ids[layer]}&format=json").status_code == 404
        assert api.get(f"/api/documents/{ids['document']}/workspace/?layer={ids[layer]}").status_code == 404
        assert api.get(f"/api/annotations/?layer={ids[layer]}").json()["results"] == []
    assert api.get(f"/api/documents/{ids['document']}/export/?layer=consensus&format=json").status_code == 404
    assert api.get(f"/api/documents/{ids['document']}/agreement/?layers={ids['layer_a']},{ids['layer_b']}").status_code == 404
    feed = api.get(f"/api/documents/{ids['document']}/changes/?since=0").json()
    assert {event["layer"] for event in feed["events"]} <= {ids["layer_b"], None}
    assert feed["cursor"] > 0
    client.force_login(bob)
    page = client.get(f"/e/{ids['exercise']}/d/{ids['document']}/")
    layers = {layer["id"] for layer in page.context["page_data"]["layers"]}
    assert layers == {ids["layer_b"]}
    document_page = client.get(f"/d/{ids['document']}/")
    assert {layer["id"] for layer in document_page.context["page_data"]["layers"]} == {ids["layer_b"]}


def test_the_teacher_sees_everything(world, api):
    """The teacher lists every student's work, the consensus and the key."""
    api.as_user(world.people["teacher"])
    listed = _layer_ids(api.get(f"/api/layers/?project={world.ids['slug']}&limit=100"))
    assert {world.ids["layer_a"], world.ids["layer_b"], world.ids["consensus"], world.ids["key"]} <= listed


def test_key_and_feedback_open_on_release(world, api):
    """Feedback mode release: ann's score and detail and the key stay hidden until the teacher releases."""
    from annotations import services as ex

    ids, ann = world.ids, world.people["student"]
    api.as_user(ann)
    before = api.get(f"/api/submissions/{ids['sub_a']}/feedback/").json()
    assert before["visible"] is None and "spans" not in before and "score" not in before
    assert api.get(f"/api/submissions/{ids['sub_a']}/").json()["score"] is None
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 404
    ex.exercise_release(exercise=world.c.exercise, user=world.people["teacher"])
    after = api.get(f"/api/submissions/{ids['sub_a']}/feedback/").json()
    assert after["visible"] == "detail" and after["score"] is not None
    assert any(item["note"] == "Dogs protecting homes speaks for dogs." for item in after["spans"])
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 200
    assert api.get(f"/api/exercises/{ids['exercise']}/export/?document={ids['document']}&layer=key&format=json").status_code == 200


def test_immediate_feedback_opens_the_key_to_those_who_submitted(world, api):
    """Feedback mode immediate: ann (submitted) reads the key, bob (working) does not."""
    from annotations import services as ex

    ex.exercise_update(exercise=world.c.exercise, user=world.people["teacher"], feedback_mode="immediate")
    ids = world.ids
    assert api.as_user(world.people["student"]).get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 200
    assert api.as_user(world.people["classmate"]).get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 404
    feedback = api.as_user(world.people["student"]).get(f"/api/submissions/{ids['sub_a']}/feedback/").json()
    assert feedback["visible"] == "detail"


def test_score_only_mode_shows_the_score_not_the_detail(world, api):
    """Feedback mode score: the score, no per-span detail, no key."""
    from annotations import services as ex

    ex.exercise_update(exercise=world.c.exercise, user=world.people["teacher"], feedback_mode="score")
    ids = world.ids
    api.as_user(world.people["student"])
    feedback = api.get(f"/api/submissions/{ids['sub_a']}/feedback/").json()
    assert feedback["visible"] == "score" and feedback["score"] is not None and "spans" not in feedback
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 404


def test_classmates_maps_after_the_due_date_when_allowed(world, api):
    """classmates_visible named: bob's map becomes readable by ann once the due date has passed, not before."""
    from annotations import services as ex

    ids = world.ids
    ex.exercise_update(exercise=world.c.exercise, user=world.people["teacher"], classmates_visible="named",
                       due_at=timezone.now() + timedelta(days=1))
    api.as_user(world.people["student"])
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['layer_b']}/").status_code == 404
    ex.exercise_update(exercise=world.c.exercise, user=world.people["teacher"], due_at=timezone.now() - timedelta(minutes=1))
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['layer_b']}/").status_code == 200


def test_sharing_the_consensus_with_the_class(world, api):
    """class_layers_shared: the consensus (and classmates' personal layers) become readable by students."""
    from annotations.models import Project

    ids = world.ids
    api.as_user(world.people["classmate"])
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['consensus']}/").status_code == 404
    Project.objects.filter(pk=world.c.project.pk).update(class_layers_shared=True)
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['consensus']}/").status_code == 200
    assert api.get(f"/api/documents/{ids['document']}/layers/{ids['key']}/").status_code == 404


def test_a_student_cannot_write_a_classmates_work(world, api):
    """Spans of bob's work: 404 for ann (she cannot know they exist); bob's own submitted work: 409."""
    ids = world.ids
    api.as_user(world.people["student"])
    assert api.patch(f"/api/annotations/{ids['span_b']}/", {"label": "claim", "version": 1}, format="json").status_code == 404
    response = api.post("/api/annotations/", {"paragraph": world.c.paragraph.pk, "start": 81, "end": 100, "label": "claim",
                                              "quote": world.c.paragraph.text[81:100], "layer": ids["layer_a"]}, format="json")
    assert response.status_code == 409 and "read-only" in response.json()["detail"]
    response = api.post("/api/annotations/", {"paragraph": world.c.paragraph.pk, "start": 81, "end": 100, "label": "claim",
                                              "quote": world.c.paragraph.text[81:100], "layer": ids["layer_b"]}, format="json")
    assert response.status_code == 404
