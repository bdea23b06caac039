"""Reviewing spaCy's suggestions on the real document page (the workspace with suggestions.js
plugged in) in Debian's Chromium: hidden until asked (remembered per person), dashed marks with
their reasons, one at a time, the keyboard (n / a / r on what has focus, Ctrl+Z), accepting
with another label, the Suggest button while the work is queued, and a viewer.

The browser is the session fixture ``chromium`` (one Playwright per process); each person gets
a signed-in context of their own.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import after_frames, wait_js, wait_until, focus_text_with_tab, open_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUGGESTION_MARKS = '.mark.overlay[data-overlay="suggestions"]'
CURRENT_MARK = ".mark.overlay.overlay-suggestion-current"
REVIEW_STATUS = "/^[0-9]+ suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')"



@pytest.fixture
def open_as(signed_in_pages):
    """open_as(user, document) -> the document page for that person, with the suggestions loaded."""

    def opener(user, document, wait_for_suggestions=True, shown=True, outline_all=False):
        from annotations import services

        if shown:  # every suggestion in the queue, whatever the scores' calibration
            services.preference_update(user=user, show_suggestions=True, suggestion_threshold=0.0)
        _, page = signed_in_pages(user)
        open_document(page, document)
        if wait_for_suggestions:
            wait_js(page, REVIEW_STATUS, timeout=60000)
        if outline_all:
            page.locator("[data-tab='suggestions']").click()
            page.check("[data-suggestions-all]")
            after_frames(page)  # every suggestion is outlined on the next frame
        return page

    return opener


def _press_n_for_current(page):
    """Tab into the text, go to its start, press n: return the id of the suggestion that got the focus."""
    focus_text_with_tab(page)
    page.keyboard.press("Control+Home")
    page.keyboard.press("n")
    wait_js(page, f"document.activeElement?.matches('{CURRENT_MARK}')")
    return int(page.evaluate("document.activeElement.dataset.overlayKey"))


def test_suggestions_are_dashed_with_their_reason_on_hover_and_focus(open_as, people, computed):
    """With "Outline all", every undecided suggestion is drawn dashed; its cues show as the tooltip and, once
    focused with n, in the panel; no suggestion is a tab stop (the text is one)."""
    from annotations.models import Suggestion

    total = Suggestion.objects.filter(document=computed).count()
    page = open_as(people["annotator"], computed, outline_all=True)
    assert page.locator(".suggestions-status").inner_text().startswith(f"{total} suggestions to review")
    marks = page.locator(SUGGESTION_MARKS)
    _wait_drawn(page, {str(pk) for pk in Suggestion.objects.filter(document=computed).values_list("pk", flat=True)})
    assert marks.evaluate_all("nodes => nodes.filter(node => node.tabIndex >= 0).length") == 0
    first = page.locator(f"{SUGGESTION_MARKS}.overlay-suggestion").first  # not the current one (highlighted)
    assert first.evaluate("node => getComputedStyle(node).outlineStyle") == "dashed"
    assert first.evaluate("node => getComputedStyle(node).backgroundColor") == "rgba(0, 0, 0, 0)"
    first.hover()
    title = first.get_attribute("title")
    assert title.startswith("Suggested ") and "Why:" in title

    key = _press_n_for_current(page)
    expected_first = sorted(Suggestion.objects.filter(document=computed).select_related("paragraph"),
                            key=lambda s: (s.paragraph.position, s.start, s.end))[0]
    assert key == expected_first.pk
    reason = page.locator(".suggestions-reason").inner_text()
    assert reason.startswith("Suggested ") and all(cue in reason for cue in expected_first.cues)
    assert page.locator(".suggestions-quote").inner_text() == expected_first.quote
    assert "Why:" in page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_suggestions_are_hidden_until_asked_and_the_choice_is_remembered(open_as, people, computed):
    """A first visit draws no suggestion; ticking "Show suggestions" draws one (one at a time), stores the choice for
    this person, and a reload keeps it; n with them hidden says how to show them."""
    from annotations.models import UserPreference

    user = people["annotator"]
    page = open_as(user, computed, shown=False)
    assert page.locator(SUGGESTION_MARKS).count() == 0
    focus_text_with_tab(page)
    page.keyboard.press("n")
    wait_js(page, "(document.querySelector('[data-live]')?.textContent || '').includes('Show suggestions')")
    page.locator("[data-tab='suggestions']").click()
    page.check("[data-suggestions-show]")
    wait_js(page, f"document.querySelectorAll('{SUGGESTION_MARKS}.overlay-first').length === 1")
    # The choice is saved by a request of its own, a moment after the marks are drawn.
    wait_until(lambda: UserPreference.objects.filter(user=user, show_suggestions=True).exists(), True)
    assert UserPreference.objects.get(user=user).show_suggestions is True
    page.reload()
    page.wait_for_selector(f"{CURRENT_MARK}")
    assert page.locator(f"{SUGGESTION_MARKS}.overlay-first").count() == 1


def test_next_then_accept_by_keyboard_makes_a_normal_span_in_my_layer(open_as, people, computed):
    """n picks the first suggestion in reading order, a accepts it: an Annotation in my layer pointing back, drawn as a span."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    first_id = _press_n_for_current(page)
    expected_first = sorted(Suggestion.objects.filter(document=computed).select_related("paragraph"),
                            key=lambda s: (s.paragraph.position, s.start, s.end))[0]
    assert first_id == expected_first.pk
    page.keyboard.press("a")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{first_id}\"]')")

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


def test_keys_act_on_what_has_focus_and_accepting_is_undone_by_ctrl_z(open_as, people, computed):
    """a on a focused suggestion accepts it; a on the accepted span starts an "attacks" link instead; a with the focus
    on the page body accepts nothing; Ctrl+Z takes the accept back (span deleted, suggestion offered again)."""
    from annotations.models import Annotation, SuggestionDecision

    page = open_as(people["annotator"], computed)
    key = _press_n_for_current(page)
    page.keyboard.press("a")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]')")
    accepted = Annotation.objects.get(suggestion_id=key)
    # The focus goes on to the next suggestion once the text is redrawn (two animation frames after the answer).
    wait_js(page, f"document.activeElement?.matches('{CURRENT_MARK}') && document.activeElement.dataset.overlayKey !== '{key}'")

    span = page.locator(f'.mark.mark-first[data-annotation-id="{accepted.pk}"]')
    span.wait_for()
    box = span.bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)
    assert page.evaluate("document.activeElement.dataset.annotationId") == str(accepted.pk)
    page.keyboard.press("a")
    assert page.evaluate("document.querySelector('[data-workspace]').classList.contains('is-picking')")
    page.keyboard.press("Escape")

    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("a")
    wait_js(page, "(document.querySelector('[data-live]')?.textContent || '').includes('Tab into the text')")
    assert Annotation.objects.count() == 1

    page.keyboard.press("Control+z")
    wait_js(page, f"document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]')")
    # The suggestion is offered again at once; the span's deletion is a request in flight.
    wait_until(lambda: (Annotation.objects.exists(), SuggestionDecision.objects.exists()), (False, False))


def test_accept_as_follows_the_current_suggestion_after_r_moves_on(open_as, people, computed):
    """After r rejects one and the next becomes current, the "Accept as" picker shows the next one's label, and a
    stores it with that label."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    first = _press_n_for_current(page)
    page.keyboard.press("r")
    wait_js(page, f"document.activeElement?.matches('{CURRENT_MARK}') && document.activeElement.dataset.overlayKey !== '{first}'")
    following = Suggestion.objects.get(pk=int(page.evaluate("document.activeElement.dataset.overlayKey")))
    assert page.locator("[data-suggestion-label]").input_value() == following.label
    page.keyboard.press("a")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{following.pk}\"]')")
    assert Annotation.objects.get(suggestion=following).label == following.label


def test_reject_hides_it_for_me_only(open_as, people, computed):
    """r stores my rejection and hides the suggestion for me; another annotator still sees it."""
    from annotations.models import Annotation, SuggestionDecision

    page = open_as(people["annotator"], computed)
    rejected_id = _press_n_for_current(page)
    page.keyboard.press("r")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{rejected_id}\"]')")
    decision = SuggestionDecision.objects.get(suggestion_id=rejected_id)
    assert decision.decision == "rejected" and decision.user == people["annotator"]
    assert not Annotation.objects.exists()

    page.reload()
    open_document(page, computed)
    wait_js(page, REVIEW_STATUS, timeout=60000)
    after_frames(page)  # the marks are drawn the frame after the status line
    assert page.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{rejected_id}"]').count() == 0

    other = open_as(people["annotator_b"], computed, outline_all=True)
    expect(other.locator(f'{SUGGESTION_MARKS}[data-overlay-key="{rejected_id}"]').first).to_be_attached()


def test_accept_with_another_label(open_as, people, computed):
    """Choosing another label in the panel and pressing Accept stores the span with that label."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed)
    current_id = _press_n_for_current(page)
    suggested = Suggestion.objects.get(pk=current_id).label
    other_label = next(label for label in ("claim", "evidence", "counterclaim") if label != suggested)
    page.select_option("[data-suggestion-label]", other_label)
    page.click("[data-suggestion-accept]")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{current_id}\"]')")
    accepted = Annotation.objects.get(suggestion_id=current_id)
    assert accepted.label == other_label and accepted.origin == "suggestion"
    page.locator(f'.mark[data-annotation-id="{accepted.pk}"][data-label="{other_label}"]').first.wait_for()


def _drawn_keys(page):
    return set(page.locator(SUGGESTION_MARKS).evaluate_all("nodes => nodes.map(node => node.dataset.overlayKey)"))


def _wait_drawn(page, expected):
    """Wait until the marks on the page are exactly ``expected``: the status line is written
    before the paragraphs are repainted, so the marks can lag it by a frame or more."""
    wait_until(lambda: _drawn_keys(page), expected)


def test_suggest_button_shows_computing_then_draws(open_as, people, document):
    """On a document never computed, Suggest queues the work and says Computing…; once the task has run the marks appear."""
    from annotations.models import Suggestion
    from annotations.tasks.suggestions import compute_suggestions_task

    page = open_as(people["annotator"], document, wait_for_suggestions=False, outline_all=True)
    wait_js(page, "(document.querySelector('.suggestions-status')?.textContent || '').startsWith('No suggestions yet')")
    assert page.locator(SUGGESTION_MARKS).count() == 0
    page.click("[data-suggest]")
    wait_js(page, "document.querySelector('[data-suggest]').textContent === 'Computing…'")
    assert page.locator("[data-suggest]").is_disabled()
    assert page.locator(".suggestions-spinner").is_visible()
    # (After 20 s without a worker it adds a hint to the same words: a loaded machine may get there.)
    assert page.locator(".suggestions-status").inner_text().startswith("Suggestions are queued")

    compute_suggestions_task.call(document_id=document.pk)  # what db_worker does with the queued task
    wait_js(page, REVIEW_STATUS, timeout=60000)
    assert page.locator("[data-suggest]").inner_text() == "Suggest"
    assert page.locator("[data-suggest]").is_enabled()
    assert page.locator(".suggestions-spinner").is_hidden()
    stored = {str(pk) for pk in Suggestion.objects.filter(document=document).values_list("pk", flat=True)}
    assert stored
    _wait_drawn(page, stored)


def test_uploaded_article_is_queued_then_drawn(open_as, people, sample_document):
    """Right after an upload the panel says the suggestions are queued, and draws them once a worker has run the task."""
    from annotations.models import Suggestion
    from annotations.tasks.suggestions import compute_suggestions_task

    page = open_as(people["annotator"], sample_document, wait_for_suggestions=False, outline_all=True)
    # (After 20 s without a worker it adds a hint to the same words: a loaded machine may get there.)
    wait_js(page, "(document.querySelector('.suggestions-status')?.textContent || '').startsWith('Suggestions are queued')")
    assert page.locator("[data-suggest]").is_disabled()
    compute_suggestions_task.call(document_id=sample_document.pk)
    wait_js(page, REVIEW_STATUS, timeout=60000)
    stored = {str(pk) for pk in Suggestion.objects.filter(document=sample_document).values_list("pk", flat=True)}
    assert stored
    _wait_drawn(page, stored)


def test_bulk_accept_above_a_score(open_as, people, computed):
    """Accept all with score ≥ 0.9 accepts exactly those suggestions into my layer and draws them as spans."""
    from annotations.models import Annotation, Suggestion

    page = open_as(people["annotator"], computed, outline_all=True)
    above = set(Suggestion.objects.filter(document=computed, score__gte=0.9).values_list("pk", flat=True))
    total = Suggestion.objects.filter(document=computed).count()
    page.fill("[data-suggestion-threshold]", "0.9")
    assert page.locator("[data-suggestion-bulk]").inner_text() == f"Accept {len(above)}"
    assert above and len(above) < total  # the sample article has some of each
    page.click("[data-suggestion-bulk]")
    wait_js(page, f"(document.querySelector('.suggestions-status')?.textContent || '').startsWith('{total - len(above)} ')")
    assert set(Annotation.objects.filter(layer__owner=people["annotator"], origin="suggestion").values_list("suggestion_id", flat=True)) == above
    # The status line is written before the paragraphs are repainted.
    wait_until(lambda: _drawn_keys(page) & {str(pk) for pk in above}, set())
    wait_until(lambda: page.locator("[data-paragraphs] .mark[data-annotation-id]").count() >= len(above), True)


def test_viewer_sees_suggestions_but_cannot_decide(open_as, people, computed):
    """A viewer sees the dashed suggestions and can step through them, but the buttons are disabled and a / r change nothing."""
    from annotations.models import Annotation, SuggestionDecision

    page = open_as(people["viewer"], computed)
    expect(page.locator(SUGGESTION_MARKS).first).to_be_attached()  # drawn the frame after the status line
    current_id = _press_n_for_current(page)
    for button in ("[data-suggestion-accept]", "[data-suggestion-reject]", "[data-suggest]"):
        assert page.locator(button).is_disabled()
    page.keyboard.press("a")
    page.keyboard.press("r")
    wait_js(page, "(document.querySelector('[data-live]')?.textContent || '').includes('viewer')")
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
    page.keyboard.press("n")  # from the selection in the text to a suggestion
    wait_js(page, f"document.activeElement?.matches('{CURRENT_MARK}')")
    key = page.evaluate("document.activeElement.dataset.overlayKey")
    assert page.evaluate("!window.getSelection().isCollapsed")
    page.keyboard.press("r")
    wait_js(page, f"!document.querySelector('{SUGGESTION_MARKS}[data-overlay-key=\"{key}\"]')")
    assert SuggestionDecision.objects.get(suggestion_id=int(key)).decision == "rejected"
    assert page.locator("[data-paragraphs] .mark[data-key]").count() == 0
    assert not Annotation.objects.exists()
