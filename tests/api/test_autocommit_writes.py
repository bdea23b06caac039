"""Span and relation inserts outside any transaction (as under gunicorn): a refused duplicate
is a 409, stores nothing, and leaves the connection usable."""
from __future__ import annotations

import pytest

from annotations.models import Annotation, Relation

pytestmark = pytest.mark.django_db(transaction=True)


def test_duplicate_span_and_relation_in_autocommit(api, people, paragraph, layers):
    """Second identical span and relation get 409; exactly one of each is stored; the next write works."""
    client = api.as_user(people["annotator"])
    body = {"paragraph": paragraph.pk, "start": 0, "end": 4, "quote": "Cats", "label": "claim"}
    first = client.post("/api/annotations/", body, format="json")
    assert first.status_code == 201
    again = client.post("/api/annotations/", body, format="json")
    assert again.status_code == 409 and again.json()["annotation_id"] == first.json()["id"]
    second = client.post("/api/annotations/", body | {"start": 5, "end": 8, "quote": "are"}, format="json")
    assert second.status_code == 201
    link = {"source": second.json()["id"], "target": first.json()["id"], "kind": "supports"}
    assert client.post("/api/relations/", link, format="json").status_code == 201
    assert client.post("/api/relations/", link, format="json").status_code == 409
    assert Annotation.objects.count() == 2 and Relation.objects.count() == 1
