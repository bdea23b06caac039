"""Relation endpoints: links join two spans of one document and layer; everything else is a
4xx that says why, with nothing stored."""
from __future__ import annotations

from functools import partial

import pytest

from annotations.models import Relation
from tests.api.conftest import listed
from tests.factories import AnnotationFactory, DocumentFactory, ParagraphFactory, RelationFactory

URL = "/api/relations/"


@pytest.fixture
def claim_and_evidence(paragraph, layers, people):
    layer = layers["annotator"]
    claim = AnnotationFactory(paragraph=paragraph, layer=layer, start=0, end=30, label="claim")
    evidence = AnnotationFactory(paragraph=paragraph, layer=layer, start=32, end=80, label="evidence")
    return claim, evidence


def test_create_relation(api, people, claim_and_evidence):
    """Evidence supports claim: stored with the spans' document and layer."""
    claim, evidence = claim_and_evidence
    response = api.as_user(people["annotator"]).post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "supports"}, format="json")
    assert response.status_code == 201, response.json()
    relation = Relation.objects.get(pk=response.json()["id"])
    assert (relation.source, relation.target, relation.layer, relation.document_id) == (evidence, claim, claim.layer, claim.document_id)
    assert response.json()["author"] == "annotator"


def test_response_matches_serializer_shape(api, people, claim_and_evidence):
    """The fast create and list responses equal RelationSerializer's output."""
    import json

    from rest_framework.renderers import JSONRenderer

    from annotations.api.serializers import RelationSerializer

    claim, evidence = claim_and_evidence
    client = api.as_user(people["annotator"])
    body = client.post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "attacks"}, format="json").json()
    expected = json.loads(JSONRenderer().render(RelationSerializer(Relation.objects.get(pk=body["id"])).data))
    assert body == expected
    assert client.get(URL, {"document": claim.document_id}).json()["results"] == [expected]


def test_relation_across_layers_refused(api, people, paragraph, layers, claim_and_evidence, stored):
    """A link from my span to another person's span is refused naming both spans."""
    claim, _ = claim_and_evidence
    theirs = AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=0, end=4)
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, {"source": claim.pk, "target": theirs.pk, "kind": "attacks"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"Span {claim.pk} and span {theirs.pk} are in different layers; relations join spans of one layer."
    )
    assert stored() == before


def test_relation_across_documents_refused(api, people, project, layers, claim_and_evidence, stored):
    """A link to a span of another document is refused naming both spans."""
    claim, _ = claim_and_evidence
    other = AnnotationFactory(paragraph=ParagraphFactory(document=DocumentFactory(project=project)), layer=layers["annotator"])
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, {"source": other.pk, "target": claim.pk, "kind": "supports"}, format="json")
    assert response.status_code == 400
    assert "are in different documents; relations join spans of one document" in response.json()["detail"]
    assert stored() == before


def test_relation_to_itself_refused(api, people, claim_and_evidence, stored):
    """A span cannot support itself."""
    claim, _ = claim_and_evidence
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, {"source": claim.pk, "target": claim.pk, "kind": "supports"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "A span cannot support or attack itself."
    assert stored() == before


def test_unknown_kind_refused(api, people, claim_and_evidence, stored):
    """Only supports and attacks exist."""
    claim, evidence = claim_and_evidence
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "undercuts"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["detail"] and "undercuts" in response.json()["detail"]
    assert stored() == before


def test_duplicate_relation_conflicts(api, people, claim_and_evidence, stored):
    """The same pair twice gets 409 naming the existing relation."""
    claim, evidence = claim_and_evidence
    client = api.as_user(people["annotator"])
    first = client.post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "supports"}, format="json").json()
    before = stored()
    response = client.post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "attacks"}, format="json")
    assert response.status_code == 409 and f"relation {first['id']}" in response.json()["detail"]
    assert stored() == before


def test_linking_in_someone_elses_layer_refused(api, people, claim_and_evidence, stored):
    """Another annotator and a viewer may not link spans of my layer (403)."""
    claim, evidence = claim_and_evidence
    before = stored()
    for name in ("annotator_b", "viewer"):
        response = api.as_user(people[name]).post(URL, {"source": evidence.pk, "target": claim.pk, "kind": "supports"}, format="json")
        assert response.status_code == 403 and "belongs to someone else" in response.json()["detail"]
    assert stored() == before


def test_missing_span_is_404(api, people, claim_and_evidence, stored):
    """A target that does not exist is 404 naming which end."""
    claim, _ = claim_and_evidence
    before = stored()
    response = api.as_user(people["annotator"]).post(URL, {"source": claim.pk, "target": 999999, "kind": "supports"}, format="json")
    assert response.status_code == 404 and response.json()["detail"] == "No span 999999 (target) in a project you are a member of."
    assert stored() == before


def test_update_kind_and_delete(api, people, claim_and_evidence):
    """The owner of the layer flips supports to attacks, then deletes the relation; the spans stay."""
    claim, evidence = claim_and_evidence
    relation = RelationFactory(source=evidence, target=claim)
    client = api.as_user(people["annotator"])
    response = client.patch(f"{URL}{relation.pk}/", {"kind": "attacks"}, format="json")
    assert response.status_code == 200 and response.json()["kind"] == "attacks"
    assert Relation.objects.get(pk=relation.pk).kind == "attacks"
    assert client.delete(f"{URL}{relation.pk}/").status_code == 204
    assert not Relation.objects.exists()
    assert claim.__class__.objects.filter(pk__in=[claim.pk, evidence.pk]).count() == 2


def test_someone_else_cannot_change_or_delete(api, people, claim_and_evidence, stored):
    """Another annotator gets 403 on update and delete; the relation is unchanged."""
    claim, evidence = claim_and_evidence
    relation = RelationFactory(source=evidence, target=claim)
    before = stored()
    client = api.as_user(people["annotator_b"])
    assert client.patch(f"{URL}{relation.pk}/", {"kind": "attacks"}, format="json").status_code == 403
    assert client.delete(f"{URL}{relation.pk}/").status_code == 403
    assert stored() == before


def test_filters(api, people, paragraph, layers, claim_and_evidence):
    """Relations filter by document, layer, kind and author."""
    claim, evidence = claim_and_evidence
    RelationFactory(source=evidence, target=claim, kind="supports", author=people["annotator"])
    b1 = AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=0, end=4)
    b2 = AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=5, end=8)
    RelationFactory(source=b1, target=b2, kind="attacks", author=people["annotator_b"])
    kinds = partial(listed, api.as_user(people["viewer"]), URL, "kind")
    assert kinds(document=paragraph.document_id) == ["supports", "attacks"]
    assert kinds(layer=layers["annotator_b"].pk) == ["attacks"]
    assert kinds(kind="supports") == ["supports"]
    assert kinds(author="annotator_b") == ["attacks"]
