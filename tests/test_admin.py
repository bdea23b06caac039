"""The admin (annotations/admin.py): invitations, comments and changes listed; spans and relations read-only."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Membership
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


def test_every_relation_in_a_form_is_picked_by_autocomplete_or_raw_id(rf, admin_user):
    """No editable admin form offers a ``<select>`` of a whole table: each relation to a model with an
    admin goes through autocomplete (whose admin can be searched) or is given by raw id."""
    from django.contrib import admin

    from annotations.admin import ListAdmin, _in_form

    request = rf.get("/admin/")
    request.user = admin_user
    admins = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ListAdmin)]
    for model_admin in admins:
        autocomplete = model_admin.get_autocomplete_fields(request)
        for field in model_admin.model._meta.get_fields():
            if not _in_form(field) or not admin.site.is_registered(field.related_model):
                continue
            assert (field.name in autocomplete) != (field.name in model_admin.raw_id_fields), (model_admin, field.name)
            if field.name in autocomplete:
                assert admin.site._registry[field.related_model].get_search_fields(request), (model_admin, field.name)
    assert admin.site._registry[Membership].get_autocomplete_fields(request) == ["project", "user"]


def test_lists_filter_by_the_columns_with_few_values(admin_client, rf, admin_user, people):
    """A list page can be filtered by each column it shows that has choices or is a yes/no, and the filter works."""
    from django.contrib import admin

    from annotations.models import Comment, Suggestion

    request = rf.get("/admin/")
    request.user = admin_user
    assert admin.site._registry[Membership].get_list_filter(request) == ["role"]
    assert admin.site._registry[Comment].get_list_filter(request) == ["resolved"]
    assert admin.site._registry[Suggestion].get_list_filter(request) == ["label", "pipeline_name"]
    page = admin_client.get("/admin/annotations/membership/", {"role__exact": "curator"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == Membership.objects.filter(role="curator").count() == 1
