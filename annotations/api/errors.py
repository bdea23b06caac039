"""Turn domain errors into JSON responses: ``{"detail": "<what to do>", ...}`` with the right 4xx."""
from __future__ import annotations

from django.db import DatabaseError
from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.errors import ArgmapError, from_database_error
from annotations.representations import span_data


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
    return drf_exception_handler(exc, context)
