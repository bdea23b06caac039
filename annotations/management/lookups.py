"""What the commands look up by the name a person typed (a project's slug, a username): the row,
or a ``CommandError`` that names what was not found."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from annotations.models import Project


def project_by_slug(slug: str, *, hint: str = "") -> Project:
    """The project with this slug (``hint``: what to do when there is none)."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise CommandError(f"No project with the slug {slug!r}{hint}.")
    return project


def user_by_name(username: str | None):
    """The user with this username; None when no username was given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user
