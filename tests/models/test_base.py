"""``annotations/models/base.py``: a row named by kind and id reads no other table to say so; a row
that remembers its author keeps itself when the author's account goes."""
from __future__ import annotations

import pytest
from django.apps import apps

from annotations.models import Membership, Relation
from annotations.models.base import Authored, NamedById
from tests.factories import AnnotationFactory, DocumentFactory, LayerFactory

pytestmark = pytest.mark.django_db


def test_str_is_kind_id_and_the_named_field(project, people, paragraph, django_assert_num_queries):
    """``str()`` is the noun, the id and the named field in brackets, with no query."""
    membership = Membership.objects.get(project=project, user=people["curator"])
    layer = LayerFactory(project=project, owner=people["annotator"])
    source = AnnotationFactory(paragraph=paragraph, layer=layer, start=0, end=4)
    target = AnnotationFactory(paragraph=paragraph, layer=layer, start=5, end=8)
    relation = Relation.objects.create(document=paragraph.document, layer=layer, source=source, target=target, kind="attacks")
    membership, relation = Membership.objects.get(pk=membership.pk), Relation.objects.get(pk=relation.pk)
    with django_assert_num_queries(0):
        assert str(membership) == f"membership {membership.pk} (curator)"
        assert str(relation) == f"relation {relation.pk} (attacks)"


def test_every_named_model_names_a_noun_and_an_own_column():
    """Each model built on NamedById says its noun, and its ``str_field`` is a column of its own, never a relation."""
    named = [model for model in apps.get_app_config("annotations").get_models() if issubclass(model, NamedById)]
    assert len(named) >= 8
    for model in named:
        assert model.str_noun, model
        if model.str_field:
            field = model._meta.get_field(model.str_field)
            assert field.concrete and not field.is_relation, model


def test_authored_models_share_one_column_pair_and_outlive_their_author(project, people):
    """Every model built on Authored has ``created_by`` (null once the account is deleted) and ``created_at``;
    deleting the author keeps the row with no author."""
    authored = {model.__name__ for model in apps.get_app_config("annotations").get_models() if issubclass(model, Authored)}
    assert {"Document", "Invitation", "JoinCode", "Exercise"} <= authored
    for name in authored:
        model = apps.get_model("annotations", name)
        author, stamp = model._meta.get_field("created_by"), model._meta.get_field("created_at")
        assert author.column == "created_by_id" and author.null and author.remote_field.on_delete.__name__ == "SET_NULL"
        assert stamp.auto_now_add
    document = DocumentFactory(project=project, created_by=people["annotator"])
    people["annotator"].delete()
    document.refresh_from_db()
    assert document.created_by is None and document.created_at is not None
