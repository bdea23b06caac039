"""The sample article in the workspace with a few spans and relations, in text and map.

Saves a screenshot to a temporary directory; with ARGMAP_UPDATE_SCREENSHOTS=1 it writes the
README's docs/screenshots/workspace.png instead.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import open_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]

# (paragraph position found by its text, quote, label)
SPANS = [
    ("Since 2014", "Russo-Chinese bilateral cooperation has risen to an unprecedented level", "claim"),
    ("Since 2014", "facilitated by international sanctions on Russia", "evidence"),
    ("Since the dissolution", "the Russo-Sino Cold War period rivalry has transformed into a pragmatic partnership built on an anti-US axis", "claim"),
    ("Since the dissolution", "In 1996, a “Russo-Chinese strategic partnership” was formed", "evidence"),
    ("Since the dissolution", "NATO’s bombing of Serbia in 1999 accelerated Moscow’s shift towards Beijing", "evidence"),
    ("Since the dissolution", "bombing of Serbia", "evidence"),
    ("Despite ups and downs", "Russo-Sino relations have always been characterized by complexity and lingering mistrust", "counterclaim"),
]
RELATIONS = [(1, 0, "supports"), (3, 2, "supports"), (4, 2, "supports"), (6, 0, "attacks")]


def test_sample_article_screenshot(signed_in_page, annotator, tmp_path):
    """The sample article renders with spans (nested too), the legend, the outline and the map."""
    from annotations import services

    project = annotator.memberships.get().project
    document = services.document_import(project=project, user=None, data=(REPO / "fixtures" / "russia-china-relations.txt").read_bytes(), filename="russia-china-relations.txt")
    paragraphs = list(document.paragraphs.order_by("position"))
    made = []
    for opening, quote, label in SPANS:
        paragraph = next(p for p in paragraphs if p.text.startswith(opening))
        start = paragraph.text.index(quote)
        made.append(services.annotation_create(paragraph=paragraph, layer=None, user=annotator, start=start, end=start + len(quote), label=label, quote=quote))
    for source, target, kind in RELATIONS:
        services.relation_create(source=made[source], target=made[target], kind=kind, user=annotator)

    page = signed_in_page
    open_document(page, document)
    page.wait_for_selector("[data-map][data-map-ready='true']")
    page.locator(f".mark.mark-first[data-annotation-id='{made[4].pk}']").click()
    page.click("[data-tab='outline']")
    page.wait_for_selector("[data-outline-key]")
    page.evaluate("window.scrollTo(0, 0)")
    page.focus("[data-map]")
    page.keyboard.press("0")  # fit the whole map
    page.evaluate("document.activeElement.blur()")
    assert page.locator("[data-paragraphs] .mark.mark-first").count() == len(SPANS)
    assert page.evaluate("document.querySelector('[data-map]').argmapCy.edges().length") == len(RELATIONS)
    target = REPO / "docs" / "screenshots" / "workspace.png" if os.environ.get("ARGMAP_UPDATE_SCREENSHOTS") else tmp_path / "workspace.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
