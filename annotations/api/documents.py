"""API for documents and their paragraphs: uploads, renames, deletes, the workspace in one
request, and paragraph edits (curators)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from annotations import params, services
from annotations.api import filters
from annotations.api.parsers import ArgmapJSONParser
from annotations.api.inputs import ID, get_or_404, id_or_404, valid_data
from annotations.api.serializers import (
    DocumentDetailSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    DocumentFileUploadSerializer,
    DocumentTextUploadSerializer,
    LayerSerializer,
    ParagraphCreateSerializer,
    ParagraphSerializer,
    ParagraphUpdateSerializer,
    WorkspaceSerializer,
)
from annotations.models import Document, Paragraph
from annotations.selectors.pseudonyms import list_rows_masked, masks_for_layers
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.visibility import visible_documents, visible_paragraphs
from annotations.selectors.workspace import document_workspace_get


@extend_schema_view(retrieve=extend_schema(parameters=[ID]), destroy=extend_schema(parameters=[ID]))
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents of your projects; the detail includes the paragraphs.

    Create with a multipart upload (``file``) or JSON (``text``, optional ``title``).
    """

    queryset = Document.objects.none()
    filterset_class = filters.DocumentFilter
    parser_classes = [ArgmapJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        documents = visible_documents(self.request.user).order_by("id")
        if self.action == "retrieve":
            documents = documents.prefetch_related("paragraphs")
        return documents

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentFileUploadSerializer, "application/json": DocumentTextUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request):
        """A multipart body brings a ``file``; a JSON (or form) body brings ``text``."""
        is_file = (request.content_type or "").startswith("multipart/")
        data = valid_data(DocumentFileUploadSerializer if is_file else DocumentTextUploadSerializer, request.data)
        project = project_get_for_user(slug=data["project"], user=request.user)
        if is_file:
            upload = data["file"]
            content, filename = upload.read(), upload.name
        else:
            title = data.get("title", "").strip()
            content = (f"{title}\n\n" if title else "").encode("utf-8") + data["text"].encode("utf-8")
            filename = f"{title or 'pasted text'}.txt"
        document = services.document_import(project=project, user=request.user, data=content, filename=filename)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentUpdateSerializer, responses={200: DocumentSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        """Rename a document (curators and owners)."""
        document = get_or_404(self.get_queryset(), pk, "document")
        data = valid_data(DocumentUpdateSerializer, request.data)
        return Response(DocumentSerializer(services.document_update(document=document, user=request.user, **data)).data)

    def destroy(self, request, pk=None):
        """Delete a document with its spans and relations (curators and owners)."""
        services.document_delete(document=get_or_404(self.get_queryset(), pk, "document"), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ID, OpenApiParameter("layer", OpenApiTypes.INT, description="A layer id; default: your own layer.")],
        responses={200: WorkspaceSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def workspace(self, request, pk=None):
        """The document page's data in one request: paragraphs, layers, and one layer's spans and relations."""
        state = document_workspace_get(
            document_id=id_or_404(pk, "document"), user=request.user,
            layer_id=params.optional_id(request.query_params.get("layer"), name="layer"),
        )
        context = {"masks": masks_for_layers(user=request.user, layers=state["layers"])}
        state["layer"] = LayerSerializer(state["layer"], context=context).data if state["layer"] is not None else None
        state["layers"] = LayerSerializer(state["layers"], many=True, context=context).data
        state["annotations"] = list_rows_masked(user=request.user, rows=state["annotations"])
        state["relations"] = list_rows_masked(user=request.user, rows=state["relations"])
        return Response(state)


@extend_schema_view(
    retrieve=extend_schema(parameters=[ID]), destroy=extend_schema(parameters=[ID]),
)
class ParagraphViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A document's paragraphs in order. Curators may insert, edit and delete paragraphs that no span points into."""

    queryset = Paragraph.objects.none()
    serializer_class = ParagraphSerializer
    filterset_class = filters.ParagraphFilter

    def get_queryset(self):
        return visible_paragraphs(self.request.user).order_by("document_id", "position")

    @extend_schema(request=ParagraphCreateSerializer, responses={201: ParagraphSerializer})
    def create(self, request):
        data = valid_data(ParagraphCreateSerializer, request.data)
        document = document_get_for_user(document_id=data.pop("document"), user=request.user)
        paragraph = services.paragraph_create(document=document, user=request.user, **data)
        return Response(ParagraphSerializer(paragraph).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ParagraphUpdateSerializer, responses={200: ParagraphSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        paragraph = get_or_404(self.get_queryset().select_related("document__project"), pk, "paragraph")
        data = valid_data(ParagraphUpdateSerializer, request.data)
        return Response(ParagraphSerializer(services.paragraph_update(paragraph=paragraph, user=request.user, **data)).data)

    def destroy(self, request, pk=None):
        paragraph = get_or_404(self.get_queryset().select_related("document__project"), pk, "paragraph")
        services.paragraph_delete(paragraph=paragraph, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
