"""The changes feed: a cursor over span, relation and comment writes, deletions included,
answer-key changes hidden from non-curators, and a fixed number of queries."""
from __future__ import annotations

import pytest

from annotations import services
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

pytestmark = pytest.mark.django_db


def feed(api, user, document, since=None):
    url = f"/api/documents/{document.pk}/changes/" + ("" if since is None else f"?since={since}")
    response = api.as_user(user).get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_without_cursor_returns_current_cursor_only(api, people, document, paragraph, layers):
    """A first call gives where to start, and no history."""
    tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    body = feed(api, people["viewer"], document)
    assert body["events"] == [] and body["cursor"] > 0


def test_feed_lists_creates_updates_deletes_in_order(api, people, document, paragraph, layers):
    """Another person's create, update, relation, comment and delete arrive in order with their data."""
    start = feed(api, people["annotator_b"], document)["cursor"]
    span = tag(paragraph, layers["annotator"], people["annotator"], "Cats are better pets than dogs.")
    other = tag(paragraph, layers["annotator"], people["annotator"], "They need less care", label="evidence")
    services.annotation_update(annotation=span, user=people["annotator"], version=1, label="counterclaim")
    relation = services.relation_create(source=other, target=span, kind="supports", user=people["annotator"])
    comment = services.comment_create(annotation=span, user=people["annotator_b"], body="hm @annotator")
    span_id, relation_id = span.pk, relation.pk
    services.annotation_delete(annotation=span, user=people["annotator"])
    body = feed(api, people["annotator_b"], document, since=start)
    seen = [(e["kind"], e["action"], e["object_id"]) for e in body["events"]]
    assert seen == [
        ("annotation", "created", span_id),
        ("annotation", "created", other.pk),
        ("annotation", "updated", span_id),
        ("relation", "created", relation_id),
        ("comment", "created", comment.pk),
        ("relation", "deleted", relation_id),
        ("annotation", "deleted", span_id),
    ]
    updated = body["events"][2]["data"]
    assert (updated["label"], updated["version"], updated["quote"]) == ("counterclaim", 2, "Cats are better pets than dogs.")
    assert body["events"][4]["data"]["mentions"] == ["annotator"]
    assert body["events"][0]["actor"] == "annotator"
    assert body["cursor"] == body["events"][-1]["id"]
    assert feed(api, people["annotator_b"], document, since=body["cursor"])["events"] == []


def test_cursor_pages_when_more_than_limit(people, document, paragraph, layers):
    """With more changes than a page holds, ``more`` is set and the next page continues exactly."""
    from annotations.selectors.collaboration import changes_since

    start = changes_since(document=document, user=people["viewer"], since=None)["cursor"]
    for word in ("Cats", "better", "pets", "dogs", "They"):
        tag(paragraph, layers["annotator"], people["annotator"], word)
    first = changes_since(document=document, user=people["viewer"], since=start, limit=3)
    second = changes_since(document=document, user=people["viewer"], since=first["cursor"], limit=3)
    assert first["more"] and not second["more"]
    quotes = [e["data"]["quote"] for e in first["events"] + second["events"]]
    assert quotes == ["Cats", "better", "pets", "dogs", "They"]


def test_answer_key_changes_hidden_from_annotators_but_cursor_moves(api, people, document, paragraph, layers):
    """Annotators do not see answer-key edits, yet their cursor passes them; curators see them."""
    start = feed(api, people["annotator"], document)["cursor"]
    tag(paragraph, layers["answer_key"], people["curator"], "Cats")
    annotator_view = feed(api, people["annotator"], document, since=start)
    curator_view = feed(api, people["curator"], document, since=start)
    assert annotator_view["events"] == [] and annotator_view["cursor"] > start
    assert [e["data"]["quote"] for e in curator_view["events"]] == ["Cats"]


def test_feed_runs_constant_queries(api, people, document, paragraph, layers, django_assert_num_queries):
    """The feed's query count does not grow with the number of changes."""
    start = feed(api, people["viewer"], document)["cursor"]
    tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    User = people["viewer"].__class__
    url = f"/api/documents/{document.pk}/changes/?since={start}"
    client = api.as_user(User.objects.get(pk=people["viewer"].pk))
    with django_assert_num_queries(3):  # document, role, events
        assert len(client.get(url).json()["events"]) == 1
    for word in ("better", "pets", "dogs", "They", "need", "less", "care"):
        tag(paragraph, layers["annotator"], people["annotator"], word)
    fresh = api.as_user(User.objects.get(pk=people["viewer"].pk))
    with django_assert_num_queries(3):
        assert len(fresh.get(url).json()["events"]) == 8


def test_bad_cursor_is_refused_with_a_message(api, people, document):
    """A cursor that is not a number gets 400 saying what to send."""
    response = api.as_user(people["viewer"]).get(f"/api/documents/{document.pk}/changes/?since=yesterday")
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


def test_activity_lists_newest_first(api, people, document, paragraph, layers):
    """The activity endpoint and page list changes newest first with actor and layer."""
    tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    tag(paragraph, layers["annotator_b"], people["annotator_b"], "dogs")
    events = api.as_user(people["viewer"]).get(f"/api/documents/{document.pk}/activity/").json()["events"]
    assert [(e["actor"], e["layer_name"]) for e in events] == [("annotator_b", "annotator_b"), ("annotator", "annotator")]


def test_document_page_carries_the_cursor(client, people, document, paragraph, layers):
    """The document page's data tells live.js where to start."""
    import json
    import re

    tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    client.force_login(people["annotator"])
    html = client.get(f"/d/{document.pk}/").content.decode()
    data = json.loads(re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    from annotations.models import ChangeEvent

    assert data["changes_cursor"] == ChangeEvent.objects.latest("id").pk
