"""``manage.py learning_curve GOLD...``: does learning from decisions pay off on these texts?

Simulates a person reviewing suggestions on half the texts (``annotations/nlp/learning_curve.py``)
and prints the macro-F1 of the shown suggestions on the other half after 10, 25, 50 and
100 decisions, over several seeds (mean ± sd), next to the rules alone.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations.nlp import gold, learning_curve
from annotations.nlp.pipeline import load_pipeline


class Command(BaseCommand):
    help = (
        "Print the learning curve of a project model on annotated texts: macro-F1 of the shown "
        "suggestions on half the texts after N simulated decisions on the other half, mean and "
        "spread over seeds, next to the rules alone. Reads the same gold as evaluate_suggestions."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", type=Path, help="files or folders with annotated texts")
        parser.add_argument("--format", dest="format_name",
                            choices=("microtexts", "brat", "json", "aif", "doccano"))
        parser.add_argument("--map", action="append", default=[], metavar="FROM=TO",
                            help="label mapping as in evaluate_suggestions")
        parser.add_argument("--stance", default=None, metavar="ATTRIBUTE=VALUE")
        parser.add_argument("--sizes", default="10,25,50,100", help="decision counts (default 10,25,50,100)")
        parser.add_argument("--seeds", type=int, default=5, help="how many seeds (default 5)")
        parser.add_argument("--json", dest="json_path", default=None, metavar="PATH",
                            help="also write the figures as JSON to PATH")

    def handle(self, *args, **options):
        try:
            sizes = tuple(int(size) for size in options["sizes"].split(","))
        except ValueError:
            raise CommandError(f"--sizes takes numbers separated by commas, not {options['sizes']!r}.") from None
        if options["seeds"] < 1 or any(size < 1 for size in sizes):
            raise CommandError("--seeds and every --sizes value must be at least 1.")
        try:
            corpus = gold.read_gold(options["gold"], label_map=gold.parse_label_map(options["map"]),
                                    stance=gold.parse_stance(options["stance"]),
                                    format_name=options["format_name"])
            loaded = load_pipeline(settings.ARGMAP_SPACY_MODEL)
            points = learning_curve.learning_curve(
                corpus, loaded.nlp, sizes=sizes, seeds=tuple(range(options["seeds"])),
                threshold=settings.ARGMAP_SUGGESTION_THRESHOLD)
        except gold.CorpusError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(learning_curve.render_curve(points, len(corpus)))
        # Figures from a shared machine are read with its load (the curve itself does not
        # depend on it; the time it took does).
        self.stdout.write("load average %.1f %.1f %.1f" % os.getloadavg())
        if options["json_path"]:
            figures = [{"decisions": p.decisions, "used": p.available, "learned": p.learned,
                        "rules": p.rules} for p in points]
            Path(options["json_path"]).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
