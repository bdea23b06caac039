"""Filters for list endpoints (django-filter): by document, layer, label, author.

Ids filter as plain numbers, not model choices: no lookup query per request, and an id from
another project gives an empty list rather than revealing whether it exists.
"""
from __future__ import annotations

import django_filters

from annotations.models import Annotation, Document, Layer, Paragraph, Relation


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


class AnnotationFilter(django_filters.FilterSet):
    document = _id("document", "document")
    layer = _id("layer", "layer")
    paragraph = _id("paragraph", "paragraph")
    author = django_filters.CharFilter(field_name="author__username", help_text="Author's username.")

    class Meta:
        model = Annotation
        fields = ["document", "layer", "label", "paragraph", "author", "origin"]


class RelationFilter(django_filters.FilterSet):
    document = _id("document", "document")
    layer = _id("layer", "layer")
    source = _id("source", "source span")
    target = _id("target", "target span")
    author = django_filters.CharFilter(field_name="author__username", help_text="Author's username.")

    class Meta:
        model = Relation
        fields = ["document", "layer", "kind", "source", "target", "author"]
