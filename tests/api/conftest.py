"""Fixtures for the API tests: a paragraph with characters outside the BMP, layers, a snapshot of
every table a refused request must leave untouched, and the OpenAPI schema the response checks use."""
from __future__ import annotations

import pytest

# "🐱" and "🐶" are outside the Basic Multilingual Plane: one code point, two UTF-16 units.
EMOJI_TEXT = "Cats 🐱 beat dogs 🐶 at napping, a 2024 survey found."


@pytest.fixture
def emoji_paragraph(document):
    from tests.factories import ParagraphFactory

    return ParagraphFactory(document=document, position=2, text=EMOJI_TEXT)


@pytest.fixture
def layers(project, people):
    """A personal layer for each annotator, the owner's, and the consensus layer."""
    from annotations.models import Layer
    from tests.factories import LayerFactory

    made = {name: LayerFactory(project=project, owner=people[name]) for name in ("annotator", "annotator_b", "owner")}
    made["consensus"] = Layer.objects.create(project=project, kind=Layer.Kind.CONSENSUS, name="Consensus")
    made["answer_key"] = Layer.objects.create(project=project, kind=Layer.Kind.ANSWER_KEY, name="Answer key")
    return made


@pytest.fixture
def stored():
    """``stored()`` returns every row of the tables the API writes; equal before and after = nothing stored."""
    from annotations.models import Annotation, Document, Layer, Membership, Paragraph, Project, Relation

    def snapshot():
        return {
            model.__name__: sorted(map(repr, model.objects.values_list()))
            for model in (Annotation, Relation, Layer, Project, Membership, Document, Paragraph)
        }

    return snapshot


@pytest.fixture(scope="session")
def openapi(django_db_blocker):
    """The app's OpenAPI document, generated once."""
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def listed(client, url, field, **query):
    """``field`` of each row a list endpoint answers ``query`` with (the first page)."""
    return [row[field] for row in client.get(url, query).json()["results"]]
