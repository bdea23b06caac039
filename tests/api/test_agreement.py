"""Agreement read from the database: the API, the page and ``manage.py agreement`` against
the pure core run on the same maps; the bulk map builder against ``argument_map_get``."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations import services
from annotations.agreement import document_agreement, measure_agreement
from annotations.selectors import argument_map_get
from annotations.selectors.maps import argument_maps_get
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)
from tests.factories import DocumentFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(paragraph, layers, people):
    a, b = layers["annotator"], layers["annotator_b"]
    claim_a = tag(paragraph, a, people["annotator"], "Cats are better pets than dogs.")
    evidence_a = tag(paragraph, a, people["annotator"], "They need less care", label="evidence")
    services.relation_create(source=evidence_a, target=claim_a, kind="supports", user=people["annotator"])
    claim_b = tag(paragraph, b, people["annotator_b"], "Cats are better pets than dogs.")
    evidence_b = tag(paragraph, b, people["annotator_b"], "They need less care, according to a 2020 survey.", label="evidence")
    services.relation_create(source=evidence_b, target=claim_b, kind="supports", user=people["annotator_b"])
    tag(paragraph, b, people["annotator_b"], "2020", label="claim")
    return a, b


def test_bulk_maps_equal_one_at_a_time(document, layers, tagged):
    """argument_maps_get builds the same maps as argument_map_get."""
    a, b = tagged
    bulk = argument_maps_get(documents=[document], layers=[a, b, layers["consensus"]])
    for layer in (a, b, layers["consensus"]):
        assert bulk[(document.pk, layer.pk)] == argument_map_get(document=document, layer=layer)


def test_document_agreement_api_equals_pure_core(api, document, people, tagged):
    """GET /api/documents/<id>/agreement/ returns the pure core's report for the same layers."""
    a, b = tagged
    response = api.as_user(people["viewer"]).get(f"/api/documents/{document.pk}/agreement/?layers={a.pk},{b.pk}")
    assert response.status_code == 200, response.content
    expected = document_agreement(
        {a.name: argument_map_get(document=document, layer=a), b.name: argument_map_get(document=document, layer=b)}
    ).to_dict()
    body = response.json()
    assert {key: body[key] for key in expected} == json.loads(json.dumps(expected))
    assert body["matrices"]["span_exact.f1"] == [[None, pytest.approx(2 / 5)], [pytest.approx(2 / 5), None]]
    assert body["layer_ids"] == [a.pk, b.pk]


def test_default_layers_are_annotators_with_spans(api, document, people, tagged, layers):
    """Without ?layers the report covers every personal layer that has spans, not the empty ones."""
    body = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/agreement/").json()
    assert sorted(body["layers"]) == ["annotator", "annotator_b"]


def test_project_agreement_sums_documents(api, project, document, people, tagged):
    """The project endpoint measures over all documents; a layer missing from a document is left out there."""
    a, b = tagged
    second = DocumentFactory(project=project, title="Second")
    paragraph = ParagraphFactory(document=second, position=0, text="Dogs are loyal. Cats are not.")
    tag(paragraph, a, people["annotator"], "Dogs are loyal.")
    tag(paragraph, b, people["annotator_b"], "Dogs are loyal.")
    body = api.as_user(people["curator"]).get(f"/api/projects/{project.slug}/agreement/?layers={a.pk},{b.pk}").json()
    documents = [
        {a.name: argument_map_get(document=d, layer=a), b.name: argument_map_get(document=d, layer=b)}
        for d in (document, second)
    ]
    expected = measure_agreement(documents).to_dict()
    assert body["matrices"] == json.loads(json.dumps(expected["matrices"]))
    assert body["documents"] == 2 and body["pairs"][0]["span_exact"]["matched"] == 2


def test_unknown_or_foreign_layer_is_404_and_bad_list_400(api, document, people, tagged):
    """A layer of another project is not found; a malformed list is explained."""
    from tests.factories import LayerFactory

    foreign = LayerFactory()
    client = api.as_user(people["viewer"])
    assert client.get(f"/api/documents/{document.pk}/agreement/?layers={tagged[0].pk},{foreign.pk}").status_code == 404
    bad = client.get(f"/api/documents/{document.pk}/agreement/?layers=alice,bob")
    assert bad.status_code == 400 and "layer id" in bad.json()["detail"]


def test_agreement_page_shows_matrix_per_label_and_chart(client, document, people, tagged):
    """The page renders the matrix, a per-label table and an inline SVG chart, with no external script."""
    a, b = tagged
    client.force_login(people["viewer"])
    page = client.get(f"/d/{document.pk}/agreement/?layers={a.pk}&layers={b.pk}&metric=span_exact.f1").content.decode()
    assert "data-matrix" in page and "data-per-label" in page and "<svg" in page and "<rect" in page
    assert "0.40" in page  # span F1, exact: 2 matches of 2 + 3 spans
    assert "http://" not in page.split("<main", 1)[1] and "https://" not in page.split("<main", 1)[1]


def test_agreement_chart_writes_each_bars_value_so_zero_differs_from_nothing(client, document, paragraph, layers, people):
    """A bar of height 0 is a 0.00 or a "—" (nothing to compare): each bar's value is written on it."""
    import re

    a, b = layers["annotator"], layers["annotator_b"]
    tag(paragraph, a, people["annotator"], "Cats are better pets than dogs.")
    tag(paragraph, b, people["annotator_b"], "Cats are better pets than dogs.", label="evidence")
    client.force_login(people["viewer"])
    page = client.get(f"/d/{document.pk}/agreement/?layers={a.pk}&layers={b.pk}").content.decode()
    values = re.findall(r"<text [^>]*data-bar-value>([^<]*)</text>", page)
    # exact F1, overlap F1 (labels differ: 0), relation F1 (no relations: nothing to compare), kappa, uα
    assert values[:3] == ["0.00", "0.00", "—"]
    assert len(values) == 5 and all(re.fullmatch(r"−?\d\.\d\d|—", value) for value in values[3:])


def test_command_prints_matrix_and_json(document, tagged):
    """manage.py agreement prints matrices with the core's values, and the same report as JSON."""
    a, b = tagged
    out = StringIO()
    call_command("agreement", "--document", str(document.pk), stdout=out)
    text = out.getvalue()
    assert "span_exact.f1" in text and "0.400" in text and "annotator_b" in text
    out = StringIO()
    call_command("agreement", "--document", str(document.pk), "--layers", f"{a.pk},{b.pk}", "--json", stdout=out)
    expected = document_agreement(
        {a.name: argument_map_get(document=document, layer=a), b.name: argument_map_get(document=document, layer=b)}
    ).to_dict()
    assert json.loads(out.getvalue())["matrices"] == json.loads(json.dumps(expected["matrices"]))


def test_command_refuses_missing_document_and_single_layer(document, layers, people, paragraph):
    """Clear errors for an unknown document and for fewer than two layers."""
    with pytest.raises(CommandError, match="No document 999999"):
        call_command("agreement", "--document", "999999", stdout=StringIO())
    tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    with pytest.raises(CommandError, match="at least two layers"):
        call_command("agreement", "--document", str(document.pk), stdout=StringIO())


def test_layers_endpoint_counts_and_hides_answer_key(api, document, people, tagged, layers, paragraph):
    """Each layer comes with its span and relation counts; annotators do not see the answer key."""
    tag(paragraph, layers["answer_key"], people["curator"], "Cats")
    body = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/layers/").json()
    counts = {layer["name"]: (layer["spans"], layer["relations"]) for layer in body["layers"]}
    assert counts == {"annotator": (2, 1), "annotator_b": (3, 1), "curator": (0, 0), "Consensus": (0, 0)}
    assert body["layers"][0]["mine"] is True
    curator_view = api.as_user(people["curator"]).get(f"/api/documents/{document.pk}/layers/").json()
    assert {layer["name"] for layer in curator_view["layers"]} >= {"Answer key"}


def test_layer_spans_endpoint_for_toggling(api, document, people, tagged, layers):
    """Another person's layer comes with its spans and relations, shaped like the page's own."""
    a, b = tagged
    body = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/layers/{b.pk}/").json()
    assert body["layer"]["owner"] == "annotator_b"
    assert [span["quote"] for span in body["annotations"]] == [
        "Cats are better pets than dogs.", "They need less care, according to a 2020 survey.", "2020",
    ]
    assert [r["kind"] for r in body["relations"]] == ["supports"]
    answer_key = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/layers/{layers['answer_key'].pk}/")
    assert answer_key.status_code == 404


def test_compare_endpoint_and_page(api, client, document, people, tagged):
    """Comparison counts spans both drew, and those only one drew; the page marks them."""
    a, b = tagged
    body = api.as_user(people["viewer"]).get(f"/api/documents/{document.pk}/compare/?first={a.pk}&second={b.pk}").json()
    assert body["summary"] == {"same": 1, "relabelled": 0, "only_first": 1, "only_second": 2}
    overlap = api.as_user(people["viewer"]).get(
        f"/api/documents/{document.pk}/compare/?first={a.pk}&second={b.pk}&match=overlap"
    ).json()
    assert overlap["summary"]["same"] == 1  # "They need less care" covers < 50 % of the longer span
    client.force_login(people["viewer"])
    page = client.get(f"/d/{document.pk}/compare/?first={a.pk}&second={b.pk}").content.decode()
    assert page.count('data-status="same"') == 2 and page.count('data-status="only"') == 2


def test_project_agreement_page_lists_layers_with_counts(client, project, people, tagged):
    """The project page offers each layer with its number of spans and shows the matrix."""
    client.force_login(people["annotator"])
    page = client.get(f"/p/{project.slug}/agreement/").content.decode()
    assert "annotator (2 spans)" in page and "annotator_b (3 spans)" in page and "data-matrix" in page
