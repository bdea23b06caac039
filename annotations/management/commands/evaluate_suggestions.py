"""``manage.py evaluate_suggestions``: zero-shot quality of the suggestions on arg-microtexts."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.nlp import evaluation
from annotations.nlp.pipeline import load_pipeline


class Command(BaseCommand):
    help = (
        "Suggest claims, evidence and counterclaims for the arg-microtexts corpus and print "
        "per-label precision, recall and F1 (exact match and >= 50% overlap); the last line "
        "is 'macro-F1 X.XX' for the chosen match (default: overlap). Gold: central claim = "
        "claim, opponent ADU = counterclaim, other proponent ADU = evidence."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, required=True,
                            help="directory with micro_*.xml and micro_*.txt "
                                 "(e.g. ../shared/corpora/arg-microtexts/en)")
        parser.add_argument("--match", choices=evaluation.MATCH_MODES, default="overlap",
                            help="which match the last line reports (default: overlap)")
        parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
        parser.add_argument("--learn", type=int, default=0, metavar="N",
                            help="also train a project model on N simulated decisions from "
                                 "the first texts and report it on the others")

    def handle(self, *args, **options):
        try:
            corpus = evaluation.read_corpus(options["corpus"], options["limit"])
        except evaluation.CorpusError as error:
            raise CommandError(str(error)) from error
        loaded = load_pipeline()
        if loaded.is_fallback:
            self.stderr.write(self.style.WARNING(loaded.message))
        if options["learn"]:
            learned, rules, result = evaluation.evaluate_after_learning(
                corpus, loaded.nlp, options["learn"])
            self.stdout.write(
                f"after learning from {result.trained_on} decisions (held-back accuracy "
                f"{result.accuracy:.2f}, rules {result.rule_accuracy:.2f}), on the "
                f"{learned.texts} texts not used for training:")
            self.stdout.write(learned.table(options["match"]))
            self.stdout.write("rules alone on the same texts:")
            self.stdout.write(rules.table(options["match"]))
            self.stdout.write("")
        report = evaluation.evaluate(corpus, nlp=loaded.nlp)
        self.stdout.write(evaluation.render_report(
            report, options["match"], f"pipeline {loaded.name} {loaded.version}"))
