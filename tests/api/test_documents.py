"""Create, read, update and delete for documents and their paragraphs (``api/documents.py``), with their rules."""
from __future__ import annotations

from annotations.models import Document, Paragraph
from tests.factories import AnnotationFactory

ARTICLE = "Tea or coffee\n\nCoffee wakes you up faster than tea.\n\nTea is gentler on the stomach."


def test_document_from_text_rename_delete(api, people, project):
    """A curator creates a document from JSON text, renames it and deletes it."""
    client = api.as_user(people["curator"])
    created = client.post("/api/documents/", {"project": "cats", "text": ARTICLE}, format="json")
    assert created.status_code == 201, created.json()
    document_id = created.json()["id"]
    detail = client.get(f"/api/documents/{document_id}/").json()
    assert [p["text"] for p in detail["paragraphs"]][-2:] == [
        "Coffee wakes you up faster than tea.", "Tea is gentler on the stomach."
    ]
    assert client.patch(f"/api/documents/{document_id}/", {"title": "Morning drinks"}, format="json").json()["title"] == "Morning drinks"
    assert client.delete(f"/api/documents/{document_id}/").status_code == 204
    assert not Document.objects.filter(pk=document_id).exists()


def test_document_upload_multipart(api, people, project):
    """A Markdown file uploaded as multipart becomes a document titled by its first heading, keeping later headings."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("drinks.md", b"# Tea or coffee\n\nCoffee wakes you up.\n\n## Tea\n\nGentler.\n", content_type="text/markdown")
    response = api.as_user(people["owner"]).post("/api/documents/", {"project": "cats", "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "Tea or coffee"
    kinds = list(Paragraph.objects.filter(document_id=response.json()["id"]).order_by("position").values_list("kind", flat=True))
    assert kinds == ["body", "heading", "body"]


def test_document_needs_file_or_text(api, people, project, stored):
    """JSON without text, multipart without a file: 400 naming the missing field (as the schema says)."""
    before = stored()
    client = api.as_user(people["owner"])
    response = client.post("/api/documents/", {"project": "cats"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "text: This field is required."
    response = client.post("/api/documents/", {"project": "cats"}, format="multipart")
    assert response.status_code == 400 and response.json()["detail"].startswith("file: ")
    assert stored() == before


def test_same_text_twice_conflicts(api, people, project, stored):
    """The same article twice in one project: 409 naming the existing document."""
    client = api.as_user(people["owner"])
    first = client.post("/api/documents/", {"project": "cats", "text": ARTICLE}, format="json").json()
    before = stored()
    response = client.post("/api/documents/", {"project": "cats", "text": ARTICLE}, format="json")
    assert response.status_code == 409 and f"document {first['id']}" in response.json()["detail"]
    assert stored() == before


def test_annotator_cannot_add_documents(api, people, project, stored):
    """Annotators read documents but cannot add, rename or delete them (403)."""
    before = stored()
    client = api.as_user(people["annotator"])
    assert client.post("/api/documents/", {"project": "cats", "text": ARTICLE}, format="json").status_code == 403
    stored_now = stored()
    assert stored_now == before


def test_paragraph_insert_edit_delete_keep_order(api, people, document):
    """Inserting at position 1 moves later paragraphs down; deleting moves them back up."""
    client = api.as_user(people["curator"])
    created = client.post("/api/paragraphs/", {"document": document.pk, "text": "Intro.", "position": 1}, format="json")
    assert created.status_code == 201, created.json()

    def texts():
        return list(Paragraph.objects.filter(document=document).order_by("position").values_list("position", "text"))

    assert [t for _, t in texts()] == ["Pets", "Intro.", document.paragraphs.get(position=2).text]
    assert [p for p, _ in texts()] == [0, 1, 2]
    edited = client.patch(f"/api/paragraphs/{created.json()['id']}/", {"text": "Introduction.", "kind": "heading"}, format="json")
    assert edited.status_code == 200 and edited.json()["kind"] == "heading"
    old_hash = Document.objects.get(pk=document.pk).content_hash
    assert client.delete(f"/api/paragraphs/{created.json()['id']}/").status_code == 204
    assert [p for p, _ in texts()] == [0, 1] and "Introduction." not in [t for _, t in texts()]
    assert Document.objects.get(pk=document.pk).content_hash != old_hash


def test_paragraph_with_spans_keeps_its_text(api, people, paragraph, layers, stored):
    """Changing the text of, or deleting, a paragraph that spans point into gets 409; the span stays valid."""
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator"])
    before = stored()
    client = api.as_user(people["curator"])
    changed = client.patch(f"/api/paragraphs/{paragraph.pk}/", {"text": "Other words."}, format="json")
    assert changed.status_code == 409 and "1 span(s)" in changed.json()["detail"]
    assert client.delete(f"/api/paragraphs/{paragraph.pk}/").status_code == 409
    assert stored() == before


def test_paragraph_position_out_of_range(api, people, document, stored):
    """Inserting past the end is refused naming the valid range."""
    before = stored()
    response = api.as_user(people["curator"]).post("/api/paragraphs/", {"document": document.pk, "text": "Late.", "position": 9}, format="json")
    assert response.status_code == 400 and "outside 0..2" in response.json()["detail"]
    assert stored() == before


def test_annotator_cannot_edit_paragraphs(api, people, paragraph, stored):
    """Annotators cannot change the text (403)."""
    before = stored()
    response = api.as_user(people["annotator"]).patch(f"/api/paragraphs/{paragraph.pk}/", {"kind": "heading"}, format="json")
    assert response.status_code == 403
    assert stored() == before
