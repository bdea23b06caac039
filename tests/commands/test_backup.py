"""Backup and restore of the whole instance: ``manage.py backup`` then ``manage.py restore`` into
a fresh database gives back every project exactly (each project's argmap JSON export compared
before and after, through the real export command), and restore refuses to overwrite by accident."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import uuid
import zipfile
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from annotations import services
from annotations.models import Project, Role
from tests.factories import UserFactory
from tests.paths import REPOSITORY, SAMPLE_ARTICLE

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{urllib.parse.quote(settings['HOST'], safe='')}:{settings['PORT']}/{name}"


def exports(database: str, tmp_path) -> dict[str, dict]:
    """Every project's argmap JSON export from ``database``: {slug: {file name: parsed JSON}}."""
    environment = {**os.environ, "DATABASE_URL": database_url(database)}
    listed = subprocess.run([sys.executable, str(REPOSITORY / "manage.py"), "shell", "-c",
                             "from annotations.models import Project; print('SLUGS', *Project.objects.order_by('slug').values_list('slug', flat=True))"],
                            cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=300, check=True)
    found = {}
    line = next(line for line in listed.stdout.splitlines() if line.startswith("SLUGS"))
    for slug in line.split()[1:]:
        output = tmp_path / f"{database}-{slug}.zip"
        subprocess.run([sys.executable, str(REPOSITORY / "manage.py"), "export_project", "--project", slug,
                        "--output", str(output), "--formats", "json", "--no-progress"],
                       cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=300, check=True)
        with zipfile.ZipFile(output) as archive:
            found[slug] = {name: json.loads(archive.read(name)) for name in sorted(archive.namelist())
                           if name.endswith(".json") and name != "manifest.json"}
    return found


def make_instance():
    teacher = UserFactory(username="teacher")
    student = UserFactory(username="student")
    for slug in ("history", "physics"):
        project = services.project_create(name=slug.title(), slug=slug, creator=teacher)
        services.membership_set(project=project, user=student, role=Role.ANNOTATOR)
        document = services.document_import(project=project, user=teacher, data=SAMPLE_ARTICLE.read_bytes(),
                                            filename=SAMPLE_ARTICLE.name)
        services.suggestions_compute(document=document)
        body = [paragraph for paragraph in document.paragraphs.all() if paragraph.kind == "body"][:3]
        for user in (teacher, student):
            spans = []
            for paragraph, label in zip(body, ("claim", "evidence", "counterclaim")):
                quote = " ".join(paragraph.text.split(" ")[:7])
                spans.append(services.annotation_create(paragraph=paragraph, layer=None, user=user, start=0,
                                                        end=len(quote), label=label, quote=quote,
                                                        note=f"note by {user.username} — ünïcode ✓"))
            services.relation_create(source=spans[1], target=spans[0], kind="supports", user=user)
            services.relation_create(source=spans[2], target=spans[0], kind="attacks", user=user)


def test_backup_restored_into_a_fresh_database_exports_the_same_maps(tmp_path):
    """backup → restore --database fresh → every project's JSON export equals the original's."""
    make_instance()
    source = connection.settings_dict["NAME"]
    before = exports(source, tmp_path)
    assert set(before) == {"history", "physics"} and all(before.values())

    dump = tmp_path / "instance.dump"
    out = StringIO()
    call_command("backup", "--output", str(dump), stdout=out)
    assert dump.stat().st_size > 0 and f"from the database {source!r}" in out.getvalue()

    fresh = f"restore_check_{uuid.uuid4().hex[:8]}"
    try:
        call_command("restore", str(dump), "--database", fresh, stdout=StringIO())
        after = exports(fresh, tmp_path)
        assert after == before
        with pytest.raises(CommandError, match="already holds tables; pass --replace"):
            call_command("restore", str(dump), "--database", fresh, stdout=StringIO())
        Project.objects.filter(slug="physics").delete()  # the source changes; the copy can be put back over it
        call_command("restore", str(dump), "--database", fresh, "--replace", stdout=StringIO())
        assert exports(fresh, tmp_path) == before
    finally:
        settings = connection.settings_dict
        with psycopg.connect(dbname="postgres", user=settings["USER"], host=settings["HOST"], port=settings["PORT"],
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_restore_refuses_a_missing_or_broken_file(tmp_path):
    """A missing file or one that is not a backup is a one-line CommandError, and nothing is written."""
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nope.dump"), "--database", "never_created", stdout=StringIO())
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump at all")
    fresh = f"restore_junk_{uuid.uuid4().hex[:8]}"
    try:
        with pytest.raises(CommandError, match="pg_restore failed"):
            call_command("restore", str(junk), "--database", fresh, stdout=StringIO())
    finally:
        settings = connection.settings_dict
        with psycopg.connect(dbname="postgres", user=settings["USER"], host=settings["HOST"], port=settings["PORT"],
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
