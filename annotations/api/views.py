"""API views: parse input, call one service or selector, render. Rules live in services."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from annotations import services
from annotations.api import filters
from annotations.api.serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    LayerSerializer,
    ParagraphSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    RelationCreateSerializer,
    RelationSerializer,
)
from annotations.errors import InvalidInput, NotFound
from annotations.selectors import layer_get_for_user, projects_for_user
from annotations.selectors.visibility import (
    visible_annotations,
    visible_documents,
    visible_layers,
    visible_paragraphs,
    visible_relations,
)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects you are a member of. Anyone signed in may create one and becomes its owner.

    Members and invitations: ``annotations.api.collaboration``."""

    serializer_class = ProjectSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return projects_for_user(self.request.user)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request):
        data = _valid(ProjectCreateSerializer, request.data)
        project = services.project_create(creator=request.user, **data)
        return Response(ProjectSerializer(project).data | {"my_role": "owner"}, status=status.HTTP_201_CREATED)


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents of your projects; the detail includes the paragraphs. Upload with a multipart POST."""

    filterset_class = filters.DocumentFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        documents = visible_documents(self.request.user).order_by("id")
        if self.action == "retrieve":
            documents = documents.prefetch_related("paragraphs")
        return documents

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer})
    def create(self, request):
        data = _valid(DocumentUploadSerializer, request.data)
        from annotations.selectors import project_get_for_user

        project = project_get_for_user(slug=data["project"], user=request.user)
        upload = data["file"]
        document = services.document_import(project=project, user=request.user, data=upload.read(), filename=upload.name)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ParagraphViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ParagraphSerializer
    filterset_class = filters.ParagraphFilter

    def get_queryset(self):
        return visible_paragraphs(self.request.user).order_by("document_id", "position")


class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    """Layers you may read: every member's own, the consensus, and (curators) the answer key."""

    serializer_class = LayerSerializer
    filterset_class = filters.LayerFilter

    def get_queryset(self):
        return visible_layers(self.request.user).order_by("project_id", "id")


class AnnotationViewSet(viewsets.ModelViewSet):
    """Spans. Offsets are Unicode code points into the paragraph text; ``quote`` must match them."""

    serializer_class = AnnotationSerializer
    filterset_class = filters.AnnotationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return visible_annotations(self.request.user).order_by("document_id", "paragraph_id", "start", "end", "id")

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request):
        data = _valid(AnnotationCreateSerializer, request.data)
        paragraph = (
            visible_paragraphs(request.user).select_related("document__project").filter(pk=data["paragraph"]).first()
        )
        if paragraph is None:
            raise NotFound(f"No paragraph {data['paragraph']} in a project you are a member of.")
        layer = layer_get_for_user(layer_id=data["layer"], user=request.user) if "layer" in data else None
        annotation = services.annotation_create(
            paragraph=paragraph, layer=layer, user=request.user, start=data["start"], end=data["end"],
            label=data["label"], quote=data["quote"], note=data["note"],
        )
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnnotationUpdateSerializer, responses={200: AnnotationSerializer})
    def partial_update(self, request, pk=None):
        annotation = self._get_for_write()
        data = _valid(AnnotationUpdateSerializer, request.data)
        version = data.pop("version")
        annotation = services.annotation_update(annotation=annotation, user=request.user, version=version, **data)
        return Response(AnnotationSerializer(annotation).data)

    def destroy(self, request, pk=None):
        services.annotation_delete(annotation=self._get_for_write(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _get_for_write(self):
        return _get_or_404(self.get_queryset().select_related("layer__project"), self.kwargs["pk"], "span")


class RelationViewSet(viewsets.ModelViewSet):
    """Links between spans of one document and layer: ``source`` supports or attacks ``target``."""

    serializer_class = RelationSerializer
    filterset_class = filters.RelationFilter
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return visible_relations(self.request.user).order_by("document_id", "id")

    @extend_schema(request=RelationCreateSerializer, responses={201: RelationSerializer})
    def create(self, request):
        data = _valid(RelationCreateSerializer, request.data)
        spans = visible_annotations(request.user).select_related("layer__project")
        source = _get_or_404(spans, data["source"], "span")
        target = _get_or_404(spans, data["target"], "span")
        relation = services.relation_create(source=source, target=target, kind=data["kind"], user=request.user)
        return Response(RelationSerializer(relation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        relation = _get_or_404(self.get_queryset().select_related("layer__project"), pk, "relation")
        services.relation_delete(relation=relation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _get_or_404(queryset, pk, what: str):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
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
