"""Layers made on first use (services/layers.py): one personal layer per writing member, never
one for a viewer, and one consensus and one answer key per project, however often asked."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import NotPermitted
from annotations.models import Layer

pytestmark = pytest.mark.django_db


def test_personal_layer_is_made_once_and_named_after_its_owner(project, people):
    """The first call makes the annotator's layer; the second returns the same row."""
    first = services.layer_get_or_create_personal(project=project, user=people["annotator"])
    again = services.layer_get_or_create_personal(project=project, user=people["annotator"])
    assert first.pk == again.pk
    assert (first.kind, first.owner, first.name) == (Layer.Kind.PERSONAL, people["annotator"], "annotator")
    assert Layer.objects.filter(project=project, kind=Layer.Kind.PERSONAL).count() == 1


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_no_personal_layer_for_who_may_not_write(project, people, who):
    """A viewer (or someone outside the project) is refused and no layer is stored."""
    with pytest.raises(NotPermitted, match="Viewers cannot annotate"):
        services.layer_get_or_create_personal(project=project, user=people[who])
    assert not Layer.objects.filter(project=project).exists()


@pytest.mark.parametrize("kind, name", [(Layer.Kind.CONSENSUS, "Consensus"), (Layer.Kind.ANSWER_KEY, "Answer key")])
def test_shared_layer_is_one_per_project(project, kind, name):
    """The consensus and the answer key exist once per project, with their names."""
    first = services.layer_get_or_create_shared(project=project, kind=kind)
    again = services.layer_get_or_create_shared(project=project, kind=kind)
    assert first.pk == again.pk and first.name == name and first.owner is None
    assert Layer.objects.filter(project=project, kind=kind).count() == 1
