"""``manage.py export_map --document ID --layer LAYER --format FORMAT --output PATH``: one map as a file."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.errors import ArgmapError
from annotations.formats import export_formats
from annotations.management.arguments import add_format_argument
from annotations.models import Document
from annotations.selectors.exports import export_layer_get, map_export


class Command(BaseCommand):
    help = (
        "Export one document's argument map in one layer, in one of the formats --format names. "
        "LAYER is a layer id, a member's username, 'consensus' or 'answer_key'. "
        "OUTPUT is a file, a folder (the file gets its usual name there) or '-' for standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--document", type=int, required=True, help="The document's id.")
        parser.add_argument("--layer", required=True, help="Layer id, username, consensus or answer_key.")
        add_format_argument(parser, formats=export_formats())
        parser.add_argument("--output", required=True, help="File or folder to write, or - for standard output.")

    def handle(self, *args, document, layer, format_name, output, **options):
        found = Document.objects.select_related("project").filter(pk=document).first()
        if found is None:
            raise CommandError(f"No document with id {document}.")
        try:
            export = map_export(
                document=found, layer=export_layer_get(project=found.project, spec=layer, user=None), format_name=format_name
            )
        except ArgmapError as error:
            raise CommandError(error.message) from None
        if output == "-":
            self.stdout.buffer.write(export.data) if hasattr(self.stdout, "buffer") else self.stdout.write(export.data.decode())
            return
        path = Path(output)
        if path.is_dir():
            path = path / export.file_name
        try:
            path.write_bytes(export.data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {path} ({len(export.data):,} bytes, {export.content_type}).")
