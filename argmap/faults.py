"""What the app answers when its database is gone, and how it comes back by itself.

A request that fails because PostgreSQL cannot be reached (connection refused, the server
shutting down or restarting) gets **503 Service Unavailable** with ``Retry-After``: JSON
``{"detail": ...}`` under ``/api/``, a plain page for people (rendered without touching the
database: no user, no session). The broken connections are closed so that the next request
connects afresh; with the embedded server (``DATABASE_URL`` unset) a background thread starts
it again (:func:`argmap.embedded_db.ensure_embedded_server`, serialised across processes by its
lock). Every other server error stays a 500 and is logged with its traceback (``LOGGING``).

Three entry points share :func:`unavailable_response`, so that DEBUG on or off gives the same
answer: :class:`DatabaseUnavailableMiddleware` catches the error in a view (``process_exception``)
and, for an error raised in a middleware inside it (the session or authentication middleware
reading the database), replaces the 500 that Django made of it (its debug page with DEBUG on)
once :func:`_note_unavailable` (``got_request_exception``) has marked the request;
:func:`server_error` (``handler500``) answers the same with DEBUG off, for any place.
"""
from __future__ import annotations

import logging
import sys
import threading

from django.conf import settings
from django.core.signals import got_request_exception
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


_UNAVAILABLE = "_argmap_database_unavailable"


def _note_unavailable(sender, request=None, **kwargs):
    """``got_request_exception``: sent while Django handles an uncaught exception (``sys.exc_info()``
    holds it); marks the request when the database is unreachable, for the middleware below."""
    exception = sys.exc_info()[1]
    if request is not None and database_unavailable(exception):
        setattr(request, _UNAVAILABLE, exception)


got_request_exception.connect(_note_unavailable, dispatch_uid="argmap.faults.note_unavailable")


class DatabaseUnavailableMiddleware:
    """Turns a "database unavailable" error, in a view or in an inner middleware, into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exception = getattr(request, _UNAVAILABLE, None)
        if exception is not None and response.status_code != 503:  # 503: handler500 has answered already
            return unavailable_response(request, exception)
        return response

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
