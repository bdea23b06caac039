"""Benchmark: suggestion throughput against raw spaCy ``nlp.pipe`` on the same text and model.

The sample article (``fixtures/russia-china-relations.txt``) is repeated paragraph by paragraph up to ``--words`` words (default 250,000). Each repetition
goes through the input in chunks and times, back to back for each chunk, a raw pass
(``for doc in nlp.pipe(chunk)``) and a suggestion pass (``suggest_paragraphs(chunk, nlp)``)
with the same loaded pipeline, alternating which goes first. It prints tokens per second for
both, their ratio by wall-clock and by process CPU time (target >= 0.85), the medians and the
peak resident memory of the process.

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
from annotations.nlp.cues import cue_finder_for  # noqa: E402
from annotations.nlp.suggest import (  # noqa: E402
    DEFAULT_BATCH_SIZE,
    suggest_doc,
    suggest_paragraphs,
)

SAMPLE_ARTICLE = REPOSITORY / "fixtures" / "russia-china-relations.txt"


def article_paragraphs(words: int) -> list[str]:
    """The sample article's paragraphs, repeated until they hold ``words`` words."""
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
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
    parser.add_argument("--chunk", type=int, default=200,
                        help="paragraphs per back-to-back raw/suggest timing (default 200)")
    arguments = parser.parse_args()

    loaded = load_pipeline(arguments.model)
    nlp = loaded.nlp
    paragraphs = article_paragraphs(arguments.words)
    words = sum(len(p.split()) for p in paragraphs)
    print(f"pipeline {loaded.name} {loaded.version}{' (FALLBACK)' if loaded.is_fallback else ''}")
    print("load average at start: " + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    print(f"input: {len(paragraphs)} paragraphs, {words} words; batch size "
          f"{arguments.batch_size}; {arguments.repetitions} repetitions; "
          f"rss after load {peak_rss_mb():.0f} MB")
    suggest_paragraphs(paragraphs[:20], nlp=nlp, batch_size=arguments.batch_size)  # warm-up

    # The machine is shared: to keep load changes from favouring either side, the input is
    # cut into chunks and each chunk is timed raw and suggested back to back (alternating
    # which goes first). Wall-clock and process CPU time are both recorded.
    chunks = [paragraphs[i:i + arguments.chunk] for i in range(0, len(paragraphs),
                                                                arguments.chunk)]
    wall_ratios, cpu_ratios, raw_rates, suggest_rates = [], [], [], []
    suggestions_made = 0
    for repetition in range(arguments.repetitions):
        wall = {"raw": 0.0, "suggest": 0.0}
        cpu = {"raw": 0.0, "suggest": 0.0}
        tokens = 0
        suggestions_made = 0
        for number, chunk in enumerate(chunks):
            order = ("raw", "suggest") if (number + repetition) % 2 == 0 else ("suggest", "raw")
            for kind in order:
                started_wall, started_cpu = time.perf_counter(), time.process_time()
                if kind == "raw":
                    tokens += sum(len(doc) for doc in nlp.pipe(
                        chunk, batch_size=arguments.batch_size))
                else:
                    results = suggest_paragraphs(chunk, nlp=nlp,
                                                 batch_size=arguments.batch_size)
                    suggestions_made += sum(len(found) for found in results)
                    del results
                wall[kind] += time.perf_counter() - started_wall
                cpu[kind] += time.process_time() - started_cpu
        raw_rate, suggest_rate = tokens / wall["raw"], tokens / wall["suggest"]
        raw_rates.append(raw_rate)
        suggest_rates.append(suggest_rate)
        wall_ratios.append(wall["raw"] / wall["suggest"])
        cpu_ratios.append(cpu["raw"] / cpu["suggest"])
        print(f"repetition {repetition + 1}: {tokens} tokens; raw nlp.pipe {raw_rate:,.0f} "
              f"tokens/s ({wall['raw']:.1f} s wall, {cpu['raw']:.1f} s cpu); suggest "
              f"{suggest_rate:,.0f} tokens/s ({wall['suggest']:.1f} s wall, "
              f"{cpu['suggest']:.1f} s cpu); ratio {wall_ratios[-1]:.3f} wall, "
              f"{cpu_ratios[-1]:.3f} cpu")
    # The same split seen from inside one pass: time spent waiting for nlp.pipe to yield each
    # Doc versus time spent turning that Doc into suggestions. Load changes hit both sides
    # within milliseconds of each other, so this share is the steadiest figure.
    finder = cue_finder_for(nlp)
    pipe_seconds = post_seconds = 0.0
    documents = iter(nlp.pipe(paragraphs, batch_size=arguments.batch_size))
    index = 0
    while True:
        started = time.process_time()
        doc = next(documents, None)
        parsed = time.process_time()
        if doc is None:
            break
        suggest_doc(doc, index, finder)
        pipe_seconds += parsed - started
        post_seconds += time.process_time() - parsed
        index += 1
    print(f"inside one suggestion pass (cpu): nlp.pipe {pipe_seconds:.1f} s, cues + candidates "
          f"+ labels {post_seconds:.1f} s ({100 * post_seconds / pipe_seconds:.1f}% extra): "
          f"ratio {pipe_seconds / (pipe_seconds + post_seconds):.3f}")
    print(f"suggestions per pass: {suggestions_made}")
    print(f"median raw nlp.pipe: {statistics.median(raw_rates):,.0f} tokens/s")
    print(f"median suggest:      {statistics.median(suggest_rates):,.0f} tokens/s")
    print(f"median ratio suggest / raw: {statistics.median(wall_ratios):.3f} wall-clock, "
          f"{statistics.median(cpu_ratios):.3f} cpu time (target >= 0.85)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    print("load average at end: " + " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
