"""The look in Chromium: every main page fits a phone (375×812) and a laptop (1400×900) with
no horizontal overflow and the header whole; on the document page the sticky toolbar takes at
most 15 % of a phone's height and the map is a tab; a curator adjusts a span's extent on the
curation page by dragging in the text; axe-core finds no serious or critical violation on the
document, project, agreement and curation pages, in the light and the dark theme.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import steady_char_box, wait_js, context_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1400, "height": 900}
CLAIM = "Cats are better pets than dogs."


@pytest.fixture
def tagged(people, project, document, paragraph):
    """Two annotators' layers on the sample document that agree on the claim and not on the rest."""
    from annotations import services

    def tag(user, text, label):
        start = paragraph.text.index(text)
        return services.annotation_create(paragraph=paragraph, layer=None, user=user, start=start, end=start + len(text),
                                          label=label, quote=text)

    claim_a = tag(people["annotator"], CLAIM, "claim")
    evidence_a = tag(people["annotator"], "They need less care, according to a 2020 survey.", "evidence")
    services.relation_create(source=evidence_a, target=claim_a, kind="supports", user=people["annotator"])
    tag(people["annotator_b"], CLAIM, "claim")
    tag(people["annotator_b"], "They need less care", "counterclaim")
    return document


def main_pages(document, project):
    return {
        "projects": "/", "project": f"/p/{project.slug}/", "members": f"/p/{project.slug}/members/",
        "project agreement": f"/p/{project.slug}/agreement/", "document": f"/d/{document.pk}/",
        "compare": f"/d/{document.pk}/compare/", "agreement": f"/d/{document.pk}/agreement/",
        "activity": f"/d/{document.pk}/activity/", "curate": f"/d/{document.pk}/curate/", "mentions": "/mentions/",
    }


def open_page(page, url):
    page.goto(url)
    if "/d/" in url and url.count("/") == 3:  # the document page draws itself
        page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")


MEASURE = """() => {
    const header = document.querySelector('.site-header').getBoundingClientRect();
    const signOut = [...document.querySelectorAll('.site-header button, .site-header a')].find((e) => e.textContent.trim() === 'Sign out');
    const out = signOut ? signOut.getBoundingClientRect() : null;
    const toolbar = document.querySelector('[data-toolbar]');
    // list tables fit; a wide matrix or comparison scrolls inside its own box, which fits
    const tables = [...document.querySelectorAll('table.list, .matrix-scroll, .table-scroll, figure.chart')];
    return {
        scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
        headerRight: header.right,
        signOut: out && {left: out.left, right: out.right, top: out.top, bottom: out.bottom, visible: out.width > 0 && out.height > 0},
        toolbarHeight: toolbar ? toolbar.getBoundingClientRect().height : null,
        tableRight: tables.length ? Math.max(...tables.map((t) => t.getBoundingClientRect().right)) : null,
    };
}"""


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["375x812", "1400x900"])
def test_main_pages_fit_the_screen(chromium, live_server, people, project, tagged, size):
    """No page scrolls sideways, Sign out is on screen, the project table fits, the toolbar stays small."""
    context, page = context_for(chromium, live_server, people["owner"])
    page.set_viewport_size(size)
    try:
        for name, url in main_pages(tagged, project).items():
            open_page(page, url)
            seen = page.evaluate(MEASURE)
            print(f"{size['width']}x{size['height']} {name}: {seen}")
            assert seen["scrollWidth"] <= seen["clientWidth"], f"{name} overflows sideways: {seen}"
            assert seen["signOut"]["visible"] and 0 <= seen["signOut"]["left"] and seen["signOut"]["right"] <= size["width"], name
            if seen["tableRight"] is not None:
                assert seen["tableRight"] <= size["width"], name
            if name == "document":
                assert seen["toolbarHeight"] <= 0.15 * size["height"], seen["toolbarHeight"]
        assert not page.errors, page.errors
    finally:
        context.close()


def test_map_is_a_tab_on_a_phone(chromium, live_server, people, tagged):
    """At 375 px the text and the map are two tabs: clicking Map shows a drawn map instead of the text;
    tapping a node brings back the text with that span selected."""
    context, page = context_for(chromium, live_server, people["annotator"])
    page.set_viewport_size(PHONE)
    try:
        open_page(page, f"/d/{tagged.pk}/")
        page.wait_for_selector("[data-map][data-map-ready='true']", state="attached")
        assert page.locator("[data-map]").is_hidden() and page.locator("[data-paragraphs]").is_visible()
        tab = page.locator("[data-view-switch] [role=tab][data-view=map]")
        box = tab.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert tab.get_attribute("aria-selected") == "true"
        assert page.locator("[data-paragraphs]").is_hidden()
        map_box = page.locator("[data-map]").bounding_box()
        assert map_box["width"] > 300 and map_box["height"] > 300
        assert map_box["y"] < PHONE["height"] / 2, map_box  # the map comes first on its tab, no scrolling to find it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # the claim's node, where Cytoscape drew it
        node = page.evaluate("""() => {
            const cy = document.querySelector('[data-map]').argmapCy;
            const node = cy.nodes().filter((n) => n.data('kind') === 'claim')[0];
            const at = node.renderedPosition();
            const box = cy.container().getBoundingClientRect();
            return {x: box.left + at.x, y: box.top + at.y, key: node.id()};
        }""")
        page.mouse.click(node["x"], node["y"])
        wait_js(page, "document.querySelector('[data-view-switch] [data-view=text]').getAttribute('aria-selected') === 'true'")
        assert page.locator("[data-paragraphs]").is_visible() and page.locator("[data-map]").is_hidden()
        selected = page.locator("[data-paragraphs] .mark.is-selected")
        assert selected.first.get_attribute("data-key") == node["key"]
        assert selected.count() >= 1 and selected.first.is_visible()
        assert selected.first.inner_text().strip() in CLAIM
        # keyboard: the switch is a tablist; arrows move between its tabs
        page.locator("[data-view-switch] [data-view=text]").focus()
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.dataset.view") == "map"
        assert page.locator("[data-paragraphs]").is_hidden()
        assert not page.errors, page.errors
    finally:
        context.close()


def test_wide_screen_shows_text_and_map_side_by_side(chromium, live_server, people, tagged):
    """At 1400 px there is no Text/Map switch: both are on screen."""
    context, page = context_for(chromium, live_server, people["annotator"])
    try:
        open_page(page, f"/d/{tagged.pk}/")
        assert page.locator("[data-view-switch]").is_hidden()
        assert page.locator("[data-map]").is_visible() and page.locator("[data-paragraphs]").is_visible()
        text_box = page.locator("[data-paragraphs]").bounding_box()
        map_box = page.locator("[data-map]").bounding_box()
        assert map_box["x"] >= text_box["x"] + text_box["width"]
    finally:
        context.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1400x900", "375x812"])
def test_curator_adjusts_a_span_by_dragging_in_the_text(chromium, live_server, people, project, tagged, paragraph, size):
    """Adjust in the text, drag from inside one word to inside another, Pick: the consensus stores
    the whole words dragged over, and the disagreement and the summary say resolved."""
    from annotations.models import Annotation, Layer

    context, page = context_for(chromium, live_server, people["curator"])
    page.set_viewport_size(size)
    try:
        page.goto(f"/d/{tagged.pk}/curate/")
        summary = page.locator("[data-curate-summary]")
        assert "1 disagreement: 1 open, 0 resolved" in summary.inner_text()
        group = page.locator("[data-disagreement]").first
        candidate = group.locator("[data-candidate][data-label=evidence]")
        candidate.locator("[data-adjust]").click()
        assert candidate.locator("[data-adjust]").get_attribute("aria-pressed") == "true"
        # from the "e" inside "need" to the "v" inside "survey": snapped to "need … survey"
        box = steady_char_box(page, "[data-disagreement='1'] [data-context]", "eed less care, according to a 2020 surv")
        assert box is not None
        page.mouse.move(box["x1"], box["y1"])
        page.mouse.down()
        page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=4)
        page.mouse.move(box["x2"], box["y2"], steps=4)
        page.mouse.up()
        wanted = "need less care, according to a 2020 survey"
        assert candidate.locator("[data-new-extent]").inner_text() == f"New extent: “{wanted}”"
        assert group.locator("[data-context] .extent").inner_text() == wanted
        with page.expect_navigation():
            candidate.locator("button", has_text="Pick").click()
        consensus = Layer.objects.get(project=project, kind=Layer.Kind.CONSENSUS)
        stored = Annotation.objects.get(layer=consensus)
        assert (stored.quote, stored.label) == (wanted, "evidence")
        assert stored.start == paragraph.text.index(wanted)
        assert "1 disagreement: 0 open, 1 resolved" in page.locator("[data-curate-summary]").inner_text()
        assert page.locator("[data-disagreement='1'] .state").inner_text().lower() == "resolved"
        assert not page.errors, page.errors
    finally:
        context.close()


def test_curator_adjusts_a_span_with_the_keyboard(chromium, live_server, people, project, tagged, paragraph):
    """The same without a mouse: Adjust, Tab to the text, Shift+← takes a word off the end, → one off the start."""
    from annotations.models import Annotation, Layer

    context, page = context_for(chromium, live_server, people["curator"])
    try:
        page.goto(f"/d/{tagged.pk}/curate/")
        candidate = page.locator("[data-disagreement]").first.locator("[data-candidate][data-label=evidence]")
        candidate.locator("[data-adjust]").focus()
        page.keyboard.press("Enter")
        page.locator("[data-disagreement='1'] [data-context]").focus()
        page.keyboard.press("Shift+ArrowLeft")
        page.keyboard.press("ArrowRight")
        wanted = "need less care, according to a 2020"
        assert candidate.locator("[data-new-extent]").inner_text() == f"New extent: “{wanted}”"
        candidate.locator("button", has_text="Pick").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        stored = Annotation.objects.get(layer=Layer.objects.get(project=project, kind=Layer.Kind.CONSENSUS))
        assert stored.quote == wanted
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(chromium, live_server, people, project, tagged, scheme):
    """axe-core (axe-playwright-python) on the document, project, agreement and curation pages."""
    from axe_playwright_python.sync_playwright import Axe

    context, page = context_for(chromium, live_server, people["owner"])
    page.emulate_media(color_scheme=scheme)
    axe = Axe()
    try:
        for url in (f"/d/{tagged.pk}/", f"/p/{project.slug}/", f"/d/{tagged.pk}/agreement/", f"/d/{tagged.pk}/curate/"):
            open_page(page, url)
            if url == f"/d/{tagged.pk}/":
                page.wait_for_selector("[data-map][data-map-ready='true']")
            results = axe.run(page)
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            report = "\n".join(
                f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
                for v in bad
            )
            print(f"{scheme} {url}: {len(results.response['violations'])} violations, {len(bad)} serious or critical")
            assert not bad, f"{url} ({scheme}):\n{report}"
    finally:
        context.close()


BAD_UPLOADS = {
    "empty.txt": b"",
    "blob.txt": bytes(range(256)) * 40,
    "scan.pdf": b"%PDF-1.4 not an article",
}


def _reasons(page):
    return {
        item.locator("strong").inner_text(): item.locator("[data-reason]").inner_text()
        for item in page.locator("li:has([data-reason])").all()
    }


def test_upload_errors_read_the_same_with_and_without_javascript(chromium, live_server, people, project):
    """The same bad files uploaded through the page's script and through the plain form get the same reasons."""
    from django.conf import settings
    from django.test import Client

    files = [{"name": name, "mimeType": "text/plain", "buffer": data} for name, data in BAD_UPLOADS.items()]
    client = Client()
    client.force_login(people["owner"])
    seen = {}
    for scripts in (True, False):
        context = chromium.new_context(viewport=LAPTOP, base_url=live_server.url, java_script_enabled=scripts)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        page = context.new_page()
        try:
            page.goto(f"/p/{project.slug}/")
            page.set_input_files("#upload-files", files)
            if scripts:
                page.click("[data-upload-form] button[type=submit]")
                wait_js(page, f"document.querySelectorAll('[data-upload-results] li').length === {len(files)}")
                expect(page.locator("[data-upload-status]")).to_have_text(re.compile("^0 imported, 0 skipped, 3 failed"))
            else:
                with page.expect_navigation():
                    page.click("[data-upload-form] button[type=submit]")
                assert page.locator(".summary").inner_text() == "0 imported, 0 skipped, 3 failed"
            seen[scripts] = _reasons(page)
        finally:
            context.close()
    assert set(seen[True]) == set(BAD_UPLOADS)
    assert seen[True] == seen[False]
    assert "empty" in seen[True]["empty.txt"] and ".pdf" in seen[True]["scan.pdf"]


def test_readme_screenshots(chromium, live_server, people, project, tmp_path):
    """The sample article with two students' layers: the agreement and curation pages, the workspace
    in the dark theme and on a phone. With ARGMAP_UPDATE_SCREENSHOTS=1 they go to docs/screenshots/."""
    import os
    from pathlib import Path

    from annotations import services
    from tests.browser.test_screenshot import SPANS

    repo = Path(__file__).resolve().parents[2]
    target = repo / "docs" / "screenshots" if os.environ.get("ARGMAP_UPDATE_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    document = services.document_import(project=project, user=None, filename="russia-china-relations.txt",
                                        data=(repo / "fixtures" / "russia-china-relations.txt").read_bytes())
    paragraphs = list(document.paragraphs.order_by("position"))
    # the second student trims one piece of evidence, calls one a claim and the counterclaim evidence
    changed = {1: ("international sanctions on Russia", "evidence"), 3: (None, "claim"), 6: (None, "evidence")}
    for user, variant in ((people["annotator"], {}), (people["annotator_b"], changed)):
        made = []
        for index, (opening, quote, label) in enumerate(SPANS[:5] + SPANS[6:]):
            quote, label = (variant.get(index, (None, None))[0] or quote), (variant.get(index, (None, label))[1] or label)
            paragraph = next(p for p in paragraphs if p.text.startswith(opening))
            start = paragraph.text.index(quote)
            made.append(services.annotation_create(paragraph=paragraph, layer=None, user=user, start=start,
                                                   end=start + len(quote), label=label, quote=quote))
        services.relation_create(source=made[1], target=made[0], kind="supports", user=user)
        services.relation_create(source=made[4], target=made[2], kind="supports", user=user)
    layers = [services.layer_get_or_create_personal(project=project, user=people[name]) for name in ("annotator", "annotator_b")]
    services.consensus_merge(document=document, layers=layers, user=people["owner"])

    shots = [
        ("agreement.png", people["owner"], f"/d/{document.pk}/agreement/", LAPTOP, "light"),
        ("curate.png", people["owner"], f"/d/{document.pk}/curate/", LAPTOP, "light"),
        ("workspace-dark.png", people["annotator"], f"/d/{document.pk}/", LAPTOP, "dark"),
        ("workspace-phone.png", people["annotator"], f"/d/{document.pk}/", PHONE, "light"),
        ("workspace-phone-map.png", people["annotator"], f"/d/{document.pk}/", PHONE, "dark"),
    ]
    for name, user, url, size, scheme in shots:
        context, page = context_for(chromium, live_server, user)
        try:
            page.set_viewport_size(size)
            page.emulate_media(color_scheme=scheme)
            open_page(page, url)
            if url.endswith(f"/d/{document.pk}/"):
                page.wait_for_selector("[data-map][data-map-ready='true']", state="attached")
                if name.endswith("map.png"):
                    page.click("[data-view-switch] [data-view=map]")
                    page.wait_for_timeout(300)
                else:
                    page.locator("[data-paragraphs] .mark.mark-first").nth(2).click()
                page.evaluate("document.activeElement && document.activeElement.blur()")
                page.screenshot(path=str(target / name))
            else:
                page.screenshot(path=str(target / name), full_page=True)
            assert (target / name).stat().st_size > 10_000
            assert not page.errors, page.errors
        finally:
            context.close()
