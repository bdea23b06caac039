"""API views: parse input, call one service or selector, render. Rules live in services.

Span and relation endpoints are the hot paths (the workspace saves every tag at once): their
writes fetch what the service needs in one query (``selectors.spans``) and answer with plain
dicts (``api.representations``) of exactly the serializers' shape.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from annotations import services
from annotations.api import filters
from annotations.api.inputs import relation_create_input, span_create_input
from annotations.api.representations import annotation_data, relation_data
from annotations.api.serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    DocumentUploadSerializer,
    LayerSerializer,
    ParagraphCreateSerializer,
    ParagraphSerializer,
    ParagraphUpdateSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    RelationCreateSerializer,
    RelationSerializer,
    RelationUpdateSerializer,
    WorkspaceSerializer,
)
from annotations.errors import InvalidInput, NotFound
from annotations.models import Annotation, Document, Layer, Paragraph, Project, Relation
from annotations.selectors import document_get_for_user, project_get_for_user, projects_for_user
from annotations.selectors.span_lists import ANNOTATION_LIST, RELATION_LIST, list_page
from annotations.selectors.spans import (
    annotation_get_for_write,
    annotations_get_for_write,
    paragraph_get_for_span_create,
    relation_get_for_write,
)
from annotations.selectors.visibility import (
    visible_annotations,
    visible_documents,
    visible_layers,
    visible_paragraphs,
    visible_relations,
)
from annotations.selectors.workspace import document_workspace_get

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects you are a member of. Anyone signed in may create one and becomes its owner.

    Members and invitations: ``annotations.api.collaboration``."""

    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return projects_for_user(self.request.user)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request):
        data = _valid(ProjectCreateSerializer, request.data)
        project = services.project_create(creator=request.user, **data)
        return Response(ProjectSerializer(project).data | {"my_role": "owner"}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def partial_update(self, request, slug=None):
        """Rename, describe or change the labels (owners only)."""
        project = self.get_object()
        data = _valid(ProjectUpdateSerializer, request.data)
        project = services.project_update(project=project, user=request.user, **data)
        return Response(ProjectSerializer(project).data)

    def destroy(self, request, slug=None):
        """Delete the project with everything in it (owners only)."""
        services.project_delete(project=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(parameters=[ID]), destroy=extend_schema(parameters=[ID]))
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents of your projects; the detail includes the paragraphs.

    Create with a multipart upload (``file``) or JSON (``text``, optional ``title``).
    """

    queryset = Document.objects.none()
    filterset_class = filters.DocumentFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        documents = visible_documents(self.request.user).order_by("id")
        if self.action == "retrieve":
            documents = documents.prefetch_related("paragraphs")
        return documents

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer, "application/json": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request):
        data = _valid(DocumentUploadSerializer, request.data)
        project = project_get_for_user(slug=data["project"], user=request.user)
        if "file" in data:
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
        document = _get_or_404(self.get_queryset(), pk, "document")
        data = _valid(DocumentUpdateSerializer, request.data)
        return Response(DocumentSerializer(services.document_update(document=document, user=request.user, **data)).data)

    def destroy(self, request, pk=None):
        """Delete a document with its spans and relations (curators and owners)."""
        services.document_delete(document=_get_or_404(self.get_queryset(), pk, "document"), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ID, OpenApiParameter("layer", OpenApiTypes.INT, description="A layer id; default: your own layer.")],
        responses={200: WorkspaceSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def workspace(self, request, pk=None):
        """The document page's data in one request: paragraphs, layers, and one layer's spans and relations."""
        layer_id = request.query_params.get("layer")
        if layer_id is not None and not layer_id.isdigit():
            raise InvalidInput(f"layer must be a layer id (a whole number), not {layer_id!r}.")
        state = document_workspace_get(
            document_id=_int_or_404(pk, "document"), user=request.user,
            layer_id=int(layer_id) if layer_id is not None else None,
        )
        state["layer"] = LayerSerializer(state["layer"]).data if state["layer"] is not None else None
        state["layers"] = LayerSerializer(state["layers"], many=True).data
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
        data = _valid(ParagraphCreateSerializer, request.data)
        document = document_get_for_user(document_id=data.pop("document"), user=request.user)
        paragraph = services.paragraph_create(document=document, user=request.user, **data)
        return Response(ParagraphSerializer(paragraph).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ParagraphUpdateSerializer, responses={200: ParagraphSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        paragraph = _get_or_404(self.get_queryset().select_related("document__project"), pk, "paragraph")
        data = _valid(ParagraphUpdateSerializer, request.data)
        return Response(ParagraphSerializer(services.paragraph_update(paragraph=paragraph, user=request.user, **data)).data)

    def destroy(self, request, pk=None):
        paragraph = _get_or_404(self.get_queryset().select_related("document__project"), pk, "paragraph")
        services.paragraph_delete(paragraph=paragraph, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(parameters=[ID]))
class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    """Layers you may read: every member's own, the consensus, and (curators) the answer key."""

    queryset = Layer.objects.none()
    serializer_class = LayerSerializer
    filterset_class = filters.LayerFilter

    def get_queryset(self):
        return visible_layers(self.request.user).order_by("project_id", "id")


@extend_schema_view(retrieve=extend_schema(parameters=[ID]), destroy=extend_schema(parameters=[ID]))
class AnnotationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spans. Offsets are Unicode code points into the paragraph text; ``quote`` must match them."""

    queryset = Annotation.objects.none()
    serializer_class = AnnotationSerializer
    filter_backends = [filters.ListShapeFilterBackend]
    list_shape = ANNOTATION_LIST

    def get_queryset(self):
        return visible_annotations(self.request.user).order_by("document_id", "paragraph_id", "start", "end", "id")

    def list(self, request):
        return _list_page(self, request)

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request):
        data = span_create_input(request.data)
        paragraph, layer = paragraph_get_for_span_create(paragraph_id=data["paragraph"], user=request.user)
        if "layer" in data and (layer is None or layer.pk != data["layer"]):
            from annotations.selectors import layer_get_for_user

            layer = layer_get_for_user(layer_id=data["layer"], user=request.user)
        annotation = services.annotation_create(
            paragraph=paragraph, layer=layer, user=request.user, start=data["start"], end=data["end"],
            label=data["label"], quote=data["quote"], note=data["note"],
        )
        return Response(annotation_data(annotation), status=status.HTTP_201_CREATED)

    @extend_schema(request=AnnotationUpdateSerializer, responses={200: AnnotationSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        data = _valid(AnnotationUpdateSerializer, request.data)
        annotation = annotation_get_for_write(annotation_id=_int_or_404(pk, "span"), user=request.user)
        version = data.pop("version")
        annotation = services.annotation_update(annotation=annotation, user=request.user, version=version, **data)
        return Response(annotation_data(annotation))

    def destroy(self, request, pk=None):
        annotation = annotation_get_for_write(annotation_id=_int_or_404(pk, "span"), user=request.user)
        services.annotation_delete(annotation=annotation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(parameters=[ID]), destroy=extend_schema(parameters=[ID]))
class RelationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Links between spans of one document and layer: ``source`` supports or attacks ``target``."""

    queryset = Relation.objects.none()
    serializer_class = RelationSerializer
    filter_backends = [filters.ListShapeFilterBackend]
    list_shape = RELATION_LIST

    def get_queryset(self):
        return visible_relations(self.request.user).order_by("document_id", "id")

    def list(self, request):
        return _list_page(self, request)

    @extend_schema(request=RelationCreateSerializer, responses={201: RelationSerializer})
    def create(self, request):
        data = relation_create_input(request.data)
        spans = annotations_get_for_write(annotation_ids=[data["source"], data["target"]], user=request.user)
        for end in ("source", "target"):
            if data[end] not in spans:
                raise NotFound(f"No span {data[end]} ({end}) in a project you are a member of.")
        relation = services.relation_create(
            source=spans[data["source"]], target=spans[data["target"]], kind=data["kind"], user=request.user
        )
        return Response(relation_data(relation), status=status.HTTP_201_CREATED)

    @extend_schema(request=RelationUpdateSerializer, responses={200: RelationSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        data = _valid(RelationUpdateSerializer, request.data)
        relation = relation_get_for_write(relation_id=_int_or_404(pk, "relation"), user=request.user)
        return Response(relation_data(services.relation_update(relation=relation, user=request.user, kind=data["kind"])))

    def destroy(self, request, pk=None):
        relation = relation_get_for_write(relation_id=_int_or_404(pk, "relation"), user=request.user)
        services.relation_delete(relation=relation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _list_page(view, request):
    """A page of spans or relations in one statement (``selectors.span_lists``)."""
    wanted = filters.ListShapeFilterBackend.parse(request, view.list_shape)
    limit, offset = view.paginator.page_bounds(request)
    count, rows = list_page(view.list_shape, user=request.user, filters=wanted, limit=limit, offset=offset)
    return view.paginator.page_response(count=count, rows=rows, request=request)


def _int_or_404(pk, what: str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise NotFound(f"No {what} {pk!r}; ids are whole numbers.") from None


def _get_or_404(queryset, pk, what: str):
    found = queryset.filter(pk=_int_or_404(pk, what)).first()
    if found is None:
        raise NotFound(f"No {what} {pk} in a project you are a member of.")
    return found


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput(_first_error(serializer.errors), errors=serializer.errors)
    return dict(serializer.validated_data)


def _first_error(errors) -> str:
    for field, messages in errors.items():
        message = messages[0] if isinstance(messages, list) else messages
        if isinstance(message, dict):
            return _first_error(message)
        return f"{field}: {message}" if field != "non_field_errors" else str(message)
    return "Invalid input."
