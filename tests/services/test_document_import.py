"""Importing articles: paragraphs stored in order; bad input stores nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Document, Paragraph

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "russia-china-relations.txt").read_bytes()


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
