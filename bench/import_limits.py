"""Print how fast hostile map imports are refused through the API (TARGETS.md: a 4xx naming the limit in < 1 s).

Builds each hostile file in memory, posts it to ``POST /api/projects/<slug>/import/`` with
Django's test client (in process) as a curator of a throw-away project (rolled back at the
end), and prints the median time to the answer, its status and the start of its message,
plus the load average. Also times a good brat corpus import (the test corpus, N copies of
its essays under other names, so the documents are distinct) for comparison.

    python bench/import_limits.py [--runs 5] [--bomb-mb 300] [--copies 100]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")
CORPUS = ROOT / "tests" / "formats" / "data" / "brat-corpus"


def zipped(entries, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb(megabytes: int) -> bytes:
    """A real deflate bomb: one member of ``megabytes`` MB of zeros, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("essay.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_048_576
            for _ in range(megabytes):
                member.write(chunk)
        archive.writestr("essay.ann", b"")
    return buffer.getvalue()


def good_corpus(copies: int) -> bytes:
    entries = [("corpus/annotation.conf", (CORPUS / "annotation.conf").read_bytes())]
    for copy in range(copies):
        for stem in ("essay01", "essay02"):
            text = (CORPUS / f"{stem}.txt").read_text()
            # a distinct document per copy: a number on the prompt line keeps every offset after it valid if we shift
            prefix = f"{copy:05d} "
            ann = []
            for line in (CORPUS / f"{stem}.ann").read_text().splitlines():
                if line.startswith("T"):
                    t_id, middle, quote = line.split("\t")
                    entity_type, start, end = middle.split()
                    line = f"{t_id}\t{entity_type} {int(start) + len(prefix)} {int(end) + len(prefix)}\t{quote}"
                ann.append(line)
            entries.append((f"corpus/{stem}-{copy}.txt", (prefix + text).encode()))
            entries.append((f"corpus/{stem}-{copy}.ann", ("\n".join(ann) + "\n").encode()))
    return zipped(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bomb-mb", type=int, default=300)
    parser.add_argument("--copies", type=int, default=100)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client

    from annotations import services

    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    ova = json.loads((ROOT / "tests" / "formats" / "data" / "ova3-dialogical.json").read_text())
    ova["AIF"]["nodes"][0]["nodeID"] = "²"
    hostile = {
        f"zip bomb ({options.bomb_mb} MB of zeros)": ("brat", bomb(options.bomb_mb)),
        "zip with 100,000 members": ("brat", zipped((f"e{i}.ann", b"") for i in range(100_000))),
        "LZMA member": ("brat", zipped([("e.txt", b"Cats."), ("e.ann", b"")], method=zipfile.ZIP_LZMA)),
        ".ann with 100,000 spans": ("brat", zipped([("e.txt", b"word " * 20),
                                                    ("e.ann", "".join(f"T{i}\tClaim 0 4\tword\n" for i in range(1, 100_001)).encode())])),
        "doccano with 100,000 entities": ("doccano", json.dumps({"text": "Cats purr.", "entities": [
            {"id": i, "label": "claim", "start_offset": 0, "end_offset": 4} for i in range(100_000)]}).encode()),
        "AIF nodeID '²'": ("aif", json.dumps(ova).encode()),
    }
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {options.runs} runs")
    with transaction.atomic():
        user = get_user_model().objects.create(username=f"bench-{time.time_ns()}")
        project = services.project_create(name="bench", slug=f"bench-{time.time_ns()}", creator=user,
                                          labels=["major_claim", "claim", "evidence", "counterclaim", "rebuttal"])
        client = Client()
        client.force_login(user)
        url = f"/api/projects/{project.slug}/import/"
        for what, (format_name, data) in hostile.items():
            timings = []
            for _ in range(options.runs):
                upload = SimpleUploadedFile("upload.zip" if format_name == "brat" else "upload.json", data)
                started = time.perf_counter()
                response = client.post(url, {"format": format_name, "layer": "consensus", "file": upload})
                timings.append(time.perf_counter() - started)
            detail = response.json().get("detail", "")
            print(f"  {what:<34} {len(data):>11,} bytes  {statistics.median(timings) * 1000:7.1f} ms  "
                  f"{response.status_code}  {detail[:90]}")
        data = good_corpus(options.copies)
        timings = []
        for _ in range(max(1, options.runs // 2)):
            with transaction.atomic():
                started = time.perf_counter()
                response = client.post(url, {"format": "brat", "layer": "consensus",
                                             "file": SimpleUploadedFile("corpus.zip", data)})
                timings.append(time.perf_counter() - started)
                assert response.status_code == 201, response.content[:300]
                transaction.set_rollback(True)
        print(f"  good brat corpus, {2 * options.copies} essays      {len(data):>11,} bytes  "
              f"{statistics.median(timings) * 1000:7.1f} ms  201  {response.json()['detail'][:90]}")
        transaction.set_rollback(True)
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
