"""The dashboard (fixed queries for any class size), grades (page, API, command), exports of
the key and submissions in every map format, and the pages a lesson goes through."""
from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import services as ex
from annotations.formats.registry import export_formats
from annotations.services import classes
from tests.fixtures.classroom import tag


def _class_of(classroom, size):
    from annotations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    c = classroom
    for index in range(size):
        student = MembershipFactory(project=c.project, user=UserFactory(username=f"s{index:03d}"), role=Role.ANNOTATOR).user
        submission = ex.submission_start(exercise=c.exercise, user=student)
        tag(c.paragraph, submission.layer, student, 0, 31, "claim" if index % 2 else "evidence")
        if index % 3:
            ex.submission_submit(submission=submission, user=student)
    return c


@pytest.mark.parametrize("size", [2, 12])
def test_dashboard_runs_a_fixed_number_of_queries(classroom, size, django_assert_num_queries, client):
    """The dashboard page costs the same queries for 2 and for 12 students (and so for 200)."""
    c = _class_of(classroom, size)
    client.force_login(c.teacher)
    client.get(f"/e/{c.exercise.pk}/dashboard/")  # warm the session
    with django_assert_num_queries(13):  # 14 until the GET stopped looking for stale scores to store
        response = client.get(f"/e/{c.exercise.pk}/dashboard/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_dashboard_api_runs_a_fixed_number_of_queries(classroom, size, django_assert_num_queries, api):
    """So does the endpoint the live page polls."""
    c = _class_of(classroom, size)
    api.as_user(c.teacher)
    with django_assert_num_queries(10):  # 11 until the GET stopped looking for stale scores to store
        response = api.get(f"/api/exercises/{c.exercise.pk}/dashboard/")
    assert response.status_code == 200 and len(response.json()["students"]) == size + 2


def test_dashboard_content(classroom, api):
    """Status per student, scores, heat map shares, most missed, confusion and agreement."""
    c = classroom
    for student, label in ((c.student, "claim"), (c.student_b, "evidence")):
        submission = ex.submission_start(exercise=c.exercise, user=student)
        tag(c.paragraph, submission.layer, student, 0, 31, label)
        ex.submission_submit(submission=submission, user=student)
    data = api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()
    by_name = {row["username"]: row for row in data["students"]}
    assert by_name["ann"]["status"] == "submitted" and by_name["ann"]["score"] == 23.3
    assert by_name["bob"]["score"] == 0.0
    first = data["heat_map"][0]
    assert first["text"] == "Cats are better pets than dogs." and first["shares"] == {"claim": 0.5, "evidence": 0.5, "counterclaim": 0.0}
    assert data["most_missed"][0]["key"]["quote"].startswith("They need less care")
    cells = dict(zip(data["confusion"]["rows"], data["confusion"]["cells"]))
    assert cells["claim"] == [1, 1, 0, 0]
    assert data["agreement"]["students"] == 2 and data["agreement"]["alpha"] is not None


def test_grades_page_api_and_command_agree(classroom, client, api, tmp_path):
    """One row per student: the CSV page, the API's CSV and the command write the same file."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    submission = ex.submission_submit(submission=submission, user=c.student)
    ex.submission_override(submission=submission, user=c.teacher, score=40, comment="=HYPERLINK(1)")
    client.force_login(c.teacher)
    page = client.get(f"/e/{c.exercise.pk}/grades.csv").content.decode()
    via_api = api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/grades/?format=csv").content.decode()
    out = tmp_path / "grades.csv"
    call_command("exercise_grades", exercise=c.exercise.pk, output=str(out))
    assert page == via_api == out.read_text()
    rows = list(csv.DictReader(io.StringIO(page)))
    assert [row["student"] for row in rows] == ["ann", "bob"]
    assert rows[0]["score"] == "40.0" and rows[0]["computed_score"] == "23.3" and rows[0]["found"] == "1"
    assert rows[0]["override_comment"] == "'=HYPERLINK(1)" and rows[0]["attempts"] == "1" and rows[0]["late"] == "False"
    assert rows[1]["status"] == "not started" and rows[1]["score"] == ""
    with pytest.raises(CommandError, match="No exercise 999"):
        call_command("exercise_grades", exercise=999)


@pytest.mark.parametrize("map_format", [f.name for f in export_formats()])
def test_key_and_submission_export_in_every_format(classroom, api, map_format):
    """The key and a submission export in every format of the registry."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    api.as_user(c.teacher)
    for layer in ("key", submission.pk):
        response = api.get(f"/api/exercises/{c.exercise.pk}/export/?document={c.document.pk}&layer={layer}&format={map_format}")
        assert response.status_code == 200, response.content[:200]
        assert len(response.content) > 0


def test_the_lesson_through_the_pages(classroom, client):
    """Join with the code as a new account, open the exercise, submit (the button alone gets a page
    that asks first and changes nothing; its own button submits), read the feedback."""
    c = classroom
    code = classes.join_code_open(project=c.project, user=c.teacher)
    response = client.post("/join/", {"code": code.display, "username": "eve", "password": "a-long-pass-phrase"})
    assert response.status_code == 302 and response["Location"] == "/exercises/"
    listing = client.get("/exercises/").content.decode()
    assert "Map the pets article" in listing and "not started" in listing
    page = client.get(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    assert page.status_code == 200 and page.context["page_data"]["layer_explicit"] is True
    assert page.context["page_data"]["suggestions"] == {"disabled": True}
    layer_id = page.context["page_data"]["layer"]
    from annotations.models import Layer

    assert Layer.objects.get(pk=layer_id).kind == "exercise_work"
    workspace = f"/e/{c.exercise.pk}/d/{c.document.pk}/"
    asked = client.post(f"/e/{c.exercise.pk}/submit/", {"next": workspace})  # the button alone, as without scripts
    assert asked.status_code == 200 and "Submit attempt 1?" in asked.content.decode()
    assert f'href="{workspace}" data-submit-cancel>Keep working' in asked.content.decode()
    assert Layer.objects.get(pk=layer_id).submission.status == "working"
    response = client.post(f"/e/{c.exercise.pk}/submit/", {"next": workspace, "confirm": "yes"})
    assert response.status_code == 302
    feedback = client.get(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    items = feedback.context["page_data"]["exercise"]["feedback"]
    assert [item["kind"] for item in items] == ["missed", "missed", "missed"]
    html = feedback.content.decode()
    assert "You did not tag this sentence; the key has it as a counterclaim." in html
    assert "Dogs protecting homes speaks for dogs." in html
    wrong_code = client.post("/join/", {"code": "OOO-000"})
    assert wrong_code.status_code == 404 and "check it with your teacher" in wrong_code.content.decode()


def test_bad_exercise_form_says_what_to_fix(classroom, client):
    """No document chosen: 400 with the reason, nothing stored."""
    from annotations.models import Exercise

    c = classroom
    client.force_login(c.teacher)
    before = Exercise.objects.count()
    response = client.post(f"/p/{c.project.slug}/class/", {"title": "Empty", "labels": "claim"})
    assert response.status_code == 400 and "Choose at least one document" in response.content.decode()
    assert Exercise.objects.count() == before


@pytest.mark.parametrize("field", ["opens_at", "due_at"])
def test_a_date_that_does_not_exist_is_a_400_naming_the_field(classroom, client, field):
    """'2026-13-45T99:99' is shaped like a date and time but is none (month 13): a 400 saying so, not a 500
    from Django's parser, on the class page and the exercise settings page; nothing stored."""
    from annotations.models import Exercise

    c = classroom
    client.force_login(c.teacher)
    client.raise_request_exception = False
    before = list(Exercise.objects.values_list("pk", "opens_at", "due_at"))
    for url, form in [(f"/p/{c.project.slug}/class/", {"title": "New", "documents": str(c.document.pk)}),
                      (f"/e/{c.exercise.pk}/settings/", {"title": c.exercise.title})]:
        response = client.post(url, {**form, "labels": "claim", field: "2026-13-45T99:99"})
        assert response.status_code == 400, url
        assert "is not a date and time" in response.content.decode()
    assert list(Exercise.objects.values_list("pk", "opens_at", "due_at")) == before


def test_an_overridden_score_shows_the_computed_one_beside_it(classroom, client):
    """After an override, the review page and the student's feedback say both scores, not only the teacher's."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    submission = ex.submission_submit(submission=submission, user=c.student)
    client.force_login(c.teacher)
    response = client.post(f"/e/{c.exercise.pk}/submissions/{submission.pk}/", {"action": "override", "score": "40", "comment": ""})
    assert response.status_code == 302
    from annotations.models import Submission

    assert Submission.objects.get(pk=submission.pk).override_score == 40.0
    review = client.get(f"/e/{c.exercise.pk}/submissions/{submission.pk}/").content.decode()
    assert "<strong>40.0 %</strong>" in review and "computed from the key: 23.3 %" in review
    client.force_login(c.student)
    page = client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert "computed from the key: 23.3 %" in page


def test_submitted_work_opens_locked_with_the_reason_and_the_next_step(classroom, client):
    """After submitting, the student's workspace has its tag buttons and undo disabled, a line
    saying the work is locked and where the feedback is; while working, none of that."""
    import re

    c = classroom
    client.force_login(c.student)
    url = f"/e/{c.exercise.pk}/d/{c.document.pk}/"
    working = client.get(url)
    assert working.context["can_annotate"] is True and "data-read-only" not in working.content.decode()
    client.post(f"/e/{c.exercise.pk}/submit/", {"next": url, "confirm": "yes"})
    page = client.get(url)
    html = page.content.decode()
    assert page.context["can_annotate"] is False
    buttons = re.findall(r"<button[^>]*data-tag-label[^>]*>", html)
    assert len(buttons) == 3 and all(" disabled" in button for button in buttons)
    assert re.search(r"<button[^>]*data-undo[^>]*disabled", html)
    assert 'data-read-only-reason="Submitted: your work is locked."' in html
    assert "Submitted: your work is locked." in html.split("data-read-only>")[1]
    assert 'Your feedback is in the <a href="#tab-feedback" data-show-feedback>Feedback tab</a>' in html


def test_the_teacher_reads_about_the_student_and_the_student_about_themselves(classroom, client, api):
    """The review page and the feedback endpoint say "ann found this claim." to the teacher, and
    "You found this claim." to ann; the dashboard's link names whose map it is."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    tag(c.paragraph, submission.layer, c.student, 32, 60, "evidence")
    submission = ex.submission_submit(submission=submission, user=c.student)
    client.force_login(c.teacher)
    review = client.get(f"/e/{c.exercise.pk}/submissions/{submission.pk}/").content.decode()
    assert "ann found this claim." in review and "ann found part of this evidence" in review
    assert "ann did not tag this sentence" in review and "ann did not link these" in review
    assert "You found" not in review and "You did not" not in review
    assert "A span the student tagged matches" in review
    dashboard = client.get(f"/e/{c.exercise.pk}/dashboard/").content.decode()
    assert f"href=\"/e/{c.exercise.pk}/submissions/{submission.pk}/\" data-review-link>ann's map beside the key</a>" in dashboard
    teacher_api = api.as_user(c.teacher).get(f"/api/submissions/{submission.pk}/feedback/").json()
    assert {item["message"].split(" ")[0] for item in teacher_api["spans"]} == {"ann"}
    assert all(item["message"].startswith("ann ") for item in teacher_api["relations"])
    student_api = api.as_user(c.student).get(f"/api/submissions/{submission.pk}/feedback/").json()
    assert {item["message"].split(" ")[0] for item in student_api["spans"]} == {"You"}
    client.force_login(c.student)
    own = client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert "You found this claim." in own and "ann found" not in own


def test_the_key_starts_with_suggestions_hidden_and_a_student_never_gets_them_hidden(classroom, client):
    """The teacher's key page marks suggestions as drafting help (hidden at first, whatever the
    teacher chose elsewhere); a student's pages, the exercise's and the plain document page,
    carry none while the exercise hides them."""
    from annotations import services

    c = classroom
    services.preference_update(user=c.teacher, show_suggestions=True)
    client.force_login(c.teacher)
    key_page = client.get(f"/e/{c.exercise.pk}/d/{c.document.pk}/")
    assert key_page.context["page_data"]["suggestions"]["draft_only"] is True
    client.force_login(c.student)
    for url in (f"/e/{c.exercise.pk}/d/{c.document.pk}/", f"/d/{c.document.pk}/"):
        page = client.get(url)
        assert page.context["page_data"]["suggestions"] == {"disabled": True}, url
        assert "data-suggestions-off" in page.content.decode() and "data-suggestions " not in page.content.decode()


def test_first_visit_rough_edges(classroom, client):
    """What a first-time teacher and student stumbled on: the release button shows only when the
    feedback waits for it; the exercise page's feedback items open their document (they were links
    to "#"), for the teacher on the student's layer; the class page draws the join code large."""
    from annotations import services

    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    submission = ex.submission_submit(submission=submission, user=c.student)
    client.force_login(c.teacher)
    for url in (f"/e/{c.exercise.pk}/", f"/e/{c.exercise.pk}/dashboard/"):
        assert 'name="action" value="release"' not in client.get(url).content.decode(), url
    assert "Students' feedback: at once on submission, with detail" in client.get(f"/e/{c.exercise.pk}/dashboard/").content.decode()
    review = client.get(f"/e/{c.exercise.pk}/submissions/{submission.pk}/").content.decode()
    assert f'href="/e/{c.exercise.pk}/d/{c.document.pk}/?layer={submission.layer_id}" data-feedback-item="0"' in review
    assert 'href="#"' not in review
    classes.join_code_open(project=c.project, user=c.teacher)
    assert "annotations/exercises.css" in client.get(f"/p/{c.project.slug}/class/").content.decode()
    services.exercise_update(exercise=c.exercise, user=c.teacher, feedback_mode="release")
    for url in (f"/e/{c.exercise.pk}/", f"/e/{c.exercise.pk}/dashboard/"):
        assert 'name="action" value="release"' in client.get(url).content.decode(), url
    services.exercise_update(exercise=c.exercise, user=c.teacher, feedback_mode="immediate")
    client.force_login(c.student)
    page = client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert f'href="/e/{c.exercise.pk}/d/{c.document.pk}/" data-feedback-item="0"' in page and 'href="#"' not in page
    assert "annotations/exercises.css" in page


def test_the_teacher_is_told_when_hints_would_give_the_key_away(classroom, client):
    """Key spans that are spaCy suggestions word for word are counted beside the hints setting:
    a warning to keep hints off, and a stronger one once they are on; none when no key span is one."""
    from annotations import services
    from tests.factories import SuggestionFactory

    c = classroom
    client.force_login(c.teacher)
    assert "data-hints-give-away" not in client.get(f"/e/{c.exercise.pk}/").content.decode()
    SuggestionFactory(paragraph=c.paragraph, start=0, end=31, label="claim")  # the key's claim, word for word
    SuggestionFactory(paragraph=c.paragraph, start=0, end=20, label="claim")  # not a key span
    page = client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert "1 of the key's 3 spans are spaCy suggestions word for word: keep hints off" in page
    services.exercise_update(exercise=c.exercise, user=c.teacher, show_suggestions=True)
    assert "students see these answers as hints" in client.get(f"/e/{c.exercise.pk}/").content.decode()


def test_the_teacher_reads_a_students_work_locked_and_is_told_so(classroom, client):
    """The teacher opening a student's map in the workspace reads it (not "editing"), with the tag
    buttons disabled and the line saying it is a student's work."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    client.force_login(c.teacher)
    page = client.get(f"/e/{c.exercise.pk}/d/{c.document.pk}/?layer={submission.layer_id}")
    html = page.content.decode()
    assert page.context["can_annotate"] is False
    assert "You are reading <strong>" in html and "You are editing" not in html
    assert 'data-read-only-reason="A student&#x27;s work: read-only for you."' in html


def test_the_review_page_and_the_feedback_call_a_half_overlap_the_same(classroom, client, django_assert_num_queries):
    """A span over half of the key's evidence (and a little past it) is "partly found" beside the map
    and in the feedback; the counterclaim tagged as a claim is "student: claim" on the key's side and
    "key: counterclaim" on the student's; nothing is "(missed)" that the feedback calls found. The page
    runs a fixed number of queries."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    tag(c.paragraph, submission.layer, c.student, 52, 80, "evidence")  # "according to a 2020 survey." of 32-80
    tag(c.paragraph, submission.layer, c.student, 81, 100, "claim")
    submission = ex.submission_submit(submission=submission, user=c.student)
    client.force_login(c.teacher)
    with django_assert_num_queries(10):  # one scoring for the side-by-side and the feedback; the per-document links read no more
        review = client.get(f"/e/{c.exercise.pk}/submissions/{submission.pk}/").content.decode()
    beside = review.split('data-beside-key>')[1].split("</ul>")[0]
    assert [item.split('data-kind="')[1].split('"')[0] for item in beside.split("<li")[1:]] == ["found", "partial", "wrong_label"]
    assert "(partly found, 58 % in common)" in beside and "(student: claim)" in beside and "(missed)" not in beside
    student_side = review.split('data-beside-student>')[1].split("</ul>")[0]
    assert "(key: counterclaim)" in student_side and "(not in the key)" not in student_side
    assert "ann found part of this evidence (58% of the words in common)." in review


def test_the_review_page_links_each_documents_map_and_export(classroom, client):
    """An exercise on two documents: the review page's "Open this map" and "Export (JSON)" are per
    document, each section's links open that document on the student's layer (not the first
    document twice), and the export holds that document's spans."""
    import re

    from tests.factories import DocumentFactory, ParagraphFactory

    c = classroom
    second = DocumentFactory(project=c.project, title="Zoo")
    paragraph = ParagraphFactory(document=second, position=0, text="Zoos keep animals safe from poachers.")
    ex.exercise_update(exercise=c.exercise, user=c.teacher, document_ids=[c.document.pk, second.pk])
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    tag(paragraph, submission.layer, c.student, 0, 15, "claim")
    submission = ex.submission_submit(submission=submission, user=c.student)
    client.force_login(c.teacher)
    review = client.get(f"/e/{c.exercise.pk}/submissions/{submission.pk}/").content.decode()
    for document, quote in ((c.document, "Cats are better pets than dogs."), (second, "Zoos keep anima")):
        section = review.split(f'data-beside="{document.pk}">')[1].split("</section>")[0]
        open_map = re.search(r'<a href="([^"]+)" data-open-map>Open this map of “([^”]+)” in the workspace', section)
        assert open_map and open_map.group(2) == document.title
        assert open_map.group(1) == f"/e/{c.exercise.pk}/d/{document.pk}/?layer={submission.layer_id}"
        workspace = client.get(open_map.group(1))
        assert workspace.status_code == 200 and workspace.context["document"].pk == document.pk
        assert workspace.context["page_data"]["layer"] == submission.layer_id
        export = re.search(r'<a href="([^"]+)" data-export-map>Export “([^”]+)” \(JSON\)', section)
        assert export and export.group(2) == document.title
        exported = client.get(export.group(1).replace("&amp;", "&"))
        assert exported.status_code == 200
        assert quote in exported.content.decode()


def test_due_is_read_and_shown_in_the_time_zone_it_names(classroom, client, settings):
    """With the server's zone Europe/Paris, the form's Opens and Due say "(Europe/Paris)"; 14:30 typed
    as Due is stored as 13:30 UTC and shown as "14:30 CET" on the class page, the student's exercise
    page and My exercises, and a late submission's refusal names the zone too."""
    from datetime import datetime, timezone as dt_timezone

    from annotations.models import Exercise

    settings.TIME_ZONE = "Europe/Paris"
    c = classroom
    client.force_login(c.teacher)
    form = client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert 'Due <span class="muted">(Europe/Paris)</span>' in form
    assert "read and shown in Europe/Paris, this server's time zone" in form
    response = client.post(f"/e/{c.exercise.pk}/settings/", {"title": c.exercise.title, "labels": ["claim", "evidence", "counterclaim"],
                                                           "due_at": "2026-12-01T14:30", "late_policy": "refuse"})
    assert response.status_code == 302
    assert Exercise.objects.get(pk=c.exercise.pk).due_at == datetime(2026, 12, 1, 13, 30, tzinfo=dt_timezone.utc)
    assert 'value="2026-12-01T14:30"' in client.get(f"/e/{c.exercise.pk}/").content.decode()
    assert "due 1 Dec 2026, 14:30 CET" in client.get(f"/p/{c.project.slug}/class/").content.decode()
    client.force_login(c.student)
    for url in (f"/e/{c.exercise.pk}/", "/exercises/"):
        assert "1 Dec 2026, 14:30 CET</time>" in client.get(url).content.decode(), url
    submission = ex.submission_start(exercise=Exercise.objects.get(pk=c.exercise.pk), user=c.student,
                                     now=datetime(2026, 11, 1, tzinfo=dt_timezone.utc))
    from annotations.errors import Conflict

    with pytest.raises(Conflict, match="due on 01 December 2026 at 14:30 CET"):
        ex.submission_submit(submission=submission, user=c.student, now=datetime(2026, 12, 2, tzinfo=dt_timezone.utc))
