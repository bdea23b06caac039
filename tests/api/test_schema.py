"""The OpenAPI schema (``api/schema.py``) and the docs page that shows it."""
from __future__ import annotations

import pytest
from django.core.management import call_command


def test_schema_is_openapi_3_with_every_resource(people, api):
    """/api/schema/ serves an OpenAPI 3 document listing every resource."""
    response = api.as_user(people["viewer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/projects/", "/api/documents/", "/api/documents/{id}/workspace/", "/api/paragraphs/",
                 "/api/annotations/{id}/", "/api/relations/", "/api/auth/token/"):
        assert path in schema["paths"], path
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert "drf_create_token" in schema["info"]["description"]
    params = {p["name"] for p in schema["paths"]["/api/annotations/"]["get"]["parameters"]}
    assert {"document", "layer", "label", "author", "limit", "offset"} <= params


def test_docs_page_uses_local_assets(people, api):
    """/api/docs/ is Swagger UI served from our static files, with no CDN."""
    response = api.as_user(people["viewer"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower() and "unpkg" not in html


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes: the schema is a usable contract."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/annotations/{id}/" in target.read_text()
