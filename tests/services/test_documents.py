"""Importing articles (services/documents.py): paragraphs stored in order; bad input stores nothing.
Hostile uploads through the API and the upload page: a 400 naming the limit, nothing stored; a page
upload where one file fails stores the others and shows the summary."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Document, Paragraph
from tests import hostile
from tests.paths import SAMPLE_ARTICLE

SAMPLE = SAMPLE_ARTICLE.read_bytes()


def _counts():
    return Document.objects.count(), Paragraph.objects.count()


def test_sample_article_stored_as_ordered_paragraphs(project, people):
    """The sample article becomes one document: title, 8 headings and 20 body paragraphs in order."""
    document = services.document_import(project=project, user=people["owner"], data=SAMPLE, filename="russia.txt")
    paragraphs = list(document.paragraphs.order_by("position"))
    assert document.title.startswith("The Continuing Saga of Russia-China Relations")
    assert [p.position for p in paragraphs] == list(range(28))
    assert [p.kind for p in paragraphs].count("heading") == 8
    assert paragraphs[1].kind == "heading" and paragraphs[1].text == "Context of the relations"
    assert document.source_format == "text" and document.created_by == people["owner"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "empty.txt is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "blob.txt", "looks like a binary file"),
        (bytes(range(128, 256)) * 4, "garbled.txt", "is not UTF-8"),
        (b"<html><body><nav>Home</nav><script>x()</script></body></html>", "page.html", "no main content"),
    ],
)
def test_bad_file_stores_nothing(project, people, data, filename, message):
    """A bad file raises InvalidInput with its message and leaves no document or paragraph behind."""
    before = _counts()
    with pytest.raises(InvalidInput, match=message):
        services.document_import(project=project, user=people["owner"], data=data, filename=filename)
    assert _counts() == before


@override_settings(ARGMAP_MAX_UPLOAD_BYTES=1000)
def test_file_over_limit_stores_nothing(project, people):
    """A file over ARGMAP_MAX_UPLOAD_BYTES is refused and nothing is stored."""
    before = _counts()
    with pytest.raises(InvalidInput, match="the limit is"):
        services.document_import(project=project, user=people["owner"], data=b"x" * 2000, filename="big.txt")
    assert _counts() == before


def test_duplicate_article_names_the_existing_document(project, people):
    """Importing the same text twice is refused, naming the document it duplicates."""
    first = services.document_import(project=project, user=people["owner"], data=SAMPLE, filename="a.txt")
    before = _counts()
    with pytest.raises(Conflict) as error:
        services.document_import(project=project, user=people["owner"], data=SAMPLE, filename="b.txt")
    assert f"same text as document {first.pk}" in error.value.message
    assert error.value.details["document_id"] == first.pk
    assert _counts() == before


def test_same_article_in_another_project_is_fine(project, people):
    """Duplicates are per project: another project may load the same article."""
    from tests.factories import ProjectFactory

    services.document_import(project=project, user=None, data=SAMPLE, filename="a.txt")
    other = ProjectFactory()
    services.document_import(project=other, user=None, data=SAMPLE, filename="a.txt")
    assert Document.objects.count() == 2


@pytest.mark.parametrize("role", ["annotator", "viewer", "outsider"])
def test_only_owners_and_curators_add_documents(project, people, role):
    """Annotators, viewers and outsiders cannot add documents."""
    with pytest.raises(NotPermitted):
        services.document_import(project=project, user=people[role], data=SAMPLE, filename="a.txt")
    assert Document.objects.count() == 0


def test_failure_mid_import_leaves_no_half_document(project, people, monkeypatch):
    """If storing paragraphs fails, the document row is rolled back too."""

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        services.document_import(project=project, user=people["owner"], data=SAMPLE, filename="a.txt")
    assert _counts() == (0, 0)


def test_import_many_reports_imported_skipped_failed(project, people):
    """Several files: a summary of what was imported, skipped (duplicate) and failed (with reasons)."""
    seen = []
    result = services.documents_import_many(
        project=project, user=people["curator"],
        files=[("a.txt", SAMPLE), ("b.txt", SAMPLE), ("c.txt", b""), ("d.md", b"# T\n\nSome argument here.")],
        progress=seen.append,
    )
    assert [d.source_name for d in result.imported] == ["a.txt", "d.md"]
    assert [name for name, _ in result.skipped] == ["b.txt"]
    assert result.failed == [("c.txt", "c.txt is empty: there is no text to load.")]
    assert result.summary == "2 imported, 1 skipped, 1 failed"
    assert seen == ["a.txt", "b.txt", "c.txt", "d.md"]


HOSTILE = {
    "empty paragraphs": (hostile.docx_empty_paragraphs, "ARGMAP_MAX_PARAGRAPHS"),
    "many paragraphs": (hostile.docx_many_paragraphs, "ARGMAP_MAX_PARAGRAPHS"),
    "many members": (hostile.docx_many_members, "the limit for a .docx is 1,000"),
    "malformed xml": (hostile.docx_malformed_xml, "not well-formed XML"),
    "many text paragraphs": (hostile.text_many_lines, "ARGMAP_MAX_PARAGRAPHS"),
    "huge html": (hostile.html_huge, "the limit of 100,000"),
    "stray bytes": (hostile.english_with_invalid_bytes, "UTF-8 with damaged bytes"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_upload_through_the_api_is_a_400_naming_the_limit(api, people, project, case):
    """Each hostile file posted to /api/documents/ gets a 400 whose detail names the limit; nothing is stored."""
    maker, expected = HOSTILE[case]
    filename, data = maker()
    before = _counts()
    response = api.as_user(people["owner"]).post(
        "/api/documents/", {"project": project.slug, "file": SimpleUploadedFile(filename, data)}, format="multipart"
    )
    assert response.status_code == 400, response.content[:300]
    assert expected in response.json()["detail"] and filename in response.json()["detail"]
    assert _counts() == before


@override_settings(ARGMAP_MAX_UNPACKED_BYTES=8 * 1024 * 1024)
def test_zip_bomb_upload_is_a_400_naming_the_setting(api, people, project):
    """A .docx that unpacks past ARGMAP_MAX_UNPACKED_MB is refused through the API with that name."""
    filename, data = hostile.docx_bomb(inflated_bytes=16 * 1024 * 1024)
    response = api.as_user(people["owner"]).post(
        "/api/documents/", {"project": project.slug, "file": SimpleUploadedFile(filename, data)}, format="multipart"
    )
    assert response.status_code == 400
    assert "bomb.docx unpacks to more than 8 MB (the limit)" in response.json()["detail"]
    assert "ARGMAP_MAX_UNPACKED_MB" in response.json()["detail"]
    assert Document.objects.count() == 0


@override_settings(ARGMAP_MAX_PARAGRAPHS=5)
def test_paragraph_limit_comes_from_the_settings(api, people, project):
    """ARGMAP_MAX_PARAGRAPHS bounds every upload: six paragraphs over a limit of five."""
    text = "\n\n".join(f"Point {index} is argued here." for index in range(6))
    response = api.as_user(people["owner"]).post("/api/documents/", {"project": project.slug, "text": text}, format="json")
    assert response.status_code == 400
    assert "the limit of 5 (ARGMAP_MAX_PARAGRAPHS)" in response.json()["detail"]


def test_page_upload_stores_the_good_files_when_others_fail(client, people, project):
    """Four files, two broken in ways that used to be a 500 (malformed .docx XML, UTF-16 with NUL): the two good
    ones are stored and the page lists every file with its outcome."""
    client.force_login(people["owner"])
    malformed_name, malformed = hostile.docx_malformed_xml()
    files = [
        SimpleUploadedFile("first.txt", b"Cats are better pets than dogs.\n\nThey need less care."),
        SimpleUploadedFile(malformed_name, malformed),
        SimpleUploadedFile("nul.txt", "Dogs are\x00 loyal.\n\nThey guard.".encode("utf-16")),
        SimpleUploadedFile("russia.txt", SAMPLE_ARTICLE.read_bytes()),
    ]
    response = client.post(f"/p/{project.slug}/upload/", {"files": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 imported, 0 skipped, 2 failed" in page
    assert "not well-formed XML" in page and "nul.txt looks like a binary file" in page
    assert sorted(Document.objects.filter(project=project).values_list("source_name", flat=True)) == ["first.txt", "russia.txt"]


def test_unforeseen_parser_fault_on_one_file_keeps_the_others(people, project, monkeypatch, caplog):
    """A file whose parser raises an unexpected error is reported as failed and logged; the next file is stored."""
    from annotations import ingest, services

    real_parse = ingest.parse_article

    def parse_with_a_fault(data, filename, **kwargs):
        if filename == "fault.txt":
            raise RecursionError("a parser bug")
        return real_parse(data, filename, **kwargs)

    monkeypatch.setattr("annotations.services.documents.parse_article", parse_with_a_fault)
    result = services.documents_import_many(
        project=project, user=people["owner"],
        files=[("fault.txt", b"Cats are better."), ("good.txt", b"Dogs are loyal companions.")],
    )
    assert result.summary == "1 imported, 0 skipped, 1 failed"
    assert result.failed[0][0] == "fault.txt" and "an error on our side" in result.failed[0][1]
    assert "fault.txt" in caplog.text and "RecursionError" in caplog.text
    assert [document.source_name for document in result.imported] == ["good.txt"]
