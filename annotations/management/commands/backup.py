"""``manage.py backup [--output PATH]``: dump the whole instance's database with pg_dump."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from argmap.backup import BackupError, Target, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database (every project, user and task) with pg_dump in its custom format. "
        "Default: var/backups/argmap-YYYYmmdd-HHMMSS.dump. Restore with `manage.py restore PATH`."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default under var/backups/).")

    def handle(self, *args, output, **options):
        output = output or settings.BASE_DIR / "var" / "backups" / f"argmap-{timezone.now():%Y%m%d-%H%M%S}.dump"
        target = Target.from_settings(settings.DATABASES["default"])
        try:
            size = backup_write(target=target, output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Wrote {output} ({size / 1024:.0f} KiB) from the database {target.name!r}.")
