"""``manage.py import_map --format FORMAT --project SLUG PATH...``: store argument maps made elsewhere."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.errors import ArgmapError
from annotations.formats import import_formats
from annotations.formats.archive import is_hidden
from annotations.management.arguments import add_format_argument
from annotations.management.lookups import project_by_slug, user_by_name


class Command(BaseCommand):
    help = (
        "Import argument maps (" + ", ".join(f.name for f in import_formats()) + ") into a project. "
        "All files are stored in one transaction: if any file has a problem, nothing is stored and the "
        "message names the file and the line or item. Without --user the maps go into the consensus "
        "layer (or --layer answer_key); with --user into that member's own layer unless --layer says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path,
                            help="Files or folders to import (a folder: every file in it, hidden ones skipped; "
                                 "brat: a folder of .txt/.ann pairs with its annotation.conf).")
        add_format_argument(parser, formats=import_formats(), auto=True)
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--user", help="Import as this member (their permissions and layer).")
        parser.add_argument("--layer", choices=["own", "consensus", "answer_key"], help="Target layer.")
        parser.add_argument("--replace", action="store_true", help="Replace the layer's spans on matching documents.")
        parser.add_argument("--map", action="append", default=[], dest="label_map", metavar="FROM=TO",
                            help="Map another tool's label or relation type onto argmap's (ORG=claim, Premise=evidence, "
                                 "PER=- to leave PER out); repeat or separate with commas.")
        parser.add_argument("--strict", action="store_true",
                            help="Refuse a file instead of leaving out what cannot be imported (AIF propositions that "
                                 "are not in the text, doccano records without text).")

    def handle(self, *args, paths, format_name, project, user, layer, replace, label_map, strict, **options):
        found, as_user = project_by_slug(project), user_by_name(user)
        missing = [str(path) for path in paths if not path.is_file() and not path.is_dir()]
        if missing:
            raise CommandError(f"Not a file or folder: {', '.join(missing)}")
        files = []
        for path in paths:
            if path.is_dir():  # names relative to the folder, so that x.txt and x.ann pair up and folders stay apart
                found_files = [p for p in sorted(path.rglob("*")) if p.is_file() and not is_hidden(str(p.relative_to(path)))]
                files += [(f"{path.name}/{p.relative_to(path).as_posix()}", p.read_bytes()) for p in found_files]
            else:
                files.append((path.name, path.read_bytes()))
        if not files:
            raise CommandError(f"No files in {', '.join(str(p) for p in paths)}.")
        try:
            result = services.argument_map_import_files(
                project=found, user=as_user, format_name=format_name, files=files,
                layer=layer or ("own" if as_user else "consensus"), replace=replace,
                label_map=label_map, strict=strict,
            )
        except ArgmapError as error:
            raise CommandError(f"Nothing was imported. {error.message}") from None
        for item in result.documents:
            how = "new document" if item.created else "existing document"
            self.stdout.write(f"{how} {item.document.pk} {item.document.title!r}: {item.spans} spans, {item.relations} relations")
        for line in result.merged:
            self.stdout.write(f"merged: {line}")
        for line in result.left_out:
            self.stdout.write(f"left out: {line}")
        for line in result.assumed:
            self.stdout.write(f"assumed: {line}")
        self.stdout.write(self.style.SUCCESS(result.summary))
