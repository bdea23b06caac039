"""The document page: what it embeds for the workspace, and a query count that does not grow with spans."""
from __future__ import annotations

import json

import pytest

from tests.factories import AnnotationFactory, LayerFactory, ParagraphFactory, RelationFactory

pytestmark = pytest.mark.django_db

# session, user, document+project, membership (role), paragraphs, layers, own spans, own relations
PAGE_QUERIES = 12  # +1: the changes cursor live.js starts from; +2: suggestion status and project model; +1: preferences


@pytest.fixture
def long_paragraphs(document):
    return [ParagraphFactory(document=document, position=10 + i, text="word " * 80) for i in range(5)]


def _add_spans(layer, paragraphs, count):
    """`count` spans spread over the paragraphs, and a relation between each pair of them."""
    made = []
    for i in range(count):
        start = (i // len(paragraphs)) * 5
        made.append(AnnotationFactory(paragraph=paragraphs[i % len(paragraphs)], layer=layer, start=start, end=start + 4,
                                      label="claim" if i % 2 else "evidence"))
    for i in range(0, count - 1, 2):
        RelationFactory(source=made[i], target=made[i + 1], layer=layer, document=layer_document(made[i]))
    return made


def layer_document(annotation):
    return annotation.document


def _page(client, document):
    return client.get(f"/d/{document.pk}/")


@pytest.mark.parametrize("spans", [3, 60])
def test_page_query_count_is_fixed_whatever_the_number_of_spans(spans, client, document, people, long_paragraphs, django_assert_num_queries):
    """3 spans or 60 spans (with relations), plus someone else's layer: the same, pinned number of queries."""
    annotator = people["annotator"]
    client.force_login(annotator)
    _add_spans(LayerFactory(project=document.project, owner=annotator), long_paragraphs, spans)
    _add_spans(LayerFactory(project=document.project, owner=people["annotator_b"]), long_paragraphs, 7)
    with django_assert_num_queries(PAGE_QUERIES):
        response = _page(client, document)
    assert response.status_code == 200
    assert response.content.decode().count('"quote": "word"') == spans


def test_page_embeds_own_spans_relations_and_label_keys(client, document, people):
    """The page data holds the person's spans with code-point offsets, their relations, and the label keys."""
    annotator = people["annotator"]
    client.force_login(annotator)
    paragraphs = [ParagraphFactory(document=document, position=10 + i, text="word " * 20) for i in range(2)]
    _add_spans(LayerFactory(project=document.project, owner=annotator), paragraphs, 4)
    _add_spans(LayerFactory(project=document.project, owner=people["annotator_b"]), paragraphs, 2)
    response = _page(client, document)
    content = response.content.decode()
    data = json.loads(content.split('<script id="page-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["annotations"]) == 4
    assert len(data["relations"]) == 2
    assert {span["label"] for span in data["annotations"]} == {"claim", "evidence"}
    assert 'data-tag-label="claim"' in content and "<kbd>1</kbd>" in content
    assert 'src="/static/annotations/workspace/main.js"' in content and 'type="module"' in content


def test_article_text_is_escaped_not_markup(client, project, people):
    """Paragraph text that looks like HTML reaches the page escaped (the script renders it as text too)."""
    from tests.factories import DocumentFactory

    document = DocumentFactory(project=project)
    ParagraphFactory(document=document, position=0, text='<img src=x onerror="alert(1)"> and <b>bold</b>')
    client.force_login(people["annotator"])
    content = _page(client, document).content.decode()
    assert '<img src=x onerror="alert(1)">' not in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
