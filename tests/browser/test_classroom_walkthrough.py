"""A lesson on a new text, as its people go through it in Chromium: the teacher uploads an op-ed,
sets an exercise, drafts the key from a suggestion and by hand (with a note), opens a join code;
two students join in their own browser contexts, map it with the mouse, one submits early and one
late (after the teacher moved the due date); the teacher watches the dashboard, opens a review,
changes the key and sees the scores move. With ARGMAP_SHOTS_DIR set, a screenshot of each step
is saved there (to look at, not compared).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_on, click_text, context_for, tag, wait_js, wait_until
from tests.browser.lesson import (
    READY, dashboard_scores, join, move_due_to_past, open_join_code, retag_key_span, shot, statuses, submit_from_the_bar,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OP_ED = """# Free Buses Would Pay for Themselves

Our city should stop charging fares on its buses. A ticket costs two dollars today, and that price keeps the people who most need the bus off it.

When Tallinn made its buses free for residents in 2013, ridership rose by fourteen percent in the first year, and car traffic in the centre fell by about five percent. Smaller towns in France and Poland report the same pattern.

Collecting fares is also expensive. The transit authority spends nearly a fifth of what it takes in at the fare box on ticket machines, card readers and the staff who service them.

Critics say that free buses would drain the budget and leave no money for new routes. That worry deserves an answer, because a free service nobody can expand helps no one.

The answer is that the fare box covers only a small share of the cost of running buses. Here it pays for eleven percent of the operating budget; the rest already comes from taxes.

Others argue that people do not value what they get for free. Yet nobody claims that free libraries or free parks are treated with contempt.

The council should vote this spring to end bus fares, and fund the gap from the parking levy it already collects.
"""

CLAIM = "Our city should stop charging fares on its buses."
EVIDENCE = "When Tallinn made its buses free for residents in 2013, ridership rose by fourteen percent in the first year"
COUNTER = "Critics say that free buses would drain the budget and leave no money for new routes."
LAST = "The council should vote this spring to end bus fares, and fund the gap from the parking levy it already collects."


def test_a_lesson_on_an_op_ed(chromium, live_server, transactional_db):
    """Exercise, key (a suggestion and by hand, with a note), join code, two students (early, late),
    the dashboard, a review and a key change that moves the scores, as stored."""
    from annotations import services
    from annotations.models import Annotation, Exercise, Role, Submission
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="civics-10a", name="Civics 10A")
    teacher = MembershipFactory(project=project, user=UserFactory(username="mr-okafor"), role=Role.OWNER).user
    document = services.document_import(project=project, user=teacher, data=OP_ED.encode(), filename="free-buses.md")
    services.suggestions_compute(document=document)
    services.preference_update(user=teacher, show_suggestions=False, suggestion_threshold=0.0)
    para = {name: document.paragraphs.get(text__contains=text) for name, text in
            (("claim", CLAIM), ("evidence", EVIDENCE), ("counter", COUNTER), ("last", LAST))}
    contexts = []
    try:
        teacher_context, t = context_for(chromium, live_server, teacher)
        t.set_viewport_size({"width": 1280, "height": 800})
        contexts.append(teacher_context)
        # The exercise, from the class page.
        t.goto(f"/p/{project.slug}/class/")
        shot(t, "01-class-page-empty")
        type_into(t, "#ex-title", "Free buses: map the argument")
        type_into(t, "#ex-instructions", "Tag the main claim, its evidence and the counterclaim; link them.")
        t.select_option("#ex-late", "accept")
        shot(t, "02-new-exercise-form")
        with t.expect_navigation():
            click_on(t, "form.exercise-form button[type=submit]")
        exercise = Exercise.objects.get(project=project)
        shot(t, "03-exercise-page")

        # The key: the last paragraph from spaCy's suggestions, the rest by hand.
        with t.expect_navigation():
            click_on(t, f"[data-edit-key='{document.pk}']")
        t.wait_for_selector(READY)
        shot(t, "04-key-workspace")
        click_on(t, "[data-tab='suggestions']")
        click_on(t, "[data-suggestions-show]")
        t.wait_for_selector('.mark.overlay[data-overlay="suggestions"]')
        shot(t, "05-key-suggestions-shown")
        key = exercise.layers.get(kind="exercise_key")
        # One suggestion at a time: the first is the opening sentence, a claim; click it, press a.
        click_on(t, '.mark.overlay-first[data-overlay="suggestions"]')
        wait_js(t, "document.activeElement?.matches('.mark.overlay[data-overlay=\"suggestions\"]')")
        t.keyboard.press("a")
        wait_until(lambda: list(key.annotations.values_list("quote", flat=True)), [CLAIM])
        click_on(t, "[data-tab='suggestions']")
        click_on(t, "[data-suggestions-show]")  # hidden again: the rest by hand
        tag(t, para["evidence"], EVIDENCE, "2")
        tag(t, para["counter"], COUNTER, "3")
        tag(t, para["last"], LAST, "1")
        wait_until(lambda: key.annotations.count(), 4)
        # A note on the counterclaim, typed into the Span panel's Note box.
        click_text(t, para["counter"].pk, "drain the budget")
        expect(t.locator("[data-inspector-quote]")).to_have_text(COUNTER)
        type_into(t, "[data-inspector] [data-note]", "Critics say: the author grants a point before answering it.")
        t.keyboard.press("Tab")
        counter_key = key.annotations.get(label="counterclaim")
        wait_until(lambda: Annotation.objects.get(pk=counter_key.pk).note,
                   "Critics say: the author grants a point before answering it.")
        shot(t, "06-key-with-note")

        # The join code.
        code = open_join_code(t, project)
        shot(t, "07-join-code")
        t.goto(f"/e/{exercise.pk}/dashboard/")

        # Student one: joins, tags the claim and the counterclaim, submits early.
        early_context, early = join(chromium, live_server, code, "lena")
        contexts.append(early_context)
        shot(early, "08-student-my-exercises")
        with early.expect_navigation():
            click_on(early, f"[data-exercise='{exercise.pk}'] a")
        shot(early, "09-student-exercise-page")
        with early.expect_navigation():
            click_on(early, f"[data-open-document='{document.pk}']")
        early.wait_for_selector(READY)
        shot(early, "10-student-workspace")
        tag(early, para["claim"], CLAIM, "1")
        tag(early, para["counter"], COUNTER, "1")  # the counterclaim taken for a claim
        submit_from_the_bar(early, dialog_shot="11-submit-dialog")
        shot(early, "12-student-feedback")
        lena = Submission.objects.get(exercise=exercise, student__username="lena")
        assert lena.status == "submitted" and not lena.late

        # Student two starts; the teacher watches, then moves the due date to the past.
        late_context, late = join(chromium, live_server, code, "tomas")
        contexts.append(late_context)
        late.goto(f"/e/{exercise.pk}/d/{document.pk}/")
        late.wait_for_selector(READY)
        tag(late, para["claim"], CLAIM, "1")
        tag(late, para["evidence"], "ridership rose by fourteen percent in the first year", "2")  # half of it
        tag(late, para["counter"], COUNTER, "3")
        wait_until(lambda: statuses(t), ["submitted", "working"], timeout=60000, interval=0.5)
        shot(t, "13-dashboard-one-submitted")
        move_due_to_past(t, exercise)
        late.goto(f"/e/{exercise.pk}/d/{document.pk}/")
        late.wait_for_selector(READY)
        submit_from_the_bar(late)
        shot(late, "14-late-student-feedback")
        tomas = Submission.objects.get(exercise=exercise, student__username="tomas")
        assert tomas.status == "submitted" and tomas.late

        # The dashboard, a review, then a key change that moves tomas's score.
        t.goto(f"/e/{exercise.pk}/dashboard/")
        wait_until(lambda: statuses(t), ["submitted", "late"], timeout=60000, interval=0.5)
        shot(t, "15-dashboard-both")
        before = {row.student.username: row.score for row in Submission.objects.filter(exercise=exercise).select_related("student")}
        with t.expect_navigation():
            click_on(t, "[data-student='tomas'] [data-review-link]")
        beside = t.text_content("[data-beside-key]")
        assert "partly found" in beside and "(missed)" not in beside.split("evidence")[1].split("”")[0]
        assert "tomas found part of this evidence" in t.text_content("main")
        shot(t, "16-review-tomas")
        # The key's evidence shrinks to the words tomas tagged: now he found it.
        retag_key_span(t, exercise, document, key, para["evidence"], click="Tallinn made", quote=EVIDENCE,
                       fragment="ridership rose by fourteen percent in the first year", label="evidence", label_key="2")
        scores = dashboard_scores(t, exercise, "17-dashboard-after-key-change")
        assert scores["tomas"] > before["tomas"]
        assert scores["lena"] == before["lena"]
        for page in (t, early, late):
            assert not page.errors, page.errors
    finally:
        for context in contexts:
            context.close()
