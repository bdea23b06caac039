"""``manage.py import_map --format FORMAT --project SLUG PATH...``: store argument maps made elsewhere."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.errors import ArgmapError
from annotations.formats import import_formats
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Import argument maps (" + ", ".join(f.name for f in import_formats()) + ") into a project. "
        "All files are stored in one transaction: if any file has a problem, nothing is stored and the "
        "message names the file and the line or item. Without --user the maps go into the consensus "
        "layer (or --layer answer_key); with --user into that member's own layer unless --layer says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files to import.")
        parser.add_argument("--format", required=True, dest="format_name", help="json, aif, brat or doccano.")
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--user", help="Import as this member (their permissions and layer).")
        parser.add_argument("--layer", choices=["own", "consensus", "answer_key"], help="Target layer.")
        parser.add_argument("--replace", action="store_true", help="Replace the layer's spans on matching documents.")

    def handle(self, *args, paths, format_name, project, user, layer, replace, **options):
        found = Project.objects.filter(slug=project).first()
        if found is None:
            raise CommandError(f"No project with the slug {project!r}.")
        as_user = None
        if user:
            as_user = get_user_model().objects.filter(username=user).first()
            if as_user is None:
                raise CommandError(f"No user named {user!r}.")
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"Not a file: {', '.join(missing)}")
        try:
            result = services.argument_map_import_files(
                project=found, user=as_user, format_name=format_name,
                files=[(path.name, path.read_bytes()) for path in paths],
                layer=layer or ("own" if as_user else "consensus"), replace=replace,
            )
        except ArgmapError as error:
            raise CommandError(f"Nothing was imported. {error.message}") from None
        for item in result.documents:
            how = "new document" if item.created else "existing document"
            self.stdout.write(f"{how} {item.document.pk} {item.document.title!r}: {item.spans} spans, {item.relations} relations")
        self.stdout.write(self.style.SUCCESS(result.summary))
