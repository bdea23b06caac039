"""demo never leaves its task worker behind: a port already in use is refused before anything
starts, naming the process that holds it, and a server that cannot bind stops the worker."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.parse
from io import StringIO

import psutil
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from annotations.management.commands.demo import Command, port_holder
from tests.paths import REPOSITORY


@pytest.fixture
def held_port():
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    yield holder.getsockname()[1]
    holder.close()


def test_port_holder_names_the_process(held_port):
    """port_holder names the listening process with its command line; a free port has no holder."""
    assert port_holder("127.0.0.1", held_port).startswith(f"process {os.getpid()} (")
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    assert port_holder("127.0.0.1", port) is None


def test_demo_refuses_a_busy_port_before_setting_up(held_port):
    """manage.py demo on a busy port exits at once with one line naming the holder, and starts no worker."""
    result = subprocess.run(
        [sys.executable, str(REPOSITORY / "manage.py"), "demo", "--addrport", f"127.0.0.1:{held_port}"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 1
    assert f"port {held_port} on 127.0.0.1 is in use by process {os.getpid()} (" in result.stderr
    assert "background worker" not in result.stdout and "Loaded the sample" not in result.stdout


@pytest.mark.django_db(transaction=True)
def test_worker_is_stopped_when_the_server_cannot_bind(held_port, monkeypatch):
    """When runserver fails to bind (the port taken after the check), serve() stops the real db_worker and names the holder."""
    database = connection.settings_dict
    monkeypatch.setenv("DATABASE_URL", (
        f"postgres://{database['USER']}@{urllib.parse.quote(database['HOST'], safe='')}:{database['PORT']}/{database['NAME']}"
    ))
    out = StringIO()
    command = Command(stdout=out)
    with pytest.raises(CommandError) as refused:
        command.serve(f"127.0.0.1:{held_port}", worker=True)
    assert f"port {held_port} on 127.0.0.1 is in use by process {os.getpid()}" in str(refused.value)
    assert "the background worker was stopped too" in str(refused.value)
    worker_pid = int(out.getvalue().split("running as process ")[1].split()[0])
    assert not psutil.pid_exists(worker_pid) or psutil.Process(worker_pid).status() == psutil.STATUS_ZOMBIE


def test_demo_without_serving_still_sets_up(db):
    """--no-serve skips the port check and the children (the data is set up as before)."""
    out = StringIO()
    call_command("demo", "--no-serve", "--password", "a-long-demo-pass", stdout=out)
    assert "argmap demo ready" in out.getvalue()
