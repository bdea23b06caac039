"""Print how long exporting one document's map takes through the API (TARGETS.md: < 100 ms, no queue).

Builds a throw-away project in the development database inside a transaction that is rolled
back at the end: the sample article (32 paragraphs) with N spans and N-1 relations in one
layer, then times ``GET /api/documents/<id>/export/?layer=..&format=..`` with Django's test
client (in process: no network, no gunicorn) and prints the median of several runs per
format, plus the import of the JSON back into a new project.

    python bench/export_map.py [--spans 500] [--runs 7] [--formats json,aif,...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--formats", default="json,aif,argdown,brat,doccano,csv,graphml,svg,spacy")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from annotations import services
    from annotations.ingest import parse_article
    from annotations.models import Annotation, Document, Layer, Paragraph, Relation
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        user = get_user_model().objects.create(username=f"bench-{time.time_ns()}")
        project = services.project_create(name="bench", slug=f"bench-{time.time_ns()}", creator=user,
                                          labels=["claim", "evidence", "counterclaim"])
        article = parse_article((ROOT / "fixtures" / "russia-china-relations.txt").read_bytes(), "article.txt")
        document = Document.objects.create(project=project, title=article.title, source_format="text",
                                           content_hash=article.content_hash)
        paragraphs = Paragraph.objects.bulk_create(
            Paragraph(document=document, position=i, kind=b.kind, text=b.text) for i, b in enumerate(article.blocks))
        layer = Layer.objects.create(project=project, kind="personal", owner=user, name=user.username)
        spans, labels = [], ["claim", "evidence", "counterclaim"]
        body = [p for p in paragraphs if len(p.text) > 60]
        for index in range(options.spans):
            paragraph = body[index % len(body)]
            start = (index // len(body)) % (len(paragraph.text) - 12)
            end = min(len(paragraph.text), start + 12 + index % 40)
            spans.append(Annotation(document=document, paragraph=paragraph, layer=layer, start=start, end=end,
                                    quote=paragraph.text[start:end], label=labels[index % 3], author=user))
        spans = Annotation.objects.bulk_create(spans)
        Relation.objects.bulk_create(
            Relation(document=document, layer=layer, source=spans[i], target=spans[i - 1],
                     kind="supports" if i % 3 else "attacks", author=user) for i in range(1, len(spans)))
        client = Client()
        client.force_login(user)
        print(f"document: {len(paragraphs)} paragraphs, {len(spans)} spans, {len(spans) - 1} relations; "
              f"median of {options.runs} runs")
        for name in options.formats.split(","):
            url = f"/api/documents/{document.pk}/export/?layer={layer.pk}&format={name}"
            client.get(url)  # warm up (spaCy loads on the first DocBin export)
            timings = []
            for _ in range(options.runs):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.content[:200]
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"  export {name:<8} {statistics.median(timings) * 1000:7.1f} ms  {len(response.content):>9,} bytes"
                  f"  {len(queries)} queries")
        data = client.get(f"/api/documents/{document.pk}/export/?layer={layer.pk}&format=json").content
        target = services.project_create(name="bench import", slug=f"bench-import-{time.time_ns()}", creator=user,
                                         labels=["claim", "evidence", "counterclaim"])
        timings = []
        for _ in range(options.runs):
            with transaction.atomic():
                started = time.perf_counter()
                services.argument_map_import_files(project=target, user=user, format_name="json",
                                                   files=[("bench.json", data)], layer="own")
                timings.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        print(f"  import json     {statistics.median(timings) * 1000:7.1f} ms  (new document + {len(spans)} spans + relations)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
