"""``manage.py stop_database``: stop the embedded PostgreSQL server (it keeps running between commands)."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from argmap.embedded_db import stop_embedded_database


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL server in var/pgdata (nothing to do when DATABASE_URL is set)."

    requires_system_checks = []

    def handle(self, *args, **options):
        pgdata = getattr(settings, "PGDATA", None)
        if pgdata is None:
            raise CommandError("DATABASE_URL is set: argmap is not running an embedded server.")
        from django.db import connections

        connections.close_all()
        stopped = stop_embedded_database(pgdata)
        self.stdout.write("stopped the embedded PostgreSQL server" if stopped else "the embedded server was not running")
