"""Importing argument maps into the database: API, page, service; all or nothing; permissions."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from tests.fixtures.sample_map import build_sample_map, relation_tuples, span_tuples
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.formats.test_aif import _ova3_dialogical
from tests.formats.test_brat import ESSAY_TXT, _essay_offsets

from annotations import services
from annotations.errors import InvalidInput
from annotations.formats import get_format
from annotations.models import Annotation, Document, Layer, Relation
from annotations.selectors.maps import argument_map_get

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_url(project) -> str:
    return f"/api/projects/{project.slug}/import/"


def counts() -> tuple[int, int, int, int]:
    return Document.objects.count(), Annotation.objects.count(), Relation.objects.count(), Layer.objects.count()


def essay_zip(ann: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("essay001.txt", ESSAY_TXT)
        archive.writestr("essay001.ann", ann if ann is not None else _essay_offsets())
    return buffer.getvalue()


@pytest.fixture
def fresh_project(people):
    """A second project owned by the curator, with every label."""
    return services.project_create(
        name="Imports", slug="imports", creator=people["curator"],
        labels=["major_claim", "claim", "evidence", "counterclaim", "rebuttal"],
    )


def test_json_round_trip_through_the_database(api, stored_sample, fresh_project):
    """Export JSON → import into a new project → export JSON gives the same spans, relations and notes."""
    stored = stored_sample
    client = api.as_user(stored.people["curator"])
    first = client.get(f"/api/documents/{stored.document.pk}/export/?layer=annotator&format=json").content
    response = client.post(import_url(fresh_project), {"format": "json", "file": upload("map.argmap.json", first)})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["documents"][0]["created"] is True
    assert (body["documents"][0]["spans"], body["documents"][0]["relations"]) == (11, 10)
    assert body["layer"]["name"] == "curator"
    second = client.get(f"/api/documents/{body['documents'][0]['id']}/export/?layer=own&format=json").content
    before, after = (get_format("json").import_(data)[0] for data in (first, second))
    assert span_tuples(after) == span_tuples(before) == span_tuples(stored.map)
    assert relation_tuples(after) == relation_tuples(before)
    assert {(s.quote, s.note) for s in after.spans} == {(s.quote, s.note) for s in before.spans}
    assert [(p.kind, p.text) for p in after.paragraphs] == [(p.kind, p.text) for p in before.paragraphs]
    assert {s.origin for s in after.spans} == {"import"}
    assert after.title == before.title


def test_brat_import_attaches_to_the_document_with_the_same_text(api, stored_sample):
    """A brat export of a stored map imports onto that same document (no copy), here into the consensus."""
    stored = stored_sample
    layer = stored.layers["annotator"]
    brat = get_format("brat").export(argument_map_get(document=stored.document, layer=layer))
    documents_before = Document.objects.count()
    response = api.as_user(stored.people["curator"]).post(
        import_url(stored.project), {"format": "brat", "file": upload("map.brat.zip", brat), "layer": "consensus", "replace": "true"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["documents"][0] == {
        "id": stored.document.pk, "title": stored.document.title, "created": False, "spans": 11, "relations": 10,
    }
    assert Document.objects.count() == documents_before
    consensus = argument_map_get(document=stored.document, layer=stored.layers["consensus"])
    assert span_tuples(consensus) == span_tuples(stored.map)
    assert relation_tuples(consensus) == relation_tuples(stored.map)


def test_layer_with_spans_is_not_overwritten_without_replace(api, stored_sample):
    """Importing onto a document where the layer already has spans is a 409 unless replace is asked for."""
    stored = stored_sample
    data = get_format("json").export(argument_map_get(document=stored.document, layer=stored.layers["annotator"]))
    before = counts()
    response = api.as_user(stored.people["curator"]).post(
        import_url(stored.project), {"format": "json", "file": upload("m.json", data), "layer": "consensus"}
    )
    assert response.status_code == 409 and "already has spans" in response.json()["detail"]
    assert counts() == before


def test_brat_essay_via_api_maps_the_essays_scheme(api, people, fresh_project):
    """An Argument Annotated Essays brat zip creates a document with major claim, claim, evidence, counterclaim."""
    response = api.as_user(people["curator"]).post(
        import_url(fresh_project), {"format": "brat", "file": upload("essay001.zip", essay_zip())}
    )
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["documents"][0]["id"])
    assert document.source_format == "import" and document.title == "Should students be taught to compete or to cooperate?"
    labels = dict(Annotation.objects.filter(document=document).values_list("quote", "label"))
    assert labels["we should attach more importance to cooperation"] == "major_claim"
    assert labels["Some people argue that competition makes children work harder"] == "counterclaim"
    assert Relation.objects.filter(document=document).count() == 2


def test_doccano_via_api_stores_every_line(api, people, fresh_project):
    """A doccano JSONL with two lines imports as two documents in one go."""
    sample = build_sample_map()
    lines = get_format("doccano").export(sample)
    other = {"text": "Dogs are loyal. They wait for you.", "entities": [
        {"id": 1, "label": "claim", "start_offset": 0, "end_offset": 14},
        {"id": 2, "label": "evidence", "start_offset": 16, "end_offset": 33}],
        "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "supports"}]}
    data = lines.rstrip(b"\n") + b"\n" + json.dumps(other).encode() + b"\n"
    response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": "doccano", "file": upload("all.jsonl", data)})
    assert response.status_code == 201, response.json()
    assert [(d["spans"], d["relations"]) for d in response.json()["documents"]] == [(11, 10), (2, 1)]


def test_aif_from_ova_via_api(api, people, fresh_project):
    """An OVA3 analysis (no argmap extension) imports with labels inferred and relations kept."""
    data = json.dumps(_ova3_dialogical()).encode()
    response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": "aif", "file": upload("homework.json", data)})
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["documents"][0]["id"])
    assert set(Relation.objects.filter(document=document).values_list("kind", flat=True)) == {"supports", "attacks"}
    assert Annotation.objects.filter(document=document, label="counterclaim").count() == 1


BAD_INPUTS = [
    ("json", b'{"format": "argmap-map",\n "version": 1,,}', "line 2"),
    ("doccano", b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 40}], "relations": []}\n', "line 1"),
    ("doccano", b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 4}], '
                b'"relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "supports"}]}\n', "line 1"),
    ("doccano", b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 4}], "relations": []}\n', "PERSON"),
    ("brat", b"not a zip", "zip"),
    ("aif", b'{"nodes": [', "line 1"),
]


@pytest.mark.parametrize("format_name,data,where", BAD_INPUTS)
def test_bad_file_is_400_naming_the_place_and_nothing_is_stored(api, people, fresh_project, format_name, data, where):
    """Malformed files, offsets past the text, relations to unknown spans, unknown labels: 400, nothing stored."""
    before = counts()
    response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": format_name, "file": upload("bad.file", data)})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("bad.file: ") and where in detail, detail
    assert counts() == before


def test_brat_offsets_not_matching_the_text_name_the_line(api, people, fresh_project):
    """A T line whose quote is not the text at its offsets is refused with its line number."""
    ann = "T1\tClaim 0 6\tShould not match\n"
    response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": "brat", "file": upload("e.zip", essay_zip(ann))})
    assert response.status_code == 400 and "line 1" in response.json()["detail"]
    assert not Document.objects.filter(project=fresh_project).exists()


def test_label_the_project_does_not_use_is_refused(api, people, project):
    """A span labelled major_claim cannot go into a project tagging only claim/evidence/counterclaim."""
    before = counts()
    response = api.as_user(people["curator"]).post(import_url(project), {"format": "brat", "file": upload("essay.zip", essay_zip())})
    assert response.status_code == 400
    assert "label 'major_claim' is not used in project 'cats'" in response.json()["detail"]
    assert counts() == before


def test_one_bad_file_among_good_ones_stores_nothing(api, people, fresh_project):
    """All files of one import go in together: the good first file is not kept when the second is bad."""
    good = get_format("json").export(build_sample_map())
    before = counts()
    response = api.as_user(people["curator"]).post(
        import_url(fresh_project),
        {"format": "json", "file": [upload("good.json", good), upload("bad.json", b"{")]},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("bad.json: ")
    assert counts() == before


def test_duplicate_span_in_one_file_is_refused(people, fresh_project):
    """Two spans on the same text in one map are refused before anything is written, naming both."""
    sample = build_sample_map()
    sample.spans.append(sample.spans[0].__class__(**{**sample.spans[0].__dict__, "id": "dup"}))
    with pytest.raises(InvalidInput, match=r"span 'dup': covers the same text as span 'c1'"):
        services.argument_map_import(project=fresh_project, user=people["curator"], maps=[sample])
    assert not Document.objects.filter(project=fresh_project).exists()


def test_unknown_and_export_only_formats_are_refused(api, people, fresh_project):
    """Import needs a readable format; the message lists them."""
    for name in ("svg", "xml"):
        response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": name, "file": upload("x", b"x")})
        assert response.status_code == 400
        assert "argmap imports json, aif, argdown, brat, doccano, graphml" in response.json()["detail"]


def test_annotator_cannot_import_into_consensus_or_answer_key(api, stored_sample):
    """Shared layers are for curators: 403 for annotators, nothing stored."""
    stored = stored_sample
    data = get_format("json").export(build_sample_map())
    before = counts()
    for layer in ("consensus", "answer_key"):
        response = api.as_user(stored.people["annotator_b"]).post(
            import_url(stored.project), {"format": "json", "file": upload("m.json", data), "layer": layer}
        )
        assert response.status_code == 403, response.json()
    assert counts() == before


def test_annotator_imports_own_layer_onto_an_existing_document(api, stored_sample):
    """An annotator's map of a text the project has goes into their own layer on that document."""
    stored = stored_sample
    data = get_format("json").export(build_sample_map())
    response = api.as_user(stored.people["annotator_b"]).post(import_url(stored.project), {"format": "json", "file": upload("m.json", data)})
    assert response.status_code == 201, response.json()
    assert response.json()["layer"]["name"] == "annotator_b"
    assert response.json()["documents"][0]["id"] == stored.document.pk


def test_annotator_cannot_create_documents_by_importing(api, people, project):
    """A map of a new text needs a curator to add the document first: 403 for annotators."""
    project.labels = ["claim", "evidence", "counterclaim", "rebuttal"]
    project.save()
    data = get_format("json").export(build_sample_map())
    response = api.as_user(people["annotator"]).post(import_url(project), {"format": "json", "file": upload("m.json", data)})
    assert response.status_code == 403 and "upload the article first" in response.json()["detail"]
    assert not Layer.objects.filter(project=project).exists()


def test_viewer_and_outsider_cannot_import(api, people, project):
    """Viewers get 403, people outside the project 404."""
    data = get_format("json").export(build_sample_map())
    assert api.as_user(people["viewer"]).post(import_url(project), {"format": "json", "file": upload("m.json", data)}).status_code == 403
    assert api.as_user(people["outsider"]).post(import_url(project), {"format": "json", "file": upload("m.json", data)}).status_code == 404


def test_page_import_form_imports_and_reports(client, people, fresh_project):
    """The project page's Import form stores the maps and says what it did."""
    client.force_login(people["curator"])
    page = client.get(f"/p/{fresh_project.slug}/").content.decode()
    assert 'action="/p/imports/import/"' in page and '<option value="answer_key">' in page
    response = client.post(f"/p/{fresh_project.slug}/import/", {"format": "brat", "files": [upload("essay001.zip", essay_zip())]}, follow=True)
    assert response.status_code == 200
    assert "Imported: 1 document(s) imported into layer &#x27;curator&#x27;" in response.content.decode()
    assert Document.objects.filter(project=fresh_project, title="Should students be taught to compete or to cooperate?").exists()


def test_page_import_bad_file_is_a_400_page(client, people, fresh_project):
    """A broken file on the page gives a 400 page naming the line; nothing is stored."""
    client.force_login(people["curator"])
    response = client.post(f"/p/{fresh_project.slug}/import/", {"format": "json", "files": [upload("broken.json", b'{\n"a": }')]})
    assert response.status_code == 400 and "broken.json: line 2" in response.content.decode()
    assert not Document.objects.filter(project=fresh_project).exists()


def test_annotator_page_offers_only_their_own_layer(client, people, project):
    """Annotators see the Import form with their own layer only; viewers do not see it."""
    client.force_login(people["annotator"])
    page = client.get(f"/p/{project.slug}/").content.decode()
    assert "Import argument maps" in page and 'value="consensus"' not in page
    client.force_login(people["viewer"])
    assert "Import argument maps" not in client.get(f"/p/{project.slug}/").content.decode()


def test_file_over_the_upload_limit_is_refused(api, people, fresh_project, settings):
    """A file past ARGMAP_MAX_UPLOAD_BYTES is a 400 saying the limit, before it is read."""
    settings.ARGMAP_MAX_UPLOAD_BYTES = 100
    response = api.as_user(people["curator"]).post(import_url(fresh_project), {"format": "json", "file": upload("huge.json", b" " * 500)})
    assert response.status_code == 400 and "huge.json is 0.0 MB; the limit is 0 MB" in response.json()["detail"]


def test_new_documents_queue_their_suggestions_in_the_import_transaction(people, fresh_project):
    """A map import that creates a document stores its pending suggestion run and task row with it (no commit hook)."""
    from django_tasks_db.models import DBTaskResult

    from annotations.models import SuggestionRun

    result = services.argument_map_import(project=fresh_project, user=people["curator"], maps=[build_sample_map()])
    document_id = result.documents[0].document.pk
    rows = DBTaskResult.objects.filter(task_path="annotations.tasks.suggestions.compute_suggestions_task")
    assert [row.args_kwargs["kwargs"] for row in rows] == [{"document_id": document_id}]
    assert SuggestionRun.objects.get(document_id=document_id).status == "pending"

