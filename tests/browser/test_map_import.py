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
