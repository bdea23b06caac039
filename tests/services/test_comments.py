"""Comment threads on spans: mentions of members, resolved state, who may do what, text stays text."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import InvalidInput, NotPermitted
from annotations.services.comments import mentioned_usernames
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

pytestmark = pytest.mark.django_db


def test_mentions_parse_names_not_emails_or_trailing_dots():
    """@names are found in order, once each; e-mail addresses and sentence dots are not part of them."""
    body = "Agree with @annotator_b. See me@example.org and @curator, @annotator_b again; @x"
    assert mentioned_usernames(body) == ["annotator_b", "curator", "x"]


@pytest.fixture
def span(paragraph, layers, people):
    return tag(paragraph, layers["annotator"], people["annotator"], "Cats are better pets than dogs.")


def test_comment_mentions_only_project_members(span, people):
    """Mentions link project members; unknown names and outsiders stay plain text."""
    comment = services.comment_create(
        annotation=span, user=people["annotator_b"], body="@annotator is this a claim? cc @curator @outsider @nobody",
    )
    assert sorted(user.username for user in comment.mentions.all()) == ["annotator", "curator"]
    assert comment.document_id == span.document_id and comment.author == people["annotator_b"]


def test_editing_updates_mentions_and_only_author_edits(span, people):
    """The author's edit re-reads the mentions; someone else may not edit."""
    comment = services.comment_create(annotation=span, user=people["curator"], body="Ask @annotator")
    services.comment_update(comment=comment, user=people["curator"], body="Ask @viewer instead")
    assert [user.username for user in comment.mentions.all()] == ["viewer"]
    with pytest.raises(NotPermitted):
        services.comment_update(comment=comment, user=people["annotator"], body="mine now")


def test_resolve_and_reopen(span, people):
    """The layer's owner resolves a thread comment and reopens it; resolver and time are kept then cleared."""
    comment = services.comment_create(annotation=span, user=people["annotator_b"], body="Too long?")
    services.comment_set_resolved(comment=comment, user=people["annotator"], resolved=True)
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == people["annotator"] and comment.resolved_at is not None
    services.comment_set_resolved(comment=comment, user=people["annotator"], resolved=False)
    comment.refresh_from_db()
    assert not comment.resolved and comment.resolved_by is None and comment.resolved_at is None


def test_who_may_resolve_and_comment(span, people):
    """Viewers cannot comment; another annotator cannot resolve someone else's comment on a third layer."""
    with pytest.raises(NotPermitted):
        services.comment_create(annotation=span, user=people["viewer"], body="hello")
    comment = services.comment_create(annotation=span, user=people["curator"], body="Check the source")
    with pytest.raises(NotPermitted):
        services.comment_set_resolved(comment=comment, user=people["annotator_b"], resolved=True)
    services.comment_set_resolved(comment=comment, user=people["owner"], resolved=True)


def test_empty_and_long_comments_refused(span, people):
    """Blank and over-long comments are refused with the limit."""
    with pytest.raises(InvalidInput, match="needs some text"):
        services.comment_create(annotation=span, user=people["annotator"], body="   ")
    with pytest.raises(InvalidInput, match="at most 5000"):
        services.comment_create(annotation=span, user=people["annotator"], body="x" * 5001)


def test_api_thread_lists_and_resolves(api, span, people, document):
    """Through the API: post, list by span, resolve, filter by resolved."""
    client = api.as_user(people["annotator_b"])
    created = client.post("/api/comments/", {"annotation": span.pk, "body": "@annotator why?"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["mentions"] == ["annotator"] and created.json()["resolved"] is False
    comment_id = created.json()["id"]
    listing = client.get(f"/api/documents/{document.pk}/comments/?annotation={span.pk}").json()["comments"]
    assert [c["id"] for c in listing] == [comment_id]
    resolved = client.patch(f"/api/comments/{comment_id}/", {"resolved": True}, format="json")
    assert resolved.status_code == 200 and resolved.json()["resolved_by"] == "annotator_b"
    assert client.get(f"/api/documents/{document.pk}/comments/?resolved=false").json()["comments"] == []


def test_comment_text_is_escaped_on_the_activity_page(client, span, people, document):
    """Markup in a comment is shown as text, never run."""
    services.comment_create(annotation=span, user=people["annotator"], body='<script>alert("x")</script> @curator')
    client.force_login(people["viewer"])
    page = client.get(f"/d/{document.pk}/activity/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "mentions @curator" in page


def test_deleting_span_deletes_its_thread(span, people):
    """A span's comments go with it."""
    from annotations.models import Comment

    services.comment_create(annotation=span, user=people["annotator"], body="note to self")
    services.annotation_delete(annotation=span, user=people["annotator"])
    assert Comment.objects.count() == 0


def test_mentions_list_api_and_page(api, client, span, people):
    """A mentioned member finds the comment in their mentions; others do not."""
    services.comment_create(annotation=span, user=people["annotator_b"], body="@viewer <b>look</b> here")
    mine = api.as_user(people["viewer"]).get("/api/mentions/").json()["comments"]
    assert [(c["author"], c["quote"]) for c in mine] == [("annotator_b", "Cats are better pets than dogs.")]
    assert api.as_user(people["curator"]).get("/api/mentions/").json()["comments"] == []
    client.force_login(people["viewer"])
    page = client.get("/mentions/").content.decode()
    assert "&lt;b&gt;look&lt;/b&gt;" in page and "<b>look</b>" not in page
