"""Pages for a project's people: members and their roles, invitation links, joining by link.

Each view parses the request, calls one selector or service and renders; refusals a person
can mend are shown as a message on the page they came from.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations import params, services
from annotations.errors import ArgmapError, Conflict, NotFound
from annotations.models import Invitation, Role
from annotations.pages import SHOWN_ON_PAGE
from annotations.permissions import can_manage_members, role_in
from annotations.selectors import project_get_for_user
from annotations.selectors.collaboration import invitations_of, members_of
from annotations.services.collaboration import invitation_get_by_token, invitation_problem
from annotations.services.throttle import Throttled, signup_attempt_reserve
from annotations.signin_limits import client_address, refusal


@login_required
def project_members(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    is_owner = can_manage_members(project, request.user)
    return render(request, "annotations/project_members.html", {
        "project": project,
        "members": members_of(project=project),
        "invitations": [
            (invitation, invitation_problem(invitation),
             request.build_absolute_uri(reverse("invitation-accept", args=[invitation.token])))
            for invitation in invitations_of(project=project)
        ] if is_owner else [],
        "is_owner": is_owner,
        "role": role_in(project, request.user),
        "roles": Role.choices,
    })


def _member_from_post(request, project):
    user = get_user_model().objects.filter(username=request.POST.get("username", ""), memberships__project=project).first()
    if user is None:
        raise NotFound(f"{request.POST.get('username', '')!r} is not a member of this project.")
    return user


@login_required
@require_POST
def project_member_role(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    user = _member_from_post(request, project)
    try:
        services.membership_change_role(project=project, user=user, role=request.POST.get("role", ""), by=request.user)
        messages.success(request, f"{user.get_username()} is now {request.POST.get('role')}.")
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def project_member_remove(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    user = _member_from_post(request, project)
    leaving = user.pk == request.user.pk
    try:
        services.membership_remove(project=project, user=user, by=request.user)
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
        return redirect("project-members", slug=slug)
    if leaving:
        messages.success(request, f"You left {project.name}.")
        return redirect("project-list")
    messages.success(request, f"{user.get_username()} was removed from the project; their layer stays.")
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def invitation_create(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    try:
        days = params.whole_number(request.POST.get("days") or "14", name="days")
        max_uses = params.whole_number(request.POST.get("max_uses") or "1", name="max_uses", what="a number of people")
        invitation = services.invitation_create(
            project=project, by=request.user, role=request.POST.get("role", Role.ANNOTATOR), days=days,
            max_uses=max_uses, note=request.POST.get("note", ""),
        )
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
        return redirect("project-members", slug=slug)
    messages.success(request, f"New invitation link ({invitation.get_role_display().lower()}) created below.")
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    project = project_get_for_user(slug=slug, user=request.user)
    invitation = Invitation.objects.select_related("project").filter(pk=invitation_id, project=project).first()
    if invitation is None:
        raise NotFound(f"No invitation {invitation_id} in this project.")
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, "The invitation link no longer works.")
    return redirect("project-members", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Signed in: accept. Signed out: sign up here (or sign in and come back)."""
    invitation = invitation_get_by_token(token)
    problem = invitation_problem(invitation)
    member_role = role_in(invitation.project_id, request.user) if request.user.is_authenticated else None
    error = None
    form = {"username": "", "email": ""}
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.invitation_accept(token=token, user=request.user)
            else:
                form = {"username": request.POST.get("username", ""), "email": request.POST.get("email", "")}
                # Only with a valid link, and rate-limited per address: the "username is taken"
                # answer is no oracle for strangers.
                if problem:
                    raise Conflict(problem)
                signup_attempt_reserve(address=client_address(request))
                user = services.user_sign_up(
                    token=token, username=form["username"], email=form["email"],
                    password=request.POST.get("password", ""), password_again=request.POST.get("password_again", ""),
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.project.name}.")
            return redirect("project-detail", slug=invitation.project.slug)
        except Throttled as refused:
            return refusal(request, refused, api=False)
        except ArgmapError as failure:
            error = failure.message
    return render(request, "annotations/invitation.html", {
        "invitation": invitation, "problem": problem, "member_role": member_role, "error": error, "form": form,
    }, status=400 if error else 200)
