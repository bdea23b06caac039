"""``manage.py import_article FILE... --project SLUG``: load articles as paragraphs, with a progress bar."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.management.lookups import project_by_slug


class Command(BaseCommand):
    help = (
        "Import articles (.txt, .md, .html, .docx) into a project as documents made of paragraphs. "
        "Each file is imported in its own transaction; prints a summary of imported, skipped and failed files."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="Article files to import.")
        parser.add_argument("--project", required=True, help="Slug of the project to import into.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, files, project, no_progress, **options):
        target = project_by_slug(project, hint="; create it first (e.g. in the admin)")
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"Not a file: {', '.join(missing)}")
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", disable=no_progress, file=self.stderr)
        result = services.documents_import_many(
            project=target, user=None,
            files=((path.name, path.read_bytes()) for path in files),
            progress=lambda name: bar.update(1),
        )
        bar.close()
        for document in result.imported:
            self.stdout.write(f"imported  {document.source_name}: document {document.pk} {document.title!r}")
        for name, reason in result.skipped:
            self.stdout.write(f"skipped   {name}: {reason}")
        for name, reason in result.failed:
            self.stdout.write(self.style.ERROR(f"failed    {name}: {reason}"))
        self.stdout.write(result.summary)
        if result.failed and not result.imported:
            raise CommandError("No file was imported.")
