"""Turn domain errors raised while rendering a page into the right 4xx page with the message."""
from __future__ import annotations

from django.shortcuts import render

from django.db import DatabaseError

from annotations.errors import ArgmapError, from_database_error


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            exception = from_database_error(exception) or exception
        if isinstance(exception, ArgmapError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"message": exception.message, "status": exception.status_code},
                          status=exception.status_code)
        return None
