"""Template helpers for the page chrome: whether to offer the curation views to the viewer.

The role comes from ``permissions.role_in``, cached on the user for the request, so a page
that already checked the member's access runs no extra query for it.
"""
from __future__ import annotations

from django import template

from annotations.permissions import CURATOR_ROLES, role_in

register = template.Library()


@register.filter
def can_curate(project, user) -> bool:
    """``{% if project|can_curate:user %}``: owners and curators curate; others get a 403 there."""
    return role_in(project.pk, user) in CURATOR_ROLES
