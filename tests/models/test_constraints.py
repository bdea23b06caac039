"""Rules PostgreSQL itself enforces, so concurrent requests cannot break them."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Layer, Relation
from tests.factories import AnnotationFactory, DocumentFactory, LayerFactory, ParagraphFactory


def _raises_integrity(create):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            create()


def test_start_must_be_before_end(paragraph, people):
    """annotation_start_before_end: start >= end is refused by the database."""
    layer = LayerFactory(project=paragraph.document.project, owner=people["annotator"])
    _raises_integrity(lambda: AnnotationFactory(paragraph=paragraph, layer=layer, start=5, end=5, quote="x"))


def test_no_duplicate_span_in_one_layer(paragraph, people):
    """annotation_span_once_per_layer: the same offsets twice in one layer are refused."""
    layer = LayerFactory(project=paragraph.document.project, owner=people["annotator"])
    AnnotationFactory(paragraph=paragraph, layer=layer, start=0, end=4)
    _raises_integrity(lambda: AnnotationFactory(paragraph=paragraph, layer=layer, start=0, end=4, label="evidence"))


def test_span_paragraph_must_be_in_span_document(paragraph, people):
    """A span whose paragraph belongs to another document is refused (composite foreign key)."""
    layer = LayerFactory(project=paragraph.document.project, owner=people["annotator"])
    other = DocumentFactory(project=paragraph.document.project)
    _raises_integrity(lambda: AnnotationFactory(paragraph=paragraph, document=other, layer=layer))


def test_relation_across_layers_refused(paragraph, people):
    """A relation between spans of two layers is refused by the database."""
    project = paragraph.document.project
    a = AnnotationFactory(paragraph=paragraph, layer=LayerFactory(project=project, owner=people["annotator"]))
    b = AnnotationFactory(paragraph=paragraph, layer=LayerFactory(project=project, owner=people["annotator_b"]))
    _raises_integrity(
        lambda: Relation.objects.create(document=a.document, layer=a.layer, source=a, target=b, kind="supports")
    )


def test_relation_across_documents_refused(paragraph, people):
    """A relation between spans of two documents is refused by the database."""
    project = paragraph.document.project
    layer = LayerFactory(project=project, owner=people["annotator"])
    a = AnnotationFactory(paragraph=paragraph, layer=layer)
    other_paragraph = ParagraphFactory(document=DocumentFactory(project=project))
    b = AnnotationFactory(paragraph=other_paragraph, layer=layer)
    _raises_integrity(
        lambda: Relation.objects.create(document=a.document, layer=layer, source=a, target=b, kind="attacks")
    )


def test_one_personal_layer_per_member_and_one_consensus(project, people):
    """Layer uniqueness: one personal layer per person and project, one consensus per project."""
    LayerFactory(project=project, owner=people["annotator"])
    _raises_integrity(lambda: LayerFactory(project=project, owner=people["annotator"], name="again"))
    Layer.objects.create(project=project, kind="consensus", name="Consensus")
    _raises_integrity(lambda: Layer.objects.create(project=project, kind="consensus", name="Second"))


def test_unknown_label_refused_by_database(paragraph, people):
    """annotation_label_is_known: a label outside the known set cannot be stored."""
    layer = LayerFactory(project=paragraph.document.project, owner=people["annotator"])
    _raises_integrity(lambda: AnnotationFactory(paragraph=paragraph, layer=layer, label="opinion"))
    assert Annotation.objects.count() == 0
