"""Writes on projects and memberships (services/projects.py): creating with an owner, slugs and labels
checked, the last owner kept, labels in use kept, and only owners change or delete a project."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Membership, Project, Role
from tests.factories import AnnotationFactory, LayerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_makes_the_creator_owner_with_a_slug_from_the_name(people):
    """No slug given: one is made from the name; the creator is the only member, as owner."""
    project = services.project_create(name="  Essays 2026 ", creator=people["curator"])
    assert (project.name, project.slug) == ("Essays 2026", "essays-2026")
    assert list(Membership.objects.filter(project=project).values_list("user__username", "role")) == [("curator", Role.OWNER)]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "   "}, "A project needs a name"),
        ({"name": "!!!"}, "Cannot make a URL name"),
        ({"name": "Essays", "labels": ["claim", "premise"]}, r"Unknown label\(s\) premise"),
        ({"name": "Again", "slug": "cats"}, "A project with the slug 'cats' already exists"),
        ({"name": "x" * 201}, r"name: Ensure this value has at most 200 characters \(it has 201\)"),
        ({"name": "Pets", "slug": "two words"}, "slug: Enter a valid"),
        ({"name": "Pets", "description": "a\x00b"}, "The project's description contains a NUL character at position 1"),
    ],
)
def test_create_refusals_name_the_problem_and_store_nothing(project, fields, message):
    """Each bad field is refused with a message; no project or membership is added."""
    before = Project.objects.count(), Membership.objects.count()
    with pytest.raises((InvalidInput, Conflict), match=message):
        services.project_create(creator=UserFactory(username="maker"), **fields)
    assert (Project.objects.count(), Membership.objects.count()) == before


def test_membership_set_keeps_the_last_owner(project, people):
    """The only owner cannot be made annotator; with a second owner it can; only owners change roles."""
    with pytest.raises(Conflict, match="A project needs an owner"):
        services.membership_set(project=project, user=people["owner"], role=Role.ANNOTATOR, by=people["owner"])
    with pytest.raises(NotPermitted):
        services.membership_set(project=project, user=people["viewer"], role=Role.CURATOR, by=people["curator"])
    services.membership_set(project=project, user=people["curator"], role=Role.OWNER, by=people["owner"])
    services.membership_set(project=project, user=people["owner"], role=Role.ANNOTATOR, by=people["curator"])
    assert Membership.objects.get(project=project, user=people["owner"]).role == Role.ANNOTATOR


def test_update_refuses_dropping_a_label_spans_use(project, people, paragraph):
    """Labels used by a span stay; an unused one can go; only the owner edits."""
    project.labels = ["claim", "evidence", "counterclaim"]
    project.save()
    AnnotationFactory(paragraph=paragraph, layer=LayerFactory(project=project, owner=people["annotator"]), label="claim")
    with pytest.raises(Conflict, match="Label\\(s\\) claim are still used"):
        services.project_update(project=project, user=people["owner"], labels=["evidence"])
    with pytest.raises(NotPermitted):
        services.project_update(project=project, user=people["curator"], name="Renamed")
    services.project_update(project=project, user=people["owner"], labels=["claim", "claim", "evidence"])
    project.refresh_from_db()
    assert project.labels == ["claim", "evidence"]


def test_only_the_owner_deletes_a_project(project, people):
    """A curator is refused and the project stays; the owner's delete removes it."""
    with pytest.raises(NotPermitted):
        services.project_delete(project=project, user=people["curator"])
    assert Project.objects.filter(pk=project.pk).exists()
    services.project_delete(project=project, user=people["owner"])
    assert not Project.objects.filter(pk=project.pk).exists()
