"""``manage.py restore PATH [--database NAME] [--replace]``: restore a backup with pg_restore."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from argmap.backup import BackupError, Target, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the app's database (created if missing), in one "
        "transaction. A database that already holds tables is refused unless --replace (stop the app first). "
        "--database NAME restores into another database on the same server, e.g. to check a backup."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument("--database", help="Restore into this database instead of the app's own.")
        parser.add_argument("--replace", action="store_true", help="Overwrite a database that already holds tables.")

    def handle(self, *args, path, database, replace, **options):
        target = Target.from_settings(settings.DATABASES["default"], name=database)
        try:
            backup_restore(target=target, source=path, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path} into the database {target.name!r}.")
        if database is None:
            self.stdout.write("Run `python manage.py migrate` if the backup is older than this version of argmap.")
