"""Who may see and change what: one place for every role rule, used by pages, API and services.

Roles (``Role``): owner > curator > annotator > viewer. Outside a project you see nothing
of it (callers answer 404, not 403). Inside it:
- everyone reads the documents and their own layers; the personal and consensus layers of
  others too, except in a class (``Project.is_class``), where students see them only when the
  teacher shares them (``class_layers_shared``);
- exercises (a class's teacher = curator or owner; students = annotators and viewers): a
  student writes their own work layer of an exercise until it is submitted (a trigger
  enforces it), reads classmates' work only after the due date if the exercise says so, and
  reads the exercise's key only once its feedback is theirs to see (feedback mode
  ``immediate`` after submitting, ``release`` once released); curators read and write keys;
- annotators, curators and owners write their own personal layer;
- curators and owners also write the consensus and answer-key layers, read answer keys,
  and add documents;
- owners manage members and roles.
Superusers are operators: they read and change everything.
"""
from __future__ import annotations

from annotations.models import Layer, Membership, Project, Role

WRITER_ROLES = {Role.OWNER, Role.CURATOR, Role.ANNOTATOR}
CURATOR_ROLES = {Role.OWNER, Role.CURATOR}


def role_in(project: Project | int, user) -> str | None:
    """The user's role in the project, or None; cached per user object for the request."""
    if user is None or not user.is_authenticated:
        return None
    project_id = project if isinstance(project, int) else project.pk
    cache = user.__dict__.setdefault("_argmap_roles", {})
    if project_id not in cache:
        cache[project_id] = (
            Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()
        )
    if cache[project_id] is None and user.is_superuser:
        return Role.OWNER
    return cache[project_id]


def remember_roles(user, roles: dict[int, str]) -> None:
    """Prime the role cache from a query that already fetched the memberships."""
    if user is not None and user.is_authenticated:
        user.__dict__.setdefault("_argmap_roles", {}).update(roles)


def can_view_project(project, user) -> bool:
    return role_in(project, user) is not None


def can_add_documents(project, user) -> bool:
    return role_in(project, user) in CURATOR_ROLES


def can_manage_members(project, user) -> bool:
    return role_in(project, user) == Role.OWNER


def can_view_layer(layer: Layer, user) -> bool:
    role = role_in(layer.project_id, user)
    if role is None:
        return False
    if role in CURATOR_ROLES or (layer.owner_id is not None and layer.owner_id == user.pk):
        return True
    if layer.kind == Layer.Kind.ANSWER_KEY:
        return False
    from annotations.selectors.visibility import readable_layers

    return Layer.objects.filter(pk=layer.pk, pk__in=readable_layers(user)).exists()


def can_edit_layer(layer: Layer, user) -> bool:
    role = role_in(layer.project_id, user)
    if role is None:
        return False
    if layer.kind in (Layer.Kind.PERSONAL, Layer.Kind.EXERCISE_WORK):
        return layer.owner_id == user.pk and role in WRITER_ROLES or (user.is_superuser and layer.owner_id == user.pk)
    return role in CURATOR_ROLES


def can_teach(project, user) -> bool:
    """Sets exercises, sees the class's work and grades: the class's curators and owner."""
    return role_in(project, user) in CURATOR_ROLES
