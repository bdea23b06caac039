"""API for spans and relations, the hot paths (the workspace saves every tag at once).

Their writes fetch what the service needs in one query (``selectors.spans``) and answer with
plain dicts (``annotations.representations``) of exactly the serializers' shape; lists are one
statement (``selectors.span_lists``).
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from annotations import services
from annotations.api import filters
from annotations.api.inputs import ID, id_or_404, relation_create_input, span_create_input, valid_data
from annotations.api.serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
    RelationCreateSerializer,
    RelationSerializer,
    RelationUpdateSerializer,
)
from annotations.errors import NotFound
from annotations.models import Annotation, Relation
from annotations.representations import relation_data, span_data
from annotations.selectors import layer_get_for_user
from annotations.selectors.span_lists import ANNOTATION_LIST, RELATION_LIST, list_page
from annotations.selectors.spans import (
    annotation_get_for_write,
    annotations_get_for_write,
    paragraph_get_for_span_create,
    relation_get_for_write,
)
from annotations.selectors.pseudonyms import list_rows_masked, masks_for
from annotations.selectors.visibility import visible_in_layers


@extend_schema_view(retrieve=extend_schema(parameters=[ID]))
class _SpanListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What spans and relations share: a subclass names its ``model``, ``serializer`` and ``list_shape``
    in its class statement; one is read among the rows the reader's layers allow
    (``visibility.visible_in_layers``), a list is one statement of ``list_shape``
    (``selectors.span_lists``), and every answer is masked for the reader."""

    filter_backends = [filters.ListShapeFilterBackend]
    list_shape = None

    def __init_subclass__(cls, *, model, serializer, list_shape, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.queryset, cls.serializer_class, cls.list_shape = model.objects.none(), serializer, list_shape

    def get_queryset(self):
        return visible_in_layers(self.queryset.model, self.request.user)

    def list(self, request):
        wanted = filters.ListShapeFilterBackend.parse(request, self.list_shape)
        limit, offset = self.paginator.page_bounds(request)
        count, rows = list_page(self.list_shape, user=request.user, filters=wanted, limit=limit, offset=offset)
        rows = list_rows_masked(user=request.user, rows=rows)
        return self.paginator.page_response(count=count, rows=rows, request=request)

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["masks"] = masks_for(user=self.request.user)
        return super().get_serializer(*args, **kwargs)


class AnnotationViewSet(_SpanListViewSet, model=Annotation, serializer=AnnotationSerializer, list_shape=ANNOTATION_LIST):
    """Spans. Offsets are Unicode code points into the paragraph text; ``quote`` must match them."""

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request):
        data = span_create_input(request.data)
        paragraph, layer = paragraph_get_for_span_create(paragraph_id=data["paragraph"], user=request.user)
        if "layer" in data and (layer is None or layer.pk != data["layer"]):
            layer = layer_get_for_user(layer_id=data["layer"], user=request.user)
        annotation = services.annotation_create(
            paragraph=paragraph, layer=layer, user=request.user, start=data["start"], end=data["end"],
            label=data["label"], quote=data["quote"], note=data["note"],
        )
        return Response(span_data(annotation), status=status.HTTP_201_CREATED)

    @extend_schema(request=AnnotationUpdateSerializer, responses={200: AnnotationSerializer}, parameters=[ID])
    def partial_update(self, request, pk=None):
        data = valid_data(AnnotationUpdateSerializer, request.data)
        annotation = annotation_get_for_write(annotation_id=id_or_404(pk, "span"), user=request.user)
        version = data.pop("version")
        annotation = services.annotation_update(annotation=annotation, user=request.user, version=version, **data)
        return Response(span_data(annotation))

    @extend_schema(parameters=[ID])
    def destroy(self, request, pk=None):
        annotation = annotation_get_for_write(annotation_id=id_or_404(pk, "span"), user=request.user)
        services.annotation_delete(annotation=annotation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RelationViewSet(_SpanListViewSet, model=Relation, serializer=RelationSerializer, list_shape=RELATION_LIST):
    """Links between spans of one document and layer: ``source`` supports or attacks ``target``."""

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
        data = valid_data(RelationUpdateSerializer, request.data)
        relation = relation_get_for_write(relation_id=id_or_404(pk, "relation"), user=request.user)
        return Response(relation_data(services.relation_update(relation=relation, user=request.user, kind=data["kind"])))

    @extend_schema(parameters=[ID])
    def destroy(self, request, pk=None):
        relation = relation_get_for_write(relation_id=id_or_404(pk, "relation"), user=request.user)
        services.relation_delete(relation=relation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

