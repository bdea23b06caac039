"""What the change log costs a span write, and what a poll of the changes feed costs.

    python bench/change_log.py [--spans 300] [--runs 5]

Creates a throw-away project in the configured database, then per run: creates ``--spans``
spans through ``annotation_create`` with the change log on, and the same number with
``record_annotation`` replaced by a no-op (the baseline), alternating the order; then times
polls of the changes feed returning 0 and 100 changes. Prints medians (this machine is
shared and noisy: read the ratio, not the absolutes). Removes the project at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from annotations import services  # noqa: E402
from annotations.models import Annotation, Document, Paragraph, Project  # noqa: E402
from annotations.selectors.collaboration import changes_since  # noqa: E402
from annotations.services import spans as span_services  # noqa: E402

WORDS = ("Cats are better pets than dogs because they need less care and fewer walks " * 40).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench-change-log")
    Project.objects.filter(slug="bench-change-log").delete()
    project = services.project_create(name="bench", slug="bench-change-log", creator=user)
    try:
        document = Document.objects.create(project=project, title="bench", source_format="text", content_hash="bench")
        Paragraph.objects.create(document=document, position=0, text=" ".join(WORDS))
        paragraph = Paragraph.objects.select_related("document__project").get(document=document)
        extents, position = [], 0
        for word in WORDS:
            extents.append((position, position + len(word)))
            position += len(word) + 1
        extents = extents[: options.spans]
        real_record = span_services.record_annotation
        timings = {"with change log": [], "without (baseline)": []}

        def create_all() -> float:
            Annotation.objects.filter(document=document).delete()
            began = time.perf_counter()
            for start, end in extents:
                services.annotation_create(
                    paragraph=paragraph, layer=None, user=user, start=start, end=end, label="claim", quote=None
                )
            return (time.perf_counter() - began) / len(extents) * 1000

        for run in range(options.runs):
            order = list(timings)
            if run % 2:
                order.reverse()
            for name in order:
                span_services.record_annotation = real_record if name == "with change log" else (lambda *a, **k: None)
                timings[name].append(create_all())
        span_services.record_annotation = real_record
        for name, values in timings.items():
            print(f"create span, {name}: median {statistics.median(values):.3f} ms per span ({options.runs} runs of {len(extents)})")
        ratio = statistics.median(timings["with change log"]) / statistics.median(timings["without (baseline)"])
        print(f"ratio with / without: {ratio:.2f}")
        latest = changes_since(document=document, user=user, since=None)["cursor"]
        for back in (0, 100):
            polls = []
            for _ in range(50):
                began = time.perf_counter()
                body = changes_since(document=document, user=user, since=latest - back, limit=500)
                polls.append((time.perf_counter() - began) * 1000)
            print(f"poll returning {len(body['events'])} changes: median {statistics.median(polls):.3f} ms")
    finally:
        project.delete()


if __name__ == "__main__":
    main()
