"""Benchmark: resident memory of one worker process that suggests (target < 400 MB).

Loads Django and the configured spaCy pipeline as ``manage.py db_worker`` does, then runs
the suggestion core (``suggest_paragraphs``) over the sample article ``--times`` times (the
work a worker repeats per document) and prints the resident set size after loading, the
peak, and the load average. No database writes: the figure is the process's own memory.

    python bench/bench_worker_memory.py
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=20)
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from annotations.ingest import parse_article
    from annotations.nlp.pipeline import load_pipeline
    from annotations.nlp.suggest import suggest_paragraphs

    loaded = load_pipeline(settings.ARGMAP_SPACY_MODEL)
    after_load = rss_mb()
    sample = REPOSITORY / "fixtures" / "russia-china-relations.txt"
    body = [b.text for b in parse_article(sample.read_bytes(), sample.name).blocks if b.kind == "body"]
    count = 0
    for _ in range(arguments.times):
        count = sum(len(found) for found in suggest_paragraphs(body, nlp=loaded.nlp))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pipeline {loaded.name} {loaded.version}; {arguments.times} runs over the sample article "
          f"({count} suggestions each)")
    print(f"rss after Django + model load {after_load:.0f} MB; now {rss_mb():.0f} MB; peak {peak:.0f} MB "
          "(target < 400 MB)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
