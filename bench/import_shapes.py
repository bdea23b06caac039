"""Print what the readings of other tools' files cost: brat offsets tried in code points and in UTF-16
code units, doccano's UTF-16 guess, INCEpTION's attribute labels, a multi-step Argdown argument, a Kialo
discussion (a wide and a 1,000-deep tree, with links) and its export, doccano with CRLF texts, and telling
each format from its content (``sniff``).

Pure format calls (no database), each file built in memory at a size given by ``--spans``; prints
the median of ``--runs`` imports per shape and the load average before and after.

    python bench/import_shapes.py [--runs 5] [--spans 2000]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def shapes(spans: int) -> dict[str, tuple[str, list[tuple[str, bytes]]]]:
    sentences = [f"Point {n} 🚗 says cars should go, number {n}." for n in range(spans)]
    text = "\n".join(sentences) + "\n"
    starts, position = [], 0
    for sentence in sentences:
        starts.append(position)
        position += len(sentence) + 1
    quote = "cars should go"
    in_points = "".join(f"T{n + 1}\tClaim {s + sentence.index(quote)} {s + sentence.index(quote) + len(quote)}\t{quote}\n"
                        for n, (s, sentence) in enumerate(zip(starts, sentences)))
    in_units = "".join(f"T{n + 1}\tClaim {utf16(text, s + sentence.index(quote))} "
                       f"{utf16(text, s + sentence.index(quote)) + len(quote)}\t{quote}\n"
                       for n, (s, sentence) in enumerate(zip(starts, sentences)))
    inception = "".join(f"T{n + 1}\tSpan {s + sentence.index(quote)} {s + sentence.index(quote) + len(quote)}\t{quote}\n"
                        f"A{n + 1}\tlabel T{n + 1} Claim\n" for n, (s, sentence) in enumerate(zip(starts, sentences)))
    entities = [{"id": n + 1, "label": "Claim", "start_offset": utf16(text, s + sentence.index(quote)),
                 "end_offset": utf16(text, s + sentence.index(quote)) + len(quote)}
                for n, (s, sentence) in enumerate(zip(starts, sentences))]
    argdown = "<A>\n\n" + "".join(f"({2 * n + 1}) Premise {n}.\n----\n({2 * n + 2}) Step {n}.\n"
                                   for n in range(spans // 2)) + "\n"
    wide = "Discussion Title: Bench\n\n1. Cars should go.\n" + "".join(
        f"1.{n}. {'Pro' if n % 2 else 'Con'}: Point {n} about cars [1].\n1.{n}.1. Pro: -> See 1.{max(n - 1, 1)}.\n"
        for n in range(1, spans // 2 + 1)) + "\nSources:\n[1] A report.\n"
    deep = "1. Root.\n" + "".join(f"1{'.1' * depth}. Con: Reply {depth}.\n" for depth in range(1, min(spans, 1000) + 1))
    crlf_text = text.replace("\n", "\r\n\r\n")
    crlf_entities = [{"id": n + 1, "label": "Claim", "start_offset": crlf_text.index(sentence) + sentence.index(quote),
                      "end_offset": crlf_text.index(sentence) + sentence.index(quote) + len(quote)}
                     for n, sentence in enumerate(sentences)]
    return {
        "Kialo, wide tree with links and a source": ("kialo", [("k.txt", wide.encode())]),
        "Kialo, a tree 1,000 deep": ("kialo", [("k.txt", deep.encode())]),
        "doccano, CRLF text": ("doccano", [("d.jsonl", json.dumps({"text": crlf_text, "entities": crlf_entities}).encode())]),
        "brat, offsets in code points": ("brat", [("a.txt", text.encode()), ("a.ann", in_points.encode())]),
        "brat, offsets in UTF-16 units": ("brat", [("a.txt", text.encode()), ("a.ann", in_units.encode())]),
        "brat from INCEpTION (attribute labels)": ("brat", [("a.txt", text.encode()), ("a.ann", inception.encode())]),
        "doccano, UTF-16 offsets guessed": ("doccano", [("d.jsonl", json.dumps({"text": text, "entities": entities}).encode())]),
        "Argdown, multi-step argument": ("argdown", [("a.argdown", argdown.encode())]),
    }


def main() -> None:
    import django

    django.setup()
    from annotations.formats.base import ImportOptions
    from annotations.formats.registry import get_format
    from annotations.formats.sniff import sniff

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spans", type=int, default=2000)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, (format_name, files) in shapes(args.spans).items():
        times, spans = [], 0
        for _ in range(args.runs):
            options = ImportOptions()
            begin = time.perf_counter()
            maps = get_format(format_name).import_files(files, options=options)
            times.append(time.perf_counter() - begin)
            spans = sum(len(m.spans) for m in maps)
        print(f"{name:42} {spans:6} spans  median {statistics.median(times) * 1000:8.1f} ms")
        if format_name == "kialo":
            times = []
            for _ in range(args.runs):
                begin = time.perf_counter()
                get_format("kialo").export(maps[0])
                times.append(time.perf_counter() - begin)
            print(f"{'  … and its Kialo export':42} {spans:6} spans  median {statistics.median(times) * 1000:8.1f} ms")
        times = []
        for _ in range(args.runs):
            begin = time.perf_counter()
            assert sniff(files) == format_name
            times.append(time.perf_counter() - begin)
        print(f"{'  … told from its content (auto)':42} {'':6}        median {statistics.median(times) * 1000:8.1f} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
