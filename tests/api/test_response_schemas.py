"""Every JSON endpoint answers in the shape its OpenAPI schema declares (what schemathesis checks):
real requests over a small project, each body validated against the operation's response
schema, and errors against the declared error shape."""
from __future__ import annotations

import io
import json
import os

import pytest
from jsonschema import Draft202012Validator

from tests.factories import AnnotationFactory, RelationFactory, SuggestionFactory


def _json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def _validator(openapi, schema):
    """A validator for ``schema`` whose ``#/components/...`` references resolve in the document."""
    return Draft202012Validator({"components": _json_schema(openapi["components"]), **_json_schema(schema)})


def _operation(openapi, template: str, method: str) -> dict:
    return openapi["paths"][template][method.lower()]


def check(openapi, response, template: str, method: str = "get"):
    """Validate the response body against the declared schema for its status code; return the body."""
    operation = _operation(openapi, template, method)
    declared = operation["responses"].get(str(response.status_code))
    assert declared is not None, f"{method.upper()} {template} answered {response.status_code}, not declared"
    body = response.json()
    if os.environ.get("ARGMAP_DUMP_RESPONSES"):
        with open(os.environ["ARGMAP_DUMP_RESPONSES"], "a") as dump:
            dump.write(json.dumps({"op": f"{method.upper()} {template} {response.status_code}", "body": body}) + "\n")
    schema = declared["content"]["application/json"]["schema"]
    errors = sorted(_validator(openapi, schema).iter_errors(body), key=lambda error: list(error.path))
    assert not errors, f"{method.upper()} {template} {response.status_code}: " + "; ".join(
        f"{'/'.join(map(str, error.path))}: {error.message[:200]}" for error in errors[:5]
    )
    return body


@pytest.fixture
def scene(project, people, document, paragraph, layers):
    """Two annotators' spans and a relation, a comment, a suggestion: something in every answer."""
    mine = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], author=people["annotator"], start=0, end=4)
    other = AnnotationFactory(paragraph=paragraph, layer=layers["annotator_b"], author=people["annotator_b"], start=0, end=4)
    relation = RelationFactory(source=mine, target__start=5, target__end=8, author=people["annotator"])
    suggestion = SuggestionFactory(paragraph=paragraph, start=9, end=13)
    return {"mine": mine, "other": other, "relation": relation, "suggestion": suggestion}


def test_collaboration_answers_match_the_schema(api, openapi, people, project, document, layers, scene):
    """Layers, comparison, changes, activity, comments, agreement, curation and members answer as declared."""
    d, slug = document.pk, project.slug
    annotator, curator, owner = (api.as_user(people[name]) for name in ("annotator", "curator", "owner"))
    check(openapi, annotator.get(f"/api/documents/{d}/layers/"), "/api/documents/{document_id}/layers/")
    check(openapi, annotator.get(f"/api/documents/{d}/layers/{layers['annotator_b'].pk}/"),
          "/api/documents/{document_id}/layers/{layer_id}/")
    check(openapi, annotator.get(f"/api/documents/{d}/compare/?first={layers['annotator'].pk}&second={layers['annotator_b'].pk}"),
          "/api/documents/{document_id}/compare/")
    check(openapi, annotator.get(f"/api/documents/{d}/changes/"), "/api/documents/{document_id}/changes/")
    check(openapi, annotator.get(f"/api/documents/{d}/changes/?since=0"), "/api/documents/{document_id}/changes/")
    comment = check(openapi, annotator.post("/api/comments/", {"annotation": scene["mine"].pk, "body": "@curator see"}, format="json"),
                    "/api/comments/", "post")
    check(openapi, annotator.get(f"/api/documents/{d}/activity/"), "/api/documents/{document_id}/activity/")
    check(openapi, annotator.get(f"/api/documents/{d}/comments/"), "/api/documents/{document_id}/comments/")
    check(openapi, curator.get("/api/mentions/"), "/api/mentions/")
    check(openapi, annotator.get(f"/api/comments/{comment['id']}/"), "/api/comments/{comment_id}/")
    check(openapi, annotator.patch(f"/api/comments/{comment['id']}/", {"resolved": True}, format="json"),
          "/api/comments/{comment_id}/", "patch")
    check(openapi, annotator.get(f"/api/documents/{d}/agreement/"), "/api/documents/{document_id}/agreement/")
    check(openapi, annotator.get(f"/api/projects/{slug}/agreement/"), "/api/projects/{slug}/agreement/")
    check(openapi, curator.get(f"/api/documents/{d}/curation/"), "/api/documents/{document_id}/curation/")
    check(openapi, curator.post(f"/api/documents/{d}/consensus/merge/", {}, format="json"),
          "/api/documents/{document_id}/consensus/merge/", "post")
    check(openapi, curator.post(f"/api/documents/{d}/consensus/pick/", {"annotation": scene["relation"].target_id}, format="json"),
          "/api/documents/{document_id}/consensus/pick/", "post")
    check(openapi, curator.post(f"/api/documents/{d}/consensus/pick-relation/", {"relation": scene["relation"].pk}, format="json"),
          "/api/documents/{document_id}/consensus/pick-relation/", "post")
    check(openapi, curator.post(f"/api/documents/{d}/answer-key/from-consensus/"),
          "/api/documents/{document_id}/answer-key/from-consensus/", "post")
    check(openapi, annotator.get(f"/api/projects/{slug}/members/"), "/api/projects/{slug}/members/")
    from annotations import services

    services.membership_set(project=project, user=people["outsider"], role="viewer", by=people["owner"])
    check(openapi, owner.patch(f"/api/projects/{slug}/members/outsider/", {"role": "annotator"}, format="json"),
          "/api/projects/{slug}/members/{username}/", "patch")
    invitation = check(openapi, owner.post(f"/api/projects/{slug}/invitations/", {"role": "viewer"}, format="json"),
                       "/api/projects/{slug}/invitations/", "post")
    check(openapi, owner.get(f"/api/projects/{slug}/invitations/"), "/api/projects/{slug}/invitations/")
    from tests.factories import UserFactory

    newcomer = api.as_user(UserFactory(username="newcomer"))
    check(openapi, newcomer.post("/api/invitations/accept/", {"token": invitation["token"]}, format="json"),
          "/api/invitations/accept/", "post")


def test_suggestion_and_exchange_answers_match_the_schema(api, openapi, people, project, document, layers, scene):
    """Suggestions, their decisions, the project model, queued exports and imports answer as declared."""
    d, slug = document.pk, project.slug
    annotator, owner = api.as_user(people["annotator"]), api.as_user(people["owner"])
    check(openapi, annotator.get(f"/api/documents/{d}/suggestions/"), "/api/documents/{document_id}/suggestions/")
    check(openapi, annotator.post(f"/api/documents/{d}/suggestions/compute/"), "/api/documents/{document_id}/suggestions/compute/", "post")
    check(openapi, annotator.post(f"/api/suggestions/{scene['suggestion'].pk}/accept/", {}, format="json"),
          "/api/suggestions/{suggestion_id}/accept/", "post")
    check(openapi, api.as_user(people["annotator_b"]).post(f"/api/suggestions/{scene['suggestion'].pk}/reject/"),
          "/api/suggestions/{suggestion_id}/reject/", "post")
    check(openapi, owner.post(f"/api/documents/{d}/suggestions/accept-above/", {"min_score": 0.5}, format="json"),
          "/api/documents/{document_id}/suggestions/accept-above/", "post")
    check(openapi, annotator.get(f"/api/projects/{slug}/suggestion-model/"), "/api/projects/{slug}/suggestion-model/")
    queued = check(openapi, owner.get(f"/api/projects/{slug}/export/?background=true"), "/api/projects/{slug}/export/")
    check(openapi, owner.get(f"/api/exports/{queued['task']}/"), "/api/exports/{task_id}/")
    exported = owner.get(f"/api/documents/{d}/export/?layer={layers['annotator'].pk}&format=json")
    upload = io.BytesIO(exported.content)
    upload.name = "map.json"
    check(openapi, annotator.post(f"/api/projects/{slug}/import/", {"format": "json", "file": [upload], "layer": "own",
                                                                   "replace": True}, format="multipart"),
          "/api/projects/{slug}/import/", "post")


def test_errors_match_the_declared_error_shape(api, openapi, people, project, document, scene):
    """400, 403, 404 and 409 answers are declared and carry a ``detail`` message."""
    annotator = api.as_user(people["annotator"])
    check(openapi, annotator.get(f"/api/documents/{document.pk}/changes/?since=x"), "/api/documents/{document_id}/changes/")
    check(openapi, annotator.get("/api/documents/999999/layers/"), "/api/documents/{document_id}/layers/")
    check(openapi, annotator.get(f"/api/documents/{document.pk}/curation/"), "/api/documents/{document_id}/curation/")
    span = scene["mine"]
    stale = annotator.patch(f"/api/annotations/{span.pk}/", {"version": span.version + 5, "label": "evidence"}, format="json")
    assert stale.status_code == 409
    check(openapi, stale, "/api/annotations/{id}/", "patch")


def test_no_json_endpoint_is_declared_as_a_bare_object(openapi):
    """Every JSON response in the schema names its fields (no bare ``type: object``)."""
    bare = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None and schema.get("type") == "object" and not schema.get("properties") and "$ref" not in schema:
                    bare.append(f"{method.upper()} {path} {code}")
    assert bare == [], sorted(bare)


def test_the_check_catches_a_wrong_shape(openapi):
    """A body missing a declared field, or with a wrong type, fails the check (so the tests above can fail)."""

    class Answer:
        status_code = 200

        def __init__(self, body):
            self.body = body

        def json(self):
            return self.body

    template = "/api/projects/{slug}/suggestion-model/"
    check(openapi, Answer({"project": "cats", "examples": 3, "needed": 27, "model": None}), template)
    for wrong in ({"project": "cats", "examples": 3, "model": None}, {"project": "cats", "examples": "3", "needed": 27, "model": None}):
        with pytest.raises(AssertionError):
            check(openapi, Answer(wrong), template)


def test_sign_in_limit_429_is_declared_with_retry_after(openapi, db, settings):
    """The token endpoint's 429 (sign-in rate limit) is in the schema, error shape and Retry-After header, as answered."""
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    settings.ARGMAP_SIGNIN_LIMIT_ACCOUNT = 1
    UserFactory(username="hurried")
    client = APIClient()
    assert client.post("/api/auth/token/", {"username": "hurried", "password": "wrong"}, format="json").status_code == 400
    refused = client.post("/api/auth/token/", {"username": "hurried", "password": "wrong"}, format="json")
    assert refused.status_code == 429
    check(openapi, refused, "/api/auth/token/", "post")
    header = _operation(openapi, "/api/auth/token/", "post")["responses"]["429"]["headers"]["Retry-After"]
    assert header["required"] and _validator(openapi, header["schema"]).is_valid(int(refused["Retry-After"]))
