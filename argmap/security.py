"""Content Security Policy on every response: scripts and styles only from our static files.

No inline ``<script>``, ``on*=`` handler or ``style=`` attribute runs under it; the pages load
ES modules from ``static/`` and pass data through ``data-`` attributes and ``json_script``
(a JSON data block, which a policy does not block since it never executes). The policy is
``settings.ARGMAP_CSP``; with ``ARGMAP_CSP_REPORT_ONLY`` it is only reported by browsers.
"""
from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only" if settings.ARGMAP_CSP_REPORT_ONLY else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if settings.ARGMAP_CSP and self.header not in response:
            response[self.header] = settings.ARGMAP_CSP
        return response
