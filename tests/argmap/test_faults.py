"""Faults: with the database stopped the app answers 503 with Retry-After (JSON for the API, a
page for people) and comes back by itself when the database is back (with the embedded server
it starts it again); every server error in production is logged with its traceback.

The 503 tests run gunicorn with DJANGO_DEBUG=0 against an embedded server of their own (its
own data folder under var/), stop that server for real and watch the app recover. A database
error met inside a middleware is checked in-process, with DEBUG on and off.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager

import pytest

from django.db import OperationalError
from django.test import Client, override_settings

from argmap.embedded_db import ensure_embedded_server, read_postmaster, stop_embedded_database
from tests.paths import REPOSITORY

PASSWORD = "a-long-fault-test-password"


def production_env(pgdata, **extra):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({
        "ARGMAP_PGDATA": str(pgdata), "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "fault-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver", "DJANGO_EMAIL_BACKEND": "off", **extra,
    })
    return environment


@pytest.fixture(scope="module")
def instance():
    """A migrated embedded database of its own, with a user and an API token."""
    folder = REPOSITORY / "var" / f"test-faults-{uuid.uuid4().hex[:8]}"
    environment = production_env(folder)
    manage = [sys.executable, str(REPOSITORY / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True, timeout=600, cwd=REPOSITORY)
        created = subprocess.run([*manage, "shell", "-c", (
            "from django.contrib.auth import get_user_model; from rest_framework.authtoken.models import Token; "
            f"user = get_user_model().objects.create_user('faulty', password='{PASSWORD}'); "
            "print(Token.objects.create(user=user).key)"
        )], env=environment, check=True, timeout=300, cwd=REPOSITORY, capture_output=True, text=True)
        yield {"pgdata": folder, "token": created.stdout.strip().splitlines()[-1]}
    finally:
        stop_embedded_database(folder)
        shutil.rmtree(folder, ignore_errors=True)
        (folder.parent / f".{folder.name}.lock").unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment, log_path):
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "argmap.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "4", "--timeout", "120"],
            cwd=REPOSITORY, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: fetch(base + "/accounts/login/")[0] == 200, 300, "gunicorn never answered")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=120)


def fetch(url, *, token=None, opener=None):
    """(status, headers, body) of a GET; connection failures are status 0."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=120) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}, ""


def wait_for(condition, seconds, message):
    """Poll ``condition`` until it holds; fail after ``seconds`` (generous: a loaded CI machine
    starts gunicorn and PostgreSQL slowly, and a long wait costs nothing when it passes)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.5)


def signed_in(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=120).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "faulty", "password": PASSWORD}).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=form, headers={"Referer": base}), timeout=120)
    assert fetch(base + "/", opener=opener)[0] == 200
    return opener


def test_embedded_database_stopped_answers_503_then_restarts_by_itself(instance, tmp_path):
    """Stopped under a running gunicorn: API 503 JSON + Retry-After, pages a 503 page, then the app starts the server again."""
    pgdata, token = instance["pgdata"], instance["token"]
    log = tmp_path / "gunicorn.log"
    with gunicorn(production_env(pgdata), log) as base:
        assert fetch(base + "/api/projects/", token=token)[0] == 200
        browser = signed_in(base)
        assert stop_embedded_database(pgdata) is True

        status, headers, body = fetch(base + "/api/projects/", token=token)
        assert status == 503, body
        assert headers["Retry-After"] == "5" and headers["Content-Type"] == "application/json"
        assert json.loads(body) == {"detail": "The database is not reachable right now; try again in 5 seconds."}
        status, headers, page = fetch(base + "/", opener=browser)
        if status == 200:  # the restart already finished: stop it again to see the page
            stop_embedded_database(pgdata)
            status, headers, page = fetch(base + "/", opener=browser)
        assert status in (503, 200)
        if status == 503:
            assert headers["Retry-After"] == "5" and "text/html" in headers["Content-Type"]
            assert "argmap is unavailable for a moment" in page and "try again in 5 seconds" in page

        wait_for(lambda: fetch(base + "/api/projects/", token=token)[0] == 200, 300,
                 "the app did not start the embedded server again")
        assert read_postmaster(pgdata) is not None
        assert fetch(base + "/", opener=browser)[0] == 200  # the same session works again
    text = log.read_text()
    assert "database unavailable" in text and "starting it again" in text and "is running again" in text


def test_external_database_back_reconnects_without_restart(instance, tmp_path):
    """With DATABASE_URL, the app never starts the server itself; when it is back, the next request is served."""
    pgdata, token = instance["pgdata"], instance["token"]
    address = ensure_embedded_server(pgdata)
    url = f"postgres://postgres@{urllib.parse.quote(str(address.socket_dir), safe='')}:{address.port}/argmap"
    environment = production_env(REPOSITORY / "var" / "no-such-pgdata", DATABASE_URL=url)
    with gunicorn(environment, tmp_path / "gunicorn.log") as base:
        assert fetch(base + "/api/projects/", token=token)[0] == 200
        stop_embedded_database(pgdata)
        for _ in range(3):
            status, headers, _body = fetch(base + "/api/projects/", token=token)
            assert status == 503 and headers["Retry-After"] == "5"
        assert read_postmaster(pgdata) is None  # nobody restarted it
        ensure_embedded_server(pgdata)
        wait_for(lambda: fetch(base + "/api/projects/", token=token)[0] == 200, 300, "the app did not reconnect")
    assert not (REPOSITORY / "var" / "no-such-pgdata").exists()


@pytest.mark.parametrize("path", ["/boom/", "/api/boom/"])
def test_server_errors_in_production_are_logged_with_traceback(path):
    """With DEBUG off a failing view answers 500 (JSON under /api/) and stderr has the traceback."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\nfrom django.test.utils import override_settings\n"
        "with override_settings(ROOT_URLCONF='tests.argmap.boom_urls'):\n"
        f"    response = Client(raise_request_exception=False).get({path!r})\n"
        "print(response.status_code, response['Content-Type'])\n"
    )
    environment = production_env(REPOSITORY / "var" / "pgdata", DJANGO_SETTINGS_MODULE="argmap.settings")
    environment.pop("ARGMAP_PGDATA")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPOSITORY, env=environment,
                            capture_output=True, text=True, timeout=240)
    status, content_type = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "500"
    assert content_type == ("application/json" if path.startswith("/api/") else "text/html; charset=utf-8")
    assert "ERROR django.request" in result.stderr and f"Internal Server Error: {path}" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom: a deliberate failure for the logging test" in result.stderr


class DatabaseGoneInMiddleware:
    """A middleware that meets a lost database, as the session middleware does when PostgreSQL stops."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("connection failed: Connection refused (a deliberate failure for the fault test)")


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
@pytest.mark.parametrize("path", ["/api/projects/", "/"])
def test_database_error_inside_a_middleware_answers_503_with_debug_on_or_off(settings, debug, path):
    """A lost database met by a middleware is the same 503 + Retry-After with DEBUG on as off (not the debug page)."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      f"{__name__}.DatabaseGoneInMiddleware")
    with override_settings(DEBUG=debug, MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if path.startswith("/api/"):
        assert response.json() == {"detail": "The database is not reachable right now; try again in 5 seconds."}
    else:
        assert "text/html" in response["Content-Type"]
        assert "argmap is unavailable for a moment" in response.content.decode()
