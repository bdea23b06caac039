"""Malformed and oversized bodies get a 400 with a message and store nothing: long notes, NUL characters and
lone surrogates in notes and comments, JSON nested thousands deep, integers past 64 bits, and the same in
imported maps."""
from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations import services
from annotations.argument_map import ArgumentMap, MapParagraph, MapSpan
from annotations.errors import InvalidInput
from annotations.formats import get_format
from annotations.models import Annotation, Comment, Document

QUOTE = "Cats are better pets than dogs."


def _span_body(paragraph, **extra):
    return {"paragraph": paragraph.pk, "start": 0, "end": len(QUOTE), "quote": QUOTE, "label": "claim", **extra}


def _post_raw(client, url, raw: str):
    return client.post(url, data=raw.encode("utf-8"), content_type="application/json")


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("n" * 10_500_000, "note: Ensure this field has no more than 10000 characters."),
        ("a\x00b", "note: Null characters are not allowed."),
    ],
    ids=["10.5 MB note", "NUL in note"],
)
def test_bad_note_on_create_is_a_400(api, people, paragraph, note, message):
    """A note over 10,000 characters or holding NUL is refused on create with the field named; nothing stored."""
    response = api.as_user(people["annotator"]).post("/api/annotations/", _span_body(paragraph, note=note), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert Annotation.objects.count() == 0


def test_long_note_on_update_is_a_400(api, people, paragraph):
    """PATCH with a note over the limit is refused and the span keeps its note."""
    client = api.as_user(people["annotator"])
    span = client.post("/api/annotations/", _span_body(paragraph, note="short"), format="json").json()
    response = client.patch(f"/api/annotations/{span['id']}/", {"version": span["version"], "note": "n" * 10_001}, format="json")
    assert response.status_code == 400 and "no more than 10000 characters" in response.json()["detail"]
    assert Annotation.objects.get(pk=span["id"]).note == "short"


@pytest.mark.parametrize("url", ["/api/annotations/", "/api/comments/"])
def test_lone_surrogate_in_a_json_body_is_a_400(api, people, paragraph, url):
    """A ``\\ud800`` escape (a lone surrogate) in a note or a comment is refused by the JSON parser, saying where."""
    client = api.as_user(people["annotator"])
    span = services.annotation_create(
        paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=4, label="claim", quote="Cats"
    )
    body = _span_body(paragraph) | {"note": "NOTE"} if url == "/api/annotations/" else {"annotation": span.pk, "body": "NOTE"}
    response = _post_raw(client, url, json.dumps(body).replace('"NOTE"', '"bad \\ud800 half"'))
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"] and "surrogate" in response.json()["detail"]
    assert Annotation.objects.count() == 1 and Comment.objects.count() == 0


def test_services_refuse_lone_surrogates_and_nul(people, paragraph):
    """Notes and comments that reach the services from pages or imports are checked there too."""
    with pytest.raises(InvalidInput, match=r"The note contains a lone surrogate \(U\+D800\) at position 3"):
        services.annotation_create(
            paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=4, label="claim", quote="Cats",
            note="bad\ud800",
        )
    span = services.annotation_create(
        paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=4, label="claim", quote="Cats"
    )
    with pytest.raises(InvalidInput, match="The comment contains a NUL character at position 1"):
        services.comment_create(annotation=span, user=people["annotator"], body="a\x00b")
    with pytest.raises(InvalidInput, match="The comment contains a lone surrogate"):
        services.comment_create(annotation=span, user=people["annotator"], body="a\udfffb")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "method"),
    [("/api/annotations/", "post"), ("/api/projects/", "post"), ("/api/comments/", "post"), ("/api/relations/", "post")],
)
def test_deeply_nested_body_is_a_400(api, people, paragraph, url, method):
    """A body nested 100,000 deep is a 400 naming the nesting limit, not a RecursionError."""
    client = api.as_user(people["owner"])
    response = _post_raw(client, url, '{"label": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert response.status_code == 400
    assert "nested too deeply (more than 64 levels" in response.json()["detail"]


def test_integer_past_64_bits_in_a_body_is_a_400(api, people, paragraph):
    """An offset past 2**63 is refused at the parser, naming the number."""
    raw = json.dumps(_span_body(paragraph)).replace(f'"end": {len(QUOTE)}', '"end": 99999999999999999999999')
    response = _post_raw(api.as_user(people["annotator"]), "/api/annotations/", raw)
    assert response.status_code == 400
    assert "the integer 99999999999999999999999 is outside the 64-bit range" in response.json()["detail"]


def _map_json(note: str) -> bytes:
    text = "Cats are better pets than dogs, as owners report."
    argument_map = ArgumentMap(
        title="Cats", paragraphs=[MapParagraph(position=0, text=text)],
        spans=[MapSpan(id="T1", paragraph=0, start=0, end=4, quote="Cats", label="claim", note=note)],
    )
    return get_format("json").export(argument_map)


def _import(api, people, project, data: bytes):
    return api.as_user(people["owner"]).post(
        f"/api/projects/{project.slug}/import/",
        {"format": "json", "file": SimpleUploadedFile("map.argmap.json", data)},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_map_json("NOTE").replace(b'"NOTE"', b'"half \\ud800"'), "surrogate"),
        (_map_json("NOTE").replace(b'"NOTE"', b'"a\\u0000b"'), "contains a NUL character at position 1"),
        (_map_json("n" * 10_001), "A note is at most 10,000 characters; this one has 10,001"),
        (b'{"format": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested too deeply (more than 64 levels"),
    ],
    ids=["lone surrogate", "NUL", "long note", "deep nesting"],
)
def test_bad_imported_map_is_a_400(api, people, project, data, message):
    """An imported map with a lone surrogate, a NUL, a note over the limit or deep nesting is refused; nothing stored."""
    response = _import(api, people, project, data)
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["detail"]
    assert Document.objects.count() == 0 and Annotation.objects.count() == 0


def test_good_imported_map_still_imports(api, people, project):
    """The same map with an ordinary note imports (the checks above refuse only what they name)."""
    response = _import(api, people, project, _map_json("An ordinary note."))
    assert response.status_code == 201, response.content[:300]
    assert Annotation.objects.get().note == "An ordinary note."
