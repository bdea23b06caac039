"""Steps of a classroom lesson in Chromium, shared by the lesson walk-throughs
(test_classroom_walkthrough.py, test_classroom_letter.py): a student joining with the class's code,
the join code opened, the due date moved to the past, a submit asked first, the key's span
re-tagged and the dashboard's scores read. Each acts as a hand does (tests/browser/conftest.py)
and waits for the state the tests then assert.
"""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import click_on, click_text, tag, wait_until

READY = "[data-workspace][data-ready='true'][data-text-drawn='true']"


def shot(page, name):
    """With ARGMAP_SHOTS_DIR set, a screenshot of the step saved there (to look at, not compared)."""
    folder = os.environ.get("ARGMAP_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def type_into(page, selector, text):
    click_on(page, selector)
    page.keyboard.type(text, delay=5)


def join(browser, live_server, code, username):
    """A new student joins with the class's code in a browser context of their own: (context, page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto("/join/")
    type_into(page, "#join-code", code)
    type_into(page, "#join-username", username)
    type_into(page, "#join-password", "bus-fares-are-a-tax")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return context, page


def open_join_code(teacher_page, project):
    """The teacher opens a join code on the class page; the code as shown."""
    teacher_page.goto(f"/p/{project.slug}/class/")
    with teacher_page.expect_navigation():
        click_on(teacher_page, "[data-open-code]")
    return teacher_page.text_content("[data-join-code-display]").strip()


def statuses(page):
    """The dashboard's status column, row by row."""
    return page.eval_on_selector_all("[data-students] [data-field=status]", "cells => cells.map(c => c.textContent)")


def move_due_to_past(teacher_page, exercise):
    """The teacher sets the exercise's due time to 1 Jan 2020, 09:00 on its page."""
    teacher_page.goto(f"/e/{exercise.pk}/")
    teacher_page.fill("#ex-due", "2020-01-01T09:00")
    with teacher_page.expect_navigation():
        click_on(teacher_page, "form[action$='/settings/'] button[type=submit]")


def submit_from_the_bar(page, dialog_shot=None):
    """Submit from the exercise bar, confirmed in the dialog that asks first (seen and shot as
    ``dialog_shot`` when named); back on the workspace once its feedback is drawn."""
    click_on(page, "[data-exercise-bar] [data-submit]")
    if dialog_shot:
        expect(page.locator("[data-submit-dialog]")).to_be_visible()
        shot(page, dialog_shot)
    with page.expect_navigation():
        click_on(page, "[data-submit-dialog] [data-submit-confirm]")
    page.wait_for_selector(".mark.overlay-feedback")


def retag_key_span(teacher_page, exercise, document, key, paragraph, *, click, quote, fragment, label, label_key):
    """In the key's workspace the teacher clicks the key's ``label`` span (on ``click``, its text
    ``quote``), deletes it and tags ``fragment`` instead, pressing ``label_key``."""
    teacher_page.goto(f"/e/{exercise.pk}/d/{document.pk}/")
    teacher_page.wait_for_selector(READY)
    click_text(teacher_page, paragraph.pk, click)
    expect(teacher_page.locator("[data-inspector-quote]")).to_have_text(quote)
    click_on(teacher_page, "[data-inspector] [data-delete-span]")
    wait_until(lambda: key.annotations.filter(label=label).count(), 0)
    tag(teacher_page, paragraph, fragment, label_key)


def dashboard_scores(teacher_page, exercise, shot_name):
    """The dashboard's scores, student name → score, as its rows show them."""
    teacher_page.goto(f"/e/{exercise.pk}/dashboard/")
    teacher_page.wait_for_selector("[data-students] [data-field=score]")
    shot(teacher_page, shot_name)
    return dict(zip(
        teacher_page.eval_on_selector_all("[data-students] [data-student]", "rows => rows.map(r => r.dataset.student)"),
        teacher_page.eval_on_selector_all("[data-students] [data-field=score]",
                                          "cells => cells.map(c => parseFloat(c.textContent))"),
    ))
