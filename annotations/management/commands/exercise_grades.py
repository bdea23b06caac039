"""``manage.py exercise_grades``: write an exercise's grades as CSV (one row per student).

    python manage.py exercise_grades --exercise 3                  # to standard output
    python manage.py exercise_grades --exercise 3 --output grades.csv
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.models import Exercise
from annotations.selectors.dashboard import grades_csv


class Command(BaseCommand):
    help = ("Write an exercise's gradebook as CSV: one row per student of the class with the score and its parts, "
            "the teacher's override and comment, submitted at, late, and attempts.")

    def add_arguments(self, parser):
        parser.add_argument("--exercise", type=int, required=True, help="The exercise's id (shown in its page's address, /e/ID/).")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, exercise: int, output: str | None, **options):
        found = Exercise.objects.select_related("project").filter(pk=exercise).first()
        if found is None:
            known = ", ".join(str(pk) for pk in Exercise.objects.order_by("pk").values_list("pk", flat=True)[:20])
            raise CommandError(f"No exercise {exercise}; exercises: {known or 'none yet'}.")
        text = grades_csv(exercise=found)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
            self.stderr.write(f"Wrote {text.count(chr(10)) - 1} student row(s) of {found.title!r} to {output}.")
        else:
            self.stdout.write(text, ending="")
