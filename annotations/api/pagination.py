"""Pagination for list endpoints: ``?limit=&offset=`` with a count, pages of 100 by default.

A whole document's spans fit in one page (``limit`` up to 5,000), so the workspace never
needs a request per span or per paragraph.
"""
from rest_framework.pagination import LimitOffsetPagination


class ArgmapPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 5000
