"""Hostile uploads through the API and the upload page: a 400 naming the limit, nothing stored; a page
upload where one file fails stores the others and shows the summary."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from annotations.models import Document, Paragraph
from tests import hostile
from tests.paths import SAMPLE_ARTICLE

HOSTILE = {
    "empty paragraphs": (hostile.docx_empty_paragraphs, "ARGMAP_MAX_PARAGRAPHS"),
    "many paragraphs": (hostile.docx_many_paragraphs, "ARGMAP_MAX_PARAGRAPHS"),
    "many members": (hostile.docx_many_members, "the limit for a .docx is 1,000"),
    "malformed xml": (hostile.docx_malformed_xml, "not well-formed XML"),
    "many text paragraphs": (hostile.text_many_lines, "ARGMAP_MAX_PARAGRAPHS"),
    "huge html": (hostile.html_huge, "the limit of 100,000"),
    "stray bytes": (hostile.english_with_invalid_bytes, "UTF-8 with damaged bytes"),
}


def _counts():
    return Document.objects.count(), Paragraph.objects.count()


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
