"""Kialo's discussion export through the API, the import page and the import_map command, with the format
told from the file (``auto``): 201 with the rows stored, a 400 naming the line with nothing stored, and the
map exported back as Kialo text from the document page's Export menu."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from annotations import services
from annotations.models import Annotation, Document, Relation
from tests.formats.test_kialo import CLASSIC, EDU

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def counts() -> tuple[int, int, int]:
    return Document.objects.count(), Annotation.objects.count(), Relation.objects.count()


@pytest.fixture
def classroom(people):
    """A project with argmap's default labels (claim, evidence, counterclaim), as a teacher makes one."""
    return services.project_create(name="Class", slug="class", creator=people["curator"])


def test_kialo_export_through_the_api_told_from_its_content(api, people, classroom):
    """No format given: the file is recognised as Kialo; 201 with the counts of the rows stored and the left-out link."""
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{classroom.slug}/import/", {"layer": "consensus", "file": [upload("school.txt", CLASSIC)]})
    assert response.status_code == 201, response.json()
    body = response.json()
    (document,) = body["documents"]
    assert (document["spans"], document["relations"]) == (8, 8) == (
        Annotation.objects.filter(document_id=document["id"]).count(),
        Relation.objects.filter(document_id=document["id"]).count())
    assert document["title"] == "Should the school day start later?"
    assert body["assumed"] == ["format kialo, told from the files' content"]
    assert body["left_out"] == ["school.txt, line 12: the link '-> See discussion 4821.' names no claim of this file "
                                "(a link to another discussion); left out"]
    assert "8 spans, 8 relations stored" in body["detail"] and "1 item(s) left out" in body["detail"]
    labels = sorted(Annotation.objects.filter(document_id=document["id"]).values_list("label", flat=True))
    assert labels == ["claim", "claim", "counterclaim", "counterclaim", "counterclaim", "evidence", "evidence", "evidence"]
    kinds = sorted(Relation.objects.filter(document_id=document["id"]).values_list("kind", flat=True))
    assert kinds == ["attacks"] * 4 + ["supports"] * 4


def test_bad_kialo_file_is_a_400_naming_the_line_and_nothing_is_stored(api, people, classroom):
    before = counts()
    bad = CLASSIC.replace(b"1.1.2.1. Con: ", b"1.1.2.1. ")
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{classroom.slug}/import/",
        {"format": "kialo", "layer": "consensus", "file": [upload("good.kialo.txt", EDU), upload("bad.txt", bad)]})
    assert response.status_code == 400
    assert response.json()["detail"] == ("bad.txt: line 7: claim 1.1.2.1. says neither 'Pro:' nor 'Con:'; write one "
                                         "after the number (1.1.2.1. Pro: …)")
    assert counts() == before


def test_a_file_auto_cannot_tell_is_a_400_saying_to_choose_the_format(api, people, classroom):
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{classroom.slug}/import/", {"format": "auto", "file": [upload("notes.md", b"# Notes\n")]})
    assert response.status_code == 400 and "cannot tell which format notes.md is in; choose the format" in \
        response.json()["detail"]


def test_kialo_edu_export_through_the_page_and_back_out_as_kialo_text(client, people, classroom):
    """The import form's default, 'Recognise from the files', with a Windows-saved Kialo Edu file; the document
    page's Export menu then gives the Kialo text of that layer, which reads back the same."""
    client.force_login(people["curator"])
    page = client.get(f"/p/{classroom.slug}/").content.decode()
    assert '<option value="auto">Recognise from the files</option>' in page
    response = client.post(f"/p/{classroom.slug}/import/", {
        "format": "auto", "layer": "consensus", "files": [upload("phones.txt", EDU.replace(b"\n", b"\r\n"))]},
        follow=True)
    assert "1 document(s) imported" in response.content.decode()
    document = Document.objects.get(project=classroom)
    assert Annotation.objects.filter(document=document).count() == 4
    assert Relation.objects.filter(document=document).count() == 4
    assert Annotation.objects.get(document=document, quote__startswith="Phones distract").note == \
        "[1] Beland and Murphy, Ill Communication, 2016."
    exported = client.get(f"/d/{document.pk}/export/", {"layer": "consensus", "format": "kialo"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/plain")
    text = b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode()
    assert text.startswith("Discussion Title: Should phones be banned in class?\n\n1. Phones should be banned in class.\n")
    assert "1.2.1. Pro: -> See 1.1.1.\n" in text and "[1] Beland and Murphy" in text


def test_import_map_command_reads_kialo_without_format(people, classroom, tmp_path):
    path = tmp_path / "school.txt"
    path.write_bytes(CLASSIC)
    out = io.StringIO()
    call_command("import_map", "--project", classroom.slug, str(path), stdout=out)
    text = out.getvalue()
    assert "8 spans, 8 relations" in text and "assumed: format kialo" in text and "left out: school.txt, line 12" in text
    path.write_bytes(b"1. Thesis.\n1.2.1. Pro: Orphan.\n")
    with pytest.raises(CommandError, match=r"Nothing was imported\. school\.txt: line 2: claim 1\.2\.1\. has no parent"):
        call_command("import_map", "--project", classroom.slug, "--replace", str(path), stdout=io.StringIO())
