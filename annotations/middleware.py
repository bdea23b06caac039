"""Turn domain errors raised while rendering a page into the right 4xx page with the message,
and refuse an address carrying a NUL character before any view runs (PostgreSQL text cannot
hold one, so a filter or lookup with it would otherwise fail in the database).

Under ``/api/`` a query parameter given with no value (``?offset=``) is refused too, whatever
the endpoint: it is not the same as leaving the parameter out, and guessing which it means
(DRF and django-filter take it as absent) lets a typo pass unseen. The schema says so
(``minLength: 1`` on text parameters; numbers and choices cannot be empty anyway). Pages keep
HTML forms' habit of sending empty fields, and read them as absent, and so does the API docs page.

A page's form fields (names and values, not uploaded files) with a NUL character are refused
the same way, with a 400 page: every page view passes form text on to a service, and the API's
serializers already refuse a NUL themselves."""
from __future__ import annotations

import functools

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from annotations import params
from annotations.errors import ArgmapError, InvalidInput, from_database_error


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            _check_address(request)
        except InvalidInput as refusal:
            return self.refusal(request, refusal)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            exception = from_database_error(exception) or exception
        if isinstance(exception, ArgmapError) and not request.path.startswith("/api/"):
            return self.refusal(request, exception)
        return None

    @staticmethod
    def refusal(request, error: ArgmapError):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": error.message}, status=error.status_code)
        return render(request, "error.html", {"message": error.message, "status": error.status_code},
                      status=error.status_code)


@functools.cache
def _docs_path() -> str:
    return reverse("api-docs")


def _check_address(request) -> None:
    params.text(request.path, name="The address")
    # the API docs page (Swagger UI) links its own script as ``?script=``: it is a page, not an endpoint
    api = request.path.startswith("/api/") and request.path != _docs_path()
    for name, values in request.GET.lists():
        params.text(name, name="A query parameter's name")
        for value in values:
            params.text(value, name=name)
            if api and value == "":
                raise InvalidInput(f"{name} is empty: give it a value, or leave {name} out of the address.")
    if not request.path.startswith("/api/") and request.method == "POST":
        for name, values in request.POST.lists():
            params.text(name, name="A form field's name")
            for value in values:
                params.text(value, name=f"The form field {name}")
