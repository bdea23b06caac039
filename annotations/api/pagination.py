"""Pagination for list endpoints: ``?limit=&offset=`` with a count, pages of 100 by default.

``limit`` and ``offset`` are read by ``annotations.params`` (digits 0-9, within bigint; a bad
one is a 400); a ``limit`` above the maximum is cut to it. The schema's parameters say the same
(``get_schema_operation_parameters``: limit from 1, offset from 0).

A whole document's spans fit in one page (``limit`` up to 5,000), so the workspace never
needs a request per span or per paragraph. Span and relation lists fetch their page and count
in one statement (``selectors.span_lists``) and hand both to ``page_response``.
"""
from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from annotations import params


class ArgmapPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 5000

    def get_limit(self, request) -> int:
        return params.bounded(
            request.query_params.get(self.limit_query_param), name="limit", default=self.default_limit,
            minimum=1, maximum=self.max_limit,
        )

    def get_offset(self, request) -> int:
        return params.whole_number(request.query_params.get(self.offset_query_param) or "0", name="offset")

    def get_schema_operation_parameters(self, view):
        """What ``get_limit``/``get_offset`` accept: limit 1 and up (cut to 5000), offset 0 and up, within bigint."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": params.BIGINT_MAX},
            self.offset_query_param: {"minimum": 0, "maximum": params.BIGINT_MAX},
        }
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters

    def page_response(self, *, count: int, rows: list, request):
        """The paginated response for a page fetched elsewhere (see ``selectors.span_lists``)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = count
        return self.get_paginated_response(rows)

    def page_bounds(self, request) -> tuple[int, int]:
        return self.get_limit(request), self.get_offset(request)
