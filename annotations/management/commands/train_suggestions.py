"""``manage.py train_suggestions --project SLUG``: train the project's suggestion model now.

Uses the project's decisions (accepted, rejected) and manual spans; prints the model's
accuracy on held-back decisions next to the rules' on the same ones.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.management.lookups import project_by_slug
from annotations.selectors.suggestions import TRAIN_MIN_EXAMPLES, project_learning_example_count


class Command(BaseCommand):
    help = (
        "Train a project's own suggestion model from its people's decisions and manual spans "
        f"(at least {TRAIN_MIN_EXAMPLES}), store it, and print its held-back accuracy next to the rules'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="Slug of the project.")

    def handle(self, *args, project, **options):
        target = project_by_slug(project)
        examples = project_learning_example_count(target.pk)
        if examples < TRAIN_MIN_EXAMPLES:
            raise CommandError(
                f"Project {project!r} has {examples} decisions and manual spans; at least {TRAIN_MIN_EXAMPLES} "
                "are needed. Accept or reject more suggestions first."
            )
        self.stdout.write(f"Training on {examples} examples…")
        stored = services.project_model_train(project=target, force=True)
        if stored is None:
            raise CommandError("Too few usable examples (labels the model knows: claim, evidence, counterclaim).")
        self.stdout.write(
            f"model accuracy {stored.accuracy_model:.2f} vs rules {stored.accuracy_rules:.2f} "
            f"on {stored.n_held_back} held-back examples; trained on {stored.n_examples} examples"
        )
