"""Browser tests of the collaboration pages in Debian's Chromium: the owner invites someone
and changes a role on the members page; a newcomer signs up through the link; a curator
merges and then picks a disagreement's candidate into the consensus.

(The live two-browser test on the document page belongs in test_collaboration.py once the
workspace's document page applies live.js events.)
"""
from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "pass-word-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def collab_browser(chromium):
    """The session's Chromium (tests/browser/conftest.py): one Playwright per process. Every
    context a test opens on it is closed when the test ends, so no page of one test (an activity
    page polling the live feed) goes on talking to the server during the next."""
    opened = []

    class Browser:
        def new_context(self, **options):
            context = chromium.new_context(**options)
            opened.append(context)
            return context

    yield Browser()
    for context in opened:
        context.close()


def sign_in(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_owner_invites_newcomer_signs_up_and_owner_changes_role(collab_browser, live_server, people):
    """Members page: create a link; a newcomer signs up through it; the owner makes them curator."""
    owner = sign_in(collab_browser, live_server, "owner")
    owner.goto(f"{live_server.url}/p/cats/members/")
    owner.select_option("#invite-role", "viewer")
    with owner.expect_navigation():  # plain forms: each answer is a new page
        owner.click("[data-invite-form] button[type=submit]")
    link = owner.locator("[data-invite-url]").first.input_value()
    assert "/invite/" in link

    newcomer = collab_browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.fill("#signup-username", "newcomer")
    newcomer.fill("#signup-password", "long pass phrase")
    newcomer.fill("#signup-password-again", "long pass phrase")
    newcomer.click("[data-sign-up] button[type=submit]")
    newcomer.wait_for_url(f"{live_server.url}/p/cats/")
    assert "Your role: viewer" in newcomer.locator(".meta").first.inner_text()

    owner.reload()
    row = owner.locator('tr[data-member="newcomer"]')
    assert row.locator("[data-role]").inner_text() == "Viewer"
    row.locator("select").select_option("curator")
    with owner.expect_navigation():
        row.locator("button", has_text="Change role").click()
    assert owner.locator('tr[data-member="newcomer"] [data-role]').inner_text() == "Curator / teacher"
    assert owner.locator("[data-invitations] tr[data-invitation] td").nth(2).inner_text() == "1 / 1"


def test_curator_merges_and_picks_a_candidate(collab_browser, live_server, people, project, document, paragraph):
    """Curation page: merge what both annotators agree on, then pick one side of a disagreement."""
    from annotations import services
    from annotations.models import Annotation, Layer

    def tag(user, start, end, label):
        services.annotation_create(paragraph=paragraph, layer=None, user=user, start=start, end=end, label=label,
                                   quote=paragraph.text[start:end])

    tag(people["annotator"], 0, 31, "claim")
    tag(people["annotator_b"], 0, 31, "claim")
    tag(people["annotator"], 32, 80, "evidence")
    tag(people["annotator_b"], 32, 80, "counterclaim")

    page = sign_in(collab_browser, live_server, "curator")
    page.goto(f"{live_server.url}/d/{document.pk}/curate/")
    assert "1 span agreed · 1 disagreement: 1 open, 0 resolved" in page.locator("[data-curate-summary]").inner_text()
    with page.expect_navigation():
        page.click("[data-merge-form] button[type=submit]")
    assert "1 span and 0 relations added" in page.locator(".messages").inner_text()

    group = page.locator("[data-disagreement]").first
    assert group.locator("[data-candidate]").count() == 2
    candidate = group.locator("[data-candidate][data-label=counterclaim]")
    with page.expect_navigation():
        candidate.locator("button", has_text="Pick").click()
    assert page.locator("[data-disagreement]").first.get_attribute("data-resolved") == "true"
    assert "resolved" in page.locator("[data-disagreement] h3").first.inner_text().lower()
    assert page.locator("[data-candidate].picked").count() == 1

    consensus = Layer.objects.get(project=project, kind=Layer.Kind.CONSENSUS)
    assert sorted(Annotation.objects.filter(layer=consensus).values_list("label", flat=True)) == ["claim", "counterclaim"]


def test_activity_page_shows_another_persons_span_live(collab_browser, live_server, people, document, paragraph):
    """B watches the activity page; A tags a span through the API in another browser; B sees it live, without
    a reload (the feed polls every 1.5 s; the time is not asserted: tests never assert wall-clock times)."""
    from playwright.sync_api import expect

    watcher = sign_in(collab_browser, live_server, "annotator_b")
    watcher.goto(f"{live_server.url}/d/{document.pk}/activity/")
    watcher.evaluate("window.__notReloaded = true")
    tagger = sign_in(collab_browser, live_server, "annotator")
    tagger.goto(f"{live_server.url}/d/{document.pk}/activity/")
    status = tagger.evaluate(
        """async (paragraph) => {
            const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken=")).split("=")[1];
            const response = await fetch("/api/annotations/", {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({paragraph, start: 0, end: 4, quote: "Cats", label: "claim"}),
            });
            return response.status;
        }""",
        paragraph.pk,
    )
    assert status == 201
    fresh = watcher.locator("[data-activity] li.fresh")
    expect(fresh).to_have_count(1)
    expect(fresh.first).to_have_text(re.compile("annotator created a span: “Cats”$"))
    assert watcher.evaluate("window.__notReloaded === true")


def test_comment_thread_in_the_span_inspector(collab_browser, live_server, people, document, paragraph):
    """collab-plugin.js fills the store's inspector slot with the span's thread; posting and resolving work."""
    from annotations import services
    from annotations.models import Comment

    span = services.annotation_create(paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=4,
                                      label="claim", quote="Cats")
    services.comment_create(annotation=span, user=people["annotator"], body="<i>first</i> thought")
    page = sign_in(collab_browser, live_server, "annotator_b")
    page.goto(f"{live_server.url}/d/{document.pk}/activity/")
    page.evaluate(
        """async ([documentId, spanId]) => {
            const { connectCollaboration } = await import("/static/annotations/collab-plugin.js");
            class FakeStore extends EventTarget {
              constructor() { super(); this.annotations = new Map(); }
              keyForServerId() { return null; } serverId(key) { return key === "k" ? spanId : null; }
              applyRemote() {} registerOverlay() {} unregisterOverlay() {} refreshParagraphs() {}
            }
            const store = new FakeStore();
            connectCollaboration(store, { documentId, live: false });
            const slot = document.createElement("div");
            slot.id = "inspector-slot";
            document.querySelector("main").append(slot);
            store.dispatchEvent(new CustomEvent("inspector:opened", { detail: { key: "k", slot } }));
        }""",
        [document.pk, span.pk],
    )
    thread = page.locator("#inspector-slot [data-thread]")
    thread.locator("li[data-comment]").first.wait_for()
    assert thread.locator(".comment-body").first.inner_text() == "<i>first</i> thought"  # shown as text
    thread.locator("textarea").fill("Agreed, @annotator")
    thread.locator("button[type=submit]").click()
    page.locator("#inspector-slot li[data-comment]").nth(1).wait_for()
    posted = Comment.objects.get(body="Agreed, @annotator")
    assert [user.username for user in posted.mentions.all()] == ["annotator"]
    page.locator("#inspector-slot li[data-comment]").nth(1).locator("button", has_text="Resolve").click()
    page.locator("#inspector-slot li.resolved").wait_for()
    posted.refresh_from_db()
    assert posted.resolved and posted.resolved_by == people["annotator_b"]
