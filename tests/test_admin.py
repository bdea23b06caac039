"""The admin (annotations/admin.py): invitations, comments and changes listed; spans and relations read-only."""
from __future__ import annotations

import pytest

from annotations import services
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

pytestmark = pytest.mark.django_db


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
