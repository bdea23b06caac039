"""The workspace as a newcomer's hand uses it, on a blog post of our own (a heading, a list, a
quotation, a long paragraph, non-ASCII words) uploaded as Markdown, plain text, HTML and Word, with
spaCy's real suggestions shown: drags over suggestion text tagged at the first try on a machine
slowed six times (CDP CPU throttling), drags that overshoot into the gap below a paragraph, a triple
click, Shift+arrows pressed right after a click, linking from a span at a paragraph's start, and the
Export menu's picture before the page knew the person had a layer. Each asserts what was stored."""
from __future__ import annotations

import io

import pytest

from tests.browser.conftest import after_frames, open_document, wait_js, wait_saved, wait_until
from tests.browser.test_workspace_hand import LAPTOP, _point, _stored, _wait_scroll_settled, drag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Why our town should close the Königstraße to cars"
INTRO = "Last summer the café owners on the Königstraße asked the council for something unusual: fewer parking spaces."
LEAD = "The case rests on three observations:"
ITEMS = ["Footfall rose by 18 % on the Sundays the street was closed.",
         "Children walk to school there; the crossing near the Bäckerei Müller is the most dangerous in town.",
         "Noise at night fell below 45 dB during the trial weeks."]
QUOTE = "“A street is a room without a roof,” said the architect Jan Gehl, “and nobody parks a car in their living room.”"
LONG = ("Critics say that shops will lose trade if drivers cannot stop outside, and the chamber of commerce warned that "
        "elderly customers depend on their cars. Yet the figures from the trial weeks tell another story: the bakery sold "
        "more bread, not less, and the pharmacy reported no drop at all. Delivery vans could still come before ten in the "
        "morning, so the shops would keep their supplies. Therefore the council should make the closure permanent, "
        "starting in spring, and spend the parking fees it loses on a shuttle bus for those who cannot walk far — naïve "
        "as that may sound to some.")
BODY = [INTRO, LEAD, *ITEMS, QUOTE, LONG]


def blog_post(extension: str) -> bytes:
    """The post as a person would save it from a Markdown editor, a text editor, a blog page or Word."""
    if extension == "md":
        return "\n\n".join([f"# {TITLE}", INTRO, LEAD, "\n".join(f"- {item}" for item in ITEMS), f"> {QUOTE}", LONG]).encode()
    if extension == "txt":
        return "\n\n".join([TITLE, INTRO, LEAD + "\n" + "\n".join(f"- {item}" for item in ITEMS), QUOTE, LONG]).encode()
    if extension == "html":
        items = "".join(f"<li>{item}</li>" for item in ITEMS)
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"
                f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><article><h1>{TITLE}</h1><p>{INTRO}</p>"
                f"<p>{LEAD}</p><ul>{items}</ul><blockquote><p>{QUOTE}</p></blockquote><p>{LONG}</p></article>"
                "<footer>© 2026 Town blog · Share on Twitter</footer></body></html>").encode()
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for text in (INTRO, LEAD):
        document.add_paragraph(text)
    for item in ITEMS:
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph(QUOTE, style="Quote")
    document.add_paragraph(LONG)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(annotator, extension: str, *, suggestions: bool = True):
    """The post uploaded as ``post.<extension>`` into the annotator's project, spaCy's suggestions
    computed (what the worker does after an upload) and shown to the annotator at any score."""
    from annotations import services
    from annotations.services.suggestion_runs import suggestions_compute

    project = annotator.memberships.get().project
    document = services.document_import(project=project, user=None, data=blog_post(extension), filename=f"post.{extension}")
    if suggestions:
        suggestions_compute(document=document)
        services.preference_update(user=annotator, show_suggestions=True, suggestion_threshold=0.0)
    return document


def _suggested_over(item, word):
    """Make sure a suggestion covers ``word`` (spaCy's rules change; the drag must start on suggestion text)."""
    from annotations.models import Suggestion
    from tests.factories import SuggestionFactory

    at = item.text.index(word)
    if not Suggestion.objects.filter(paragraph=item, start__lte=at, end__gt=at).exists():
        SuggestionFactory(paragraph=item, start=at, end=len(item.text), label="evidence", score=0.9)


def paragraph(document, starting):
    return next(p for p in document.paragraphs.order_by("position") if p.text.lstrip("- ").startswith(starting))


def between(text, first, last):
    start = text.index(first)
    return text[start:text.index(last, start) + len(last)]


@pytest.fixture
def page_for(signed_in_pages, annotator):
    """page_for(throttle=1) -> the annotator's page at 1400x900, its CPU slowed ``throttle`` times."""

    def opener(throttle=1):
        context, page = signed_in_pages(annotator)
        page.set_viewport_size(LAPTOP)
        if throttle > 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        return page

    return opener


@pytest.mark.parametrize("extension", ["md", "txt", "html", "docx"])
def test_the_post_in_each_format_is_tagged_by_a_drag_over_a_suggestion(page_for, annotator, extension):
    """Uploaded as .md / .txt / .html / .docx: the list is one paragraph per item, and a drag from inside
    a suggestion ('dangerous', the Bäckerei item) to the end of the item stores exactly those words."""
    document = upload(annotator, extension)
    texts = [p.text for p in document.paragraphs.order_by("position")]
    assert [text.removeprefix("- ") for text in texts if text != TITLE] == BODY
    item = paragraph(document, "Children walk")
    _suggested_over(item, "dangerous")
    page = page_for()
    open_document(page, document)
    page.wait_for_selector('.mark.overlay[data-overlay="suggestions"]')
    drag(page, item, "crossing", item, "town.")
    page.keyboard.press("2")
    wait_saved(page)
    assert _stored(document) == [("evidence", between(item.text, "crossing", "town."))]


def test_drags_over_suggestion_text_tag_at_the_first_try_on_a_machine_six_times_slower(page_for, annotator):
    """Eight drags in a row, each starting and/or ending on suggestion text, the label key pressed right after
    the mouse is released (no wait), the first one as soon as the page is ready: every one is stored as dragged."""
    document = upload(annotator, "md")
    for starting, word in (("Critics say", "trade"), ("Critics say", "chamber"), ("Children walk", "crossing")):
        _suggested_over(paragraph(document, starting), word)
    page = page_for(throttle=6)
    page.goto(f"/d/{document.pk}/")
    page.wait_for_selector("[data-workspace][data-ready='true']")
    plan = [("Critics say", "Critics", "trade", "1", "claim"), ("Critics say", "chamber", "cars.", "2", "evidence"),
            ("Critics say", "bakery", "less,", "3", "counterclaim"), ("Children walk", "crossing", "town.", "2", "evidence"),
            ("Last summer", "café", "unusual:", "1", "claim"), ("Critics say", "Delivery", "supplies.", "2", "evidence"),
            ("Critics say", "Therefore", "spring,", "1", "claim"), ("“A street", "A street", "roof,", "3", "counterclaim")]
    expected = []
    for starting, first, last, key, label in plan:
        target = paragraph(document, starting)
        drag(page, target, first, target, last)
        page.keyboard.press(key)
        expected.append((label, between(target.text, first, last)))
        wait_until(lambda: _stored(document), expected)  # each drag's span, before the next drag starts


def _tag_and_check(page, document, key, label, quote):
    page.keyboard.press(key)
    wait_until(lambda: _stored(document)[-1:], [(label, quote)])


def test_a_drag_that_overshoots_below_its_paragraph_and_a_triple_click_tag_that_paragraph(page_for, annotator):
    """Released in the gap under a paragraph (the selection ends on the next paragraph's start) or a triple click
    (which selects up to the next paragraph): the words of the one paragraph are tagged, not refused."""
    document = upload(annotator, "md", suggestions=False)
    page = page_for()
    open_document(page, document)
    lead, first_item = paragraph(document, "The case rests"), paragraph(document, "Footfall")
    at = _point(page, lead, "three", "first")
    page.mouse.wheel(0, at["y"] - 300)
    _wait_scroll_settled(page)
    start, last = _point(page, lead, "three", "first"), _point(page, lead, "observations:", "last")
    gap = page.evaluate("""([a, b]) => {
        const bottom = document.querySelector(`[data-paragraph-id="${a}"]`).getBoundingClientRect().bottom;
        const top = document.querySelector(`[data-paragraph-id="${b}"]`).getBoundingClientRect().top;
        return (bottom + top) / 2;
    }""", [lead.pk, first_item.pk])
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.move(last["x"] + 20, gap, steps=4)
    page.mouse.up()
    _tag_and_check(page, document, "1", "claim", "three observations:")

    item = paragraph(document, "Children walk")
    word = _point(page, item, "school", "first")
    page.mouse.click(word["x"] + 2, word["y"], click_count=3)
    _tag_and_check(page, document, "2", "evidence", item.text)


def test_a_drag_begun_in_the_left_margin_tags_and_leaves_the_keys_on_the_text(page_for, annotator):
    """Pressed left of the paragraph's first letter, released on 'night', key 3: 'Noise at night' is stored, and
    the text has the focus: Ctrl+Shift+→ twice then selects the next two words from the caret after the span."""
    document = upload(annotator, "md", suggestions=False)
    page = page_for()
    open_document(page, document)
    noise = paragraph(document, "Noise at night")
    at = _point(page, noise, "Noise", "first")
    page.mouse.wheel(0, at["y"] - 300)
    _wait_scroll_settled(page)
    start, end = _point(page, noise, "Noise", "first"), _point(page, noise, "night", "last")
    page.mouse.move(start["x"] - 12, start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=6)
    page.mouse.up()
    _tag_and_check(page, document, "3", "counterclaim", "Noise at night")
    wait_js(page, "document.activeElement.matches('[data-text-region]') || Boolean(document.activeElement.closest('[data-text-region]'))")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    _tag_and_check(page, document, "1", "claim", "fell below")


def test_shift_arrows_right_after_a_click_select_from_the_click(page_for, annotator):
    """Tag a word by double click, then click before 'Footfall' in another paragraph and at once press
    Shift+→ eight times: 'Footfall' is tagged (the caret followed the click, not the span tagged before)."""
    document = upload(annotator, "md", suggestions=False)
    page = page_for(throttle=6)
    open_document(page, document)
    item = paragraph(document, "Children walk")
    word = _point(page, item, "dangerous", "first")
    page.mouse.dblclick(word["x"] + 3, word["y"])
    _tag_and_check(page, document, "3", "counterclaim", "dangerous")
    first_item = paragraph(document, "Footfall")
    where = _point(page, first_item, "Footfall", "first")
    page.mouse.click(where["x"] - 1, where["y"])
    for _ in range("Footfall".__len__()):
        page.keyboard.press("Shift+ArrowRight")
    _tag_and_check(page, document, "1", "claim", "Footfall")


def test_linking_from_a_span_at_a_paragraph_start_reaches_the_next_span_and_undo_unlinks(page_for, annotator):
    """'Footfall' (offset 0 of its paragraph) focused, s, ], Enter: it supports the next span, not itself; Enter on
    the span being linked from says so and keeps linking; Ctrl+Z removes the link on the server."""
    from annotations.models import Relation

    document = upload(annotator, "md", suggestions=False)
    page = page_for()
    open_document(page, document)
    first_item, item = paragraph(document, "Footfall"), paragraph(document, "Children walk")
    drag(page, item, "dangerous", item, "dangerous")
    _tag_and_check(page, document, "3", "counterclaim", "dangerous")
    drag(page, first_item, "Footfall", first_item, "Footfall")
    _tag_and_check(page, document, "2", "evidence", "Footfall")
    mark = page.locator('.mark-first[data-label="evidence"]')
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_js(page, "document.activeElement.matches('.mark[data-label=\"evidence\"]')")
    page.keyboard.press("s")
    page.keyboard.press("Enter")  # on the span itself: refused, still linking
    wait_js(page, "(document.querySelector('[data-key-target]').textContent || '').includes('the span you are linking from')")
    page.keyboard.press("]")
    wait_js(page, "document.activeElement.matches('.mark[data-label=\"counterclaim\"]')")
    page.keyboard.press("Enter")
    links = lambda: list(Relation.objects.filter(document=document).values_list("kind", "source__quote", "target__quote"))
    wait_until(links, [("supports", "Footfall", "dangerous")])
    wait_saved(page)
    page.keyboard.press("Control+z")
    wait_until(links, [])


def test_the_export_menu_gives_the_picture_of_spans_tagged_since_the_page_opened(page_for, annotator, tmp_path):
    """A newcomer's first document: no layer when the page loads; after tagging, Export offers 'Your layer' and
    its PNG is the map of what was tagged (a real PNG, named after the title with ß as ss)."""
    document = upload(annotator, "md", suggestions=False)
    page = page_for()
    open_document(page, document)
    item = paragraph(document, "Children walk")
    drag(page, item, "crossing", item, "town.")
    _tag_and_check(page, document, "2", "evidence", between(item.text, "crossing", "town."))
    wait_saved(page)
    page.locator("[data-export-menu] summary").click()
    assert page.locator("#export-layer option").first.inner_text() == "Your layer (personal)"
    with page.expect_download() as download:
        page.locator("[data-export-menu] button[value=png]").click()
    path = tmp_path / "map.png"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert download.value.suggested_filename.startswith("why-our-town-should-close-the-konigstrasse-to-cars.")
    after_frames(page)
