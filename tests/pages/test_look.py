"""Page chrome every page shares: the favicon, the Curate tab only for those who may curate,
the stylesheet's themes, and no inline styles or scripts in the templates."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_favicon_is_linked_and_served(client, people, document):
    """Every page links an SVG icon that exists; /favicon.ico redirects to it instead of a 404."""
    client.force_login(people["annotator"])
    page = client.get(f"/p/{document.project.slug}/").content.decode()
    assert 'rel="icon"' in page and "annotations/favicon.svg" in page
    assert finders.find("annotations/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("annotations/favicon.svg")


@pytest.mark.parametrize("role, shown", [("annotator", False), ("viewer", False), ("curator", True), ("owner", True)])
def test_curate_tab_only_for_curators(client, people, document, role, shown):
    """Students and viewers (who get a 403 there) see no Curate tab; curators and owners do."""
    client.force_login(people[role])
    for url in (f"/d/{document.pk}/", f"/d/{document.pk}/compare/", f"/d/{document.pk}/agreement/", f"/d/{document.pk}/activity/"):
        page = client.get(url).content.decode()
        assert (f'href="/d/{document.pk}/curate/"' in page) is shown, url
    assert client.get(f"/d/{document.pk}/curate/").status_code == (200 if shown else 403)


def test_current_document_view_is_marked(client, people, document):
    """The tab of the page you are on carries aria-current."""
    client.force_login(people["curator"])
    page = client.get(f"/d/{document.pk}/agreement/").content.decode()
    assert f'href="/d/{document.pk}/agreement/" aria-current="page"' in page
    assert f'href="/d/{document.pk}/compare/" aria-current' not in page


def test_stylesheet_has_both_themes_and_focus_rings():
    """The design tokens come in a light and a dark set; focus is always visible."""
    css = Path(finders.find("annotations/argmap.css")).read_text()
    assert "@media (prefers-color-scheme: dark)" in css
    for token in ("--claim", "--evidence", "--counterclaim", "--major_claim", "--rebuttal", "--focus", "--space-4", "--text-base"):
        assert css.count(f"{token}:") >= 1, token
    assert ":focus-visible { outline: 3px solid var(--focus)" in css


def test_templates_have_no_inline_styles_or_scripts():
    """Styles live in CSS files and scripts in modules (a strict CSP can forbid inline ones)."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert " style=" not in text, template
        assert "<style" not in text, template
        for chunk in text.split("<script")[1:]:
            assert " src=" in chunk.split(">", 1)[0], template
