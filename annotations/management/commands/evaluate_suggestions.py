"""``manage.py evaluate_suggestions GOLD...``: how well the suggestions match annotated texts.

Reads gold from arg-microtexts or any format argmap imports (``annotations/nlp/gold.py``),
suggests over its paragraphs with the configured pipeline, and prints per-label tables
(exact and overlap match) for the suggestions shown by default (score >= the threshold).
"""
from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations.nlp import evaluation, gold
from annotations.nlp.pipeline import load_pipeline


class Command(BaseCommand):
    help = (
        "Suggest claims, evidence and counterclaims for annotated texts and print per-label "
        "precision, recall and F1 (exact match and >= 50% overlap) for the suggestions shown "
        "by default; the last line is 'macro-F1 X.XX' for the chosen match. Gold: "
        "arg-microtexts XML (central claim = claim, opponent = counterclaim, other proponent "
        "= evidence), argmap JSON, AIF, doccano JSONL, brat (a zip, a folder of .txt/.ann "
        "pairs, or one pair). Major claims count as claims and rebuttals as evidence unless "
        "--map says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="*", type=Path,
                            help="files or folders with annotated texts")
        parser.add_argument("--corpus", type=Path, action="append", default=[],
                            help="same as a positional path (may be repeated)")
        parser.add_argument("--format", dest="format_name",
                            choices=("microtexts", "brat", "json", "aif", "doccano"),
                            help="read the files as this format (default: from their names)")
        parser.add_argument("--map", action="append", default=[], metavar="FROM=TO",
                            help="label mapping, e.g. --map Premise=evidence --map "
                                 "MajorClaim=claim; TO is claim, evidence, counterclaim or none")
        parser.add_argument("--stance", default=None, metavar="ATTRIBUTE=VALUE",
                            help="brat attribute that makes a span a counterclaim "
                                 "(default Stance=Against; 'none' to ignore attributes)")
        parser.add_argument("--threshold", type=float, default=None,
                            help="count suggestions scoring at least this (default: "
                                 "ARGMAP_SUGGESTION_THRESHOLD, what the page shows; 0 = all)")
        parser.add_argument("--match", choices=evaluation.MATCH_MODES, default="overlap",
                            help="which match the last line reports (default: overlap)")
        parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
        parser.add_argument("--json", dest="json_path", default=None, metavar="PATH",
                            help="also write the figures as JSON to PATH ('-' = instead of "
                                 "the tables, on standard output)")

    def handle(self, *args, **options):
        paths = [*options["gold"], *options["corpus"]]
        if not paths:
            raise CommandError("Name at least one file or folder of annotated texts.")
        threshold = options["threshold"]
        if threshold is None:
            threshold = settings.ARGMAP_SUGGESTION_THRESHOLD
        if not 0.0 <= threshold <= 1.0:
            raise CommandError(f"--threshold must be between 0 and 1, not {threshold}.")
        try:
            corpus = gold.read_gold(
                paths, label_map=gold.parse_label_map(options["map"]),
                stance=gold.parse_stance(options["stance"]),
                format_name=options["format_name"], limit=options["limit"])
        except gold.CorpusError as error:
            raise CommandError(str(error)) from error
        loaded = load_pipeline(settings.ARGMAP_SPACY_MODEL)
        if loaded.is_fallback:
            self.stderr.write(self.style.WARNING(loaded.message))
        report = evaluation.evaluate(corpus, nlp=loaded.nlp, threshold=threshold)
        description = f"pipeline {loaded.name} {loaded.version}"
        if options["json_path"]:
            figures = {"pipeline": description, "gold": [str(p) for p in paths],
                       **report.as_dict()}
            text = json.dumps(figures, indent=2)
            if options["json_path"] == "-":
                self.stdout.write(text)
                return
            Path(options["json_path"]).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(evaluation.render_report(report, options["match"], description))
