"""The permission matrix: every endpoint and page that reads or writes project data, tried
by anonymous, annotator A, annotator B, curator, viewer, owner and a member of another
project, each cell asserted.

Rules under test: an annotator edits only their own layer; a viewer reads; a curator also
edits the consensus (and answer key); only the owner manages members; nobody outside the
project sees anything of it (404, not 403); anonymous API calls get 401, anonymous page
visits are sent to sign in (302). Project data never appears in an answer to an outsider.
"""
from __future__ import annotations

import pytest

from tests.permissions.matrix import Cell, cases, fill

ROLES = ("anonymous", "annotator", "annotator_b", "curator", "viewer", "owner", "outsider")
MEMBERS = ("annotator", "annotator_b", "curator", "viewer", "owner")
SECRET = "better pets"
IMPORTED_JSONL = b'{"text": "Imported article. Its claim is here.", "entities": [{"id": 1, "label": "claim", "start_offset": 18, "end_offset": 36}], "relations": []}\n'
  # words of the project's document: must never reach an outsider


def expect(default: int, anonymous: int | None = None, **overrides) -> dict[str, int]:
    """Expected statuses: ``default`` for members, 404 for the outsider, the overrides on top."""
    table = {role: default for role in MEMBERS}
    table["outsider"] = 404
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


def read(code=200):
    return expect(code)


def owner_only(code):
    return expect(403, owner=code)


def curators(code):
    return expect(403, owner=code, curator=code)


def writers(code):
    return expect(code, viewer=403)


API_CELLS = [
    Cell("projects list", "get", "/api/projects/", expect(200, outsider=200)),
    Cell("project create", "post", "/api/projects/", expect(201, outsider=201), {"name": "New one"}),
    Cell("project detail", "get", "/api/projects/cats/", read()),
    Cell("members list", "get", "/api/projects/cats/members/", read()),
    Cell("member add (refused: invitations only)", "post", "/api/projects/cats/members/",
         expect(405), {"username": "stranger", "role": "viewer"}),
    Cell("member role", "patch", "/api/projects/cats/members/viewer/", owner_only(200), {"role": "annotator"}),
    Cell("member remove", "delete", "/api/projects/cats/members/annotator_b/", expect(403, owner=204, annotator_b=204)),
    Cell("invitations list", "get", "/api/projects/cats/invitations/", owner_only(200)),
    Cell("invitation create", "post", "/api/projects/cats/invitations/", owner_only(201), {"role": "viewer"}),
    Cell("invitation revoke", "delete", "/api/invitations/{invitation}/", owner_only(204)),
    Cell("invitation accept", "post", "/api/invitations/accept/", expect(200, outsider=200), {"token": "{token}"}),
    Cell("project agreement", "get", "/api/projects/cats/agreement/", read()),
    Cell("documents list", "get", "/api/documents/", expect(200, outsider=200)),
    Cell("document detail", "get", "/api/documents/{document}/", read()),
    Cell("document workspace", "get", "/api/documents/{document}/workspace/", read()),
    Cell("document workspace, answer key", "get", "/api/documents/{document}/workspace/?layer={layer_key}",
         expect(404, owner=200, curator=200)),
    Cell("document upload", "post", "/api/documents/", curators(201), {"project": "cats"}, multipart=True),
    Cell("paragraphs list", "get", "/api/paragraphs/?document={document}", expect(200, outsider=200)),
    Cell("paragraph detail", "get", "/api/paragraphs/{paragraph}/", read()),
    Cell("layers list", "get", "/api/layers/", expect(200, outsider=200)),
    Cell("layer detail", "get", "/api/layers/{layer_a}/", read()),
    Cell("answer key layer", "get", "/api/layers/{layer_key}/", expect(404, owner=200, curator=200)),
    Cell("spans list", "get", "/api/annotations/?document={document}", expect(200, outsider=200)),
    Cell("span detail", "get", "/api/annotations/{span_a}/", read()),
    Cell("answer key span", "get", "/api/annotations/{span_key}/", expect(404, owner=200, curator=200)),
    Cell("span create, own layer", "post", "/api/annotations/", writers(201),
         {"paragraph": "{paragraph}", "start": 0, "end": 4, "quote": "Cats", "label": "claim"}),
    Cell("span create, A's layer", "post", "/api/annotations/", expect(403, annotator=201),
         {"paragraph": "{paragraph}", "start": 9, "end": 15, "quote": "better", "label": "claim", "layer": "{layer_a}"}),
    Cell("span create, consensus", "post", "/api/annotations/", curators(201),
         {"paragraph": "{paragraph}", "start": 9, "end": 15, "quote": "better", "label": "claim", "layer": "{layer_consensus}"}),
    Cell("span update, A's", "patch", "/api/annotations/{span_a}/", expect(403, annotator=200), {"version": 1, "label": "evidence"}),
    Cell("span delete, A's", "delete", "/api/annotations/{span_a}/", expect(403, annotator=204)),
    Cell("span update, consensus", "patch", "/api/annotations/{span_consensus}/", curators(200), {"version": 1, "label": "evidence"}),
    Cell("span update, answer key", "patch", "/api/annotations/{span_key}/", expect(404, owner=200, curator=200),
         {"version": 1, "label": "evidence"}),
    Cell("relation detail", "get", "/api/relations/{relation_a}/", read()),
    Cell("relation create, A's", "post", "/api/relations/", expect(403, annotator=201),
         {"source": "{span_a}", "target": "{span_a2}", "kind": "attacks"}),
    Cell("relation delete, A's", "delete", "/api/relations/{relation_a}/", expect(403, annotator=204)),
    Cell("document layers", "get", "/api/documents/{document}/layers/", read()),
    Cell("layer spans", "get", "/api/documents/{document}/layers/{layer_b}/", read()),
    Cell("answer key spans", "get", "/api/documents/{document}/layers/{layer_key}/", expect(404, owner=200, curator=200)),
    Cell("compare", "get", "/api/documents/{document}/compare/?first={layer_a}&second={layer_b}", read()),
    Cell("changes", "get", "/api/documents/{document}/changes/?since=0", read()),
    Cell("activity", "get", "/api/documents/{document}/activity/", read()),
    Cell("comments list", "get", "/api/documents/{document}/comments/", read()),
    Cell("comment create", "post", "/api/comments/", writers(201), {"annotation": "{span_b}", "body": "why @annotator_b?"}),
    Cell("comment detail", "get", "/api/comments/{comment_a}/", read()),
    Cell("mentions", "get", "/api/mentions/", expect(200, outsider=200)),
    Cell("comment edit", "patch", "/api/comments/{comment_a}/", expect(403, annotator=200), {"body": "edited"}),
    Cell("comment resolve", "patch", "/api/comments/{comment_a}/", expect(403, annotator=200, curator=200, owner=200),
         {"resolved": True}),
    Cell("comment delete", "delete", "/api/comments/{comment_a}/", expect(403, annotator=204, curator=204, owner=204)),
    Cell("document agreement", "get", "/api/documents/{document}/agreement/", read()),
    Cell("curation", "get", "/api/documents/{document}/curation/", curators(200)),
    Cell("consensus merge", "post", "/api/documents/{document}/consensus/merge/", curators(200), {"share": "0.5"}),
    Cell("consensus pick", "post", "/api/documents/{document}/consensus/pick/", curators(201), {"annotation": "{span_b}"}),
    Cell("consensus pick relation", "post", "/api/documents/{document}/consensus/pick-relation/", curators(201),
         {"relation": "{relation_a}"}),
    Cell("consensus reject (none of these)", "post", "/api/documents/{document}/consensus/reject/", curators(201),
         {"annotations": ["{span_b}"]}),
    Cell("consensus reject undo", "post", "/api/documents/{document}/consensus/reject/undo/", curators(204),
         {"rejection": "{rejection}"}),
    Cell("answer key from consensus", "post", "/api/documents/{document}/answer-key/from-consensus/", curators(200)),
    Cell("export A's map", "get", "/api/documents/{document}/export/?layer={layer_a}&format=json", read()),
    Cell("export answer key", "get", "/api/documents/{document}/export/?layer={layer_key}&format=json",
         expect(404, owner=200, curator=200)),
    Cell("project export", "get", "/api/projects/cats/export/?formats=json", read()),
    Cell("export result, unknown task", "get", "/api/exports/123/", expect(404)),
    Cell("map import, new document", "post", "/api/projects/cats/import/", curators(201), {"format": "doccano"},
         multipart=True, upload=IMPORTED_JSONL),
    Cell("suggestions status", "get", "/api/documents/{document}/suggestions/", read()),
    Cell("suggestions compute", "post", "/api/documents/{document}/suggestions/compute/", writers(202)),
    Cell("suggestions accept above", "post", "/api/documents/{document}/suggestions/accept-above/", writers(200),
         {"min_score": 0.5}),
    Cell("suggestion accept", "post", "/api/suggestions/{suggestion}/accept/", writers(201), {"label": "evidence"}),
    Cell("suggestion reject", "post", "/api/suggestions/{suggestion}/reject/", writers(200)),
    Cell("suggestion undo, nothing decided", "post", "/api/suggestions/{suggestion}/undo/", writers(409)),
    Cell("project suggestion model", "get", "/api/projects/cats/suggestion-model/", read()),
    Cell("my preferences", "get", "/api/me/preferences/", expect(200, outsider=200)),
    Cell("my preferences change", "patch", "/api/me/preferences/", expect(200, outsider=200), {"show_suggestions": True}),
]

PAGE_CELLS = [
    Cell("page: projects", "get", "/", expect(200, outsider=200)),
    Cell("page: project", "get", "/p/cats/", read()),
    Cell("page: upload", "post", "/p/cats/upload/", curators(200), {}, multipart=True),
    Cell("page: members", "get", "/p/cats/members/", read()),
    Cell("page: member role", "post", "/p/cats/members/role/", owner_only(302), {"username": "viewer", "role": "annotator"}),
    Cell("page: member remove", "post", "/p/cats/members/remove/", expect(403, owner=302, annotator_b=302),
         {"username": "annotator_b"}),
    Cell("page: invitation create", "post", "/p/cats/invitations/", owner_only(302), {"role": "viewer"}),
    Cell("page: invitation revoke", "post", "/p/cats/invitations/{invitation}/revoke/", owner_only(302)),
    Cell("page: project agreement", "get", "/p/cats/agreement/", read()),
    Cell("page: mentions", "get", "/mentions/", expect(200, outsider=200)),
    Cell("page: invitation", "get", "/invite/{token}/", expect(200, anonymous=200, outsider=200)),
    Cell("page: invitation accept", "post", "/invite/{token}/", expect(302, anonymous=400, outsider=302)),
    Cell("page: document", "get", "/d/{document}/", read()),
    Cell("page: compare", "get", "/d/{document}/compare/?first={layer_a}&second={layer_b}", read()),
    Cell("page: activity", "get", "/d/{document}/activity/", read()),
    Cell("page: comment post", "post", "/d/{document}/comments/", writers(302), {"annotation": "{span_b}", "body": "hm"}),
    Cell("page: comment resolve", "post", "/d/{document}/comments/{comment_a}/resolve/",
         expect(403, annotator=302, curator=302, owner=302), {"resolved": "1"}),
    Cell("page: document agreement", "get", "/d/{document}/agreement/", read()),
    Cell("page: curate", "get", "/d/{document}/curate/", curators(200)),
    Cell("page: curate merge", "post", "/d/{document}/curate/merge/", curators(302), {"share": "0.5"}),
    Cell("page: curate pick", "post", "/d/{document}/curate/pick/", curators(302), {"annotation": "{span_b}"}),
    Cell("page: curate pick relation", "post", "/d/{document}/curate/pick-relation/", curators(302), {"relation": "{relation_a}"}),
    Cell("page: curate reject (none of these)", "post", "/d/{document}/curate/reject/", curators(302),
         {"annotation": ["{span_b}"]}),
    Cell("page: curate reject undo", "post", "/d/{document}/curate/reject/undo/", curators(302), {"rejection": "{rejection}"}),
    Cell("page: curate answer key", "post", "/d/{document}/curate/answer-key/", curators(302)),
    Cell("page: export A's map", "get", "/d/{document}/export/?layer={layer_a}&format=json", read()),
    Cell("page: project export", "get", "/p/cats/export/?formats=json", read()),
    Cell("page: export result, unknown task", "get", "/exports/123/", expect(404)),
    Cell("page: map import", "post", "/p/cats/import/", curators(302), {"format": "doccano"}, multipart=True,
         upload=IMPORTED_JSONL),
]


@pytest.fixture
def world(project, people, document, paragraph):
    """Spans in A's, B's, the consensus and the answer-key layers, a relation, a comment, an invitation."""
    from annotations import services
    from annotations.models import Layer, Role
    from tests.factories import UserFactory

    UserFactory(username="stranger")
    layer_a = services.layer_get_or_create_personal(project=project, user=people["annotator"])
    layer_b = services.layer_get_or_create_personal(project=project, user=people["annotator_b"])
    consensus = services.layer_get_or_create_shared(project=project, kind=Layer.Kind.CONSENSUS)
    key = services.layer_get_or_create_shared(project=project, kind=Layer.Kind.ANSWER_KEY)

    def span(layer, user, start, end, label="claim"):
        return services.annotation_create(
            paragraph=paragraph, layer=layer, user=user, start=start, end=end, label=label, quote=paragraph.text[start:end]
        )

    span_a = span(layer_a, people["annotator"], 0, 31)
    span_a2 = span(layer_a, people["annotator"], 32, 51, "evidence")
    relation_a = services.relation_create(source=span_a2, target=span_a, kind="supports", user=people["annotator"])
    span_b = span(layer_b, people["annotator_b"], 32, 80, "evidence")
    span_consensus = span(consensus, people["curator"], 0, 31)
    span(consensus, people["curator"], 32, 51, "evidence")
    span_key = span(key, people["curator"], 0, 31)
    comment_a = services.comment_create(annotation=span_a, user=people["annotator"], body="Is this the main claim?")
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.VIEWER, max_uses=5)
    from tests.factories import SuggestionFactory

    suggestion = SuggestionFactory(paragraph=paragraph, start=0, end=30, label="claim", score=0.9)
    from annotations.models import CurationRejection

    rejection = CurationRejection.objects.create(document=document, paragraph=paragraph, candidates=[[0, 9, "claim"]],
                                                 decided_by=people["curator"])
    return {
        "rejection": rejection.pk,
        "suggestion": suggestion.pk,
        "document": document.pk, "paragraph": paragraph.pk, "layer_a": layer_a.pk, "layer_b": layer_b.pk,
        "layer_consensus": consensus.pk, "layer_key": key.pk, "span_a": span_a.pk, "span_a2": span_a2.pk,
        "span_b": span_b.pk, "span_consensus": span_consensus.pk, "span_key": span_key.pk,
        "relation_a": relation_a.pk, "comment_a": comment_a.pk, "invitation": invitation.pk, "token": invitation.token,
    }


def _expected(cell: Cell, role: str, page: bool) -> int:
    status = cell.expected[role]
    if status is None:  # anonymous default
        status = 302 if page else 401
    return status


def _request(client, cell: Cell, world, page: bool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = cell.url.format(**world)
    body = {key: fill(value, world) for key, value in cell.body.items()}
    if cell.method == "get":
        return client.get(url)
    if cell.multipart:
        upload = SimpleUploadedFile("new.txt", cell.upload, content_type="text/plain")
        body["files" if page else "file"] = upload
        return client.post(url, body, format="multipart") if not page else client.post(url, body)
    if page:
        return client.post(url, body)
    return getattr(client, cell.method)(url, body, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize("cell, role", cases(API_CELLS, ROLES))
def test_api_permission_matrix(cell, role, world, people, api):
    """Each API endpoint answers each role with the status the role rules give."""
    client = api if role == "anonymous" else api.as_user(people[role])
    response = _request(client, cell, world, page=False)
    assert response.status_code == _expected(cell, role, page=False), response.content[:300]
    if role in ("anonymous", "outsider"):
        assert SECRET not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("cell, role", cases(PAGE_CELLS, ROLES))
def test_page_permission_matrix(cell, role, world, people, client):
    """Each page answers each role with the status the role rules give."""
    if role != "anonymous":
        client.force_login(people[role])
    response = _request(client, cell, world, page=True)
    assert response.status_code == _expected(cell, role, page=True), response.content[:300]
    if role == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if role in ("anonymous", "outsider"):
        assert SECRET not in response.content.decode()


def test_matrix_covers_every_project_url():
    """Every URL pattern that takes a project, document, span, comment or invitation is in the matrix."""
    from django.urls import get_resolver

    from tests.permissions.test_classroom_matrix import CLASSROOM_URLS  # the classroom roles have their own matrix

    covered = {cell.url.split("?")[0] for cell in API_CELLS + PAGE_CELLS} | {url.split("?")[0] for url in CLASSROOM_URLS}

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                yield from patterns(entry, route)
            else:
                yield route

    import re

    def normalise(route: str) -> str:
        route = route.replace("^", "").replace("$", "")
        route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "X", route)
        route = re.sub(r"<[^>]+>", "X", route)
        return route

    wanted = {
        normalise(route) for route in patterns(get_resolver())
        if not route.startswith(("admin/", "accounts/", "api/schema", "api/docs", "api/auth", "favicon.ico"))
        and "format" not in route and normalise(route) not in ("api/", "api/.+")  # api/.+: the JSON 404
    }
    have = set()
    for url in covered:
        path = url.lstrip("/")
        path = re.sub(r"(?<=/)(\d+|cats|viewer|annotator_b|\{[a-z_]+\})(?=/)", "X", "/" + path)[1:]
        have.add(path)
    assert len(wanted) >= 45, sorted(wanted)  # the walk really found the URL map
    missing = sorted(route for route in wanted if route not in have)
    assert missing == []
