"""Fixed query counts for the collaboration reads (selectors/collaboration.py and the pages and endpoints over it)."""
from __future__ import annotations

import pytest

from annotations import services
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

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
