"""A second lesson, on a letter to the editor, as its people go through it in Chromium: the teacher
rejects a suggestion in their own layer and still drafts the key from it (decisions are per layer),
tags the rest by hand and sets the due time in the zone the form names; two students join (one on a
phone-width screen, 390 px), one submits early, one late, each asked first; the teacher watches the
dashboard, opens both reviews, changes the key and sees the scores move, as stored. With
ARGMAP_SHOTS_DIR set, a screenshot of each step is saved there (to look at, not compared).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_on, context_for, focus_text_with_tab, tag, wait_js, wait_until
from tests.browser.lesson import (
    READY, dashboard_scores, join, move_due_to_past, open_join_code, retag_key_span, shot, statuses, submit_from_the_bar,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = """# Letter: Keep the Library Open on Sundays

To the editor:

The county's plan to close the Riverside library on Sundays is a mistake, and the board should reverse it before the vote in May.

Sunday is the only day many working parents can bring their children. Last year the branch counted 410 visitors on an average Sunday, more than on any weekday.

The board says the closure saves money. It does, but very little: the budget office puts the saving at 38,000 dollars a year, less than a tenth of one percent of the library's spending.

Some residents argue that people now read on their phones and no longer need a building full of books. Yet the Sunday crowd comes for the computers, the homework help and the warm room as much as for the shelves.

Others point out that the staff deserve a weekend. They do, and the answer is to hire two part-time librarians for Sundays rather than to lock the doors.

A library that is closed when people are free is a library in name only. I urge the board to keep Riverside open seven days a week.

Marta Alvarez, Riverside
"""

CLAIM = "The county's plan to close the Riverside library on Sundays is a mistake"
EVIDENCE = "Last year the branch counted 410 visitors on an average Sunday, more than on any weekday."
COUNTER = "Some residents argue that people now read on their phones and no longer need a building full of books."
REBUT = "Yet the Sunday crowd comes for the computers, the homework help and the warm room as much as for the shelves."


def click_first_line(page, selector):
    """A real click on the first line of a link that wraps (the middle of its box can fall between its lines)."""
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.eval_on_selector(selector, "node => { const r = node.getClientRects()[0]; return {x: r.x, y: r.y, w: r.width, h: r.height}; }")
    page.mouse.click(box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)


def test_a_lesson_on_a_letter_to_the_editor(chromium, live_server, transactional_db):
    """Key from a suggestion the teacher had rejected in their own layer and by hand; a due time in
    the zone named; a phone-width student submits early, another late; reviews per document; a key
    change moves the scores, as stored."""
    from annotations import services
    from annotations.models import Exercise, Role, Submission, Suggestion, SuggestionDecision
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="english-9b", name="English 9B")
    teacher = MembershipFactory(project=project, user=UserFactory(username="ms-ndiaye"), role=Role.OWNER).user
    document = services.document_import(project=project, user=teacher, data=LETTER.encode(), filename="library-letter.md")
    services.suggestions_compute(document=document)
    services.preference_update(user=teacher, show_suggestions=True, suggestion_threshold=0.0)
    para = {name: document.paragraphs.get(text__contains=text) for name, text in
            (("claim", CLAIM), ("evidence", EVIDENCE), ("counter", COUNTER))}
    claim_suggestion = (Suggestion.objects.filter(document=document, paragraph=para["claim"]).order_by("start").first())
    assert claim_suggestion is not None, "spaCy suggests nothing in the opening paragraph"
    contexts = []
    try:
        teacher_context, t = context_for(chromium, live_server, teacher)
        t.set_viewport_size({"width": 1280, "height": 800})
        contexts.append(teacher_context)

        # In their own layer the teacher rejects spaCy's first suggestion in the opening paragraph.
        t.goto(f"/d/{document.pk}/")
        t.wait_for_selector(READY)
        wait_js(t, "/suggestions? to review/.test(document.querySelector('.suggestions-status')?.textContent || '')", timeout=60000)
        focus_text_with_tab(t)
        t.keyboard.press("Control+Home")
        for _ in range(40):
            t.keyboard.press("n")
            wait_js(t, "document.activeElement?.matches('.mark.overlay[data-overlay=\"suggestions\"]')")
            if t.evaluate("document.activeElement.dataset.overlayKey") == str(claim_suggestion.pk):
                break
        t.keyboard.press("r")
        wait_until(lambda: list(SuggestionDecision.objects.values_list("suggestion_id", "layer_id", "decision")),
                   [(claim_suggestion.pk, None, "rejected")])

        # The exercise, due in the zone the form names.
        t.goto(f"/p/{project.slug}/class/")
        type_into(t, "#ex-title", "Sunday library: map the letter")
        type_into(t, "#ex-instructions", "Tag the writer's claim, the evidence and the objection; link them.")
        expect(t.locator("label[for=ex-due]")).to_have_text("Due (UTC)")
        t.select_option("#ex-late", "accept")
        t.locator("#ex-due").scroll_into_view_if_needed()
        shot(t, "L01-new-exercise-form")
        with t.expect_navigation():
            click_on(t, "form.exercise-form button[type=submit]")
        exercise = Exercise.objects.get(project=project)
        key = exercise.layers.get(kind="exercise_key")

        # The key: the rejected suggestion is offered here, accepted; the rest by hand.
        with t.expect_navigation():
            click_on(t, f"[data-edit-key='{document.pk}']")
        t.wait_for_selector(READY)
        click_on(t, "[data-tab='suggestions']")
        click_on(t, "[data-suggestions-show]")
        mark = f'.mark.overlay[data-overlay="suggestions"][data-overlay-key="{claim_suggestion.pk}"]'
        t.wait_for_selector(mark)
        shot(t, "L02-key-suggestions")
        click_on(t, mark)
        wait_js(t, f"document.activeElement?.dataset.overlayKey === '{claim_suggestion.pk}'")
        t.keyboard.press("1")  # a label key accepts it as that label: the writer's claim
        wait_until(lambda: list(key.annotations.filter(suggestion=claim_suggestion).values_list("label", flat=True)), ["claim"])
        click_on(t, "[data-tab='suggestions']")
        click_on(t, "[data-suggestions-show]")
        tag(t, para["evidence"], EVIDENCE, "2")
        tag(t, para["counter"], COUNTER, "3")
        wait_until(lambda: key.annotations.count(), 3)
        shot(t, "L03-key-drafted")

        code = open_join_code(t, project)
        shot(t, "L04-join-code")

        # Student one, on a phone: joins, tags two spans, submits early (asked first).
        early_context, early = join(chromium, live_server, code, "noor")
        contexts.append(early_context)
        early.set_viewport_size({"width": 390, "height": 844})
        shot(early, "L05-phone-my-exercises")
        with early.expect_navigation():
            click_on(early, f"[data-exercise='{exercise.pk}'] a")
        shot(early, "L06-phone-exercise-page")
        with early.expect_navigation():
            click_first_line(early, f"[data-open-document='{document.pk}']")
        early.wait_for_selector(READY)
        shot(early, "L07-phone-workspace")
        tag(early, para["claim"], CLAIM, "1")
        tag(early, para["counter"], COUNTER, "2")  # the objection taken for evidence
        submit_from_the_bar(early, dialog_shot="L08-phone-submit-dialog")
        shot(early, "L09-phone-feedback")
        # On a phone the list is under the whole text: the line's link takes her there.
        click_first_line(early, "[data-exercise-bar] [data-show-feedback]")
        expect(early.locator("#tab-feedback")).to_be_focused()
        expect(early.locator("#tab-feedback")).to_have_attribute("aria-selected", "true")
        expect(early.locator("#tab-feedback")).to_be_in_viewport()
        expect(early.locator("[data-feedback-panel] [data-feedback-item]").first).to_be_visible()
        shot(early, "L09b-phone-feedback-list")
        noor = Submission.objects.get(exercise=exercise, student__username="noor")
        assert noor.status == "submitted" and not noor.late

        # Student two works; the teacher watches, moves the due date to the past; she submits late.
        late_context, late = join(chromium, live_server, code, "ivan")
        contexts.append(late_context)
        late.goto(f"/e/{exercise.pk}/d/{document.pk}/")
        late.wait_for_selector(READY)
        tag(late, para["claim"], CLAIM, "1")
        tag(late, para["evidence"], "410 visitors on an average Sunday", "2")  # part of it
        tag(late, para["counter"], COUNTER, "3")
        t.goto(f"/e/{exercise.pk}/dashboard/")
        wait_until(lambda: statuses(t), ["working", "submitted"], timeout=60000, interval=0.5)
        shot(t, "L10-dashboard-one-submitted")
        move_due_to_past(t, exercise)
        late.goto(f"/e/{exercise.pk}/")
        expect(late.locator("main")).to_contain_text("due 1 Jan 2020, 09:00 UTC")
        with late.expect_navigation():
            click_on(late, f"[data-open-document='{document.pk}']")
        late.wait_for_selector(READY)
        submit_from_the_bar(late)
        shot(late, "L11-late-feedback")
        ivan = Submission.objects.get(exercise=exercise, student__username="ivan")
        assert ivan.status == "submitted" and ivan.late

        # Both reviews, then a key change that moves ivan's score and not noor's.
        t.goto(f"/e/{exercise.pk}/dashboard/")
        wait_until(lambda: statuses(t), ["late", "submitted"], timeout=60000, interval=0.5)
        shot(t, "L12-dashboard-both")
        before = {row.student.username: row.score for row in Submission.objects.filter(exercise=exercise).select_related("student")}
        for name in ("noor", "ivan"):
            t.goto(f"/e/{exercise.pk}/dashboard/")
            t.wait_for_selector(f"[data-student='{name}'] [data-review-link]")
            with t.expect_navigation():
                click_on(t, f"[data-student='{name}'] [data-review-link]")
            shot(t, f"L13-review-{name}")
            with t.expect_navigation():
                click_on(t, "[data-open-map]")
            t.wait_for_selector(READY)
            assert f"layer={Submission.objects.get(exercise=exercise, student__username=name).layer_id}" in t.url
        retag_key_span(t, exercise, document, key, para["evidence"], click="410 visitors", quote=EVIDENCE,
                       fragment="410 visitors on an average Sunday", label="evidence", label_key="2")
        scores = dashboard_scores(t, exercise, "L14-dashboard-after-key-change")
        assert scores["ivan"] > before["ivan"]
        assert scores["noor"] == before["noor"]
        for page in (t, early, late):
            assert not page.errors, page.errors
    finally:
        for context in contexts:
            context.close()
