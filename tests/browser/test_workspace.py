"""The document page as a person uses it: tagging with mouse and keyboard, linking, reloading,
the map in step with the text, characters outside the BMP, and saves that fail and retry."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    after_frames,
    wait_js,
    wait_until,
    CLAIM_TEXT,
    EVIDENCE_TEXT,
    drag_select,
    fail_posts,
    focus_text_with_tab,
    make_document,
    open_document,
    wait_saved,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paragraph(document, position):
    return document.paragraphs.get(position=position)


def select_in(page, document, fragment):
    """Open the document's page and drag over ``fragment`` of its first body paragraph."""
    open_document(page, document)
    drag_select(page, _paragraph(document, 1).pk, fragment)


def _spans(document):
    from annotations.models import Annotation

    return list(Annotation.objects.filter(document=document).order_by("id"))


def test_mouse_claim_keyboard_evidence_link_then_reload(signed_in_page, pets_document):
    """Tag a claim by mouse, evidence by keyboard only, link them by keyboard, reload: all there in text and map."""
    from annotations.models import Relation

    page = signed_in_page
    open_document(page, pets_document)
    claim_paragraph = _paragraph(pets_document, 1)
    evidence_paragraph = _paragraph(pets_document, 2)

    # Mouse: drag over "better pets than dog" (snapping widens to whole words), click Claim.
    drag_select(page, claim_paragraph.pk, "better pets than dog")
    page.click("[data-tag-label='claim']")
    wait_saved(page)

    # Keyboard only: Tab into the text, down to the evidence paragraph, select the words
    # "cat owners reported spending less time on care" with Ctrl+Shift+Right, press 2.
    focus_text_with_tab(page)
    page.keyboard.press("Control+Home")  # the heading
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    for _ in range(4):  # past "In a 2020 survey,"
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("ArrowRight")  # over the comma
    for _ in range(8):
        page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("2")
    wait_saved(page)

    spans = _spans(pets_document)
    assert [(s.label, s.quote) for s in spans] == [
        ("claim", "better pets than dogs"),
        ("evidence", "cat owners reported spending less time on care"),
    ]
    claim, evidence = spans

    # Keyboard link: back into the evidence span, Enter focuses it, "s" = supports, [ to the claim, Enter.
    page.keyboard.press("Control+ArrowLeft")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("data-label", "evidence")
    page.keyboard.press("s")
    page.keyboard.press("[")
    expect(page.locator(":focus")).to_have_attribute("data-label", "claim")
    page.keyboard.press("Enter")
    wait_saved(page)
    relation = Relation.objects.get(document=pets_document)
    assert (relation.source_id, relation.target_id, relation.kind) == (evidence.pk, claim.pk, "supports")
    # The focus is back on the span that was linked, not on the page, and stays there.
    after_frames(page)
    assert page.evaluate("document.activeElement.dataset.label") == "evidence"

    page.reload()
    page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")
    claim_mark = page.locator(f".mark.mark-first[data-annotation-id='{claim.pk}']")
    evidence_mark = page.locator(f".mark.mark-first[data-annotation-id='{evidence.pk}']")
    assert claim_mark.get_attribute("data-label") == "claim"
    assert claim_mark.inner_text().strip() == "better pets than dogs"
    assert evidence_mark.get_attribute("aria-label").startswith("Evidence: cat owners reported")
    focus_text_with_tab(page)
    page.keyboard.press("Control+Home")
    page.keyboard.press("]")  # the first span after the caret
    expect(page.locator(":focus")).to_have_attribute("data-annotation-id", str(claim.pk))
    evidence_mark.click()
    expect(page.locator("[data-relation='supports']")).to_have_text(re.compile("^supports → Claim “better pets than dogs”"))
    page.wait_for_selector("[data-map][data-map-ready='true']")
    graph = page.evaluate("""() => {
        const cy = document.querySelector('[data-map]').argmapCy;
        return {nodes: cy.nodes().map(n => n.data('kind')).sort(),
                edges: cy.edges().map(e => [e.source().data('kind'), e.data('kind'), e.target().data('kind')])};
    }""")
    assert graph == {"nodes": ["claim", "evidence"], "edges": [["evidence", "supports", "claim"]]}


def _linked_pair(document, user):
    from annotations import services

    claim_paragraph = _paragraph(document, 1)
    evidence_paragraph = _paragraph(document, 2)
    claim = services.annotation_create(paragraph=claim_paragraph, layer=None, user=user, start=0, end=len(CLAIM_TEXT) - 1, label="claim", quote=None)
    evidence = services.annotation_create(paragraph=evidence_paragraph, layer=None, user=user, start=18, end=len(EVIDENCE_TEXT) - 1, label="evidence", quote=None)
    services.relation_create(source=evidence, target=claim, kind="supports", user=user)
    return claim, evidence


def test_selecting_a_map_node_highlights_and_scrolls_to_its_span(signed_in_page, pets_document, annotator):
    """Clicking a node in the map selects its span in the text (highlighted, in view) and back."""
    claim, evidence = _linked_pair(pets_document, annotator)
    page = signed_in_page
    page.set_viewport_size({"width": 1400, "height": 500})
    open_document(page, pets_document)
    page.wait_for_selector("[data-map][data-map-ready='true']")
    # To the bottom, until it stays there: paragraphs scrolled into view are laid out on the next
    # frame (content-visibility), which moves the bottom.
    bottom = None
    for _ in range(100):
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        after_frames(page)
        now = page.evaluate("[window.scrollY, document.body.scrollHeight]")
        if now == bottom:
            break
        bottom = now
    else:
        raise AssertionError("the page never stopped growing")
    position = page.evaluate(f"""() => {{
        const map = document.querySelector('[data-map]');
        const node = map.argmapCy.getElementById('a{claim.pk}');
        const box = map.getBoundingClientRect();
        const at = node.renderedPosition();
        return {{x: box.left + at.x, y: box.top + at.y}};
    }}""")
    page.mouse.click(position["x"], position["y"])
    mark = page.locator(f".mark.mark-first[data-annotation-id='{claim.pk}']")
    wait_js(page, f"document.querySelector(\".mark[data-annotation-id='{claim.pk}']\").classList.contains('is-selected')")
    box = mark.bounding_box()
    assert 0 <= box["y"] <= 500, "the selected span is scrolled into view"
    expect(page.locator("[data-inspector-quote]")).to_have_text(claim.quote)

    # The other way: clicking the evidence span selects its node.
    page.locator(f".mark.mark-first[data-annotation-id='{evidence.pk}']").click()
    wait_until(lambda: page.evaluate("document.querySelector('[data-map]').argmapCy.$('node:selected').map(n => n.id())"),
               [f"a{evidence.pk}"])


def test_emoji_paragraph_stores_the_exact_characters_selected(signed_in_page, annotator):
    """Outside the BMP: tagging by keyboard (characters) and by mouse stores code-point offsets of exactly the selection."""
    project = annotator.memberships.get().project
    text = "Party 🎉🎉 time: cats 😀 beat dogs 👍🏽 every day, says 🐈 fan club."
    document = make_document(project, "Emoji", [("body", text)])
    page = signed_in_page
    open_document(page, document)

    # Keyboard, snapping off: from the start, 6 characters right ("Party "), then select 🎉🎉 exactly.
    page.uncheck("[data-snap]")
    focus_text_with_tab(page)
    page.keyboard.press("Control+Home")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("1")
    wait_saved(page)

    # Mouse with snapping on: from "cats" to "dogs" across 😀.
    page.check("[data-snap]")
    drag_select(page, document.paragraphs.get().pk, "ats 😀 beat dog")
    page.click("[data-tag-label='evidence']")
    wait_saved(page)

    # Mouse, snapping off: just the thumbs-up with its skin-tone modifier.
    page.uncheck("[data-snap]")
    drag_select(page, document.paragraphs.get().pk, "👍🏽")
    page.click("[data-tag-label='counterclaim']")
    wait_saved(page)

    spans = _spans(document)
    code_points = list(text)
    found = [(s.label, s.start, s.end, s.quote) for s in spans]
    assert found == [
        ("claim", 6, 8, "🎉🎉"),
        ("evidence", text.index("cats"), text.index("dogs") + 4, "cats 😀 beat dogs"),
        ("counterclaim", text.index("👍🏽"), text.index("👍🏽") + 2, "👍🏽"),
    ]
    for _, start, end, quote in found:
        assert "".join(code_points[start:end]) == quote
    # And the page draws them on the same characters after a reload.
    page.reload()
    page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")
    drawn = page.eval_on_selector_all("[data-paragraphs] .mark.mark-first", "nodes => nodes.map(n => [n.dataset.label, n.textContent])")
    assert drawn == [["claim", "🎉🎉"], ["evidence", "cats 😀 beat dogs"], ["counterclaim", "👍🏽"]]


def test_failed_save_shows_failed_then_retries_and_saves(signed_in_page, pets_document):
    """A create that fails (503) shows "failed", stays pending, is retried and saved."""
    page = signed_in_page
    calls = fail_posts(page, "**/api/annotations/", status=503, detail="Service unavailable.", times=1)
    select_in(page, pets_document, "Cats are better")
    page.click("[data-tag-label='claim']")
    page.wait_for_selector("[data-save-status][data-save-state='failed']")
    assert "Not saved" in page.locator("[data-save-text]").inner_text()
    assert "Service unavailable" in page.locator("[data-last-error]").text_content()
    assert page.locator("[data-pending-list] li").count() == 1
    assert _spans(pets_document) == []
    wait_saved(page)
    assert calls == ["failed", "passed"]
    assert [(s.label, s.quote) for s in _spans(pets_document)] == [("claim", "Cats are better")]


def test_undo_removes_the_last_tag_on_the_server(signed_in_page, pets_document):
    """Ctrl+Z after tagging deletes the span again, in the page and the database."""
    page = signed_in_page
    select_in(page, pets_document, "pets than dogs")
    page.keyboard.press("3")
    wait_saved(page)
    assert [s.label for s in _spans(pets_document)] == ["counterclaim"]
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert _spans(pets_document) == []
    expect(page.locator(".mark[data-key]")).to_have_count(0)  # redrawn on the next frame


def test_refused_save_is_undone_on_the_page_and_explained(signed_in_page, pets_document):
    """A create the server refuses (400) disappears from the text and its reason is shown."""
    page = signed_in_page
    fail_posts(page, "**/api/annotations/", status=400, detail="Label is not used in this project.")
    select_in(page, pets_document, "better pets")
    page.click("[data-tag-label='claim']")
    page.wait_for_selector("[data-problems] li")
    assert "Label is not used in this project." in page.locator("[data-problems]").inner_text()
    wait_saved(page)
    expect(page.locator("[data-paragraphs] .mark[data-key]")).to_have_count(0)  # redrawn on the next frame
    assert _spans(pets_document) == []


def test_span_panel_moves_a_boundary_changes_label_and_keeps_focus(signed_in_page, pets_document):
    """From the span panel, keyboard on its buttons: the end moves a word at a time, the label changes; focus stays put."""
    page = signed_in_page
    select_in(page, pets_document, "Cats are")
    page.keyboard.press("1")
    wait_saved(page)
    page.focus("[data-move='end-right']")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    after_frames(page)  # the text and the panel are redrawn by then: the focus must still be on the button
    assert page.evaluate("document.activeElement.dataset.move") == "end-right"
    page.focus("[data-set-label='evidence']")
    page.keyboard.press("Enter")
    after_frames(page)
    assert page.evaluate("document.activeElement.dataset.setLabel") == "evidence"
    wait_saved(page)
    [span] = _spans(pets_document)
    assert (span.quote, span.label, span.version) == ("Cats are better pets", "evidence", 4)
    expect(page.locator("[data-inspector-quote]")).to_have_text("Cats are better pets")


def test_changes_left_unsaved_by_a_closed_tab_can_be_applied_on_the_next_visit(signed_in_page, pets_document):
    """Server unreachable, tab closed: the next visit offers the pending tag and link and saves them."""
    from annotations.models import Relation

    page = signed_in_page
    page.route("**/api/**", lambda route: route.fulfill(status=503, body='{"detail": "Down."}', content_type="application/json"))
    select_in(page, pets_document, "better pets than dogs")
    page.keyboard.press("1")
    drag_select(page, _paragraph(pets_document, 2).pk, "cat owners reported")
    page.keyboard.press("2")
    page.wait_for_selector("[data-paragraphs] .mark.mark-first[data-label='evidence']")
    page.click("[data-start-link='supports']")
    page.locator("[data-paragraphs] .mark.mark-first[data-label='claim']").click()
    page.wait_for_selector("[data-save-status][data-save-state='failed']")
    context = page.context
    page.close(run_before_unload=False)
    assert _spans(pets_document) == []

    again = context.new_page()
    open_document(again, pets_document)
    again.wait_for_selector("[data-recovery]:not([hidden])")
    assert "3 changes from an earlier visit" in again.locator("[data-recovery]").inner_text()
    again.click("[data-recovery-apply]")
    wait_saved(again)
    spans = _spans(pets_document)
    assert [(s.label, s.quote) for s in spans] == [("claim", "better pets than dogs"), ("evidence", "cat owners reported")]
    relation = Relation.objects.get(document=pets_document)
    assert (relation.source_id, relation.target_id, relation.kind) == (spans[1].pk, spans[0].pk, "supports")
    again.reload()
    again.wait_for_selector("[data-workspace][data-ready='true']")
    assert again.locator("[data-recovery]").is_hidden()


def test_an_overlay_registered_by_a_plugin_is_drawn_and_clickable(signed_in_page, pets_document):
    """The suggestions/other-layers hook: an overlay mark is drawn (dashed class, tooltip) beside the person's spans, and clicking it is reported."""
    page = signed_in_page
    open_document(page, pets_document)
    paragraph = _paragraph(pets_document, 1)
    page.evaluate(
        """async (paragraphId) => {
            const { registerPlugin } = await import('/static/annotations/workspace/plugins.js');
            registerPlugin('test-overlay', ({ store }) => {
                store.addEventListener('overlay:activated', (e) => { document.body.dataset.activated = `${e.detail.name}:${e.detail.key}`; });
                store.registerOverlay('suggestion', (id) => id === paragraphId
                    ? [{ key: 7, start: 0, end: 4, label: 'claim', className: 'overlay-suggestion', title: 'Suggested claim: "Cats" (cue: comparative)' }]
                    : []);
            });
        }""",
        paragraph.pk,
    )
    mark = page.locator("[data-paragraphs] .mark.overlay-suggestion")
    mark.wait_for()
    assert mark.inner_text() == "Cats"
    assert mark.get_attribute("title").startswith("Suggested claim")
    mark.click()
    expect(page.locator("body")).to_have_attribute("data-activated", "suggestion:7")
    assert _spans(pets_document) == []


def test_at_the_end_of_a_long_text_the_span_panel_keeps_its_tabs_and_takes_a_click(signed_in_page, annotator):
    """Scrolled to the end of a text longer than the window, with the focus on a span: the side
    panel's tabs are not under the toolbar, and a mouse click on a label button in the span panel
    changes the label (the line under the text changing with the focus used to move the panel
    between mousedown and mouseup, and the click was lost)."""
    page = signed_in_page
    project = annotator.memberships.get().project
    body = "The council voted to cut the late buses, and the riders who need them most were not asked at all."
    document = make_document(project, "Night buses", [("heading", "Night buses")] + [("body", f"{body} ({n})") for n in range(14)]
                             + [("body", "Some will say that ride-hailing apps can fill the gap.")])
    open_document(page, document)
    last = document.paragraphs.get(position=15)
    page.mouse.move(300, 400)
    page.mouse.wheel(0, 5000)
    drag_select(page, last.pk, "Some will say that ride-hailing apps can fill the gap.")
    page.keyboard.press("1")
    wait_saved(page)
    page.mouse.wheel(0, 5000)
    after_frames(page)
    toolbar = page.locator("[data-toolbar]").bounding_box()
    tabs = page.locator(".side .tabs").bounding_box()
    assert tabs["y"] >= toolbar["y"] + toolbar["height"] - 1, (tabs, toolbar)
    button = page.locator("[data-inspector] [data-set-label='counterclaim']")
    box = button.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_saved(page)
    wait_until(lambda: [span.label for span in _spans(document)], ["counterclaim"])
