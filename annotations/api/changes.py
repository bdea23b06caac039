"""API for following a document: the live change feed (poll with a cursor) and its activity list."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params
from annotations.api import responses
from annotations.selectors import document_get_for_user
from annotations.selectors.pseudonyms import masks_for_layers
from annotations.selectors.collaboration import activity_list, activity_rows, changes_since


class DocumentChangesView(APIView):
    """Changes to spans, relations and comments after ``since`` (a cursor from an earlier answer).

    Without ``since``: only the current cursor. Poll with the returned cursor; when ``more``
    is true, ask again at once.
    """

    @extend_schema(parameters=[OpenApiParameter("since", int)], responses={200: responses.ChangesSerializer})
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        return Response(changes_since(document=document, user=request.user, since=params.cursor(request.query_params.get("since"))))


class DocumentActivityView(APIView):
    """The document's latest changes, newest first (at most ``limit``, default 100)."""

    @extend_schema(parameters=[OpenApiParameter("limit", int)], responses={200: responses.ActivitySerializer})
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        limit = params.bounded(request.query_params.get("limit"), name="limit", default=100, minimum=1, maximum=500)
        events = activity_list(document=document, user=request.user, limit=limit)
        masks = masks_for_layers(user=request.user, layers=[event.layer for event in events], project_id=document.project_id)
        return Response({"document": document.pk, "events": activity_rows(events=events, masks=masks)})
