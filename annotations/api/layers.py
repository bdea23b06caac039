"""API for a document's layers: the layers you may read (with counts), one layer's spans and
relations, two layers compared; and the layers of your projects as a resource."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params
from annotations.api import filters, responses
from annotations.api.inputs import ID
from annotations.api.serializers import LayerSerializer
from annotations.errors import InvalidInput, NotFound
from annotations.models import Layer
from annotations.representations import layer_data
from annotations.selectors import document_get_for_user, layer_get_for_user
from annotations.selectors.layers import (
    document_layers_with_counts,
    layer_spans_get,
    layers_compare,
    visible_layers_by_id,
)
from annotations.selectors.pseudonyms import masks_for_layers
from annotations.selectors.visibility import visible_layers


class DocumentLayersView(APIView):
    """The layers of the document's project you may read, with their span and relation counts here."""

    @extend_schema(responses={200: responses.DocumentLayersSerializer})
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        layers = document_layers_with_counts(document=document, user=request.user)
        masks = masks_for_layers(user=request.user, layers=layers, project_id=document.project_id)
        return Response({
            "document": document.pk,
            "layers": [
                masks.layer(layer_data(layer) | {
                    "mine": layer.owner_id == request.user.pk, "spans": layer.span_count, "relations": layer.relation_count,
                })
                for layer in layers
            ],
        })


class DocumentLayerSpansView(APIView):
    """One layer's spans and relations in the document (for showing another person's layer)."""

    @extend_schema(operation_id="documents_layer_spans_retrieve", responses={200: responses.LayerSpansSerializer})
    def get(self, request, document_id, layer_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        layer = layer_get_for_user(layer_id=layer_id, user=request.user)
        if layer.project_id != document.project_id:
            raise NotFound(f"No layer {layer_id} in this document's project.")
        data = layer_spans_get(document=document, layer=layer)
        masks = masks_for_layers(user=request.user, layers=[layer], project_id=document.project_id)
        data["layer"] = masks.layer(data["layer"])
        data["annotations"] = masks.rows(data["annotations"], layer.pk)
        return Response(data)


class DocumentCompareView(APIView):
    """Two layers side by side: spans both drew, drew with another label, or drew alone."""

    @extend_schema(
        parameters=[
            OpenApiParameter("first", int, required=True), OpenApiParameter("second", int, required=True),
            OpenApiParameter("match", str, enum=["exact", "overlap"], description="exact (default) or overlap."),
        ],
        responses={200: responses.LayersCompareSerializer},
    )
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        ids = [params.optional_id(request.query_params.get(name), name=name) for name in ("first", "second")]
        if None in ids:  # the same layer twice is allowed: every span is "same" (the schema cannot say first != second)
            raise InvalidInput("Give two layer ids: ?first=<id>&second=<id>.")
        first, second = visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=ids)
        data = layers_compare(document=document, first=first, second=second,
                              match=request.query_params.get("match", "exact"))
        masks = masks_for_layers(user=request.user, layers=[first, second], project_id=document.project_id)
        data["first"], data["second"] = masks.layer(data["first"]), masks.layer(data["second"])
        return Response(data)


@extend_schema_view(retrieve=extend_schema(parameters=[ID]))
class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    """Layers you may read: every member's own, the consensus, and (curators) the answer key."""

    queryset = Layer.objects.none()
    serializer_class = LayerSerializer
    filterset_class = filters.LayerFilter

    def get_queryset(self):
        return visible_layers(self.request.user).order_by("project_id", "id")

    def get_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        layers = args[0] if args else []
        layers = layers if isinstance(layers, (list, tuple)) else [layers]
        kwargs["context"]["masks"] = masks_for_layers(user=self.request.user, layers=layers)
        return super().get_serializer(*args, **kwargs)
