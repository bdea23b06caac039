"""Reviewing spaCy's suggestions on the real document page (the workspace with suggestions.js
plugged in) in Debian's Chromium: dashed marks with their reasons, the keyboard (n / a / r),
accepting with another label, the Suggest button while the work is queued, and a viewer.

The browser is the session fixture ``chromium`` (one Playwright per process); each person gets
a signed-in context of their own.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import context_for, open_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUGGESTION_MARKS = '.mark.overlay[data-overlay="suggestions"]'
CURRENT_MARK = ".mark.overlay.overlay-suggestion-current"


@pytest.fixture
def open_as(chromium, live_server):
    """open_as(user, document) -> the document page for that person, with the suggestions loaded."""
    contexts = []

    def opener(user, document, wait_for_suggestions=True):
        context, page = context_for(chromium, live_server, user)
        contexts.append((context, page))
        open_document(page, document)
        if wait_for_suggestions:
            page.wait_for_function(
                "/^[0-9]+ suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')",
                timeout=15000)
        return page

    yield opener
    errors = [error for _, page in contexts for error in page.errors]
    for context, _ in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _press_n_for_current(page):
    """Press n outside any field; return the id of the suggestion that became current."""
    page.locator("body").press("n")
    current = page.locator(CURRENT_MARK).first
    current.wait_for()
    return int(current.get_attribute("data-overlay-key"))


def test_suggestions_are_dashed_with_their_reason_on_hover_and_focus(open_as, people, computed):
    """Every undecided suggestion is drawn dashed in the text; its cues show as the tooltip and, once focused, in the panel."""
    from annotations.models import Suggestion

    total = Suggestion.objects.filter(document=computed).count()
    page = open_as(people["annotator"], computed)
    assert page.locator(".suggestions-status").inner_text().startswith(f"{total} suggestions to review")
    marks = page.locator(SUGGESTION_MARKS)
    keys = set(marks.evaluate_all("nodes => nodes.map(node => node.dataset.overlayKey)"))
    assert keys == {str(pk) for pk in Suggestion.objects.filter(document=computed).values_list("pk", flat=True)}
    first = marks.first
    assert first.evaluate("node => getComputedStyle(node).outlineStyle") == "dashed"
    assert first.evaluate("node => getComputedStyle(node).backgroundColor") == "rgba(0, 0, 0, 0)"
    first.hover()
    title = first.get_attribute("title")
    assert title.startswith("Suggested ") and "Why:" in title

    key = first.get_attribute("data-overlay-key")
    page.wait_for_function(f"document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]').tabIndex === 0")
    page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{key}"]').first.focus()
    page.wait_for_selector(f'{CURRENT_MARK}[data-overlay-key="{key}"]')
    suggestion = Suggestion.objects.get(pk=int(key))
    reason = page.locator(".suggestions-reason").inner_text()
    assert reason.startswith("Suggested ") and all(cue in reason for cue in suggestion.cues)
    assert page.locator(".suggestions-quote").inner_text() == suggestion.quote
    # Redrawing it as the current one keeps the keyboard focus on it (Tab goes on from there).
    page.wait_for_function(f"document.activeElement?.dataset?.overlayKey === '{key}'")
    assert "Why:" in page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_next_then_accept_by_keyboard_makes_a_normal_span_in_my_layer(open_as, people, computed):
    """n picks the first suggestion in reading order, a accepts it: an Annotation in my layer pointing back, drawn as a span."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    first_id = _press_n_for_current(page)
    expected_first = sorted(Suggestion.objects.filter(document=computed).select_related("paragraph"),
                            key=lambda s: (s.paragraph.position, s.start, s.end))[0]
    assert first_id == expected_first.pk
    page.locator("body").press("a")
    page.wait_for_function(f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{first_id}\"]')")

    accepted = Annotation.objects.get(suggestion_id=first_id)
    assert accepted.origin == "suggestion"
    assert accepted.layer.owner == people["annotator"] and accepted.layer.kind == "personal"
    assert (accepted.paragraph_id, accepted.start, accepted.end, accepted.label) == (
        expected_first.paragraph_id, expected_first.start, expected_first.end, expected_first.label)
    span = page.locator(f'.mark[data-annotation-id="{accepted.pk}"]').first
    span.wait_for()
    assert "overlay" not in span.get_attribute("class")
    assert span.get_attribute("data-label") == accepted.label
    assert span.evaluate("node => getComputedStyle(node).outlineStyle") != "dashed"
    # The next suggestion is current, so the review goes on with a / r.
    assert int(page.locator(CURRENT_MARK).first.get_attribute("data-overlay-key")) != first_id


def test_keys_on_a_focused_suggestion_review_it_and_keys_on_a_focused_span_stay_the_workspaces(open_as, people, computed):
    """a on a focused suggestion accepts it; n on a focused span opens its note (the workspace's key), not the next suggestion."""
    from annotations.models import Annotation

    page = open_as(people["annotator"], computed)
    key = page.locator(SUGGESTION_MARKS).nth(1).get_attribute("data-overlay-key")
    page.wait_for_function(f"document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]').tabIndex === 0")
    page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{key}"]').first.focus()
    page.wait_for_selector(f'{CURRENT_MARK}[data-overlay-key="{key}"]')
    page.keyboard.press("a")
    accepted_span = None
    page.wait_for_function(f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]')")
    accepted_span = Annotation.objects.get(suggestion_id=int(key))
    assert not Annotation.objects.exclude(pk=accepted_span.pk).exists()  # "a" did not start a link either
    assert not page.evaluate("document.querySelector('[data-workspace]').classList.contains('is-picking')")

    current_before = page.locator(CURRENT_MARK).first.get_attribute("data-overlay-key")
    span = page.locator(f'.mark[data-annotation-id="{accepted_span.pk}"]').first
    span.wait_for()
    span.focus()
    page.keyboard.press("n")
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
    assert page.locator(CURRENT_MARK).first.get_attribute("data-overlay-key") == current_before


def test_reject_hides_it_for_me_only(open_as, people, computed):
    """r stores my rejection and hides the suggestion for me; another annotator still sees it."""
    from annotations.models import Annotation, SuggestionDecision

    page = open_as(people["annotator"], computed)
    rejected_id = _press_n_for_current(page)
    page.locator("body").press("r")
    page.wait_for_function(f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{rejected_id}\"]')")
    decision = SuggestionDecision.objects.get(suggestion_id=rejected_id)
    assert decision.decision == "rejected" and decision.user == people["annotator"]
    assert not Annotation.objects.exists()

    page.reload()
    open_document(page, computed)
    page.wait_for_function("/^[0-9]+ suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')")
    assert page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{rejected_id}"]').count() == 0

    other = open_as(people["annotator_b"], computed)
    assert other.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{rejected_id}"]').count() >= 1


def test_accept_with_another_label(open_as, people, computed):
    """Choosing another label in the panel and pressing Accept stores the span with that label."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    current_id = _press_n_for_current(page)
    suggested = Suggestion.objects.get(pk=current_id).label
    other_label = next(label for label in ("claim", "evidence", "counterclaim") if label != suggested)
    page.select_option("[data-suggestions] select", other_label)
    page.click("[data-suggestion-accept]")
    page.wait_for_function(f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{current_id}\"]')")
    accepted = Annotation.objects.get(suggestion_id=current_id)
    assert accepted.label == other_label and accepted.origin == "suggestion"
    page.locator(f'.mark[data-annotation-id="{accepted.pk}"][data-label="{other_label}"]').first.wait_for()


def _drawn_keys(page):
    return set(page.locator(SUGGESTION_MARKS).evaluate_all("nodes => nodes.map(node => node.dataset.overlayKey)"))


def test_suggest_button_shows_computing_then_draws(open_as, people, document):
    """On a document never computed, Suggest queues the work and says Computing…; once the task has run the marks appear."""
    from annotations.models import Suggestion
    from annotations.tasks.suggestions import compute_suggestions_task

    page = open_as(people["annotator"], document, wait_for_suggestions=False)
    page.wait_for_function("(document.querySelector('.suggestions-status')?.textContent || '').startsWith('No suggestions yet')")
    assert page.locator(SUGGESTION_MARKS).count() == 0
    page.click("[data-suggest]")
    page.wait_for_function("document.querySelector('[data-suggest]').textContent === 'Computing…'")
    assert page.locator("[data-suggest]").is_disabled()
    assert page.locator(".suggestions-spinner").is_visible()
    assert page.locator(".suggestions-status").inner_text() == "Suggestions are queued…"

    compute_suggestions_task.call(document_id=document.pk)  # what db_worker does with the queued task
    page.wait_for_function("/^[0-9]+ suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')",
                           timeout=30000)
    assert page.locator("[data-suggest]").inner_text() == "Suggest"
    assert page.locator("[data-suggest]").is_enabled()
    assert page.locator(".suggestions-spinner").is_hidden()
    stored = {str(pk) for pk in Suggestion.objects.filter(document=document).values_list("pk", flat=True)}
    assert stored and _drawn_keys(page) == stored


def test_uploaded_article_is_queued_then_drawn(open_as, people, sample_document):
    """Right after an upload the panel says the suggestions are queued, and draws them once a worker has run the task."""
    from annotations.models import Suggestion
    from annotations.tasks.suggestions import compute_suggestions_task

    page = open_as(people["annotator"], sample_document, wait_for_suggestions=False)
    page.wait_for_function("(document.querySelector('.suggestions-status')?.textContent || '') === 'Suggestions are queued…'")
    assert page.locator("[data-suggest]").is_disabled()
    compute_suggestions_task.call(document_id=sample_document.pk)
    page.wait_for_function("/^[0-9]+ suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')",
                           timeout=30000)
    assert _drawn_keys(page) == {str(pk) for pk in Suggestion.objects.filter(document=sample_document).values_list("pk", flat=True)}


def test_bulk_accept_above_a_score(open_as, people, computed):
    """Accept all with score ≥ 0.9 accepts exactly those suggestions into my layer and draws them as spans."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    above = set(Suggestion.objects.filter(document=computed, score__gte=0.9).values_list("pk", flat=True))
    total = Suggestion.objects.filter(document=computed).count()
    page.fill("[data-suggestion-threshold]", "0.9")
    assert page.locator("[data-suggestion-bulk]").inner_text() == f"Accept {len(above)}"
    assert above and len(above) < total  # the sample article has some of each
    page.click("[data-suggestion-bulk]")
    page.wait_for_function(f"(document.querySelector('.suggestions-status')?.textContent || '').startsWith('{total - len(above)} ')")
    assert set(Annotation.objects.filter(layer__owner=people["annotator"], origin="suggestion").values_list("suggestion_id", flat=True)) == above
    assert not (_drawn_keys(page) & {str(pk) for pk in above})
    assert page.locator("[data-paragraphs] .mark[data-annotation-id]").count() >= len(above)


def test_viewer_sees_suggestions_but_cannot_decide(open_as, people, computed):
    """A viewer sees the dashed suggestions and can step through them, but the buttons are disabled and a / r change nothing."""
    from annotations.models import Annotation, SuggestionDecision

    page = open_as(people["viewer"], computed)
    assert page.locator(SUGGESTION_MARKS).count() > 0
    current_id = _press_n_for_current(page)
    for button in ("[data-suggestion-accept]", "[data-suggestion-reject]", "[data-suggest]"):
        assert page.locator(button).is_disabled()
    page.locator("body").press("a")
    page.locator("body").press("r")
    page.wait_for_function("(document.querySelector('[data-live]')?.textContent || '').includes('viewer')")
    assert page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{current_id}"]').count() >= 1
    assert not SuggestionDecision.objects.exists() and not Annotation.objects.exists()


def test_r_on_a_focused_suggestion_rejects_it_even_when_rebuttal_is_a_label(open_as, people, computed):
    """With a rebuttal label (key r) and words selected earlier, r on a focused suggestion rejects it and tags nothing."""
    from annotations.models import Annotation, SuggestionDecision
    from tests.browser.conftest import drag_select

    computed.project.labels = ["claim", "evidence", "counterclaim", "rebuttal"]
    computed.project.save(update_fields=["labels"])
    page = open_as(people["annotator"], computed)
    paragraph = computed.paragraphs.order_by("position").last()
    drag_select(page, paragraph.pk, paragraph.text.split()[0])
    assert page.evaluate("!window.getSelection().isCollapsed")
    key = page.locator(SUGGESTION_MARKS).first.get_attribute("data-overlay-key")
    page.wait_for_function(f"document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]').tabIndex === 0")
    page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{key}"]').first.focus()
    page.wait_for_selector(f'{CURRENT_MARK}[data-overlay-key="{key}"]')
    page.keyboard.press("r")
    page.wait_for_function(f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]')")
    assert SuggestionDecision.objects.get(suggestion_id=int(key)).decision == "rejected"
    assert page.locator("[data-paragraphs] .mark[data-key]").count() == 0
    assert not Annotation.objects.exists()
