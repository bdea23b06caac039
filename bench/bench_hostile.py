"""Send each hostile upload to a real server and print the time to refusal and the answer.

What it does, in one run:
1. sets up (through the services) a throw-away project whose owner has an API token;
2. starts gunicorn on 127.0.0.1 with DEBUG off (one gthread worker, ``--timeout 30``);
3. posts each file of ``tests.hostile.all_hostile_uploads()`` (5 million empty .docx
   paragraphs, 100,000 paragraphs, a .docx inflating to 2 GB, 20,000 zip members, malformed
   and deeply nested XML, a million text paragraphs, huge and deep HTML, deep Markdown, UTF-8
   with stray bytes) to ``POST /api/documents/`` as multipart, ``--runs`` times, and prints
   the median time to the answer, the status and the start of the message;
4. then the malformed JSON bodies (nested 100,000 deep, a 10.5 MB note, a lone surrogate);
5. prints the load average, stops gunicorn and deletes the project.

TARGETS.md: every one refused in under 1 s with a 4xx naming the limit. Nothing here asserts
a time (the tests assert the status, the message and that nothing was stored).

Usage (embedded PostgreSQL, or the server in DATABASE_URL):
    python bench/bench_hostile.py [--runs 3]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import configure_environment, free_port, start_gunicorn, stop_gunicorn  # noqa: E402
from tests import hostile  # noqa: E402


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def timed_post(port: int, path: str, body: bytes, content_type: str, token: str) -> tuple[float, int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers={"Content-Type": content_type, "Authorization": f"Token {token}"})
    response = connection.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    try:
        message = json.loads(payload).get("detail", "")
    except ValueError:
        message = payload[:120].decode("utf-8", "replace")
    return elapsed, response.status, str(message)


def setup() -> tuple[object, str, int]:
    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    from django.contrib.auth import get_user_model

    from annotations import services

    owner = get_user_model().objects.create_user(username=f"hostile-{secrets.token_hex(4)}", password=secrets.token_urlsafe())
    project = services.project_create(name="Hostile uploads", slug=f"hostile-{secrets.token_hex(4)}", creator=owner)
    document = services.document_import(
        project=project, user=owner, filename="cats.txt",
        data=b"Cats are better pets than dogs. They need less care, according to a 2020 survey.",
    )
    token, _ = Token.objects.get_or_create(user=owner)
    return project, token.key, document.paragraphs.get().pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    configure_environment()
    project, token, paragraph_id = setup()
    from annotations.models import Document

    documents_before = Document.objects.filter(project=project).count()
    port = free_port()
    server = start_gunicorn(port, workers=1, threads=2, worker_class="gthread")
    rows = []
    try:
        for description, (filename, data) in hostile.all_hostile_uploads():
            body, content_type = multipart({"project": project.slug}, filename, data)
            results = [timed_post(port, "/api/documents/", body, content_type, token) for _ in range(args.runs)]
            rows.append((description, f"{len(data) / 1024:,.0f} KB", results))
        quote = "Cats are better pets than dogs."
        span = {"paragraph": paragraph_id, "start": 0, "end": len(quote), "quote": quote, "label": "claim"}
        bodies = [
            ("JSON nested 100,000 deep", '{"label": ' + "[" * 100_000 + "]" * 100_000 + "}"),
            ("span with a 10.5 MB note", json.dumps(span | {"note": "n" * 10_500_000})),
            ("span with a lone surrogate", json.dumps(span | {"note": "NOTE"}).replace('"NOTE"', '"\\ud800"')),
        ]
        for description, raw in bodies:
            encoded = raw.encode()
            results = [timed_post(port, "/api/annotations/", encoded, "application/json", token) for _ in range(args.runs)]
            rows.append((description, f"{len(encoded) / 1024:,.0f} KB", results))
    finally:
        stop_gunicorn(server)
    stored = Document.objects.filter(project=project).count() - documents_before
    print(f"hostile inputs against gunicorn (1 gthread worker) on 127.0.0.1, median of {args.runs} runs")
    print(f"{'input':<40} {'size':>10} {'median s':>9} {'max s':>7}  status  message")
    for description, size, results in rows:
        times = [elapsed for elapsed, _, _ in results]
        statuses = sorted({status for _, status, _ in results})
        message = results[0][2]
        print(
            f"{description:<40} {size:>10} {statistics.median(times):>9.3f} {max(times):>7.3f}  "
            f"{','.join(map(str, statuses)):<6}  {message[:110]}"
        )
    print(f"documents stored by these requests: {stored}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))
    services_delete(project)


def services_delete(project) -> None:
    from annotations import services

    owner = project.memberships.get(role="owner").user
    services.project_delete(project=project, user=owner)
    owner.delete()


if __name__ == "__main__":
    main()
