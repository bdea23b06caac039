"""A teacher finds the classroom from where they already are: the project page links to its
Class page (exercises, join code, students), found with the mouse and with the keyboard, and
a student of a class finds their exercises from it. Before, the Class page was reachable only
by typing its address."""
from __future__ import annotations

import pytest

from tests.browser.conftest import wait_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(transactional_db):
    from annotations.models import Role
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="period-3", name="Period 3")
    teacher = MembershipFactory(project=project, user=UserFactory(username="ms-rao"), role=Role.OWNER).user
    student = MembershipFactory(project=project, user=UserFactory(username="amira"), role=Role.ANNOTATOR).user
    return project, teacher, student


def test_the_teacher_reaches_the_class_page_from_the_project_and_opens_a_code(signed_in_pages, school):
    """Click the project page's class link at its place on screen, then "Open a join code": the code is stored."""
    from annotations.models import JoinCode

    project, teacher, _ = school
    _, page = signed_in_pages(teacher)
    page.goto("/")
    assert "A class is a project too" in page.text_content("[data-class-hint]")
    page.goto(f"/p/{project.slug}/")
    link = page.locator("[data-class-link]")
    assert link.text_content().startswith("Use as a class")
    box = link.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/p/{project.slug}/class/")
    button = page.locator("[data-open-code]").bounding_box()
    page.mouse.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
    page.wait_for_selector("[data-join-code-display]")
    shown = page.text_content("[data-join-code-display]").strip()
    assert JoinCode.objects.get(project=project, closed_at__isnull=True).display == shown
    # Back on the project page (now a class), the link names what is there; Tab reaches it and Enter follows it.
    page.goto(f"/p/{project.slug}/")
    assert page.text_content("[data-class-link]").startswith("Class: exercises")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-class-link')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-class-link')"), "Tab never reached the class link"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/p/{project.slug}/class/")
    wait_js(page, "document.querySelector('[data-join-code-display]') !== null")


def test_a_student_of_the_class_finds_their_exercises_from_the_project(signed_in_pages, school):
    """A student sees no teacher's link, but one to "My exercises"."""
    from annotations.models import Project

    project, _, student = school
    Project.objects.filter(pk=project.pk).update(is_class=True)
    _, page = signed_in_pages(student)
    page.goto(f"/p/{project.slug}/")
    link = page.locator("[data-class-link]")
    assert link.text_content() == "My exercises"
    box = link.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/exercises/")
