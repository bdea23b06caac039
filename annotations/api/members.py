"""API for a project's people: members and their roles, invitation links, joining with a token.

Objects of projects the caller is not in answer 404; forbidden actions inside a project 403.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api import fields, responses
from annotations.api.inputs import valid_data
from annotations.api.serializers import WholeNumberField
from annotations.errors import NotFound, NotPermitted
from annotations.models import Invitation, Role
from annotations.permissions import can_manage_members, role_in
from annotations.selectors import project_get_for_user
from annotations.selectors.collaboration import invitations_of, members_of
from annotations.services.collaboration import MAX_INVITATION_DAYS, MAX_INVITATION_USES, invitation_problem


class MemberRoleSerializer(serializers.Serializer):
    role = fields.ChoiceField(choices=Role.choices)


class InvitationCreateSerializer(serializers.Serializer):
    role = fields.ChoiceField(choices=Role.choices, default=Role.ANNOTATOR)
    days = WholeNumberField(required=False, default=14, min_value=1, max_value=MAX_INVITATION_DAYS)
    max_uses = WholeNumberField(required=False, default=1, min_value=1, max_value=MAX_INVITATION_USES)
    note = fields.CharField(required=False, allow_blank=True, default="")


class InvitationAcceptSerializer(serializers.Serializer):
    token = fields.CharField()


def _invitation_data(invitation: Invitation, request) -> dict:
    return {
        "id": invitation.pk, "role": invitation.role, "token": invitation.token,
        "url": request.build_absolute_uri(reverse("invitation-accept", args=[invitation.token])),
        "created_by": invitation.created_by.get_username() if invitation.created_by else None,
        "created_at": invitation.created_at.isoformat(), "expires_at": invitation.expires_at.isoformat(),
        "max_uses": invitation.max_uses, "use_count": invitation.use_count,
        "revoked": invitation.revoked_at is not None, "usable": invitation_problem(invitation) is None,
        "note": invitation.note,
    }


class ProjectMembersView(APIView):
    """The project's members and their roles (GET). Nobody is added by name: see ``http_method_not_allowed``."""

    @extend_schema(responses={200: responses.ProjectMembersSerializer})
    def get(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        return Response({
            "project": project.slug,
            "members": [
                {"username": m.user.get_username(), "role": m.role, "joined_at": m.joined_at.isoformat()}
                for m in members_of(project=project)
            ],
        })

    def http_method_not_allowed(self, request, *args, **kwargs):
        """POST is refused for everyone: people join through invitation
        links (or join codes), never by name. There is no ``post`` method, so neither the schema
        nor OPTIONS' Allow header offers one.

        Adding an existing account by username joined people without their consent, and the
        answer told strangers which usernames exist; the same 405 for any name tells nothing.
        Outside the project it is 404, as everywhere.
        """
        slug = kwargs["slug"]
        project_get_for_user(slug=slug, user=request.user)
        if request.method != "POST":
            return super().http_method_not_allowed(request, *args, **kwargs)
        raise MethodNotAllowed("POST", detail=(
            "Members join through an invitation link: create one with "
            f"POST /api/projects/{slug}/invitations/ and send it to them; change a member's role "
            "with PATCH …/members/<username>/."
        ))


class ProjectMemberDetailView(APIView):
    """Change one member's role (PATCH) or remove them (DELETE); owners, or a member leaving."""

    def _member(self, project, username):
        user = get_user_model().objects.filter(username=username, memberships__project=project).first()
        if user is None:
            raise NotFound(f"{username!r} is not a member of this project.")
        return user

    @extend_schema(request=MemberRoleSerializer, responses={200: responses.MemberRoleChangedSerializer})
    def patch(self, request, slug, username):
        project = project_get_for_user(slug=slug, user=request.user)
        data = valid_data(MemberRoleSerializer, request.data)
        user = self._member(project, username)
        membership = services.membership_change_role(project=project, user=user, role=data["role"], by=request.user)
        return Response({"username": user.get_username(), "role": membership.role})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug, username):
        project = project_get_for_user(slug=slug, user=request.user)
        services.membership_remove(project=project, user=self._member(project, username), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectInvitationsView(APIView):
    """Invitation links of the project (owners only): list them, or create one."""

    def _project(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        if not can_manage_members(project, request.user):
            raise NotPermitted("Only the project's owner can see and create invitations.")
        return project

    @extend_schema(responses={200: responses.InvitationsSerializer})
    def get(self, request, slug):
        project = self._project(request, slug)
        return Response({"invitations": [_invitation_data(i, request) for i in invitations_of(project=project)]})

    @extend_schema(request=InvitationCreateSerializer, responses={201: responses.InvitationSerializer})
    def post(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        data = valid_data(InvitationCreateSerializer, request.data)
        invitation = services.invitation_create(project=project, by=request.user, **data)
        return Response(_invitation_data(invitation, request), status=status.HTTP_201_CREATED)


class InvitationRevokeView(APIView):
    """Withdraw an invitation link (owners)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, invitation_id):
        invitation = Invitation.objects.select_related("project").filter(pk=invitation_id).first()
        if invitation is None or role_in(invitation.project, request.user) is None:
            raise NotFound(f"No invitation {invitation_id} in a project you are a member of.")
        services.invitation_revoke(invitation=invitation, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    """Join a project with an invitation's token."""

    @extend_schema(request=InvitationAcceptSerializer, responses={200: responses.JoinedSerializer})
    def post(self, request):
        data = valid_data(InvitationAcceptSerializer, request.data)
        membership = services.invitation_accept(token=data["token"], user=request.user)
        return Response({"project": membership.project.slug, "role": membership.role})
