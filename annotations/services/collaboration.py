"""Writes on who belongs to a project: invitations by link, accepting them (signed in, or
signing up through the link), changing roles and removing members.

Rules: only the owner manages members and invitations; a project always keeps at least
one owner; a member may leave on their own (unless they are the last owner).
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import Invitation, Membership, Project, Role
from annotations.permissions import can_manage_members

DEFAULT_INVITATION_DAYS = 14
MAX_INVITATION_DAYS = 365
MAX_INVITATION_USES = 500


def _check_owner(project: Project, by) -> None:
    if not can_manage_members(project, by):
        raise NotPermitted("Only the project's owner can manage its members and invitations.")


def _forget_roles(user) -> None:
    user.__dict__.pop("_argmap_roles", None)


def invitation_create(
    *, project: Project, by, role: str, days: int = DEFAULT_INVITATION_DAYS, max_uses: int = 1, note: str = ""
) -> Invitation:
    """A new invitation link into ``project`` with ``role``, valid ``days`` days for ``max_uses`` people."""
    _check_owner(project, by)
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; choose from {', '.join(Role.values)}.")
    if not isinstance(days, int) or not 1 <= days <= MAX_INVITATION_DAYS:
        raise InvalidInput(f"An invitation is valid for 1 to {MAX_INVITATION_DAYS} days, not {days!r}.")
    if not isinstance(max_uses, int) or not 1 <= max_uses <= MAX_INVITATION_USES:
        raise InvalidInput(f"An invitation can be used by 1 to {MAX_INVITATION_USES} people, not {max_uses!r}.")
    invitation = Invitation(
        project=project, token=secrets.token_urlsafe(24), role=role, created_by=by,
        expires_at=timezone.now() + timedelta(days=days), max_uses=max_uses, note=(note or "").strip()[:200],
    )
    invitation.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        invitation.save()
    return invitation


def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Stop an invitation link from working (members who already joined stay)."""
    _check_owner(invitation.project, by)
    with transaction.atomic():
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
    return current


def invitation_problem(invitation: Invitation, now=None) -> str | None:
    """Why the invitation cannot be used now, or None when it can."""
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        return "This invitation was withdrawn by the project's owner; ask them for a new link."
    if invitation.expires_at <= now:
        return f"This invitation expired on {invitation.expires_at:%Y-%m-%d}; ask the project's owner for a new link."
    if invitation.use_count >= invitation.max_uses:
        return "This invitation has already been used; ask the project's owner for a new link."
    return None


def invitation_get_by_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("project", "created_by").filter(token=token or "").first()
    if invitation is None:
        raise NotFound("No such invitation; check the link, or ask the project's owner for a new one.")
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    """Join the invitation's project with its role. A member already in the project keeps
    their role and the link keeps its remaining uses."""
    if user is None or not user.is_authenticated:
        raise NotPermitted("Sign in or sign up to accept an invitation.")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token or "").first()
        if invitation is None:
            raise NotFound("No such invitation; check the link, or ask the project's owner for a new one.")
        existing = Membership.objects.filter(project_id=invitation.project_id, user=user).first()
        if existing is not None:
            return existing
        problem = invitation_problem(invitation)
        if problem:
            raise Conflict(problem)
        membership = Membership.objects.create(project_id=invitation.project_id, user=user, role=invitation.role)
        invitation.use_count += 1
        invitation.save(update_fields=["use_count"])
    _forget_roles(user)
    return membership


def user_sign_up(*, token: str, username: str, email: str, password: str, password_again: str):
    """Create an account through an invitation link and join its project, in one transaction."""
    invitation = invitation_get_by_token(token)
    problem = invitation_problem(invitation)
    if problem:
        raise Conflict(problem)
    User = get_user_model()
    username = (username or "").strip()
    email = (email or "").strip()
    if not username:
        raise InvalidInput("Choose a username.")
    user = User(username=username, email=email)
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(f"{field}: {messages[0]}") from None
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"The username {username!r} is taken; choose another, or sign in if it is yours.")
    if password != password_again:
        raise InvalidInput("The two passwords differ; type the same password twice.")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            invitation_accept(token=token, user=user)
    except IntegrityError:  # another sign-up took the same name between the check and the save
        raise Conflict(f"The username {username!r} is taken; choose another, or sign in if it is yours.") from None
    return user


def _other_owners(project: Project, user) -> bool:
    return Membership.objects.filter(project=project, role=Role.OWNER).exclude(user=user).exists()


def membership_change_role(*, project: Project, user, role: str, by) -> Membership:
    """Change a member's role (owners only); the last owner cannot step down."""
    _check_owner(project, by)
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; choose from {', '.join(Role.values)}.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
        if membership is None:
            raise NotFound(f"{user.get_username()} is not a member of this project.")
        if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(project, user):
            raise Conflict("A project needs an owner: make someone else owner before changing this role.")
        membership.role = role
        membership.save(update_fields=["role"])
    _forget_roles(user)
    return membership


def membership_remove(*, project: Project, user, by) -> None:
    """Remove a member (owners), or leave a project (anyone, for themselves). Their layer stays."""
    if by is None or by.pk != user.pk:
        _check_owner(project, by)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
        if membership is None:
            raise NotFound(f"{user.get_username()} is not a member of this project.")
        if membership.role == Role.OWNER and not _other_owners(project, user):
            raise Conflict("A project needs an owner: make someone else owner before removing this one.")
        membership.delete()
    _forget_roles(user)
