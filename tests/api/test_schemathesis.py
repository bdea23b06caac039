"""schemathesis against the app's own OpenAPI schema: no failure of any check.

A real server (pytest-django's ``live_server``) on 127.0.0.1 with a project full of data; the
schemathesis command line, run as CI would run it, with every check (``--checks all``), a few
examples per operation (``--max-examples``), a fixed seed and deterministic generation. The
requests are signed with the token of the project's owner, and each path parameter is pinned
to a real object (``[[operations]]`` in a generated ``schemathesis.toml``), so that operations
reach their code instead of answering 404 to random ids; deletes get objects of a spare
project so that they do not empty the main one for the operations after them. The sign-in
rate limit is raised so that the token endpoint's own logic is reached (its 429 is declared
and checked in test_response_schemas.py).

Three operations may refuse a schema-valid request with 400, each for a reason no schema can
state (``_config``): wrong credentials on the token endpoint, and uploaded files whose bytes
are not what their format needs. Everything else the schema allows must be accepted, and
everything it forbids refused (``negative_data_rejection``).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 5
SEED = 13
PHASES = "examples,coverage,fuzzing"
# positive_data_acceptance's own default: what a valid request may get
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def _world(suffix: str, owner=None) -> dict:
    """A project with an owner, an annotator, a document, spans, a relation, a comment, a suggestion, an invitation."""
    from rest_framework.authtoken.models import Token

    from annotations import services
    from annotations.models import Role
    from tests.factories import MembershipFactory, ParagraphFactory, SuggestionFactory, UserFactory

    owner = owner or UserFactory(username=f"owner{suffix}")
    project = services.project_create(name=f"Cats {suffix}", slug=f"cats{suffix}", creator=owner)
    annotator = MembershipFactory(project=project, user=UserFactory(username=f"annotator{suffix}"), role=Role.ANNOTATOR).user
    document = services.document_import(
        project=project, user=owner, filename="cats.txt",
        data=b"Cats and dogs\n\nCats are better pets than dogs. They need less care, according to a 2020 survey.\n\n"
             b"Dogs, however, are more loyal.",
    )
    paragraph = document.paragraphs.get(position=0)
    ParagraphFactory(document=document, position=10, text="A spare paragraph to edit.")
    claim = services.annotation_create(
        paragraph=paragraph, layer=None, user=owner, start=0, end=31, label="claim", quote=paragraph.text[:31]
    )
    evidence = services.annotation_create(
        paragraph=paragraph, layer=None, user=owner, start=32, end=len(paragraph.text), label="evidence",
        quote=paragraph.text[32:],
    )
    relation = services.relation_create(source=evidence, target=claim, kind="supports", user=owner)
    comment = services.comment_create(annotation=claim, user=owner, body=f"Is this the main claim, @annotator{suffix}?")
    suggestion = SuggestionFactory(paragraph=paragraph, start=0, end=31, label="claim", score=0.9)
    invitation = services.invitation_create(project=project, by=owner, role="annotator")
    token, _ = Token.objects.get_or_create(user=owner)
    return {
        "token": token.key, "slug": project.slug, "username": annotator.username, "document": document.pk,
        "paragraph": paragraph.pk, "annotation": claim.pk, "relation": relation.pk, "comment": comment.pk,
        "suggestion": suggestion.pk, "invitation": invitation.pk, "layer": claim.layer_id, "owner": owner,
    }


def _pinned(path_regex: str, parameters: dict, method: str | None = None) -> str:
    lines = ["[[operations]]", f'include-path-regex = "{path_regex}"']
    if method:
        lines.append(f'include-method = "{method}"')
    values = ", ".join(f'"path.{name}" = {value!r}'.replace("'", '"') for name, value in parameters.items())
    lines.append(f"parameters = {{ {values} }}")
    return "\n".join(lines) + "\n"


def _config(main: dict, spare: dict) -> str:
    """``schemathesis.toml``: each path parameter pinned to a real object (deletes: the spare project's)."""
    blocks = []
    for method, world in (("DELETE", spare), (None, main)):
        blocks += [
            _pinned("^/api/projects/\\\\{slug\\\\}/members/\\\\{username\\\\}/$", {"slug": world["slug"], "username": world["username"]}, method),
            _pinned("^/api/projects/\\\\{slug\\\\}/", {"slug": world["slug"]}, method),
            _pinned("^/api/documents/\\\\{document_id\\\\}/layers/\\\\{layer_id\\\\}/$", {"document_id": world["document"], "layer_id": world["layer"]}, method),
            _pinned("^/api/documents/\\\\{document_id\\\\}/", {"document_id": world["document"]}, method),
            _pinned("^/api/documents/\\\\{id\\\\}/", {"id": world["document"]}, method),
            _pinned("^/api/annotations/\\\\{id\\\\}/$", {"id": world["annotation"]}, method),
            _pinned("^/api/relations/\\\\{id\\\\}/$", {"id": world["relation"]}, method),
            _pinned("^/api/paragraphs/\\\\{id\\\\}/$", {"id": world["paragraph"]}, method),
            _pinned("^/api/comments/\\\\{comment_id\\\\}/$", {"comment_id": world["comment"]}, method),
            _pinned("^/api/suggestions/\\\\{suggestion_id\\\\}/", {"suggestion_id": world["suggestion"]}, method),
            _pinned("^/api/invitations/\\\\{invitation_id\\\\}/$", {"invitation_id": world["invitation"]}, method),
        ]
    # Valid by the schema yet refused, for reasons no schema can state; each operation lists the one
    # status it may give such a request, and nothing else is excused:
    # - the token endpoint: no generated password is right (400 is DRF's "Unable to log in");
    # - uploads: the schema says "a file" (and its name), not that its bytes are an article (.txt
    #   that is UTF-8, .docx that is a zip of WordprocessingML) or a map in the named format: 400.
    for path in ("/api/auth/token/", "/api/documents/", "/api/projects/{slug}/import/"):
        blocks.append(
            f'[[operations]]\ninclude-path = "{path}"\ninclude-method = "POST"\n'
            f"checks = {{ positive_data_acceptance = {{ expected-statuses = {ACCEPTED + ['400']} }} }}\n".replace("'", '"')
        )
    return "\n".join(blocks)


def test_schemathesis_finds_no_failure_with_every_check(live_server, tmp_path, settings):
    """Every check over every operation, authenticated as the project's owner with data present: no failure."""
    settings.ARGMAP_SIGNIN_LIMIT_ACCOUNT = settings.ARGMAP_SIGNIN_LIMIT_ADDRESS = 1_000_000
    main = _world("")
    spare = _world("spare", owner=main["owner"])
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(main, spare), encoding="utf-8")
    # The schema is read here, not by Schemathesis, whose loader gives up after 10 s (a loaded
    # machine took longer to build it); the run then uses the same schema from the file.
    request = urllib.request.Request(f"{live_server.url}/api/schema/?format=json",
                                     headers={"Authorization": f"Token {main['token']}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        schema = tmp_path / "schema.json"
        schema.write_bytes(response.read())
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config), "run",
        str(schema), "--url", live_server.url,
        "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--generation-deterministic",
        "--phases", PHASES, "--header", f"Authorization: Token {main['token']}",
        "--no-color", "--max-failures", "500", "--request-timeout", "120", "--workers", "1",
    ]
    if os.environ.get("ARGMAP_SCHEMATHESIS_PATHS"):  # a path regex: only those operations, when looking into failures
        command += ["--include-path-regex", os.environ["ARGMAP_SCHEMATHESIS_PATHS"]]
    # Generous bounds (a loaded 2-core CI machine answers slowly; they cost nothing when it does not).
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=1800, cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
    )
    report = result.stdout + result.stderr
    if os.environ.get("ARGMAP_SCHEMATHESIS_REPORT"):  # where to keep the whole report when looking into failures
        Path(os.environ["ARGMAP_SCHEMATHESIS_REPORT"]).write_text(report, encoding="utf-8")
    assert "Tested: " in report, report[-5_000:]
    codes = sorted(set(re.findall(r"^- (ST\d{3}) ", report, re.MULTILINE)))
    assert result.returncode == 0 and not codes, f"schemathesis reports {', '.join(codes)}\n" + report[-20_000:]
