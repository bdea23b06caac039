"""Browser fixtures: Debian's Chromium through Playwright, a signed-in page, a small document.

Playwright's sync API runs an event loop in this thread, so Django's async-safety check is
switched off for these tests (the live server runs in its own thread).
"""
from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# How long a wait may take before it fails. A page redraws a frame or more after the event that
# changed it, and a loaded 2-core CI machine can stretch a frame or a round trip to seconds, so
# every wait is generous: it costs nothing when the state arrives, and a test waits for the very
# state it asserts rather than reading the page once.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)  # Playwright's expect(...) assertions retry until this

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]

CLAIM_TEXT = "Cats are better pets than dogs."
EVIDENCE_TEXT = "In a 2020 survey, cat owners reported spending less time on care than dog owners."
OTHER_TEXT = "Some people still prefer dogs because they enjoy long walks."


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def annotator(transactional_db):
    """An annotator in a fresh project (labels claim, evidence, counterclaim)."""
    from annotations.models import Role
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="pets", name="Pets")
    user = UserFactory(username="ann")
    MembershipFactory(project=project, user=user, role=Role.ANNOTATOR)
    return user


def make_document(project, title, paragraphs):
    """A document from [(kind, text), ...]."""
    from tests.factories import DocumentFactory, ParagraphFactory

    document = DocumentFactory(project=project, title=title)
    for position, (kind, text) in enumerate(paragraphs):
        ParagraphFactory(document=document, position=position, kind=kind, text=text)
    return document


@pytest.fixture
def pets_document(annotator):
    project = annotator.memberships.get().project
    return make_document(project, "Cats or dogs", [
        ("heading", "Which pet?"), ("body", CLAIM_TEXT), ("body", EVIDENCE_TEXT), ("body", OTHER_TEXT),
    ])


def context_for(chromium, live_server, user, **options):
    """A browser context signed in as ``user`` (session cookie, no login form round trip) and its
    page; ``page.errors`` collects the page's JavaScript errors. ``options`` go to
    ``new_context`` (``java_script_enabled=False``, another ``viewport``)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = chromium.new_context(**{"viewport": {"width": 1400, "height": 900}, **options}, base_url=live_server.url)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return context, page


@pytest.fixture
def signed_in_page(chromium, live_server, annotator):
    """A browser page whose session is the annotator's."""
    context, page = context_for(chromium, live_server, annotator)
    yield page
    context.close()
    assert not page.errors, f"JavaScript errors on the page: {page.errors}"



@pytest.fixture
def signed_in_pages(chromium, live_server):
    """signed_in_pages(user) -> (context, page) signed in as ``user``, as many as a test needs; all are
    closed at the end, and the test fails on any JavaScript error one of their pages logged."""
    contexts = []

    def open_for(user, **options):
        context, page = context_for(chromium, live_server, user, **options)
        contexts.append((context, page))
        return context, page

    yield open_for
    errors = [error for _, page in contexts for error in page.errors]
    for context, _ in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def fail_posts(page, pattern, *, status, detail, times=None):
    """Answer POSTs to ``pattern`` with ``status`` and ``{"detail": detail}`` (only the first ``times``
    of them, if given) and let every other request through. Returns the list that records, per
    request routed, "failed" or "passed"."""
    import json

    calls = []
    body = json.dumps({"detail": detail})

    def handle(route):
        if route.request.method == "POST" and (times is None or calls.count("failed") < times):
            calls.append("failed")
            route.fulfill(status=status, content_type="application/json", body=body)
        else:
            calls.append("passed")
            route.continue_()

    page.route(pattern, handle)
    return calls

def open_document(page, document):
    page.goto(f"/d/{document.pk}/")
    page.wait_for_selector("[data-workspace][data-ready='true'][data-text-drawn='true']")


def wait_js(page, expression, timeout=WAIT_MS):
    """Wait until a JavaScript expression is true on the page, polling from Python; fail if it
    is still false after ``timeout`` ms.

    Playwright's own ``wait_for_function`` compiles its predicate with ``eval``, which the
    app's Content Security Policy (``script-src 'self'``) forbids, as it should."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        if page.evaluate(f"() => Boolean({expression})"):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {expression}")
        page.wait_for_timeout(50)


def wait_until(read, expected, timeout=WAIT_MS, interval=0.05):
    """Poll ``read()`` (a database query, a value read from the page) until it returns
    ``expected``, then assert it does: for what the server or the page stores a moment after
    the event a test waited on (a request in flight, a task, a repaint)."""
    deadline = time.monotonic() + timeout / 1000
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(interval)
        value = read()
    assert value == expected
    return value


def after_frames(page):
    """Return once the page has run two more animation frames (at most 10 s). The text redraws
    on the animation frame after a change and the suggestions review moves the focus one frame
    later still, so after an action whose handler runs at once (a click, a key, a checkbox) what
    it redraws is on the page by then. Use it before asserting that something is *not* drawn."""
    page.evaluate("""() => new Promise((done) => {
        setTimeout(done, 10000);
        requestAnimationFrame(() => requestAnimationFrame(() => done()));
    })""")


def wait_saved(page, timeout=WAIT_MS):
    page.wait_for_selector("[data-save-status][data-save-state='saved']", timeout=timeout)


def char_box(page, selector, fragment):
    """Viewport coordinates of the first and last characters of ``fragment`` inside ``selector``."""
    return page.evaluate(
        """([selector, fragment]) => {
            const element = document.querySelector(selector);
            element.scrollIntoView({block: 'center'});
            const at = element.textContent.indexOf(fragment);
            if (at < 0) return null;
            const point = (offset) => {
                const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                let seen = 0;
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (offset < seen + node.length) return [node, offset - seen];
                    seen += node.length;
                }
            };
            const rect = (offset) => {
                const [node, local] = point(offset);
                const range = document.createRange();
                range.setStart(node, local);
                range.setEnd(node, local + 1);
                return range.getBoundingClientRect();
            };
            const first = rect(at), last = rect(at + fragment.length - 1);
            return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [selector, fragment],
    )


def steady_char_box(page, selector, fragment):
    """``char_box`` once the page has stopped moving it: paragraphs off screen are laid out
    (content-visibility) only on the frame after they scroll into view, which can shift the text
    by then; read again after two frames until two reads agree."""
    box = char_box(page, selector, fragment)
    for _ in range(100):
        if box is None:
            return None
        after_frames(page)
        again = char_box(page, selector, fragment)
        if again == box:
            return box
        box = again
    raise AssertionError(f"{fragment!r} in {selector} never stopped moving")


def drag_select(page, paragraph_id, fragment):
    """Select `fragment` of a paragraph with a real mouse drag (first to last character)."""
    box = steady_char_box(page, f'[data-paragraph-id="{paragraph_id}"]', fragment)
    assert box is not None, f"{fragment!r} is not in paragraph {paragraph_id}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=3)
    page.mouse.move(box["x2"], box["y2"], steps=3)
    page.mouse.up()


def tag(page, paragraph, fragment, key):
    """Drag over ``fragment`` of ``paragraph``, press the label ``key`` and wait for the save."""
    drag_select(page, paragraph.pk, fragment)
    page.keyboard.press(key)
    wait_saved(page)


def click_on(page, selector):
    """A real mouse click in the middle of the (first) element, scrolled into view first."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    after_frames(page)
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def click_text(page, paragraph_id, fragment):
    """A real mouse click on the middle of ``fragment`` of a paragraph."""
    box = steady_char_box(page, f'[data-paragraph-id="{paragraph_id}"]', fragment)
    page.mouse.click((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2)


def focus_text_with_tab(page):
    """Reach the text region with the Tab key only."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-text-region')"):
            return
    raise AssertionError("Tab never reached the text region")
