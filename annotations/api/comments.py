"""API for comments on spans: a document's comments, posting, editing, resolving and deleting
one, and the comments that mention you."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params, services
from annotations.api import fields, responses
from annotations.api.inputs import get_or_404, valid_data
from annotations.api.serializers import WholeNumberField
from annotations.errors import InvalidInput, NotFound
from annotations.models import Comment
from annotations.representations import comment_data
from annotations.selectors import document_get_for_user
from annotations.selectors.collaboration import comments_for_document, mentions_of
from annotations.selectors.pseudonyms import masks_for_layers
from annotations.selectors.visibility import visible_annotations
from annotations.services.comments import MAX_COMMENT_LENGTH


def _flag(raw) -> bool | None:
    if raw in (None, ""):
        return None
    if str(raw).lower() in {"1", "true", "yes"}:
        return True
    if str(raw).lower() in {"0", "false", "no"}:
        return False
    raise InvalidInput(f"Expected true or false, not {raw!r}.")


class CommentCreateSerializer(serializers.Serializer):
    annotation = WholeNumberField(help_text="The span's id.")
    body = fields.CharField(
        trim_whitespace=False, max_length=MAX_COMMENT_LENGTH, help_text="Text; @username mentions a project member."
    )


class CommentUpdateSerializer(serializers.Serializer):
    body = fields.CharField(required=False, trim_whitespace=False, max_length=MAX_COMMENT_LENGTH)
    resolved = fields.BooleanField(required=False)


def _comment_data(comment: Comment, request) -> dict:
    """The comment, with a classmate's name under a pseudonym where the reader must not see it."""
    masks = masks_for_layers(user=request.user, layers=[comment.annotation.layer])
    return masks.row(comment_data(comment), comment.annotation.layer_id)


class DocumentCommentsView(APIView):
    """Comments on the document's spans you may see; filter with ``annotation`` and ``resolved``."""

    @extend_schema(
        parameters=[OpenApiParameter("annotation", int), OpenApiParameter("resolved", bool)],
        responses={200: responses.DocumentCommentsSerializer},
    )
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        comments = comments_for_document(
            document=document, user=request.user,
            annotation_id=params.optional_id(request.query_params.get("annotation"), name="annotation"),
            resolved=_flag(request.query_params.get("resolved")),
        )
        comments = list(comments)
        masks = masks_for_layers(user=request.user, layers=[c.annotation.layer for c in comments], project_id=document.project_id)
        return Response({"document": document.pk, "comments": [masks.row(comment_data(c), c.annotation.layer_id) for c in comments]})


class CommentListCreateView(APIView):
    """Post a comment on a span."""

    @extend_schema(request=CommentCreateSerializer, responses={201: responses.CommentSerializer})
    def post(self, request):
        data = valid_data(CommentCreateSerializer, request.data)
        annotation = get_or_404(visible_annotations(request.user).select_related("layer__project"), data["annotation"], "span")
        comment = services.comment_create(annotation=annotation, user=request.user, body=data["body"])
        return Response(_comment_data(comment, request), status=status.HTTP_201_CREATED)


class MentionsView(APIView):
    """Comments that mention you (@your-username), newest first, in projects you are still in."""

    @extend_schema(parameters=[OpenApiParameter("limit", int)], responses={200: responses.MentionsSerializer})
    def get(self, request):
        limit = params.bounded(request.query_params.get("limit"), name="limit", default=50, minimum=1, maximum=200)
        comments = mentions_of(request.user)[:limit]
        comments = list(comments)
        masks = masks_for_layers(user=request.user, layers=[c.annotation.layer for c in comments])
        return Response({"comments": [masks.row(comment_data(comment), comment.annotation.layer_id)
                                      | {"quote": comment.annotation.quote} for comment in comments]})


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

    @extend_schema(responses={200: responses.CommentSerializer})
    def get(self, request, comment_id):
        return Response(_comment_data(self._comment(request, comment_id), request))

    @extend_schema(request=CommentUpdateSerializer, responses={200: responses.CommentSerializer})
    def patch(self, request, comment_id):
        comment = self._comment(request, comment_id)
        data = valid_data(CommentUpdateSerializer, request.data)
        if not data:
            raise InvalidInput("Send body and/or resolved.")
        if "body" in data:
            comment = services.comment_update(comment=comment, user=request.user, body=data["body"])
        if "resolved" in data:
            comment = services.comment_set_resolved(comment=comment, user=request.user, resolved=data["resolved"])
        return Response(_comment_data(comment, request))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, comment_id):
        services.comment_delete(comment=self._comment(request, comment_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
