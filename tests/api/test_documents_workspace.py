"""GET /api/documents/{id}/workspace/: the document page's whole state in one response."""
from __future__ import annotations

from tests.factories import AnnotationFactory, RelationFactory


def test_workspace_has_own_layer_by_default(api, people, document, paragraph, layers):
    """Paragraphs in order, the readable layers (own first), own spans and relations."""
    claim = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=30)
    evidence = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=32, end=80, label="evidence")
    RelationFactory(source=evidence, target=claim)
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=0, end=4)
    body = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/workspace/").json()
    assert body["document"] == {"id": document.pk, "title": "Cats and dogs", "project": "cats"}
    assert body["labels"] == ["claim", "evidence", "counterclaim"] and body["role"] == "annotator"
    assert body["layer"]["id"] == layers["annotator"].pk and body["can_edit"] is True
    assert body["layers"][0]["id"] == layers["annotator"].pk
    assert layers["answer_key"].pk not in [layer["id"] for layer in body["layers"]]
    assert [p["position"] for p in body["paragraphs"]] == [0, 1]
    assert [a["id"] for a in body["annotations"]] == [claim.pk, evidence.pk]
    assert [(r["source"], r["target"], r["kind"]) for r in body["relations"]] == [(evidence.pk, claim.pk, "supports")]


def test_workspace_other_layer_read_only(api, people, document, paragraph, layers):
    """?layer= shows another readable layer, marked not editable."""
    theirs = AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], start=0, end=4)
    body = api.as_user(people["annotator"]).get(f"/api/documents/{document.pk}/workspace/", {"layer": layers["annotator_b"].pk}).json()
    assert [a["id"] for a in body["annotations"]] == [theirs.pk] and body["can_edit"] is False


def test_workspace_without_own_layer(api, people, document):
    """A viewer with no layer gets the text and no spans, not an error."""
    body = api.as_user(people["viewer"]).get(f"/api/documents/{document.pk}/workspace/").json()
    assert body["layer"] is None and body["annotations"] == [] and body["can_edit"] is False
    assert len(body["paragraphs"]) == 2


def test_workspace_answer_key_is_404_for_annotators(api, people, document, layers):
    """An annotator asking for the answer key gets 404; a bad layer value gets 400."""
    client = api.as_user(people["annotator"])
    assert client.get(f"/api/documents/{document.pk}/workspace/", {"layer": layers["answer_key"].pk}).status_code == 404
    assert client.get(f"/api/documents/{document.pk}/workspace/", {"layer": "mine"}).status_code == 400
    assert api.as_user(people["curator"]).get(
        f"/api/documents/{document.pk}/workspace/", {"layer": layers["answer_key"].pk}
    ).status_code == 200
