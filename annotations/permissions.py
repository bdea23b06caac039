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

The layer rule is written once, here, as SQL (``READABLE_LAYERS_SQL``): the list querysets
(``selectors.visibility``), the hand-written list queries (``selectors.span_lists``) and
``can_view_layer`` all filter by it; ``can_read_layer`` is its answer-key part for a row
already in hand, and ``can_know_of_layer`` its part for a write (what a write may be told exists).
"""
from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL

from annotations.errors import NotPermitted
from annotations.models import Exercise, Layer, Membership, Project, Role, Submission

WRITER_ROLES = {Role.OWNER, Role.CURATOR, Role.ANNOTATOR}
CURATOR_ROLES = {Role.OWNER, Role.CURATOR}

_MEMBERSHIP = Membership._meta.db_table
_LAYER = Layer._meta.db_table
_PROJECT = Project._meta.db_table
_EXERCISE = Exercise._meta.db_table
_SUBMISSION = Submission._meta.db_table
_CURATOR_ROLES = ", ".join(f"'{role}'" for role in sorted(CURATOR_ROLES))
# The projects a user is a member of. Parameter: the user's id.
MEMBER_PROJECTS_SQL = f'SELECT m.project_id FROM "{_MEMBERSHIP}" m WHERE m.user_id = %s'
# The one layer rule (the module's docstring says it in words). Parameters: the user's id, three times.
READABLE_LAYERS_SQL = f"""SELECT l.id FROM "{_LAYER}" l
JOIN "{_MEMBERSHIP}" m ON m.project_id = l.project_id AND m.user_id = %s
JOIN "{_PROJECT}" p ON p.id = l.project_id
LEFT JOIN "{_EXERCISE}" e ON e.id = l.exercise_id
WHERE m.role IN ({_CURATOR_ROLES})
   OR l.owner_id = %s
   OR (l.kind IN ('personal', 'consensus') AND (NOT p.is_class OR p.class_layers_shared))
   OR (l.kind = 'exercise_work' AND e.classmates_visible IN ('named', 'anonymous') AND e.due_at < now())
   OR (l.kind = 'exercise_key' AND (
         (e.feedback_mode = 'release' AND e.released_at IS NOT NULL)
         OR (e.feedback_mode = 'immediate' AND EXISTS (
               SELECT 1 FROM "{_SUBMISSION}" s WHERE s.exercise_id = e.id AND s.student_id = %s AND s.status = 'submitted'))))"""
# Classmates' work a reader sees under pseudonyms (selectors.pseudonyms). Parameters: the user's id, twice.
MASKED_LAYERS_SQL = f"""SELECT l.id FROM "{_LAYER}" l JOIN "{_EXERCISE}" e ON e.id = l.exercise_id
WHERE l.kind = 'exercise_work' AND e.classmates_visible = 'anonymous' AND e.due_at < now() AND l.owner_id <> %s
  AND l.project_id NOT IN (SELECT m.project_id FROM "{_MEMBERSHIP}" m WHERE m.user_id = %s AND m.role IN ({_CURATOR_ROLES}))"""


def member_projects(user) -> RawSQL:
    """The ids of the user's projects, as a subquery (``project_id__in=member_projects(user)``)."""
    return RawSQL(MEMBER_PROJECTS_SQL, [user.pk])


def readable_layers(user) -> RawSQL:
    """The ids of the layers the user may read, as a subquery (``layer_id__in=readable_layers(user)``)."""
    return RawSQL(READABLE_LAYERS_SQL, [user.pk] * READABLE_LAYERS_SQL.count("%s"))


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
    """``READABLE_LAYERS_SQL`` for one layer; its first clauses (a curator, the layer's owner,
    and no one else for a project's answer key) are answered from the cached role, no query."""
    role = role_in(layer.project_id, user)
    if role is None:
        return False
    if role in CURATOR_ROLES or (layer.owner_id is not None and layer.owner_id == user.pk):
        return True
    if layer.kind == Layer.Kind.ANSWER_KEY:
        return False
    return Layer.objects.filter(pk=layer.pk, pk__in=readable_layers(user)).exists()


def can_know_of_layer(role: str | None, user, layer_kind: str | None = None, layer_owner: int | None = None,
                      project: Project | None = None) -> bool:
    """Whether a write may be told that an object of a layer exists (else 404): the part of
    the read rule a write needs, from the role and the row in hand. Another student's
    exercise work, an exercise key and, in a class, classmates' layers are not there for a student."""
    if role is None:
        return bool(user.is_superuser)
    if role in CURATOR_ROLES or layer_kind is None or layer_owner == user.pk:
        return True
    if layer_kind in (Layer.Kind.ANSWER_KEY, Layer.Kind.EXERCISE_KEY, Layer.Kind.EXERCISE_WORK):
        return False
    return project is None or not project.is_class or project.class_layers_shared


def can_read_suggestions(document, user) -> bool:
    """spaCy's suggestions on ``document`` (a member's to read): in a class, not for students
    while an exercise on the document hides them, since a key drafted from the suggestions
    would be read off them. One query for a class's student, none otherwise."""
    role = role_in(document.project_id, user)
    if role is None:
        return bool(user.is_superuser)
    if role in CURATOR_ROLES or not document.project.is_class:
        return True
    return not Exercise.objects.filter(documents=document, show_suggestions=False).exists()


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


def check_can_teach(project, user) -> None:
    """The one "teachers only" check of a class: pages, API and services call it."""
    if not can_teach(project, user):
        raise NotPermitted("Only the class's teacher (its owner or a curator) can do this.")
