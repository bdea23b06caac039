"""Server-rendered pages: project list, project page, upload, document page."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Document

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "russia-china-relations.txt").read_bytes()


def test_pages_need_sign_in(client, project, document):
    """Anonymous visitors are sent to the sign-in page."""
    for url in ["/", f"/p/{project.slug}/", f"/d/{document.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_project_list_shows_only_my_projects(client, people, project):
    """A member sees their project and role; an outsider does not see it."""
    client.force_login(people["annotator"])
    page = client.get("/").content.decode()
    assert project.name in page and "annotator" in page
    client.force_login(people["outsider"])
    assert project.name not in client.get("/").content.decode()


def test_outsider_gets_404_for_project_and_document(client, people, project, document):
    """Objects of projects you are not in are 404, not 403."""
    client.force_login(people["outsider"])
    assert client.get(f"/p/{project.slug}/").status_code == 404
    assert client.get(f"/d/{document.pk}/").status_code == 404


def test_document_page_shows_paragraphs_and_headings(client, people, document):
    """The document page renders headings as headings and body paragraphs as paragraphs."""
    client.force_login(people["viewer"])
    page = client.get(f"/d/{document.pk}/").content.decode()
    assert '<h2 class="paragraph heading"' in page and ">Pets</h2>" in page
    assert "Cats are better pets than dogs." in page


def test_article_text_is_escaped_not_rendered_as_html(client, people, project):
    """Markup in an article's text shows as text; it never becomes HTML."""
    from tests.factories import DocumentFactory, ParagraphFactory

    document = DocumentFactory(project=project, title="<b>bold</b> title")
    ParagraphFactory(document=document, position=0, text="<script>alert('x')</script> and <img src=x onerror=alert(1)>")
    client.force_login(people["annotator"])
    page = client.get(f"/d/{document.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; title" in page


def test_upload_imports_and_summarises(client, people, project):
    """Uploading several files imports the good ones and lists skipped and failed ones with reasons."""
    client.force_login(people["curator"])
    files = [
        SimpleUploadedFile("russia.txt", SAMPLE, content_type="text/plain"),
        SimpleUploadedFile("again.txt", SAMPLE, content_type="text/plain"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]
    response = client.post(f"/p/{project.slug}/upload/", {"files": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 imported, 1 skipped, 1 failed" in page
    assert "empty.txt is empty" in page and "same text as document" in page
    assert Document.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("role", ["annotator", "viewer"])
def test_upload_refused_for_annotators_and_viewers(client, people, project, role):
    """Only owners and curators may add documents; others get the reason and nothing is stored."""
    client.force_login(people[role])
    response = client.post(f"/p/{project.slug}/upload/", {"files": [SimpleUploadedFile("a.txt", SAMPLE)]})
    assert response.status_code == 403
    assert "Only the project&#x27;s owner and curators can add documents." in response.content.decode()
    assert Document.objects.count() == 0


def test_create_project_from_the_list_page(client, people):
    """Anyone signed in can create a project and becomes its owner."""
    client.force_login(people["viewer"])
    response = client.post("/", {"name": "Climate debate", "slug": ""})
    assert response.status_code == 302 and response["Location"] == "/p/climate-debate/"
    assert client.get("/p/climate-debate/").context["role"] == "owner"


def test_duplicate_project_slug_is_a_clear_error(client, people, project):
    """A taken slug is refused with a message, not a 500."""
    client.force_login(people["owner"])
    response = client.post("/", {"name": "Again", "slug": project.slug})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_admin_lists_run_constant_queries(admin_client, django_assert_max_num_queries, document, people):
    """Admin list pages do not run a query per row."""
    from tests.factories import AnnotationFactory, LayerFactory

    layer = LayerFactory(project=document.project, owner=people["annotator"])
    paragraph = document.paragraphs.get(position=1)
    for start in range(0, 30, 3):
        AnnotationFactory(paragraph=paragraph, layer=layer, start=start, end=start + 2)
    for url in ["/admin/annotations/annotation/", "/admin/annotations/paragraph/", "/admin/annotations/membership/",
                "/admin/annotations/layer/", "/admin/annotations/document/"]:
        with django_assert_max_num_queries(12):
            assert admin_client.get(url).status_code == 200


def test_project_without_a_name_is_refused(client, people):
    """A blank project name gets a message and creates nothing."""
    from annotations.models import Project

    client.force_login(people["viewer"])
    before = Project.objects.count()
    response = client.post("/", {"name": "   ", "slug": ""})
    assert response.status_code == 400
    assert "A project needs a name." in response.content.decode()
    assert Project.objects.count() == before


@pytest.mark.parametrize("fields, message", [
    ({"name": "x" * 6000, "slug": ""}, "name: Ensure this value has at most 200 characters (it has 6000)."),
    ({"name": "Pets", "slug": "two words"}, "slug: Enter a valid"),
    ({"name": "a\x00b", "slug": "nul"}, "The form field name contains a NUL character (%00); remove it."),
])
def test_project_create_form_refuses_bad_fields_with_a_400_page(client, people, fields, message):
    """An overlong name, a slug with a space or a NUL in a field is a 400 page with the reason (each was a 500:
    Django's ValidationError or PostgreSQL's refusal of the NUL), and no project is created."""
    from django.utils.html import escape

    from annotations.models import Project

    client.force_login(people["viewer"])
    client.raise_request_exception = False
    before = Project.objects.count()
    response = client.post("/", fields)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert Project.objects.count() == before
