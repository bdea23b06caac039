"""API for working together: a document's layers and the changes feed, comments, activity,
agreement, curation of the consensus, members and invitations.

Each view parses input, calls one selector or service and renders; the rules live there.
Objects of projects the caller is not in answer 404; forbidden actions inside a project 403.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api.serializers import MembershipSerializer
from annotations.api.views import _get_or_404, _valid
from annotations.errors import InvalidInput, NotFound
from annotations.models import Comment, Invitation, Role
from annotations.permissions import can_manage_members
from annotations.selectors import document_get_for_user, layer_get_for_user, project_get_for_user
from annotations.selectors.agreement import document_agreement_get, project_agreement_get
from annotations.selectors.collaboration import (
    activity_list,
    changes_since,
    comments_for_document,
    invitations_of,
    members_of,
    parse_cursor,
)
from annotations.selectors.curation import curation_get, relation_for_pick
from annotations.selectors.layers import (
    document_layers_with_counts,
    layer_spans_get,
    layers_compare,
    parse_layer_ids,
    visible_layers_by_id,
)
from annotations.selectors.visibility import visible_annotations
from annotations.services.changes import comment_payload


def _document(request, document_id):
    return document_get_for_user(document_id=document_id, user=request.user)


def _flag(raw) -> bool | None:
    if raw in (None, ""):
        return None
    if str(raw).lower() in {"1", "true", "yes"}:
        return True
    if str(raw).lower() in {"0", "false", "no"}:
        return False
    raise InvalidInput(f"Expected true or false, not {raw!r}.")


# ---- layers, live changes, activity ---------------------------------------------------------

class DocumentLayersView(APIView):
    """The layers of the document's project you may read, with their span and relation counts here."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, document_id):
        document = _document(request, document_id)
        layers = document_layers_with_counts(document=document, user=request.user)
        return Response({
            "document": document.pk,
            "layers": [
                {
                    "id": layer.pk, "name": layer.name, "kind": layer.kind,
                    "owner": layer.owner.get_username() if layer.owner_id else None,
                    "mine": layer.owner_id == request.user.pk,
                    "spans": layer.span_count, "relations": layer.relation_count,
                }
                for layer in layers
            ],
        })


class DocumentLayerSpansView(APIView):
    """One layer's spans and relations in the document (for showing another person's layer)."""

    @extend_schema(operation_id="documents_layer_spans_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, document_id, layer_id):
        document = _document(request, document_id)
        layer = layer_get_for_user(layer_id=layer_id, user=request.user)
        if layer.project_id != document.project_id:
            raise NotFound(f"No layer {layer_id} in this document's project.")
        return Response(layer_spans_get(document=document, layer=layer))


class DocumentCompareView(APIView):
    """Two layers side by side: spans both drew, drew with another label, or drew alone."""

    @extend_schema(
        parameters=[
            OpenApiParameter("first", int, required=True), OpenApiParameter("second", int, required=True),
            OpenApiParameter("match", str, enum=["exact", "overlap"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, document_id):
        document = _document(request, document_id)
        ids = parse_layer_ids([request.query_params.get("first", ""), request.query_params.get("second", "")])
        if not ids or len(ids) != 2:
            raise InvalidInput("Give two layer ids: ?first=<id>&second=<id>.")
        first, second = visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=ids)
        return Response(layers_compare(document=document, first=first, second=second,
                                       match=request.query_params.get("match", "exact")))


class DocumentChangesView(APIView):
    """Changes to spans, relations and comments after ``since`` (a cursor from an earlier answer).

    Without ``since``: only the current cursor. Poll with the returned cursor; when ``more``
    is true, ask again at once.
    """

    @extend_schema(parameters=[OpenApiParameter("since", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, document_id):
        document = _document(request, document_id)
        return Response(changes_since(document=document, user=request.user, since=parse_cursor(request.query_params.get("since"))))


class DocumentActivityView(APIView):
    """The document's latest changes, newest first (at most ``limit``, default 100)."""

    @extend_schema(parameters=[OpenApiParameter("limit", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, document_id):
        document = _document(request, document_id)
        try:
            limit = max(1, min(500, int(request.query_params.get("limit", 100))))
        except ValueError:
            raise InvalidInput("limit must be a whole number.") from None
        events = activity_list(document=document, user=request.user, limit=limit)
        return Response({
            "document": document.pk,
            "events": [
                {
                    "id": event.pk, "kind": event.kind, "action": event.action, "object_id": event.object_id,
                    "layer": event.layer_id, "layer_name": event.layer.name if event.layer else None,
                    "actor": event.actor.get_username() if event.actor else None,
                    "at": event.created_at.isoformat(), "data": event.payload,
                }
                for event in events
            ],
        })


# ---- comments ---------------------------------------------------------------------------------

class CommentCreateSerializer(serializers.Serializer):
    annotation = serializers.IntegerField(help_text="The span's id.")
    body = serializers.CharField(trim_whitespace=False, help_text="Text; @username mentions a project member.")


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, trim_whitespace=False)
    resolved = serializers.BooleanField(required=False)


def _comment_data(comment: Comment) -> dict:
    return comment_payload(comment, sorted(user.get_username() for user in comment.mentions.all()))


class DocumentCommentsView(APIView):
    """Comments on the document's spans you may see; filter with ``annotation`` and ``resolved``."""

    @extend_schema(
        parameters=[OpenApiParameter("annotation", int), OpenApiParameter("resolved", bool)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, document_id):
        document = _document(request, document_id)
        annotation = request.query_params.get("annotation")
        if annotation not in (None, "") and not str(annotation).isdigit():
            raise InvalidInput("annotation must be a span id.")
        comments = comments_for_document(
            document=document, user=request.user,
            annotation_id=int(annotation) if annotation else None,
            resolved=_flag(request.query_params.get("resolved")),
        )
        return Response({"document": document.pk, "comments": [_comment_data(c) for c in comments]})


class CommentListCreateView(APIView):
    """Post a comment on a span."""

    @extend_schema(request=CommentCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(CommentCreateSerializer, request.data)
        annotation = _get_or_404(visible_annotations(request.user).select_related("layer__project"), data["annotation"], "span")
        comment = services.comment_create(annotation=annotation, user=request.user, body=data["body"])
        return Response(_comment_data(comment), status=status.HTTP_201_CREATED)


class MentionsView(APIView):
    """Comments that mention you (@your-username), newest first, in projects you are still in."""

    @extend_schema(parameters=[OpenApiParameter("limit", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from annotations.selectors.collaboration import mentions_of

        try:
            limit = max(1, min(200, int(request.query_params.get("limit", 50))))
        except ValueError:
            raise InvalidInput("limit must be a whole number.") from None
        comments = mentions_of(request.user)[:limit]
        return Response({"comments": [_comment_data(comment) | {"quote": comment.annotation.quote} for comment in comments]})


class CommentDetailView(APIView):
    """Change a comment's text or resolved state; delete it."""

    def _comment(self, request, comment_id) -> Comment:
        comment = (
            Comment.objects.select_related("annotation__layer__project", "author", "resolved_by")
            .filter(pk=comment_id).first()
        )
        visible = comment is not None and visible_annotations(request.user).filter(pk=comment.annotation_id).exists()
        if not visible:
            raise NotFound(f"No comment {comment_id} in a project you are a member of.")
        return comment

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, comment_id):
        return Response(_comment_data(self._comment(request, comment_id)))

    @extend_schema(request=CommentUpdateSerializer, responses={200: OpenApiTypes.OBJECT})
    def patch(self, request, comment_id):
        comment = self._comment(request, comment_id)
        data = _valid(CommentUpdateSerializer, request.data)
        if not data:
            raise InvalidInput("Send body and/or resolved.")
        if "body" in data:
            comment = services.comment_update(comment=comment, user=request.user, body=data["body"])
        if "resolved" in data:
            comment = services.comment_set_resolved(comment=comment, user=request.user, resolved=data["resolved"])
        return Response(_comment_data(comment))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, comment_id):
        services.comment_delete(comment=self._comment(request, comment_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- agreement ----------------------------------------------------------------------------------

AGREEMENT_PARAMETERS = [
    OpenApiParameter("layers", str, description="Layer ids separated by commas (default: every annotator's layer with spans)."),
    OpenApiParameter("overlap", float, description="Overlap threshold for overlap matching (default 0.5)."),
]


class DocumentAgreementView(APIView):
    """Pairwise and group agreement of layers of one document (see NOTES for the metrics)."""

    @extend_schema(parameters=AGREEMENT_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, document_id):
        document = _document(request, document_id)
        view = document_agreement_get(
            document=document, user=request.user, layer_ids=parse_layer_ids(request.query_params.get("layers")),
            overlap_threshold=request.query_params.get("overlap", 0.5),
        )
        return Response(view.to_dict())


class ProjectAgreementView(APIView):
    """Agreement of layers over every document of a project (counts summed over documents)."""

    @extend_schema(parameters=AGREEMENT_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        view = project_agreement_get(
            project=project, user=request.user, layer_ids=parse_layer_ids(request.query_params.get("layers")),
            overlap_threshold=request.query_params.get("overlap", 0.5),
        )
        return Response(view.to_dict())


# ---- curation -------------------------------------------------------------------------------------

class MergeSerializer(serializers.Serializer):
    layers = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="Annotator layer ids (default: all with spans).")
    share = serializers.CharField(required=False, default="all", help_text="'all' or a share in (0, 1].")
    match = serializers.ChoiceField(choices=["exact", "overlap"], required=False, default="exact")
    replace = serializers.BooleanField(required=False, default=False, help_text="Empty this document's consensus first.")


class PickSerializer(serializers.Serializer):
    annotation = serializers.IntegerField(help_text="The candidate span's id.")
    label = serializers.CharField(required=False, help_text="Pick with another label.")
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=0)


class PickRelationSerializer(serializers.Serializer):
    relation = serializers.IntegerField(help_text="The candidate relation's id.")


def _require_curator(document, user):
    from annotations.permissions import CURATOR_ROLES, role_in
    from annotations.errors import NotPermitted

    if role_in(document.project_id, user) not in CURATOR_ROLES:
        raise NotPermitted("Only curators and the project's owner can curate the consensus.")


class DocumentCurationView(APIView):
    """The automatic merge and the open disagreements of the chosen annotators' layers (curators)."""

    @extend_schema(
        parameters=[OpenApiParameter("layers", str), OpenApiParameter("share", str), OpenApiParameter("match", str)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, document_id):
        document = _document(request, document_id)
        _require_curator(document, request.user)
        return Response(curation_get(
            document=document, user=request.user, layer_ids=parse_layer_ids(request.query_params.get("layers")),
            share=request.query_params.get("share", "all"), match=request.query_params.get("match", "exact"),
        ))


class ConsensusMergeView(APIView):
    """Store the automatic merge into the document's consensus layer."""

    @extend_schema(request=MergeSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, document_id):
        from annotations.selectors.curation import annotator_layers, parse_share

        document = _document(request, document_id)
        data = _valid(MergeSerializer, request.data)
        if data.get("layers"):
            layers = visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=data["layers"])
        else:
            layers = annotator_layers(document=document)
        outcome = services.consensus_merge(
            document=document, layers=layers, user=request.user, min_agreement=parse_share(data["share"]),
            match=data["match"], replace=data["replace"],
        )
        return Response({
            "consensus_layer": outcome.consensus.pk, "spans_added": outcome.spans_added,
            "spans_kept": outcome.spans_kept, "spans_removed": outcome.spans_removed,
            "relations_added": outcome.relations_added, "disagreements": len(outcome.curation.disagreements),
        })


class ConsensusPickView(APIView):
    """Copy a candidate span (optionally relabelled or re-bounded) into the consensus."""

    @extend_schema(request=PickSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, document_id):
        from annotations.api.serializers import AnnotationSerializer

        document = _document(request, document_id)
        data = _valid(PickSerializer, request.data)
        source = _get_or_404(
            visible_annotations(request.user).select_related("layer__project", "paragraph").filter(document=document),
            data["annotation"], "span",
        )
        picked = services.consensus_pick(
            document=document, source=source, user=request.user, label=data.get("label"),
            start=data.get("start"), end=data.get("end"),
        )
        return Response(AnnotationSerializer(picked).data, status=status.HTTP_201_CREATED)


class ConsensusPickRelationView(APIView):
    """Copy a candidate relation into the consensus (both ends must be there already)."""

    @extend_schema(request=PickRelationSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, document_id):
        from annotations.api.serializers import RelationSerializer

        document = _document(request, document_id)
        data = _valid(PickRelationSerializer, request.data)
        relation = relation_for_pick(document=document, relation_id=data["relation"], user=request.user)
        picked = services.consensus_pick_relation(document=document, relation=relation, user=request.user)
        return Response(RelationSerializer(picked).data, status=status.HTTP_201_CREATED)


class AnswerKeyFromConsensusView(APIView):
    """Replace the document's answer key with a copy of its consensus."""

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, document_id):
        document = _document(request, document_id)
        key = services.answer_key_from_consensus(document=document, user=request.user)
        return Response({"answer_key_layer": key.pk})


# ---- members and invitations ------------------------------------------------------------------------

class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.ANNOTATOR)
    days = serializers.IntegerField(required=False, default=14)
    max_uses = serializers.IntegerField(required=False, default=1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField()


def _invitation_data(invitation: Invitation, request) -> dict:
    from django.urls import reverse

    from annotations.services.collaboration import invitation_problem

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
    """The project's members and their roles. POST (owners) adds a member or changes a role."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        return Response({
            "project": project.slug,
            "members": [
                {"username": m.user.get_username(), "role": m.role, "joined_at": m.joined_at.isoformat()}
                for m in members_of(project=project)
            ],
        })


    @extend_schema(request=MembershipSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, slug):
        """Add a member by username, or change a member's role (owners only)."""
        project = project_get_for_user(slug=slug, user=request.user)
        data = _valid(MembershipSerializer, request.data)
        user = get_user_model().objects.filter(username=data["username"]).first()
        if user is None:
            raise InvalidInput(f"No user named {data['username']!r}.")
        membership = services.membership_set(project=project, user=user, role=data["role"], by=request.user)
        return Response({"username": user.get_username(), "role": membership.role})


class ProjectMemberDetailView(APIView):
    """Change one member's role (PATCH) or remove them (DELETE); owners, or a member leaving."""

    def _member(self, project, username):
        user = get_user_model().objects.filter(username=username, memberships__project=project).first()
        if user is None:
            raise NotFound(f"{username!r} is not a member of this project.")
        return user

    @extend_schema(request=MemberRoleSerializer, responses={200: OpenApiTypes.OBJECT})
    def patch(self, request, slug, username):
        project = project_get_for_user(slug=slug, user=request.user)
        data = _valid(MemberRoleSerializer, request.data)
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
        from annotations.errors import NotPermitted

        project = project_get_for_user(slug=slug, user=request.user)
        if not can_manage_members(project, request.user):
            raise NotPermitted("Only the project's owner can see and create invitations.")
        return project

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        project = self._project(request, slug)
        return Response({"invitations": [_invitation_data(i, request) for i in invitations_of(project=project)]})

    @extend_schema(request=InvitationCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        data = _valid(InvitationCreateSerializer, request.data)
        invitation = services.invitation_create(project=project, by=request.user, **data)
        return Response(_invitation_data(invitation, request), status=status.HTTP_201_CREATED)


class InvitationRevokeView(APIView):
    """Withdraw an invitation link (owners)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, invitation_id):
        from annotations.permissions import role_in

        invitation = Invitation.objects.select_related("project").filter(pk=invitation_id).first()
        if invitation is None or role_in(invitation.project, request.user) is None:
            raise NotFound(f"No invitation {invitation_id} in a project you are a member of.")
        services.invitation_revoke(invitation=invitation, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    """Join a project with an invitation's token."""

    @extend_schema(request=InvitationAcceptSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(InvitationAcceptSerializer, request.data)
        membership = services.invitation_accept(token=data["token"], user=request.user)
        return Response({"project": membership.project.slug, "role": membership.role})
