"""``manage.py export_project --project SLUG --output PATH [--formats json,aif,...]``: every map as one zip."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.errors import ArgmapError
from annotations.formats import export_formats
from annotations.management.arguments import add_format_argument
from annotations.management.lookups import project_by_slug, user_by_name
from annotations.selectors.exports import project_export_plan, project_export_write


class Command(BaseCommand):
    help = (
        "Export every document × every layer with spans of a project, in each of the --formats, as one zip "
        "with a manifest.json, drawing a progress bar. Without --user every layer is exported, answer keys included."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--output", required=True, type=Path, help="The zip file to write.")
        add_format_argument(parser, formats=export_formats(), many=True)
        parser.add_argument("--user", help="Export only what this user may see.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, project, output, formats, user, no_progress, **options):
        found, as_user = project_by_slug(project), user_by_name(user)
        names = [name.strip() for name in formats.split(",") if name.strip()]
        from tqdm import tqdm

        try:
            plan = project_export_plan(project=found, user=as_user, format_names=names)
            with tqdm(total=plan.file_count, unit="file", disable=no_progress, file=self.stderr) as bar:
                manifest = project_export_write(plan, output, progress=bar.update)
        except ArgmapError as error:
            output.unlink(missing_ok=True)
            raise CommandError(error.message) from None
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote {output}: {len(manifest['documents'])} documents, {plan.map_count} maps, "
            f"{plan.file_count} files ({', '.join(manifest['formats'])})."
        )
