"""Benchmark: suggestion throughput against raw spaCy ``nlp.pipe`` on the same text and model.

The sample article (``articles/russia-china-relations.txt`` in the shared directory, found
through ``ARGMAP_SHARED_DIR`` or a ``shared`` folder beside a parent of this repository) is
repeated paragraph by paragraph up to ``--words`` words (default 250,000). Each repetition
times a raw pass (``for doc in nlp.pipe(paragraphs)``) and a suggestion pass
(``suggest_paragraphs(paragraphs, nlp)``) with the same loaded pipeline, alternating which
goes first, and prints tokens per second for both, their ratio (target >= 0.85), the medians
and the peak resident memory of the process.

    python bench/bench_suggest.py                 # 250,000 words, 3 repetitions
    python bench/bench_suggest.py --words 20000   # a quick run
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from annotations.nlp.pipeline import load_pipeline  # noqa: E402
from annotations.nlp.suggest import DEFAULT_BATCH_SIZE, suggest_paragraphs  # noqa: E402

ARTICLE = Path("articles") / "russia-china-relations.txt"


def shared_directory() -> Path:
    """The shared corpus directory: ``ARGMAP_SHARED_DIR`` or the nearest ``shared`` folder."""
    configured = os.environ.get("ARGMAP_SHARED_DIR")
    if configured:
        return Path(configured)
    for parent in REPOSITORY.parents:
        candidate = parent / "shared"
        if (candidate / ARTICLE).exists():
            return candidate
    raise SystemExit("cannot find the shared directory with the sample article: "
                     "set ARGMAP_SHARED_DIR")


def article_paragraphs(words: int) -> list[str]:
    """The sample article's paragraphs, repeated until they hold ``words`` words."""
    text = (shared_directory() / ARTICLE).read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    repeated, total = [], 0
    while total < words:
        for paragraph in paragraphs:
            repeated.append(paragraph)
            total += len(paragraph.split())
            if total >= words:
                break
    return repeated


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=250_000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--model", default=None)
    arguments = parser.parse_args()

    loaded = load_pipeline(arguments.model)
    nlp = loaded.nlp
    paragraphs = article_paragraphs(arguments.words)
    words = sum(len(p.split()) for p in paragraphs)
    print(f"pipeline {loaded.name} {loaded.version}{' (FALLBACK)' if loaded.is_fallback else ''}")
    print(f"input: {len(paragraphs)} paragraphs, {words} words; batch size "
          f"{arguments.batch_size}; {arguments.repetitions} repetitions; "
          f"rss after load {peak_rss_mb():.0f} MB")
    suggest_paragraphs(paragraphs[:20], nlp=nlp, batch_size=arguments.batch_size)  # warm-up

    raw_rates, suggest_rates, ratios = [], [], []
    suggestions_made = 0
    for repetition in range(arguments.repetitions):
        timings = {}
        tokens = 0
        order = ("raw", "suggest") if repetition % 2 == 0 else ("suggest", "raw")
        for kind in order:
            started = time.perf_counter()
            if kind == "raw":
                tokens = sum(len(doc) for doc in nlp.pipe(paragraphs,
                                                           batch_size=arguments.batch_size))
            else:
                results = suggest_paragraphs(paragraphs, nlp=nlp,
                                             batch_size=arguments.batch_size)
                suggestions_made = sum(len(found) for found in results)
                del results
            timings[kind] = time.perf_counter() - started
        raw_rate = tokens / timings["raw"]
        suggest_rate = tokens / timings["suggest"]
        raw_rates.append(raw_rate)
        suggest_rates.append(suggest_rate)
        ratios.append(suggest_rate / raw_rate)
        print(f"repetition {repetition + 1} ({' then '.join(order)}): {tokens} tokens; "
              f"raw nlp.pipe {raw_rate:,.0f} tokens/s ({timings['raw']:.1f} s); "
              f"suggest {suggest_rate:,.0f} tokens/s ({timings['suggest']:.1f} s); "
              f"ratio {suggest_rate / raw_rate:.3f}")
    print(f"suggestions per pass: {suggestions_made}")
    print(f"median raw nlp.pipe: {statistics.median(raw_rates):,.0f} tokens/s")
    print(f"median suggest:      {statistics.median(suggest_rates):,.0f} tokens/s")
    print(f"median ratio suggest / raw: {statistics.median(ratios):.3f} (target >= 0.85)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
