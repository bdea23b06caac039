"""Create, read, update and delete for projects (``api/projects.py``), with their rules."""
from __future__ import annotations

from annotations.models import Project
from tests.factories import AnnotationFactory


def test_project_create_read_update_delete(api, people):
    """Anyone signed in creates a project (and owns it), renames it, changes labels, deletes it."""
    client = api.as_user(people["outsider"])
    created = client.post("/api/projects/", {"name": "Essays 2026", "labels": ["claim", "evidence"]}, format="json")
    assert created.status_code == 201 and created.json()["slug"] == "essays-2026" and created.json()["my_role"] == "owner"
    assert client.get("/api/projects/essays-2026/").json()["labels"] == ["claim", "evidence"]
    patched = client.patch("/api/projects/essays-2026/", {"name": "Essays", "labels": ["claim", "evidence", "rebuttal"]}, format="json")
    assert patched.status_code == 200 and patched.json()["labels"] == ["claim", "evidence", "rebuttal"]
    assert Project.objects.get(slug="essays-2026").name == "Essays"
    assert client.delete("/api/projects/essays-2026/").status_code == 204
    assert not Project.objects.filter(slug="essays-2026").exists()


def test_project_slug_taken_conflicts(api, people, project, stored):
    """A second project with a taken slug gets 409 saying to choose another."""
    before = stored()
    response = api.as_user(people["outsider"]).post("/api/projects/", {"name": "Cats", "slug": "cats"}, format="json")
    assert response.status_code == 409 and "choose another slug" in response.json()["detail"]
    assert stored() == before


def test_label_in_use_cannot_be_dropped(api, people, paragraph, layers, stored):
    """Dropping a label that spans still use gets 409 naming the label."""
    AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], label="evidence")
    before = stored()
    response = api.as_user(people["owner"]).patch("/api/projects/cats/", {"labels": ["claim"]}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Label(s) evidence are still used by spans")
    assert stored() == before


def test_only_owner_changes_project(api, people, stored):
    """A curator cannot rename or delete the project (403)."""
    before = stored()
    client = api.as_user(people["curator"])
    assert client.patch("/api/projects/cats/", {"name": "Dogs"}, format="json").status_code == 403
    assert client.delete("/api/projects/cats/").status_code == 403
    assert stored() == before
