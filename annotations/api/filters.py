"""Filters for list endpoints (django-filter): by document, layer, label, author."""
from __future__ import annotations

import django_filters

from annotations.models import Annotation, Document, Layer, Paragraph, Relation


class DocumentFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")

    class Meta:
        model = Document
        fields = ["project"]


class ParagraphFilter(django_filters.FilterSet):
    class Meta:
        model = Paragraph
        fields = ["document", "kind"]


class LayerFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")

    class Meta:
        model = Layer
        fields = ["project", "kind"]


class AnnotationFilter(django_filters.FilterSet):
    author = django_filters.CharFilter(field_name="author__username", help_text="Author's username.")

    class Meta:
        model = Annotation
        fields = ["document", "layer", "label", "paragraph", "author", "origin"]


class RelationFilter(django_filters.FilterSet):
    author = django_filters.CharFilter(field_name="author__username", help_text="Author's username.")

    class Meta:
        model = Relation
        fields = ["document", "layer", "kind", "source", "target", "author"]
