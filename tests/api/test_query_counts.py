"""Every list endpoint (and the workspace) runs the same number of queries for 5 rows as for
50: no query per span, relation, paragraph, layer, document or project."""
from __future__ import annotations

import pytest

from annotations.models import Layer, Role
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    LayerFactory,
    MembershipFactory,
    ParagraphFactory,
    ProjectFactory,
    RelationFactory,
    UserFactory,
)

SIZES = [5, 50]


@pytest.fixture
def reader(people):
    return people["annotator"]


def fill_spans(paragraph, layer, count):
    """``count`` spans in one layer, and a relation between each pair of neighbours."""
    spans = [
        AnnotationFactory(paragraph=paragraph, layer=layer, start=i, end=i + 1, author=layer.owner, label="claim")
        for i in range(count)
    ]
    for source, target in zip(spans[1:], spans):
        RelationFactory(source=source, target=target, author=layer.owner)
    return spans


@pytest.fixture
def long_paragraph(document):
    return ParagraphFactory(document=document, position=5, text="x" * 200)


@pytest.mark.parametrize("size", SIZES)
def test_annotation_list(api, reader, long_paragraph, layers, size, django_assert_num_queries):
    """Spans list: one query, the count included (window function)."""
    fill_spans(long_paragraph, layers["annotator"], size)
    client = api.as_user(reader)
    with django_assert_num_queries(1):
        body = client.get("/api/annotations/", {"document": long_paragraph.document_id, "limit": 1000}).json()
    assert len(body["results"]) == size and body["results"][0]["author"] == "annotator"


@pytest.mark.parametrize("size", SIZES)
def test_relation_list(api, reader, long_paragraph, layers, size, django_assert_num_queries):
    """Relations list: one query, the count included."""
    fill_spans(long_paragraph, layers["annotator"], size)
    with django_assert_num_queries(1):
        body = api.as_user(reader).get("/api/relations/", {"limit": 1000}).json()
    assert len(body["results"]) == size - 1 and body["count"] == size - 1


@pytest.mark.parametrize("size", SIZES)
def test_workspace(api, reader, long_paragraph, layers, size, django_assert_num_queries):
    """The workspace: document with role, layers, paragraphs, spans, relations."""
    fill_spans(long_paragraph, layers["annotator"], size)
    with django_assert_num_queries(5):
        body = api.as_user(reader).get(f"/api/documents/{long_paragraph.document_id}/workspace/").json()
    assert len(body["annotations"]) == size and len(body["relations"]) == size - 1


@pytest.mark.parametrize("size", SIZES)
def test_paragraph_list(api, reader, document, size, django_assert_num_queries):
    """Paragraphs list: a count and one page query."""
    for position in range(2, size + 2):
        ParagraphFactory(document=document, position=position, text=f"Paragraph {position}.")
    with django_assert_num_queries(2):
        body = api.as_user(reader).get("/api/paragraphs/", {"document": document.pk, "limit": 1000}).json()
    assert body["count"] == size + 2


@pytest.mark.parametrize("size", SIZES)
def test_document_list(api, reader, project, size, django_assert_num_queries):
    """Documents list: a count and one page query (project joined)."""
    for _ in range(size):
        DocumentFactory(project=project)
    with django_assert_num_queries(2):
        body = api.as_user(reader).get("/api/documents/", {"limit": 1000}).json()
    assert body["count"] == size and body["results"][0]["project"] == project.slug


@pytest.mark.parametrize("size", SIZES)
def test_document_detail_with_paragraphs(api, reader, document, size, django_assert_num_queries):
    """A document with its paragraphs: the document and one paragraph query."""
    for position in range(2, size + 2):
        ParagraphFactory(document=document, position=position, text=f"Paragraph {position}.")
    with django_assert_num_queries(2):
        body = api.as_user(reader).get(f"/api/documents/{document.pk}/").json()
    assert len(body["paragraphs"]) == size + 2


@pytest.mark.parametrize("size", SIZES)
def test_layer_list(api, reader, project, size, django_assert_num_queries):
    """Layers list (with owners): a count and one page query."""
    for _ in range(size):
        MembershipFactory(project=project, user=(user := UserFactory()), role=Role.ANNOTATOR)
        LayerFactory(project=project, owner=user, kind=Layer.Kind.PERSONAL)
    with django_assert_num_queries(2):
        body = api.as_user(reader).get("/api/layers/", {"limit": 1000}).json()
    assert body["count"] == size and body["results"][0]["owner"]


@pytest.mark.parametrize("size", SIZES)
def test_project_list(api, reader, project, size, django_assert_num_queries):
    """Projects list (with my role and document count): a count and one page query."""
    for _ in range(size):
        MembershipFactory(project=ProjectFactory(), user=reader, role=Role.VIEWER)
    with django_assert_num_queries(2):
        body = api.as_user(reader).get("/api/projects/", {"limit": 1000}).json()
    assert body["count"] == size + 1


# ---- the write hot paths: what one tag or one link costs, whatever the layer already holds ----


@pytest.mark.parametrize("size", SIZES)
def test_span_create(api, reader, long_paragraph, layers, size, django_assert_num_queries):
    """Span create: the paragraph with project, role and layer in one query; the insert and its
    change-log entry inside a savepoint (the test's transaction makes ``atomic`` one)."""
    fill_spans(long_paragraph, layers["annotator"], size)
    body = {"paragraph": long_paragraph.pk, "start": 150, "end": 160, "quote": "x" * 10, "label": "claim"}
    client = api.as_user(reader)
    with django_assert_num_queries(5):  # paragraph+layer, SAVEPOINT, INSERT span, INSERT change, RELEASE
        response = client.post("/api/annotations/", body, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("size", SIZES)
def test_relation_create(api, reader, long_paragraph, layers, size, django_assert_num_queries):
    """Relation create: both spans with layer, project and role in one query; the insert and its
    change-log entry inside a savepoint."""
    spans = fill_spans(long_paragraph, layers["annotator"], size)
    client = api.as_user(reader)
    with django_assert_num_queries(5):  # both spans, SAVEPOINT, INSERT relation, INSERT change, RELEASE
        response = client.post("/api/relations/", {"source": spans[0].pk, "target": spans[-1].pk, "kind": "supports"},
                               format="json")
    assert response.status_code == 201, response.content
