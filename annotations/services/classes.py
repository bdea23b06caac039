"""Writes for a class: its join code (open, rotate, close), students joining with it (with
an account, or signing up on the spot without e-mail), and the roster (remove a student,
set a new password for one who forgot theirs).
"""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import JoinCode, Membership, Project, Role
from annotations.models.exercises import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from annotations.permissions import CURATOR_ROLES, check_can_teach, role_in


def normalise_code(raw: str) -> str:
    """What a student typed → the stored code: case, spaces and dashes do not matter, and the
    look-alikes a person may type for a character of the alphabet are read as it (O→0 is not
    in the alphabet, so O, 0 and Q … are left for the lookup to refuse)."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def join_code_open(*, project: Project, user) -> JoinCode:
    """A new join code for the class (closing the current one: rotate). Makes the project a class."""
    check_can_teach(project, user)
    for _ in range(10):
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        try:
            with transaction.atomic():
                JoinCode.objects.filter(project=project, closed_at__isnull=True).update(closed_at=timezone.now())
                join_code = JoinCode.objects.create(project=project, code=code, created_by=user)
                if not project.is_class:
                    Project.objects.filter(pk=project.pk).update(is_class=True)
                    project.is_class = True
                return join_code
        except IntegrityError:  # the same code drawn twice (or a concurrent rotate): draw again
            continue
    raise Conflict("Could not draw a free join code; try again.")


def join_code_close(*, project: Project, user) -> None:
    """Nobody else can join with the code (members stay)."""
    check_can_teach(project, user)
    JoinCode.objects.filter(project=project, closed_at__isnull=True).update(closed_at=timezone.now())


def _open_code(raw: str) -> JoinCode:
    code = normalise_code(raw)
    if not code:
        raise InvalidInput("Type the join code your teacher gave you, e.g. K7Q-4MX.")
    join_code = JoinCode.objects.select_related("project").filter(code=code).first()
    if join_code is None or join_code.closed_at is not None:
        raise NotFound(f"No open class has the code {raw.strip()!r}; check it with your teacher "
                       "(codes use the letters and digits shown on the board, without 0, O, 1 or I).")
    return join_code


def class_join(*, code: str, user) -> Membership:
    """Join the class as a student (a member already keeps their role)."""
    join_code = _open_code(code)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            project=join_code.project, user=user, defaults={"role": Role.ANNOTATOR}
        )
        if created:
            JoinCode.objects.filter(pk=join_code.pk).update(use_count=F("use_count") + 1)
    return membership


def student_sign_up(*, code: str, username: str, password: str) -> Membership:
    """A new account (no e-mail needed) that joins the class at once."""
    join_code = _open_code(code)
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise InvalidInput("Pick a username.")
    candidate = User(username=username)
    try:
        User._meta.get_field("username").run_validators(username)
        validate_password(password or "", user=candidate)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
            membership = Membership.objects.create(project=join_code.project, user=user, role=Role.ANNOTATOR)
            JoinCode.objects.filter(pk=join_code.pk).update(use_count=F("use_count") + 1)
    except IntegrityError:
        raise Conflict(f"The username {username!r} is taken; pick another, or sign in if it is yours.") from None
    return membership


def _student_of(project: Project, student) -> Membership:
    membership = Membership.objects.filter(project=project, user=student).first()
    if membership is None:
        raise NotFound(f"{student.get_username()} is not in this class.")
    if membership.role in CURATOR_ROLES:
        raise InvalidInput(f"{student.get_username()} teaches this class; manage teachers on the members page.")
    return membership


def class_student_remove(*, project: Project, user, student) -> None:
    """Take a student out of the class: they no longer see it; their work stays for the gradebook."""
    check_can_teach(project, user)
    _student_of(project, student).delete()


def class_student_password_set(*, project: Project, user, student, password: str) -> None:
    """Set a new password for a student of the class who forgot theirs."""
    check_can_teach(project, user)
    _student_of(project, student)
    if role_in(project, user) != Role.OWNER and Membership.objects.filter(user=student).exclude(project=project).exists():
        raise NotPermitted(f"{student.get_username()} is also in other projects; only this class's owner can reset their password.")
    try:
        validate_password(password or "", user=student)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from None
    student.set_password(password)
    student.save(update_fields=["password"])
