"""Turn errors into JSON responses in the one error shape (``api.responses.ErrorSerializer``):
``{"detail": "<what to do>", ...}`` with the right 4xx.

Domain errors carry their message; DRF's validation errors (a serializer's, django-filter's,
the token view's) come as ``{"detail": "<field>: <message>; ...", "errors": {field: [messages]}}``,
so every 400 has a ``detail`` a person can read. ``csrf_failure`` answers a refused CSRF check
under ``/api/`` in the same shape (Django's HTML page elsewhere).
"""
from __future__ import annotations

from django.db import DatabaseError
from django.http import Http404
from django.http import JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.errors import ArgmapError, from_database_error
from annotations.representations import span_data

NON_FIELD = {"non_field_errors"}


def exception_handler(exc, context):
    if isinstance(exc, DatabaseError):
        exc = from_database_error(exc) or exc
    if isinstance(exc, ArgmapError):
        body = {"detail": exc.message}
        for key, value in exc.details.items():
            if key == "current" and value is not None:
                body["current"] = span_data(value)
            else:
                body[key] = value
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found, or not in a project you are a member of."}, status=404)
    if isinstance(exc, ValidationError) and not (isinstance(exc.detail, dict) and "detail" in exc.detail):
        return Response(_validation_body(exc.detail), status=exc.status_code)
    return drf_exception_handler(exc, context)


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [
            message if key in NON_FIELD else f"{key}: {message}"
            for key, value in detail.items() for message in _messages(value)
        ]
    if isinstance(detail, (list, tuple)):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


def _validation_body(detail) -> dict:
    """``{"detail": "limit: ...; kind: ...", "errors": {...}}`` from a ValidationError's detail."""
    if isinstance(detail, dict):
        errors = {key: _messages(value) if isinstance(value, (dict, list)) else [str(value)] for key, value in detail.items()}
        return {"detail": "; ".join(_messages(detail)) or "Invalid input.", "errors": errors}
    return {"detail": "; ".join(_messages(detail)) or "Invalid input."}


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: JSON in the error shape under ``/api/``; Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": (
            f"CSRF check failed ({reason}). With the session cookie, send the csrftoken cookie's value back "
            "in the X-CSRFToken header; scripts can instead send Authorization: Token <key> and no session cookie."
        )}, status=403)
    return django_csrf_failure(request, reason=reason)
