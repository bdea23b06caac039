"""Editing a document's paragraphs (services/paragraphs.py): positions stay 0..n-1 in order,
text changes and deletions only while nothing points into the paragraph, the content hash follows
the text, and only owners and curators edit."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from tests.factories import AnnotationFactory, LayerFactory

pytestmark = pytest.mark.django_db


def texts(document):
    return list(document.paragraphs.order_by("position").values_list("position", "text"))


def test_insert_in_the_middle_moves_later_paragraphs_down(document, people):
    """The document fixture has "Pets" and the sample text; inserting at 1 shifts the second."""
    services.paragraph_create(document=document, user=people["curator"], text="  Inserted.  ", position=1)
    services.paragraph_create(document=document, user=people["curator"], text="Last.")
    assert [t for _, t in texts(document)][:2] == ["Pets", "Inserted."]
    assert [p for p, _ in texts(document)] == [0, 1, 2, 3] and texts(document)[3][1] == "Last."


@pytest.mark.parametrize(
    "fields, message",
    [({"text": "   "}, "A paragraph needs some text"), ({"text": "x", "kind": "quote"}, "Unknown paragraph kind 'quote'"),
     ({"text": "x", "position": 9}, r"position 9 is outside 0..2"),
     ({"text": "word " * 20_001}, r"The paragraph has 100,004 characters; a paragraph holds at most 100,000 \(ARGMAP_MAX_PARAGRAPH_CHARS\)")],
)
def test_insert_refusals_store_nothing(document, people, fields, message):
    """Empty text, an unknown kind, a position past the end, a paragraph too long for spaCy's suggestions:
    refused, the paragraphs unchanged."""
    before = texts(document)
    with pytest.raises(InvalidInput, match=message):
        services.paragraph_create(document=document, user=people["owner"], **fields)
    assert texts(document) == before


def test_text_follows_the_content_hash_and_pointed_text_is_kept(document, paragraph, people):
    """Changing the text changes the hash; with a span in it, the text cannot change or go."""
    old_hash = document.content_hash
    services.paragraph_update(paragraph=paragraph, user=people["owner"], text="Dogs are loyal.")
    document.refresh_from_db()
    assert document.content_hash != old_hash
    AnnotationFactory(paragraph=paragraph, layer=LayerFactory(project=document.project, owner=people["annotator"]))
    with pytest.raises(Conflict, match="1 span\\(s\\) and 0 suggestion\\(s\\) point into its text"):
        services.paragraph_update(paragraph=paragraph, user=people["owner"], text="Something else.")
    with pytest.raises(Conflict):
        services.paragraph_delete(paragraph=paragraph, user=people["owner"])
    paragraph.refresh_from_db()
    assert paragraph.text == "Dogs are loyal."


def test_delete_moves_later_paragraphs_up_but_keeps_the_last(document, people):
    """Deleting the heading renumbers the rest from 0; the only paragraph left cannot go."""
    services.paragraph_delete(paragraph=document.paragraphs.get(position=0), user=people["curator"])
    assert [p for p, _ in texts(document)] == [0]
    with pytest.raises(InvalidInput, match="at least one paragraph"):
        services.paragraph_delete(paragraph=document.paragraphs.get(), user=people["curator"])


@pytest.mark.parametrize("who", ["annotator", "viewer", "outsider"])
def test_only_owners_and_curators_edit_paragraphs(document, paragraph, people, who):
    """Everyone else is refused for insert, change and delete."""
    with pytest.raises(NotPermitted):
        services.paragraph_create(document=document, user=people[who], text="More.")
    with pytest.raises(NotPermitted):
        services.paragraph_update(paragraph=paragraph, user=people[who], kind="heading")
    with pytest.raises(NotPermitted):
        services.paragraph_delete(paragraph=paragraph, user=people[who])
