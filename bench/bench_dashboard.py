"""Benchmark the teacher's class dashboard for a class of 200, all submitted: the selector
(``exercise_dashboard``), the page and the API the live page polls, each timed and with its
query count, then the same after the key changes (the first request after a key change
re-scores the class once; the next ones read the stored results).

The class is the one ``bench_classroom.py`` builds (the sample article, a key of one span
per body sentence, 200 students whose maps differ from it). Prints figures and the load
average; asserts nothing about time.

    python bench/bench_dashboard.py [--students 200] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import configure_environment  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(name: str, call, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, count = [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        count = len(queries)
    print(f"{name}: median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, "
          f"max {max(times) * 1000:.0f}) over {runs} runs, {count} queries; load {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    configure_environment()
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    print(f"load average before: {load()}")
    from bench_classroom import set_up_class, tear_down

    setup = set_up_class(args.students)
    try:
        from django.test import Client

        from annotations import services
        from annotations.models import Annotation, Exercise, Submission
        from annotations.selectors.dashboard import exercise_dashboard
        from annotations.selectors.exercises import exercise_key_layer

        for submission in Submission.objects.filter(pk__in=[s.pk for s in setup["submissions"]]):
            services.submission_submit(submission=submission, user=submission.student)
        exercise, teacher = setup["exercise"], setup["teacher"]
        client = Client()
        client.force_login(teacher)

        def selector():
            # What the page and the API do: read (a stale attempt is scored in memory, nothing is written).
            exercise.refresh_from_db()
            return exercise_dashboard(exercise=exercise, user=teacher)

        def page(url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, response.status_code
            return get

        data = selector()
        print(f"class: {len(data['students'])} students, {data['counts']['submitted']} submitted, "
              f"key of {data['key_span_count']} spans, {len(data['heat_map'])} sentences")
        timed("dashboard selector", selector, args.runs)
        timed("dashboard page /e/<id>/dashboard/", page(f"/e/{exercise.pk}/dashboard/"), args.runs)
        timed("dashboard API (the live page's poll)", page(f"/api/exercises/{exercise.pk}/dashboard/"), args.runs)
        # The key changes: its first span goes. Until the re-score job runs, reads score the class in memory.
        key = exercise_key_layer(exercise)
        Annotation.objects.filter(pk=Annotation.objects.filter(layer=key).order_by("id").values("pk")[:1]).delete()
        timed("after a key change, before the re-score job (scored in memory)", selector, args.runs)
        timed("the re-score job (services.exercise_scores_refresh)",
              lambda: services.exercise_scores_refresh(exercise=Exercise.objects.get(pk=exercise.pk)), 1)
        timed("after the job, requests", selector, args.runs)
        scores = list(Submission.objects.filter(exercise=exercise).values_list("score", flat=True))
        print(f"mean stored score after the key change: {statistics.mean(s for s in scores if s is not None):.1f}")
    finally:
        tear_down(setup)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
