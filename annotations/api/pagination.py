"""Pagination for list endpoints: ``?limit=&offset=`` with a count, pages of 100 by default.

A whole document's spans fit in one page (``limit`` up to 5,000), so the workspace never
needs a request per span or per paragraph. Span and relation lists fetch their page and count
in one statement (``selectors.span_lists``) and hand both to ``page_response``.
"""
from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination


class ArgmapPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 5000

    def page_response(self, *, count: int, rows: list, request):
        """The paginated response for a page fetched elsewhere (see ``selectors.span_lists``)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = count
        return self.get_paginated_response(rows)

    def page_bounds(self, request) -> tuple[int, int]:
        return self.get_limit(request), self.get_offset(request)
