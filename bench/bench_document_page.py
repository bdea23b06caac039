"""Benchmark the document page with a long document: 15,000 words, 1,500 spans, 500 relations.

Prints medians of:
- server: time to render the page (Django test client, in process) and its query count;
- Chromium (Debian's, through Playwright), against the app served by gunicorn:
  page load to interactive (the workspace's "argmap:interactive" mark, from navigation start),
  to the map built and laid out ("argmap:map-ready"),
  selection -> new span drawn ("argmap:tag": label key to DOM updated; "argmap:tag-frame":
  to the next animation frame), and the longest main-thread task (PerformanceObserver
  "longtask") during load and during a tag.

Run:  /work/venv/bin/python bench/bench_document_page.py [--runs 5] [--words 15000] [--spans 1500]
It creates (and at the end deletes) a project "bench-page" in the configured database.
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations.models import Annotation, Document, Layer, Membership, Paragraph, Project, Relation, Role  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
WORDS = ("argument claim evidence policy report survey growth trade energy security market data "
         "government analysis experts suggest however therefore because increase decline").split()
LABELS = ["claim", "evidence", "counterclaim"]


def build(words: int, spans: int, relations: int) -> tuple[Document, object]:
    """A document of `words` words in 100-word paragraphs with `spans` spans (some nested) and relations."""
    Project.objects.filter(slug="bench-page").delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-page-user")
    project = Project.objects.create(name="Bench page", slug="bench-page")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    document = Document.objects.create(project=project, title="Long document", source_format="text", content_hash=f"bench-{time.time()}")
    rng = random.Random(7)
    paragraph_count = max(1, -(-words * 20 // (19 * 100 + 5)))  # one heading (5 words) per 19 body paragraphs
    paragraphs = Paragraph.objects.bulk_create([
        Paragraph(document=document, position=i, kind="heading" if i % 20 == 0 else "body",
                  text=" ".join(rng.choice(WORDS) for _ in range(5 if i % 20 == 0 else 100)) + ".")
        for i in range(paragraph_count)
    ])
    body = [p for p in paragraphs if p.kind == "body"]
    layer = Layer.objects.create(project=project, kind="personal", owner=user, name=user.username)
    per_paragraph = -(-spans // len(body))
    rows = []
    for index in range(spans):
        paragraph = body[index % len(body)]
        slot = index // len(body)
        bounds = [i for i, ch in enumerate(paragraph.text) if ch == " "]
        if slot % 3 == 2:  # nested inside the previous span of this paragraph
            start_word, length = (slot - 1) * 7 + 1, 2
        else:
            start_word, length = slot * 7, 5
        start = 0 if start_word == 0 else bounds[start_word - 1] + 1
        end = bounds[min(start_word + length, len(bounds)) - 1]
        rows.append(Annotation(document=document, paragraph=paragraph, layer=layer, start=start, end=end,
                               quote=paragraph.text[start:end], label=LABELS[index % 3], author=user))
    annotations = Annotation.objects.bulk_create(rows)
    assert per_paragraph * 7 < 100
    links = []
    for index in range(relations):
        source, target = annotations[2 * index + 1], annotations[2 * index]
        links.append(Relation(document=document, layer=layer, source=source, target=target,
                              kind="attacks" if source.label == "counterclaim" else "supports", author=user))
    Relation.objects.bulk_create(links)
    return document, user


def server_side(document, user, runs: int) -> tuple[float, int, int]:
    client = Client()
    client.force_login(user)
    url = f"/d/{document.pk}/"
    client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries.captured_queries), len(response.content)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LONGTASKS = """
window.__benchLongTasks = [];
new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__benchLongTasks.push(entry.duration); })
  .observe({type: "longtask", buffered: true});
"""


def browser_side(document, user, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = dict(os.environ, DJANGO_DEBUG="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "argmap.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=REPO, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        figures = {"interactive": [], "text_drawn": [], "map_ready": [], "load_longest_task": [], "tag": [], "tag_frame": [], "tag_longest_task": [], "scroll_longest_task": [], "map_nodes": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for run in range(runs + 1):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
                context.add_init_script(LONGTASKS)
                page = context.new_page()
                page.goto(f"{base}/d/{document.pk}/")
                page.wait_for_selector("[data-map][data-map-ready='true']", timeout=120000)
                page.wait_for_selector("[data-workspace][data-text-drawn='true']", timeout=120000)
                page.wait_for_timeout(300)
                load = page.evaluate("""() => ({
                    interactive: performance.getEntriesByName('argmap:interactive')[0].startTime,
                    textDrawn: performance.getEntriesByName('argmap:text-drawn')[0].startTime,
                    mapReady: performance.getEntriesByName('argmap:map-ready')[0].startTime,
                    longest: Math.max(0, ...window.__benchLongTasks),
                    nodes: document.querySelector('[data-map]').argmapCy.nodes().length,
                })""")
                # Scroll to the middle of the document: the text and the map follow.
                page.evaluate("""() => {
                    window.__benchLongTasks.length = 0;
                    const paragraphs = [...document.querySelectorAll('p[data-paragraph-id]')];
                    paragraphs[Math.floor(paragraphs.length / 2)].scrollIntoView({block: 'center'});
                }""")
                page.wait_for_timeout(1200)
                scroll_longest = page.evaluate("Math.max(0, ...window.__benchLongTasks)")
                # Select three words in that paragraph, press "1".
                page.evaluate("""() => {
                    const paragraphs = [...document.querySelectorAll('p[data-paragraph-id]')];
                    const paragraph = paragraphs[Math.floor(paragraphs.length / 2)];
                    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
                    const nodes = []; for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
                    const node = nodes[nodes.length - 1];
                    const at = Math.max(0, node.length - 30);
                    window.getSelection().setBaseAndExtent(node, at, node, node.length - 2);
                    window.__benchLongTasks.length = 0;
                }""")
                page.keyboard.press("1")
                page.wait_for_function("performance.getEntriesByName('argmap:tag-frame').length > 0")
                page.wait_for_selector("[data-save-status][data-save-state='saved']")
                page.wait_for_timeout(1500)  # let the idle-time outline and map updates run, and count their tasks
                tag = page.evaluate("""() => ({
                    tag: performance.getEntriesByName('argmap:tag')[0].duration,
                    frame: performance.getEntriesByName('argmap:tag-frame')[0].duration,
                    longest: Math.max(0, ...window.__benchLongTasks),
                })""")
                context.close()
                Annotation.objects.filter(document=document).exclude(pk__in=original_ids(document)).delete()
                if run == 0:
                    continue  # warm-up (static files, caches)
                figures["interactive"].append(load["interactive"])
                figures["map_ready"].append(load["mapReady"])
                figures["text_drawn"].append(load["textDrawn"])
                figures["load_longest_task"].append(load["longest"])
                figures["map_nodes"].append(load["nodes"])
                figures["tag"].append(tag["tag"])
                figures["tag_frame"].append(tag["frame"])
                figures["tag_longest_task"].append(tag["longest"])
                figures["scroll_longest_task"].append(scroll_longest)
            browser.close()
        return {name: statistics.median(values) for name, values in figures.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


_ORIGINAL = {}


def original_ids(document):
    if document.pk not in _ORIGINAL:
        _ORIGINAL[document.pk] = list(Annotation.objects.filter(document=document).values_list("pk", flat=True))
    return _ORIGINAL[document.pk]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=15000)
    parser.add_argument("--spans", type=int, default=1500)
    parser.add_argument("--relations", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the bench project afterwards")
    parser.add_argument("--server-only", action="store_true", help="skip the browser measurements")
    args = parser.parse_args()
    document, user = build(args.words, args.spans, args.relations)
    original_ids(document)
    words = sum(len(p.text.split()) for p in document.paragraphs.all())
    print(f"document: {words} words, {document.paragraphs.count()} paragraphs, "
          f"{Annotation.objects.filter(document=document).count()} spans, {Relation.objects.filter(document=document).count()} relations")
    try:
        server_ms, queries, size = server_side(document, user, args.runs * 2)
        print(f"server: page render median {server_ms:.1f} ms, {queries} queries, {size / 1024:.0f} KiB HTML")
        if args.server_only:
            return
        figures = browser_side(document, user, args.runs)
        print(f"chromium (median of {args.runs}; the map shows {figures['map_nodes']:.0f} nodes around the screen):")
        print(f"  load -> interactive        {figures['interactive']:.0f} ms (text on screen drawn, keys work)")
        print(f"  load -> all spans drawn    {figures['text_drawn']:.0f} ms")
        print(f"  load -> map laid out       {figures['map_ready']:.0f} ms")
        print(f"  longest task during load   {figures['load_longest_task']:.0f} ms")
        print(f"  selection -> span drawn    {figures['tag']:.1f} ms (DOM), {figures['tag_frame']:.1f} ms (next frame)")
        print(f"  longest task after a scroll {figures['scroll_longest_task']:.0f} ms (the map follows the text)")
        print(f"  longest task during a tag  {figures['tag_longest_task']:.0f} ms (includes the map update)")
    finally:
        if not args.keep:
            Project.objects.filter(slug="bench-page").delete()


if __name__ == "__main__":
    main()
