"""The embedded PostgreSQL server starts whatever state its data folder is left in, and a start
that fails says why in one line (never "Unknown command" or a bare AppRegistryNotReady).

Each test works on a data folder of its own under var/ (initialised once for the module),
through the same code the settings use, and through ``manage.py`` in a subprocess.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from argmap.embedded_db import (
    EmbeddedDatabaseError,
    embedded_database_settings,
    ensure_embedded_server,
    read_postmaster,
    stop_embedded_database,
)
from tests.paths import REPOSITORY


@pytest.fixture(scope="module")
def pgdata():
    folder = REPOSITORY / "var" / f"test-embedded-{uuid.uuid4().hex[:8]}"
    try:
        embedded_database_settings(folder)
        yield folder
    finally:
        stop_embedded_database(folder)
        shutil.rmtree(folder, ignore_errors=True)
        (folder.parent / f".{folder.name}.lock").unlink(missing_ok=True)


def manage(pgdata, *args, env=None, timeout=240):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({"ARGMAP_PGDATA": str(pgdata), **(env or {})})
    return subprocess.run([sys.executable, str(REPOSITORY / "manage.py"), *args], cwd=REPOSITORY, env=environment,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("content", [b"", b"[123, 45", b"\x00\x00\x00\x00", b"{\"not\": \"a list\"}", b"[1,2,3]"])
def test_any_handle_pids_file_is_ignored(pgdata, content):
    """Whatever .handle_pids.json holds (cut off, NULs from a full disk, another shape), commands run, stopped or running."""
    stop_embedded_database(pgdata)
    (pgdata / ".handle_pids.json").write_bytes(content)
    stopped = manage(pgdata, "check")
    assert stopped.returncode == 0, stopped.stderr
    running = manage(pgdata, "check")
    assert running.returncode == 0, running.stderr
    assert (pgdata / ".handle_pids.json").read_bytes() == content  # nothing rewrites it


@pytest.mark.parametrize("content", [b"", b"12345\n", b"\x00" * 64])
def test_postmaster_pid_left_cut_off_by_a_crash(pgdata, content):
    """An empty or cut-off postmaster.pid with no server behind it (PostgreSQL refuses those) is cleared and the server starts."""
    stop_embedded_database(pgdata)
    (pgdata / "postmaster.pid").write_bytes(content)
    address = ensure_embedded_server(pgdata)
    assert read_postmaster(pgdata) == address


def test_concurrent_starts_with_different_runtime_dirs(pgdata, tmp_path):
    """Six processes that start the stopped server at once, each with its own XDG_RUNTIME_DIR, all succeed."""
    stop_embedded_database(pgdata)
    (pgdata / ".handle_pids.json").write_bytes(b"[99")

    def start(index):
        runtime = tmp_path / f"runtime-{index}"
        runtime.mkdir()
        return manage(pgdata, "check", env={"XDG_RUNTIME_DIR": str(runtime)})

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(start, range(6)))
    failures = [result.stderr.strip().splitlines()[-1:] for result in results if result.returncode != 0]
    assert failures == []
    assert read_postmaster(pgdata) is not None


def test_a_server_stopped_under_the_app_is_started_again(pgdata):
    """ensure_embedded_server restarts a server that stopped, at the same address (what the fault middleware relies on)."""
    before = ensure_embedded_server(pgdata)
    assert stop_embedded_database(pgdata) is True
    assert read_postmaster(pgdata) is None
    after = ensure_embedded_server(pgdata)
    assert (after.socket_dir, after.port) == (before.socket_dir, before.port)
    assert after.pid != before.pid


def test_start_failure_is_one_line_with_the_servers_reason(pgdata):
    """A server that cannot start (a broken postgresql.conf) fails every command with one line quoting PostgreSQL's reason."""
    stop_embedded_database(pgdata)
    config = pgdata / "postgresql.conf"
    original = config.read_bytes()
    try:
        with open(config, "a") as handle:
            handle.write("\nshared_buffers = 'lots'\n")
        result = manage(pgdata, "demo", "--no-serve")
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("argmap cannot start: the embedded PostgreSQL server in")
        assert "shared_buffers" in lines[0] and str(pgdata / "log") in lines[0]
        assert "Unknown command" not in result.stderr and "Traceback" not in result.stderr
        with pytest.raises(EmbeddedDatabaseError, match="did not start"):
            ensure_embedded_server(pgdata)
    finally:
        config.write_bytes(original)
    assert ensure_embedded_server(pgdata) is not None


def test_a_folder_that_is_not_a_database_is_named(tmp_path):
    """A data folder holding other files is refused in one line that says what to do, and left untouched."""
    folder = REPOSITORY / "var" / f"test-not-a-database-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        (folder / "notes.txt").write_text("mine")
        result = manage(folder, "check")
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"argmap cannot start: {folder} holds files but no PG_VERSION: it is not a PostgreSQL data folder "
            "(move it away to start a new database, or set ARGMAP_PGDATA)"
        )
        assert os.listdir(folder) == ["notes.txt"]
    finally:
        shutil.rmtree(folder)
        (folder.parent / f".{folder.name}.lock").unlink(missing_ok=True)
