"""The issue's "done when", without a browser: three people map the sample article, follow
each other's changes through the feed, read their agreement, and a curator builds a
consensus that reads back as an argument map like any layer."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Layer, Role
from annotations.selectors import argument_map_get
from tests.factories import UserFactory
from tests.paths import SAMPLE_ARTICLE

pytestmark = pytest.mark.django_db

ARTICLE = SAMPLE_ARTICLE

CLAIM = "Russo-Chinese bilateral cooperation has risen to an unprecedented level"
EVIDENCE = "In 1996, a “Russo-Chinese strategic partnership” was formed"
OTHER = "The two countries seem to have numerous reasons to like each other"


def find(document, text):
    for paragraph in document.paragraphs.order_by("position"):
        start = paragraph.text.find(text)
        if start >= 0 and paragraph.kind == "body":
            return paragraph, start, start + len(text)
    raise AssertionError(f"{text!r} not in the article")


def test_three_people_map_the_sample_article(api):
    """Invite two students, tag, see changes in the feed, measure agreement, merge at half, read the consensus."""
    teacher = UserFactory(username="teacher")
    project = services.project_create(name="Sample", slug="sample", creator=teacher)
    document = services.document_import(project=project, user=teacher, data=ARTICLE.read_bytes(), filename=ARTICLE.name)
    students = []
    for name in ("student1", "student2"):
        invitation = services.invitation_create(project=project, by=teacher, role=Role.ANNOTATOR)
        student = UserFactory(username=name)
        services.invitation_accept(token=invitation.token, user=student)
        students.append(student)
    cursor = api.as_user(students[0]).get(f"/api/documents/{document.pk}/changes/").json()["cursor"]

    def tag(user, text, label):
        paragraph, start, end = find(document, text)
        response = api.as_user(user).post("/api/annotations/", {
            "paragraph": paragraph.pk, "start": start, "end": end, "quote": text, "label": label,
        }, format="json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    claims = {user.username: tag(user, CLAIM, "claim") for user in (teacher, *students)}
    evidence = {user.username: tag(user, EVIDENCE, "evidence") for user in (teacher, students[0])}
    tag(students[1], EVIDENCE, "counterclaim")
    tag(students[1], OTHER, "claim")
    for username, span in evidence.items():
        user = teacher if username == "teacher" else students[0]
        api.as_user(user).post("/api/relations/", {"source": span, "target": claims[username], "kind": "supports"}, format="json")

    seen = api.as_user(students[0]).get(f"/api/documents/{document.pk}/changes/?since={cursor}").json()["events"]
    assert sum(1 for e in seen if e["kind"] == "annotation" and e["actor"] == "student2") == 3

    agreement = api.as_user(students[1]).get(f"/api/documents/{document.pk}/agreement/").json()
    assert agreement["layers"] == ["student1", "student2", "teacher"]
    f1 = agreement["matrices"]["span_exact.f1"]
    assert f1[0][2] == pytest.approx(1.0) and f1[0][1] == pytest.approx(0.4)

    merged = api.as_user(teacher).post(f"/api/documents/{document.pk}/consensus/merge/", {"share": "0.5"}, format="json").json()
    assert (merged["spans_added"], merged["relations_added"]) == (2, 1)
    consensus = argument_map_get(document=document, layer=Layer.objects.get(project=project, kind="consensus"))
    assert consensus.layer_kind == "consensus"
    assert sorted((s.label, s.quote) for s in consensus.spans) == [("claim", CLAIM), ("evidence", EVIDENCE)]
    assert [r.kind for r in consensus.relations] == ["supports"]
