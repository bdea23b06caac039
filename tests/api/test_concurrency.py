"""Writes outside any test transaction, as under gunicorn: refused duplicates, racing edits and
racing first spans behave (409s, nothing lost, nothing doubled, the connection stays usable)."""
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


def _race(count, work):
    """Run ``work(i)`` in ``count`` threads released together; each thread has its own connection."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_updates_from_one_version_never_lose_one(people, paragraph, layers):
    """Four clients edit version 1 of a span at once: one wins, three get 409 with the winner's state."""
    from rest_framework.test import APIClient

    from tests.factories import AnnotationFactory

    span = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4)

    def edit(index):
        client = APIClient()
        client.force_authenticate(people["annotator"])
        response = client.patch(f"/api/annotations/{span.pk}/", {"version": 1, "note": f"edit {index}"}, format="json")
        return response.status_code, response.json()

    results = _race(4, edit)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409, 409, 409]
    winner = next(body for status, body in results if status == 200)
    span.refresh_from_db()
    assert (span.version, span.note) == (2, winner["note"])
    assert all(body["current"]["note"] == winner["note"] for status, body in results if status == 409)


def test_concurrent_identical_spans_store_one(people, paragraph, layers):
    """Four clients create the same span at once: one 201, three 409, one row."""
    from rest_framework.test import APIClient

    body = {"paragraph": paragraph.pk, "start": 0, "end": 4, "quote": "Cats", "label": "claim"}

    def create(index):
        client = APIClient()
        client.force_authenticate(people["annotator"])
        return client.post("/api/annotations/", body, format="json").status_code

    assert sorted(_race(4, create)) == [201, 409, 409, 409]
    assert Annotation.objects.filter(layer=layers["annotator"]).count() == 1


def test_concurrent_first_spans_share_one_new_layer(people, paragraph):
    """A person's first four spans, sent at once, all land in one newly made personal layer."""
    from rest_framework.test import APIClient

    from annotations.models import Layer

    words = [(0, 4), (5, 8), (9, 15), (16, 20)]

    def create(index):
        start, end = words[index]
        client = APIClient()
        client.force_authenticate(people["annotator"])
        body = {"paragraph": paragraph.pk, "start": start, "end": end, "quote": paragraph.text[start:end], "label": "claim"}
        return client.post("/api/annotations/", body, format="json").status_code

    assert _race(4, create) == [201, 201, 201, 201]
    layer = Layer.objects.get(owner=people["annotator"])
    assert Annotation.objects.filter(layer=layer).count() == 4
