"""Benchmark a class of 200: scoring every submission, the dashboard, and 60 students
submitting in the same second against a real server.

1. **Scoring** (pure, ``annotations.scoring``): a key over the sample article
   (fixtures/russia-china-relations.txt, one key span per body sentence, labels in turn, a
   relation from each evidence to the claim before it) and 200 students whose maps differ
   from it (some spans exact, some shifted by a word, some relabelled, some missing, some
   extra); scores all 200, median of 5 runs.
2. **Dashboard**: the same class stored in PostgreSQL through the services (200 students
   with their spans, 200 submitted); times ``exercise_dashboard`` (the page's selector,
   which also re-scores every submission) and counts its queries.
3. **Load**: 60 of those students, each with an API token, start gunicorn on 127.0.0.1 and
   fire ``POST /api/submissions/<id>/submit/`` at the same instant (one OS process per
   student, released by a shared start time); prints how many succeeded, the slowest
   response, and the wall time from the first request to the last answer.
Prints figures and the load average; asserts nothing about time.

    python bench/bench_classroom.py [--students 200] [--concurrent 60] [--workers 2] [--threads 8]
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import configure_environment, free_port, start_gunicorn, stop_gunicorn  # noqa: E402

SAMPLE = ROOT / "fixtures" / "russia-china-relations.txt"
LABELS = ["claim", "evidence", "counterclaim"]


def sample_paragraphs() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if len(block.split()) > 12]


def key_and_students(paragraphs, students: int, seed: int = 7):
    """(key spans, key relations, [(spans, relations)] per student) as plain tuples."""
    from annotations.scoring import sentence_bounds

    rng = random.Random(seed)
    key, relations, index = [], [], 0
    for position, text in enumerate(paragraphs):
        last_claim = None
        for start, end in sentence_bounds(text):
            label = LABELS[index % 3]
            key.append((f"k{index}", position, start, end, label))
            if label == "claim":
                last_claim = f"k{index}"
            elif label == "evidence" and last_claim:
                relations.append((f"k{index}", last_claim, "supports"))
            index += 1
    work = []
    for student in range(students):
        spans, mine = [], {}
        for number, (key_id, position, start, end, label) in enumerate(key):
            roll = rng.random()
            if roll < 0.15:
                continue  # missed
            if roll < 0.3:
                label = LABELS[(LABELS.index(label) + 1) % 3]
            elif roll < 0.45:
                text = paragraphs[position]
                space = text.find(" ", start + 1)
                start = space + 1 if 0 < space < end - 5 else start
            span_id = f"u{student}_{number}"
            spans.append((span_id, position, start, end, label))
            mine[key_id] = span_id
            if rng.random() < 0.05:  # an extra span: the sentence's first word again, as a claim elsewhere
                spans.append((f"x{student}_{number}", position, start, min(end, start + 3), "claim"))
        links = [(mine[s], mine[t], kind) for s, t, kind in relations if s in mine and t in mine and rng.random() < 0.7]
        work.append((spans, links))
    return key, relations, work


def bench_scoring(args) -> None:
    from annotations.scoring import ScoringRelation, ScoringSpan, score_submission

    paragraphs = sample_paragraphs()
    key, relations, work = key_and_students(paragraphs, args.students)

    def as_spans(rows):
        return [ScoringSpan(id=i, document=1, paragraph=p, start=s, end=e, label=l, quote=paragraphs[p][s:e]) for i, p, s, e, l in rows]

    key_spans = as_spans(key)
    key_relations = [ScoringRelation(*r) for r in relations]
    students = [(as_spans(spans), [ScoringRelation(*r) for r in links]) for spans, links in work]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        scores = [score_submission(key_spans=key_spans, key_relations=key_relations, student_spans=spans,
                                   student_relations=links).score for spans, links in students]
        times.append(time.perf_counter() - started)
    print(f"scoring: {args.students} submissions against a key of {len(key_spans)} spans and {len(key_relations)} relations "
          f"({sum(len(s) for s, _ in students)} student spans): median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); mean score {statistics.mean(scores):.1f}")


def set_up_class(students: int):
    """A class with the sample article, a key and ``students`` students with their spans (not submitted)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from annotations.models import Annotation, Membership, Project, Relation, Role
    from annotations import services as ex
    from annotations.selectors.exercises import exercise_key_layer
    from annotations.services import documents_import_many

    suffix = str(int(time.time()))
    User = get_user_model()
    teacher = User.objects.create_user(username=f"bench-teacher-{suffix}", password="x-bench-pass-123")
    project = Project.objects.create(name=f"Bench class {suffix}", slug=f"bench-class-{suffix}")
    Membership.objects.create(project=project, user=teacher, role=Role.OWNER)
    result = documents_import_many(project=project, user=teacher, files=[(SAMPLE.name, SAMPLE.read_bytes())])
    document = result.imported[0]
    exercise = ex.exercise_create(project=project, user=teacher, title="Bench exercise", document_ids=[document.pk])
    key = exercise_key_layer(exercise)
    body = list(document.paragraphs.filter(kind="body").order_by("position"))
    paragraphs = [p.text for p in body]
    key_rows, relations, work = key_and_students(paragraphs, students)
    stored = Annotation.objects.bulk_create(
        Annotation(document=document, paragraph=body[p], layer=key, start=s, end=e, quote=body[p].text[s:e], label=l, author=teacher)
        for _, p, s, e, l in key_rows
    )
    ids = {row[0]: span for row, span in zip(key_rows, stored)}
    Relation.objects.bulk_create(Relation(document=document, layer=key, source=ids[s], target=ids[t], kind=k) for s, t, k in relations)
    tokens, submissions = [], []
    users = User.objects.bulk_create(User(username=f"bench-s{n:03d}-{suffix}") for n in range(students))
    Membership.objects.bulk_create(Membership(project=project, user=user, role=Role.ANNOTATOR) for user in users)
    for user, (spans, links) in zip(users, work):
        submission = ex.submission_start(exercise=exercise, user=user)
        made = Annotation.objects.bulk_create(
            Annotation(document=document, paragraph=body[p], layer=submission.layer, start=s, end=e,
                       quote=body[p].text[s:e], label=l, author=user)
            for _, p, s, e, l in {(r[1], r[2], r[3]): r for r in spans}.values()
        )
        by_id = {row[0]: span for row, span in zip({(r[1], r[2], r[3]): r for r in spans}.values(), made)}
        Relation.objects.bulk_create(
            Relation(document=document, layer=submission.layer, source=by_id[s], target=by_id[t], kind=k)
            for s, t, k in links if s in by_id and t in by_id
        )
        submissions.append(submission)
        tokens.append(Token.objects.create(user=user).key)
    return {"project": project, "exercise": exercise, "teacher": teacher, "submissions": submissions, "tokens": tokens,
            "key_spans": len(key_rows)}


def bench_dashboard(setup, submit_all: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.selectors.dashboard import exercise_dashboard
    from annotations import services as ex

    if submit_all:
        from annotations.models import Submission

        for submission in Submission.objects.filter(pk__in=[s.pk for s in setup["submissions"]], status="working"):
            ex.submission_submit(submission=submission, user=submission.student)
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            data = exercise_dashboard(exercise=setup["exercise"], user=setup["teacher"])
            times.append(time.perf_counter() - started)
    print(f"dashboard: {len(data['students'])} students, {data['counts']['submitted']} submitted, "
          f"{len(data['heat_map'])} sentences: median {statistics.median(times) * 1000:.0f} ms, {len(queries)} queries")


def submit_one(port: int, token: str, submission_id: int, start_at: float, results) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.connect()
    while time.time() < start_at:
        time.sleep(0.0005)
    began = time.time()
    connection.request("POST", f"/api/submissions/{submission_id}/submit/", body=b"",
                       headers={"Authorization": f"Token {token}", "Content-Length": "0"})
    response = connection.getresponse()
    response.read()
    results.put((response.status, began, time.time()))


def bench_load(setup, args) -> None:
    port = free_port()
    server = start_gunicorn(port, args.workers, args.threads, "gthread")
    try:
        results = multiprocessing.Queue()
        start_at = time.time() + 2.0
        chosen = list(zip(setup["tokens"], setup["submissions"]))[: args.concurrent]
        processes = [multiprocessing.Process(target=submit_one, args=(port, token, submission.pk, start_at, results))
                     for token, submission in chosen]
        for process in processes:
            process.start()
        rows = [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join()
    finally:
        stop_gunicorn(server)
    ok = sum(1 for status, _, _ in rows if status == 200)
    first = min(began for _, began, _ in rows)
    last = max(ended for _, _, ended in rows)
    slowest = max(ended - began for _, began, ended in rows)
    statuses = sorted({status for status, _, _ in rows})
    from annotations.models import Submission

    stored = Submission.objects.filter(pk__in=[s.pk for _, s in chosen], status="submitted").count()
    print(f"load: {len(rows)} students submitted at once (requests began within {max(b for _, b, _ in rows) - first:.3f} s): "
          f"{ok} answered 200 (statuses {statuses}), {stored} stored as submitted and scored; "
          f"all answered in {last - first:.2f} s, slowest {slowest:.2f} s "
          f"(gunicorn {args.workers} workers × {args.threads} threads)")


def tear_down(setup) -> None:
    from annotations.services.exercises import deleting_class_work

    with deleting_class_work():
        for submission in setup["submissions"]:
            submission.student.delete()
        setup["project"].delete()
        setup["teacher"].delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    configure_environment()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bench_scoring(args)
    setup = set_up_class(args.students)
    try:
        bench_load(setup, args)
        bench_dashboard(setup, submit_all=True)
    finally:
        tear_down(setup)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
