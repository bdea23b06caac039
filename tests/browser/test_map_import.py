"""The project page's Import form in Chromium: a curator picks the brat format by keyboard, chooses
a folder's .txt/.ann files and its annotation.conf in the file chooser at once, types a label
mapping, clicks Import; what is stored is checked in the database."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import context_for

CORPUS = Path(__file__).resolve().parents[1] / "formats" / "data" / "brat-corpus"


@pytest.fixture
def curator(transactional_db):
    from annotations.models import Role
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="essays", name="Essays",
                             labels=["major_claim", "claim", "evidence", "counterclaim", "rebuttal"])
    user = UserFactory(username="cura")
    MembershipFactory(project=project, user=user, role=Role.CURATOR)
    return user


def click(page, locator, *, left=None):
    """A real mouse click on the element, scrolled into view first (coordinates outside the viewport hit nothing)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x = box["x"] + (left if left is not None else box["width"] / 2)
    page.mouse.click(x, box["y"] + box["height"] / 2)


def test_several_brat_files_at_once_with_a_label_mapping(chromium, live_server, curator):
    """Five files chosen at once become two documents; MajorClaim=claim maps the essays' major claims."""
    from annotations.models import Annotation, Document

    context, page = context_for(chromium, live_server, curator)
    try:
        page.goto("/p/essays/")
        select = page.locator("#import-format")
        select.scroll_into_view_if_needed()
        select.focus()
        page.keyboard.press("b")  # type-ahead in the focused select, as a person picks "brat standoff"
        assert select.input_value() == "brat"
        with page.expect_file_chooser() as chooser:
            click(page, page.locator("#import-files"), left=10)
        chooser.value.set_files([str(path) for path in sorted(CORPUS.iterdir())])
        click(page, page.locator("#import-map"), left=10)
        for key in "MajorClaim=claim":
            page.keyboard.press(key)
        assert page.locator("#import-map").input_value() == "MajorClaim=claim"
        click(page, page.locator("section.map-import").get_by_role("button", name="Import", exact=True))
        page.wait_for_selector("text=2 document(s) imported", timeout=120_000)  # two imports in one request
        assert not page.errors
    finally:
        context.close()
    documents = Document.objects.filter(project__slug="essays")
    assert set(documents.values_list("title", flat=True)) == {
        "Should students be taught to compete or to cooperate?",
        "More people are migrating to other countries than ever before",
    }
    labels = set(Annotation.objects.filter(document__in=documents).values_list("label", flat=True))
    assert "major_claim" not in labels and {"claim", "evidence", "counterclaim"} <= labels
    assert Annotation.objects.filter(document__in=documents).count() == 10


def test_other_tools_files_with_the_format_left_to_argmap(chromium, live_server, curator, tmp_path):
    """The form's default format, "Recognise from the files", with a file of each tool as a person picks it: a Kialo
    export, an AbstRCT brat pair (Partial-Attack), a doccano export typed on Windows, a generator's AIF with its
    graph at the top; each stored with the counts the page reports."""
    import json

    from annotations.models import Annotation, Document, Relation
    from tests.formats.test_real_shapes import TEXT, t_line
    from tests.formats.test_relation_types import AGAINST, CLAIM, PREMISE

    data = Path(__file__).resolve().parents[1] / "formats" / "data"
    (tmp_path / "abstract.txt").write_text(TEXT)
    (tmp_path / "abstract.ann").write_text(t_line("T1", "MajorClaim", CLAIM) + t_line("T2", "Premise", PREMISE)
                                           + t_line("T3", "Premise", AGAINST) + "R1\tSupport Arg1:T2 Arg2:T1\t\n"
                                           "R2\tPartial-Attack Arg1:T3 Arg2:T1\t\n")
    (tmp_path / "debate.json").write_text(json.dumps({
        "AIF": {"version": "1.0"}, "nodes": [
            {"nodeID": "1", "text": "Cats are the best pets.", "type": "I"},
            {"nodeID": "2", "text": "They purr.", "type": "I"}, {"nodeID": "3", "type": "S", "scheme": "RA"}],
        "edges": [{"edgeID": "1", "fromID": "2", "toID": "3"}, {"edgeID": "2", "fromID": "3", "toID": "1"}]}))
    uploads = [([data / "kialo-classic.txt"], "8 spans, 8 relations"),
               ([tmp_path / "abstract.txt", tmp_path / "abstract.ann"], "3 spans, 2 relations"),
               ([data / "doccano-windows.jsonl"], "6 spans, 3 relations"),
               ([tmp_path / "debate.json"], "2 spans, 1 relations")]
    context, page = context_for(chromium, live_server, curator)
    try:
        for files, stored in uploads:
            page.goto("/p/essays/")
            assert page.locator("#import-format").input_value() == "auto"
            with page.expect_file_chooser() as chooser:
                click(page, page.locator("#import-files"), left=10)
            chooser.value.set_files([str(path) for path in files])
            click(page, page.locator("section.map-import").get_by_role("button", name="Import", exact=True))
            page.wait_for_selector("text=document(s) imported", timeout=120_000)
            assert stored in page.content(), files
        assert not page.errors
    finally:
        context.close()
    assert Document.objects.filter(project__slug="essays").count() == 5
    assert Annotation.objects.count() == 8 + 3 + 6 + 2 and Relation.objects.count() == 8 + 2 + 3 + 1
    assert set(Relation.objects.filter(document__title__startswith="Café").values_list("kind", flat=True)) == \
        {"supports", "attacks"}
