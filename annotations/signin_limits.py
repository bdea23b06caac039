"""Rate limits on the three ways to try a password: ``/accounts/login/``, ``/admin/login/`` and
``/api/auth/token/`` (the limits and their counting: annotations/services/throttle.py).

A POST to one of them first counts an attempt for its username and for the client's address;
past a limit it is refused with **429** and ``Retry-After``, saying when to try again (JSON
``{"detail": ...}`` for the API, a page for people), before any password is checked. A
sign-in that succeeds (a redirect from the login pages, 200 from the token endpoint) gives its
attempt back. The client's address is ``REMOTE_ADDR``, or the header named by
``ARGMAP_CLIENT_ADDRESS_HEADER`` (e.g. ``X-Real-IP``) when a trusted proxy sets it.
"""
from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from annotations import json_input
from annotations.services import throttle

PATHS = {"/accounts/login/": "page", "/admin/login/": "page", "/api/auth/token/": "api"}


def client_address(request) -> str:
    header = getattr(settings, "ARGMAP_CLIENT_ADDRESS_HEADER", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _username(request, kind: str) -> str:
    if kind == "api" and request.content_type == "application/json":
        try:
            data = json_input.loads(request.body or b"{}")  # bounded depth: the view answers 400 for the rest
        except ValueError:
            return ""
        value = data.get("username", "") if isinstance(data, dict) else ""
        return value if isinstance(value, str) else ""
    return request.POST.get("username", "")


def refusal(request, refused: throttle.Throttled, *, api: bool):
    if api:
        response = JsonResponse({"detail": refused.message}, status=429)
    else:
        response = render(request, "registration/too_many_attempts.html", {"message": refused.message}, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


class SignInLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = PATHS.get(request.path_info)
        if kind is None or request.method != "POST":
            return self.get_response(request)
        try:
            reservation = throttle.signin_attempt_reserve(username=_username(request, kind), address=client_address(request))
        except throttle.Throttled as refused:
            return refusal(request, refused, api=kind == "api")
        response = self.get_response(request)
        succeeded = response.status_code == (200 if kind == "api" else 302)
        if succeeded:
            throttle.signin_succeeded(reservation=reservation)
        return response
