"""A whole project as one zip from the API and the page: at once when small, as a background task when big."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from annotations.formats import get_format

from tests.fixtures.sample_map import relation_tuples, span_tuples

pytestmark = pytest.mark.django_db


def manifest_of(data: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("manifest.json")), archive


def test_api_zip_for_a_curator_has_every_layer(api, stored_sample):
    """A curator's zip holds the personal, consensus and answer-key maps in each chosen format."""
    stored = stored_sample
    response = api.as_user(stored.people["curator"]).get(f"/api/projects/{stored.project.slug}/export/?formats=json,brat")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="cats-maps.zip"'
    manifest, archive = manifest_of(response.content)
    assert manifest["formats"] == ["json", "brat"] and manifest["project"]["slug"] == "cats"
    layers = manifest["documents"][0]["layers"]
    assert {(layer["kind"], layer["spans"], layer["relations"]) for layer in layers} == {
        ("personal", 11, 10), ("consensus", 3, 2), ("answer_key", 1, 0)}
    personal = next(layer for layer in layers if layer["kind"] == "personal")
    (from_brat,) = get_format("brat").import_(archive.read(personal["files"]["brat"]))
    assert span_tuples(from_brat) == span_tuples(stored.map)
    assert relation_tuples(from_brat) == relation_tuples(stored.map)


def test_api_zip_for_a_viewer_leaves_out_the_answer_key(api, stored_sample):
    """A viewer's zip has no answer key."""
    stored = stored_sample
    response = api.as_user(stored.people["viewer"]).get(f"/api/projects/{stored.project.slug}/export/")
    manifest, archive = manifest_of(response.content)
    assert {layer["kind"] for layer in manifest["documents"][0]["layers"]} == {"personal", "consensus"}
    assert not any("answer-key" in name for name in archive.namelist())


def test_api_project_export_refusals(api, stored_sample):
    """Unknown format → 400 naming it; outsider → 404."""
    stored = stored_sample
    response = api.as_user(stored.people["viewer"]).get(f"/api/projects/{stored.project.slug}/export/?formats=json,tiff")
    assert response.status_code == 400 and "'tiff'" in response.json()["detail"]
    assert api.as_user(stored.people["outsider"]).get(f"/api/projects/{stored.project.slug}/export/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_big_export_runs_as_a_background_task(api, stored_sample, settings, tmp_path):
    """Past the size limit the API answers 202 with a task; after the worker runs, the zip downloads."""
    settings.ARGMAP_EXPORT_SYNC_MAX_FILES = 2
    settings.ARGMAP_EXPORT_DIR = tmp_path
    stored = stored_sample
    client = api.as_user(stored.people["curator"])
    response = client.get(f"/api/projects/{stored.project.slug}/export/?formats=json,csv")
    assert response.status_code == 202, response.content[:200]
    status_url = response.json()["status_url"]
    assert status_url == f"/api/exports/{response.json()['task']}/"
    waiting = client.get(status_url)
    assert waiting.status_code == 202 and waiting.json()["status"] == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert api.as_user(stored.people["annotator"]).get(status_url).status_code == 404  # not theirs
    done = api.as_user(stored.people["curator"]).get(status_url)
    assert done.status_code == 200 and done["Content-Type"] == "application/zip"
    manifest, _ = manifest_of(done.content)
    assert len(manifest["documents"][0]["layers"]) == 3
    assert client.get("/api/exports/not-a-task/").status_code == 404


def test_small_export_can_be_forced_into_the_background(api, stored_sample, settings, tmp_path):
    """background=true queues even a small export."""
    settings.ARGMAP_EXPORT_DIR = tmp_path
    response = api.as_user(stored_sample.people["viewer"]).get(f"/api/projects/{stored_sample.project.slug}/export/?background=true")
    assert response.status_code == 202


def test_page_has_export_section_and_downloads_the_zip(client, stored_sample):
    """The project page offers the zip with format checkboxes; the GET form downloads it."""
    stored = stored_sample
    client.force_login(stored.people["annotator"])
    page = client.get(f"/p/{stored.project.slug}/").content.decode()
    assert 'action="/p/cats/export/"' in page and 'name="formats" value="aif"' in page
    response = client.get(f"/p/{stored.project.slug}/export/", {"formats": ["json", "csv"]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    manifest, _ = manifest_of(response.content)
    assert manifest["formats"] == ["json", "csv"]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_page_big_export_waits_on_a_reloading_page(client, stored_sample, settings, tmp_path):
    """A queued page export redirects to a page that reloads itself until the zip is ready."""
    settings.ARGMAP_EXPORT_SYNC_MAX_FILES = 0
    settings.ARGMAP_EXPORT_DIR = tmp_path
    stored = stored_sample
    client.force_login(stored.people["viewer"])
    response = client.get(f"/p/{stored.project.slug}/export/")
    assert response.status_code == 302 and response["Location"].startswith("/exports/")
    waiting = client.get(response["Location"])
    assert waiting.status_code == 202 and 'http-equiv="refresh"' in waiting.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert client.get(response["Location"])["Content-Type"] == "application/zip"


def test_old_export_zips_are_pruned(settings, tmp_path):
    """Zips older than ARGMAP_EXPORT_KEEP_HOURS are deleted; newer ones stay."""
    import os
    import time

    from annotations.tasks.exports import prune_old_exports

    settings.ARGMAP_EXPORT_DIR = tmp_path
    settings.ARGMAP_EXPORT_KEEP_HOURS = 1
    old, new = tmp_path / "old.zip", tmp_path / "new.zip"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert prune_old_exports() == 1
    assert not old.exists() and new.exists()
