"""What the app answers when its database is gone, and how it comes back by itself.

A request that fails because PostgreSQL cannot be reached (connection refused, the server
shutting down or restarting) gets **503 Service Unavailable** with ``Retry-After``: JSON
``{"detail": ...}`` under ``/api/``, a plain page for people (rendered without touching the
database: no user, no session). The broken connections are closed so that the next request
connects afresh; with the embedded server (``DATABASE_URL`` unset) a background thread starts
it again (:func:`argmap.embedded_db.ensure_embedded_server`, serialised across processes by its
lock). Every other server error stays a 500 and is logged with its traceback (``LOGGING``).

Two entry points share :func:`unavailable_response`: :class:`DatabaseUnavailableMiddleware`
catches the error in a view (DEBUG on or off), and :func:`server_error` (``handler500``)
catches it anywhere else, such as a middleware saving the session.
"""
from __future__ import annotations

import logging
import sys
import threading

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

logger = logging.getLogger("argmap.faults")
_restarting = threading.Lock()

# SQLSTATE classes meaning "no usable server": 08 connection exceptions, 57P01–57P03 shutdowns.
UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03")


def retry_after_seconds() -> int:
    return int(getattr(settings, "ARGMAP_DB_RETRY_AFTER", 5))


def database_unavailable(exception: BaseException | None) -> bool:
    """True when ``exception`` says the database server cannot be reached (not a bad query)."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    cause = exception.__cause__
    state = getattr(cause, "sqlstate", None)
    if state is None:
        return True  # psycopg raises connection failures without a SQLSTATE
    return state.startswith(UNAVAILABLE_STATES)


def unavailable_response(request, exception: BaseException) -> HttpResponse:
    """The 503 answer; also drops the dead connections and, when embedded, restarts the server."""
    seconds = retry_after_seconds()
    logger.warning("database unavailable (%s): answering 503 to %s %s",
                   " ".join(str(exception).split())[:200], request.method, request.path)
    _drop_connections()
    _restart_embedded_server()
    message = f"The database is not reachable right now; try again in {seconds} seconds."
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": message, "seconds": seconds})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's "database unavailable" error into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """``handler500``: the 503 answer for a lost database, else a 500 (JSON under ``/api/``).

    Called by Django inside its handler of the uncaught exception, so ``sys.exc_info()`` holds it.
    """
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        return unavailable_response(request, exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error: it has been logged; try again, or tell the administrator."},
                            status=500)
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def _drop_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None  # already broken: forget it, the next query reconnects


def _restart_embedded_server() -> None:
    """With the embedded server, start it again in the background (one attempt at a time)."""
    pgdata = getattr(settings, "PGDATA", None)
    if pgdata is None or not _restarting.acquire(blocking=False):
        return

    def restart():
        from argmap.embedded_db import EmbeddedDatabaseError, ensure_embedded_server, read_postmaster

        try:
            if read_postmaster(pgdata) is None:
                logger.warning("the embedded PostgreSQL server in %s is down: starting it again", pgdata)
                ensure_embedded_server(pgdata)
                logger.warning("the embedded PostgreSQL server in %s is running again", pgdata)
        except EmbeddedDatabaseError as error:
            logger.error("%s", error)
        finally:
            _restarting.release()

    threading.Thread(target=restart, name="argmap-embedded-db-restart", daemon=True).start()
