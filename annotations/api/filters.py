"""Filters for list endpoints (django-filter): by document, layer, label, author.

Ids filter as plain numbers, not model choices: no lookup query per request, and an id from
another project gives an empty list rather than revealing whether it exists.
"""
from __future__ import annotations

import django_filters
from rest_framework.filters import BaseFilterBackend

from annotations import params
from annotations.errors import InvalidInput
from annotations.models import Document, Layer, Paragraph
from annotations.selectors.span_lists import LAYER_REF, LAYER_WORDS, ListShape


def _id(field: str, what: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=f"{field}_id", help_text=f"The {what}'s id.")


class DocumentFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")

    class Meta:
        model = Document
        fields = ["project"]


class ParagraphFilter(django_filters.FilterSet):
    document = _id("document", "document")

    class Meta:
        model = Paragraph
        fields = ["document", "kind"]


class LayerFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")

    class Meta:
        model = Layer
        fields = ["project", "kind"]


class ListShapeFilterBackend(BaseFilterBackend):
    """The typed filters of a span or relation list (``view.list_shape``): checked here, applied
    in the list's one SQL statement. Unknown parameters are ignored, as django-filter does."""

    def filter_queryset(self, request, queryset, view):
        return queryset  # detail lookups are not filtered; lists go through ``parse``

    @staticmethod
    def parse(request, shape: ListShape) -> dict:
        values = {}
        for list_filter in shape.filters:
            raw = request.query_params.get(list_filter.name)
            if raw is None or raw == "":
                continue
            if list_filter.kind == LAYER_REF:
                if not params.is_whole_number(raw) and raw not in LAYER_WORDS:
                    raise InvalidInput(
                        f"{list_filter.name} must be a layer id or one of {', '.join(LAYER_WORDS)}; not {raw!r}."
                    )
                values[list_filter.name] = int(raw) if params.is_whole_number(raw) else raw
            elif list_filter.kind is int:
                values[list_filter.name] = params.whole_number(raw, name=list_filter.name, what="an id (a whole number)")
            elif isinstance(list_filter.kind, tuple) and raw not in list_filter.kind:
                raise InvalidInput(f"{list_filter.name} must be one of {', '.join(list_filter.kind)}; not {raw!r}.")
            else:
                values[list_filter.name] = params.text(raw, name=list_filter.name)
        return values

    def get_schema_operation_parameters(self, view):
        parameters = []
        for list_filter in view.list_shape.filters:
            if list_filter.kind is int:
                schema = {"type": "integer"}
            elif list_filter.kind == LAYER_REF:
                schema = {"anyOf": [
                    {"type": "integer", "minimum": 0, "maximum": params.BIGINT_MAX},
                    {"type": "string", "enum": list(LAYER_WORDS)},
                ]}
            elif isinstance(list_filter.kind, tuple):
                schema = {"type": "string", "enum": list(list_filter.kind)}
            else:
                schema = {"type": "string"}
            parameters.append({
                "name": list_filter.name, "required": False, "in": "query",
                "description": list_filter.help, "schema": schema,
            })
        return parameters
