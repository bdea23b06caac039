"""Fixed query counts for the collaboration reads, and the admin pages for the new models."""
from __future__ import annotations

import pytest

from annotations import services
from tests.collaboration.conftest import tag

pytestmark = pytest.mark.django_db

WORDS = ("Cats", "better", "pets", "dogs", "They", "need", "less", "care")


def fresh(user):
    return user.__class__.objects.get(pk=user.pk)


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/documents/{document}/layers/",
        "/api/documents/{document}/layers/{layer}/",
        "/api/documents/{document}/comments/",
        "/api/documents/{document}/activity/",
        "/api/documents/{document}/agreement/",
        "/api/documents/{document}/compare/?first={layer}&second={other}",
        "/d/{document}/activity/",
        "/d/{document}/agreement/",
        "/d/{document}/curate/",
    ],
)
def test_reads_do_not_grow_with_spans_and_comments(url, api, client, document, paragraph, layers, people):
    """Two spans or sixteen, with a comment on each: the same number of queries."""
    def grow(words):
        for word in words:
            for name in ("annotator", "annotator_b"):
                span = tag(paragraph, layers[name], people[name], word)
                services.comment_create(annotation=span, user=people["curator"], body=f"@{name} {word}?")

    def measure():
        target = url.format(document=document.pk, layer=layers["annotator"].pk, other=layers["annotator_b"].pk)
        if target.startswith("/api/"):
            return count_queries(api.as_user(fresh(people["curator"])), target)
        client.force_login(people["curator"])
        return count_queries(client, target)

    grow(WORDS[:1])
    small = measure()
    grow(WORDS[1:])
    assert measure() == small


def test_admin_lists_new_models(admin_client, document, paragraph, layers, people):
    """Operators see invitations, comments and changes in the admin."""
    span = tag(paragraph, layers["annotator"], people["annotator"], "Cats")
    services.comment_create(annotation=span, user=people["annotator"], body="note")
    services.invitation_create(project=document.project, by=people["owner"], role="viewer")
    for model in ("invitation", "comment", "changeevent"):
        assert admin_client.get(f"/admin/annotations/{model}/").status_code == 200


def test_admin_shows_spans_and_relations_read_only(admin_client, document, paragraph, layers, people):
    """Spans and relations can be looked at in the admin but not added, changed or deleted there."""
    from annotations.models import Annotation, Relation
    from tests.factories import AnnotationFactory

    source = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=0, end=4)
    target = AnnotationFactory(paragraph=paragraph, layer=layers["annotator"], start=5, end=8)
    relation = Relation.objects.create(document=document, layer=layers["annotator"], source=source, target=target, kind="supports")
    for model, row in (("annotation", source), ("relation", relation)):
        assert admin_client.get(f"/admin/annotations/{model}/").status_code == 200
        page = admin_client.get(f"/admin/annotations/{model}/{row.pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert admin_client.get(f"/admin/annotations/{model}/add/").status_code == 403
        assert admin_client.post(f"/admin/annotations/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Annotation.objects.filter(pk=source.pk).exists() and Relation.objects.filter(pk=relation.pk).exists()

