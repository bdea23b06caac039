"""The workspace driven as a hand and a keyboard drive it, on the sample article: mouse drags
at real coordinates (from the first letter of a word, inside a suggestion's outline, across a
span's edge, across two paragraphs) at a laptop's and a phone's size, each checked against the
span the server stored; and the first section mapped with the keyboard alone, keys counted.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import after_frames, wait_js, wait_until, open_document, wait_saved
from tests.paths import SAMPLE_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def article(annotator):
    """The sample article imported into the annotator's project, as an upload would be."""
    from annotations import services

    project = annotator.memberships.get().project
    return services.document_import(project=project, user=None, data=SAMPLE_ARTICLE.read_bytes(), filename=SAMPLE_ARTICLE.name)


@pytest.fixture
def page_at(signed_in_pages, annotator):
    """page_at(viewport) -> the annotator's signed-in page at that size."""

    def opener(viewport):
        _, page = signed_in_pages(annotator)
        page.set_viewport_size(viewport)
        return page

    return opener


def _paragraph(document, starting):
    return next(p for p in document.paragraphs.order_by("position") if p.text.startswith(starting))


def _tagged_opening(document, user, quote, label):
    """Store a span on the opening words ``quote`` of a paragraph, in the user's layer; return the paragraph."""
    from annotations import services

    paragraph = _paragraph(document, quote)
    layer = services.layer_get_or_create_personal(project=document.project, user=user)
    services.annotation_create(paragraph=paragraph, layer=layer, user=user, start=0, end=len(quote), label=label, quote=quote)
    return paragraph


def _between(text, first, last):
    """The text from the start of ``first`` to the end of ``last`` (what a drag over them covers)."""
    start = text.index(first)
    return text[start:text.index(last, start) + len(last)]


def _stored(document):
    from annotations.models import Annotation

    return [(a.label, a.quote) for a in Annotation.objects.filter(document=document).order_by("id")]


POINT_JS = """([paragraphId, fragment, edge]) => {
    const element = document.querySelector(`[data-paragraph-id="${paragraphId}"]`);
    const text = element.textContent;
    const at = text.indexOf(fragment);
    if (at < 0) return null;
    const offset = edge === "first" ? at : at + fragment.length - 1;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (offset < seen + node.length) {
            const range = document.createRange();
            range.setStart(node, offset - seen);
            range.setEnd(node, offset - seen + 1);
            const rect = range.getBoundingClientRect();
            return {x: edge === "first" ? rect.left + 1 : rect.right - 1, y: rect.top + rect.height / 2};
        }
        seen += node.length;
    }
    return null;
}"""


def _point(page, paragraph, fragment, edge):
    point = page.evaluate(POINT_JS, [paragraph.pk, fragment, edge])
    assert point is not None, f"{fragment!r} is not in paragraph {paragraph.pk}"
    return point


def _wait_scroll_settled(page):
    """Wait until a wheel scroll has ended: the page keeps the same scroll position (and the
    paragraphs scrolled into view keep their laid-out height) over two animation frames twice running.
    A wheel scroll lands over several frames, and a busy machine spreads them over longer."""
    page.wait_for_timeout(150)
    read = lambda: page.evaluate("[window.scrollY, document.querySelector('[data-paragraphs]').getBoundingClientRect().height]")
    steady = 0
    last = read()
    for _ in range(200):
        after_frames(page)
        now = read()
        steady = steady + 1 if now == last else 0
        if steady >= 2:
            return
        last = now
    raise AssertionError("the page never stopped scrolling")


def drag(page, start_paragraph, first, end_paragraph, last):
    """Press the mouse on the first letter of ``first``, move in steps, release on the last letter
    of ``last``. Returns what happened to the text while the button was down."""
    # Bring the first word to the upper middle of the window, as a reader scrolls to it.
    at = _point(page, start_paragraph, first, "first")
    page.mouse.wheel(0, at["y"] - page.viewport_size["height"] * 0.4)
    _wait_scroll_settled(page)
    start = _point(page, start_paragraph, first, "first")
    end = _point(page, end_paragraph, last, "last")
    for point in (start, end):
        assert 0 < point["y"] < page.viewport_size["height"], f"{point} is off screen"
        hit = page.evaluate("([x, y]) => Boolean(document.elementFromPoint(x, y)?.closest('[data-paragraph-id]'))", [point["x"], point["y"]])
        assert hit, f"something covers the text at {point}"
    page.evaluate("""() => {
        window.__drag = {mutations: 0, scroll: window.scrollY};
        window.__dragObserver = new MutationObserver((records) => { window.__drag.mutations += records.length; });
        window.__dragObserver.observe(document.querySelector('[data-paragraphs]'), {childList: true, subtree: true});
    }""")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move((start["x"] + end["x"]) / 2, (start["y"] + end["y"]) / 2, steps=4)
    page.mouse.move(end["x"], end["y"], steps=4)
    during = page.evaluate("() => ({mutations: window.__drag.mutations, scrolled: window.scrollY - window.__drag.scroll})")
    page.mouse.up()
    page.evaluate("() => window.__dragObserver.disconnect()")
    return during


def _show_suggestions(user):
    from annotations import services

    services.preference_update(user=user, show_suggestions=True, suggestion_threshold=0.0)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400x900", "375x812"])
def test_a_drag_from_the_first_letter_of_a_sentence_tags_that_sentence(page_at, article, viewport):
    """'In 1996 … domination.' dragged from the I to the final full stop, then key 2: that sentence is stored."""
    page = page_at(viewport)
    open_document(page, article)
    paragraph = _paragraph(article, "Since the dissolution")
    drag(page, paragraph, "In 1996", paragraph, "unipolar domination.")
    page.keyboard.press("2")
    wait_saved(page)
    assert _stored(article) == [("evidence", _between(paragraph.text, "In 1996", "unipolar domination."))]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400x900", "375x812"])
def test_a_drag_that_starts_inside_a_suggestion_never_redraws_or_scrolls_the_text(page_at, article, annotator, viewport):
    """Pressing on 'NATO’s' inside the current suggestion's outline starts a selection: no redraw, no scroll while the
    button is down, and the stored span is what was dragged over; the suggestion is still there."""
    from tests.factories import SuggestionFactory

    paragraph = _paragraph(article, "Since the dissolution")
    start = paragraph.text.index("NATO’s")
    SuggestionFactory(paragraph=paragraph, start=start, end=len(paragraph.text.rstrip()), label="evidence", score=0.9)
    _show_suggestions(annotator)
    page = page_at(viewport)
    open_document(page, article)
    page.wait_for_selector('.mark.overlay-suggestion-current[data-overlay="suggestions"]')
    during = drag(page, paragraph, "NATO’s", paragraph, "in 1999")
    assert during == {"mutations": 0, "scrolled": 0}
    page.keyboard.press("1")
    wait_saved(page)
    assert _stored(article) == [("claim", "NATO’s bombing of Serbia in 1999")]
    assert page.locator('.mark.overlay[data-overlay="suggestions"]').count() >= 1


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400x900", "375x812"])
def test_a_drag_across_a_span_edge_makes_a_new_overlapping_span(page_at, article, annotator, viewport):
    """From 'Soviet' inside a claim to 'rivalry' past its end: a second span with exactly those words; the first stays."""
    claim = "Since the dissolution of the Soviet Union"
    paragraph = _tagged_opening(article, annotator, claim, "claim")
    page = page_at(viewport)
    open_document(page, article)
    drag(page, paragraph, "Soviet", paragraph, "rivalry")
    page.keyboard.press("2")
    wait_saved(page)
    assert _stored(article) == [("claim", claim), ("evidence", _between(paragraph.text, "Soviet", "rivalry"))]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400x900", "375x812"])
def test_a_drag_across_two_paragraphs_is_refused_with_a_message(page_at, article, viewport):
    """From the end of one paragraph into the next, then a label key: nothing is stored and the page says why."""
    page = page_at(viewport)
    open_document(page, article)
    first = _paragraph(article, "Since the dissolution")
    second = _paragraph(article, "Since Vladimir")
    drag(page, first, "NATO’s", second, "second term")
    page.keyboard.press("1")
    wait_js(page, "(document.querySelector('[data-key-target]').textContent || '').includes('one paragraph')")
    assert page.locator("[data-key-target]").is_visible()
    page.wait_for_timeout(300)
    assert _stored(article) == []


def test_the_first_section_mapped_with_the_keyboard_alone_in_under_150_keys(page_at, article):
    """Two claims, three evidence, one counterclaim, three supports and one attacks, keys only, each press counted;
    what is stored is that map, and focus never falls to the page body."""
    from annotations.models import Annotation, Relation

    page = page_at(LAPTOP)
    open_document(page, article)
    presses = []

    def press(key, times=1):
        for _ in range(times):
            page.keyboard.press(key)
            presses.append(key)
            assert page.evaluate("document.activeElement !== document.body"), f"focus fell to <body> after {key}"

    def sentence(label_key):
        press("Alt+ArrowDown")  # select to the end of the sentence
        press(label_key)

    # Into the text: one tab stop, reached with Tab from the top of the page.
    page.evaluate("document.activeElement.blur()")
    for _ in range(40):
        press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-text-region')"):
            break
    press("Control+Home")
    order = list(article.paragraphs.order_by("position").values_list("text", flat=True))
    press("ArrowDown", next(i for i, text in enumerate(order) if text.startswith("Since the dissolution")))
    sentence("1")          # C1 Since the dissolution … anti-US axis.
    press(")"); sentence("2")  # E1 In 1996 …
    press(")"); sentence("2")  # E2 NATO’s bombing …
    press("ArrowDown"); sentence("1")  # C2 Since Vladimir Putin’s … unprecedented level.
    press(")"); sentence("2")  # E3 The two countries …
    press("ArrowDown"); sentence("3")  # X Despite ups and downs …
    wait_saved(page)
    # Links: from a span, s (supports) or a (attacks), ] / [ to the other span, Enter. Focus comes back.
    press("["); press("[")           # E3
    press("s"); press("["); press("Enter")    # E3 supports C2; focus back on E3
    press("]")                       # X
    press("a"); press("["); press("["); press("Enter")  # X attacks C2
    press("["); press("["); press("[")  # E2
    press("s"); press("["); press("["); press("Enter")  # E2 supports C1
    press("[")                       # E1
    press("s"); press("["); press("Enter")    # E1 supports C1
    wait_saved(page)
    count = len(presses)
    print(f"keyboard-only mapping of the first section: {count} key presses")

    spans = {a.pk: a for a in Annotation.objects.filter(document=article)}
    paragraph = {text[:20]: text for text in order}
    p1 = paragraph["Since the dissolutio"]
    p2 = paragraph["Since Vladimir Putin"]
    p3 = paragraph["Despite ups and down"]
    expected = {
        ("claim", _between(p1, "Since the dissolution", "anti-US axis.")),
        ("evidence", _between(p1, "In 1996", "unipolar domination.")),
        ("evidence", _between(p1, "NATO’s bombing", "Inner Mongolia in China).")),
        ("claim", _between(p2, "Since Vladimir", "unprecedented level.")),
        ("evidence", _between(p2, "The two countries", "friendly relations.")),
        ("counterclaim", _between(p3, "Despite ups", "lingering mistrust.")),
    }
    assert {(a.label, a.quote) for a in spans.values()} == expected
    links = {(spans[r.source_id].quote[:12], r.kind, spans[r.target_id].quote[:12]) for r in Relation.objects.filter(document=article)}
    assert links == {
        ("The two coun", "supports", "Since Vladim"), ("Despite ups ", "attacks", "Since Vladim"),
        ("NATO’s bombi", "supports", "Since the di"), ("In 1996, a “", "supports", "Since the di"),
    }
    assert count < 150


def test_the_span_panel_is_in_view_after_clicking_a_span_at_1400x900(page_at, article, annotator):
    """Click a span: its panel's 'Supports…' button is inside the window and inside the side column's visible part."""
    _tagged_opening(article, annotator, "Despite ups and downs", "counterclaim")
    page = page_at(LAPTOP)
    open_document(page, article)
    mark = page.locator(".mark-first[data-key]").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    button = page.locator("[data-start-link='supports']")
    button.wait_for()
    inside = page.evaluate("""() => {
        const b = document.querySelector("[data-start-link='supports']").getBoundingClientRect();
        const box = document.querySelector(".side .panels").getBoundingClientRect();
        return b.top >= 0 && b.bottom <= window.innerHeight && b.top >= box.top && b.bottom <= box.bottom;
    }""")
    assert inside
    page.locator("[data-tab='help']").click()
    assert page.evaluate("document.querySelector('#panel-help h3').getBoundingClientRect().top < window.innerHeight")


def test_the_map_lays_unlinked_spans_in_a_grid_and_refits_when_nodes_are_added(page_at, article, annotator):
    """40 unlinked spans are drawn in several rows and columns, not a strip; after tagging one more with the
    keyboard, every node of the map is inside its visible area."""
    from annotations import services

    layer = services.layer_get_or_create_personal(project=article.project, user=annotator)
    made = 0
    for paragraph in article.paragraphs.filter(kind="body").order_by("position"):
        for word_start in range(0, min(len(paragraph.text), 200), 40):
            end = paragraph.text.find(" ", word_start + 5)
            if end < 0 or made >= 40 or paragraph.text[word_start] == " ":
                continue
            services.annotation_create(paragraph=paragraph, layer=layer, user=annotator, start=word_start, end=end,
                                       label="claim", quote=paragraph.text[word_start:end])
            made += 1
    page = page_at(LAPTOP)
    open_document(page, article)
    page.wait_for_selector("[data-map][data-map-ready='true']")
    shape = page.evaluate("""() => {
        const cy = document.querySelector('[data-map]').argmapCy;
        const xs = new Set(cy.nodes().map(n => Math.round(n.position('x'))));
        const ys = new Set(cy.nodes().map(n => Math.round(n.position('y'))));
        return {nodes: cy.nodes().length, columns: xs.size, rows: ys.size};
    }""")
    assert shape["nodes"] == made and shape["columns"] >= 3 and shape["rows"] >= 3, shape

    focus = page.locator("[data-text-region]")
    focus.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("2")
    wait_saved(page)
    wait_js(page, f"document.querySelector('[data-map]').argmapCy.nodes().length === {made + 1}")
    # The map refits a moment after the node is added (after the text's redraw): wait for that.
    wait_until(lambda: page.evaluate("""() => {
        const cy = document.querySelector('[data-map]').argmapCy;
        const view = cy.extent();
        return cy.nodes().filter(n => { const b = n.boundingBox({includeLabels: false});
            return b.x1 < view.x1 - 1 || b.x2 > view.x2 + 1 || b.y1 < view.y1 - 1 || b.y2 > view.y2 + 1; }).length;
    }"""), 0)
