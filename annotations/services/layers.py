"""Creating layers: a member's own layer on first use, the consensus and the answer key."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from annotations.errors import NotPermitted
from annotations.models import Layer, Project
from annotations.permissions import WRITER_ROLES, role_in


def layer_get_or_create_personal(*, project: Project, user) -> Layer:
    """The user's own layer in the project, created on first use (members who may write only)."""
    layer = Layer.objects.filter(project=project, kind=Layer.Kind.PERSONAL, owner=user).first()
    if layer is not None:
        return layer
    if role_in(project, user) not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot annotate; ask the project's owner for the annotator role.")
    try:
        with transaction.atomic():
            return Layer.objects.create(
                project=project, kind=Layer.Kind.PERSONAL, owner=user, name=user.get_username()
            )
    except IntegrityError:  # created by a concurrent request
        return Layer.objects.get(project=project, kind=Layer.Kind.PERSONAL, owner=user)


def layer_get_or_create_shared(*, project: Project, kind: str) -> Layer:
    """The project's consensus or answer-key layer, created on first use."""
    assert kind in (Layer.Kind.CONSENSUS, Layer.Kind.ANSWER_KEY)
    name = "Consensus" if kind == Layer.Kind.CONSENSUS else "Answer key"
    try:
        with transaction.atomic():
            layer, _ = Layer.objects.get_or_create(project=project, kind=kind, defaults={"name": name})
    except IntegrityError:
        layer = Layer.objects.get(project=project, kind=kind)
    return layer
