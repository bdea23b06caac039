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

The layer rule is written once, as SQL in ``selectors.visibility`` (``readable_layers``), which
``can_view_layer`` asks; ``can_read_layer`` is its answer-key part for a row already in hand.
"""
from __future__ import annotations

from django.db.models import OuterRef, Subquery

from annotations.errors import NotPermitted
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


def role_subquery(user, project_ref: str) -> Subquery:
    """The user's role in the project at ``project_ref`` of the outer query (None: not a member),
    for selectors that fetch the role with the row; they hand it to ``remember_roles``."""
    return Subquery(Membership.objects.filter(project=OuterRef(project_ref), user=user).values("role")[:1])


def role_sql(project_column: str, user_parameter: str = "%(user)s") -> str:
    """``role_subquery`` for the hand-written SQL of the hot paths (``selectors.spans``)."""
    table = Membership._meta.db_table
    return f'(SELECT m.role FROM "{table}" m WHERE m.project_id = {project_column} AND m.user_id = {user_parameter})'


def remember_roles(user, roles: dict[int, str]) -> None:
    """Prime the role cache from a query that already fetched the memberships."""
    if user is not None and user.is_authenticated:
        user.__dict__.setdefault("_argmap_roles", {}).update(roles)


def can_add_documents(project, user) -> bool:
    return role_in(project, user) in CURATOR_ROLES


def can_manage_members(project, user) -> bool:
    return role_in(project, user) == Role.OWNER


def can_read_layer(role: str | None, kind: str, *, is_superuser: bool = False) -> bool:
    """May someone with ``role`` in a project (None: not a member) read its layers of ``kind``?"""
    if role is None:
        return is_superuser
    return kind != Layer.Kind.ANSWER_KEY or role in CURATOR_ROLES


def can_view_layer(layer: Layer, user) -> bool:
    role = role_in(layer.project_id, user)
    if role is None:
        return False
    if role in CURATOR_ROLES or (layer.owner_id is not None and layer.owner_id == user.pk):
        return True
    if layer.kind == Layer.Kind.ANSWER_KEY:
        return False
    from annotations.selectors.visibility import readable_layers  # noqa: the classroom rule lives in SQL there

    return Layer.objects.filter(pk=layer.pk, pk__in=readable_layers(user)).exists()


def can_curate(project: Project | int, user) -> bool:
    return role_in(project, user) in CURATOR_ROLES


def check_can_curate(project: Project | int, user) -> None:
    """The one "curators only" check of the consensus: pages, API and services call it."""
    if not can_curate(project, user):
        raise NotPermitted("Only curators and the project's owner can curate the consensus.")


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
