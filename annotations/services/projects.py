"""Writes on projects and memberships."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, Label, Membership, Project, Role
from annotations.models.projects import DEFAULT_LABELS
from annotations.permissions import can_manage_members
from annotations.services.text import check_storable_text


def project_create(*, name: str, creator, slug: str = "", labels: list[str] | None = None, description: str = "") -> Project:
    """Create a project with ``creator`` as its owner."""
    name = name.strip()
    if not name:
        raise InvalidInput("A project needs a name.")
    slug = slug.strip() or slugify(name)[:80]
    if not slug:
        raise InvalidInput(f"Cannot make a URL name from {name!r}; give a slug of letters, digits and dashes.")
    labels = list(labels) if labels else list(DEFAULT_LABELS)
    unknown = [label for label in labels if label not in Label.values]
    if unknown:
        raise InvalidInput(f"Unknown label(s) {', '.join(unknown)}; choose from {', '.join(Label.values)}.")
    project = Project(name=name, slug=slug, labels=labels, description=description)
    _clean(project)
    try:
        with transaction.atomic():
            project.save()
            Membership.objects.create(project=project, user=creator, role=Role.OWNER)
    except IntegrityError:
        raise Conflict(f"A project with the slug {slug!r} already exists; choose another slug.") from None
    return project


def _clean(project: Project) -> None:
    """The model's own checks (name at most 200 characters, a slug of letters, digits and dashes)
    as InvalidInput naming the field, and no NUL character in the name or description."""
    check_storable_text(project.name, what="The project's name")
    check_storable_text(project.description, what="The project's description")
    try:
        project.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(f"{field}: {messages[0]}") from None


def membership_set(*, project: Project, user, role: str, by=None) -> Membership:
    """Give ``user`` the ``role`` in ``project`` (adding them if needed). ``by`` must be an owner.

    ``by=None`` is for operator commands (demo data, the shell), which have no request user.
    """
    if by is not None and not can_manage_members(project, by):
        raise NotPermitted("Only the project's owner can change its members.")
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; choose from {', '.join(Role.values)}.")
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(project=project, user=user).first()
        if (
            current is not None and current.role == Role.OWNER and role != Role.OWNER
            and not Membership.objects.filter(project=project, role=Role.OWNER).exclude(user=user).exists()
        ):
            raise Conflict("A project needs an owner: make someone else owner before changing this role.")
        membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    user.__dict__.pop("_argmap_roles", None)
    return membership


def project_update(
    *, project: Project, user, name: str | None = None, description: str | None = None, labels: list[str] | None = None
) -> Project:
    """Rename a project, change its description or its labels (owners only).

    A label still used by spans in the project cannot be dropped: those spans would lose their meaning.
    """
    if not can_manage_members(project, user):
        raise NotPermitted("Only the project's owner can change its name, description or labels.")
    if name is not None:
        if not name.strip():
            raise InvalidInput("A project needs a name.")
        project.name = name.strip()
    if description is not None:
        project.description = description
    with transaction.atomic():
        if labels is not None:
            labels = list(dict.fromkeys(labels))
            if not labels:
                raise InvalidInput("A project needs at least one label.")
            unknown = [label for label in labels if label not in Label.values]
            if unknown:
                raise InvalidInput(f"Unknown label(s) {', '.join(unknown)}; choose from {', '.join(Label.values)}.")
            dropped = [label for label in project.labels if label not in labels]
            in_use = (
                Annotation.objects.filter(layer__project=project, label__in=dropped)
                .values_list("label").distinct().order_by("label")
            ) if dropped else []
            in_use = [label for (label,) in in_use]
            if in_use:
                raise Conflict(
                    f"Label(s) {', '.join(in_use)} are still used by spans in this project; "
                    "change or delete those spans before dropping the label."
                )
            project.labels = labels
        _clean(project)
        project.save(update_fields=["name", "description", "labels"])
    return project


def project_delete(*, project: Project, user) -> None:
    """Delete a project with its documents, layers and spans (owners only)."""
    if not can_manage_members(project, user):
        raise NotPermitted("Only the project's owner can delete it.")
    with transaction.atomic():
        project.delete()
