"""API for suggestions: where computing stands and what is left to review, asking for a
(re)computation, accepting (with another label or adjusted boundaries), rejecting, accepting
everything above a score, and the project model's measured accuracy.

Each view parses input, calls one selector or service and renders; the rules live there.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params, services
from annotations.api import fields, responses
from annotations.api.inputs import valid_data
from annotations.api.serializers import AnnotationSerializer, WholeNumberField
from annotations.representations import span_data
from annotations.selectors import document_get_for_user, layer_get_for_user, project_get_for_user
from annotations.selectors.suggestions import (
    project_suggestion_summary,
    suggestion_get_for_user,
    suggestions_status_get,
)


class AcceptSerializer(serializers.Serializer):
    label = fields.CharField(required=False, allow_blank=True)
    start = WholeNumberField(required=False, min_value=0)
    end = WholeNumberField(required=False, min_value=0)
    quote = fields.CharField(required=False, trim_whitespace=False)
    layer = WholeNumberField(required=False, help_text="The layer to accept into (an exercise's key, say); defaults to your own layer.")


class DecisionLayerSerializer(serializers.Serializer):
    layer = WholeNumberField(required=False, help_text="The layer the decision is for (an exercise's key, say); defaults to your own layer.")


class AcceptAboveSerializer(serializers.Serializer):
    min_score = fields.FloatField(min_value=0.0, max_value=1.0)
    layer = WholeNumberField(required=False, help_text="The layer to accept into (an exercise's key, say); defaults to your own layer.")


class DocumentSuggestionsView(APIView):
    """Where computing stands (``none``, ``pending``, ``running``, ``done``, ``failed``), the
    pipeline, the fallback message when the spaCy model is missing, the project model's
    figures, and the suggestions you have not decided on yet. Poll it while computing."""

    @extend_schema(operation_id="documents_suggestions_retrieve", responses={200: responses.SuggestionsStatusSerializer},
                   parameters=[OpenApiParameter("layer", int, description="The layer whose decisions count (an exercise's key, say); default: your own.")])
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        layer_id = params.optional_id(request.query_params.get("layer"), name="layer")
        layer = layer_get_for_user(layer_id=layer_id, user=request.user) if layer_id is not None else None
        return Response(suggestions_status_get(document=document, user=request.user, layer=layer))


class DocumentSuggestionsComputeView(APIView):
    """Queue computing the document's suggestions (a background task); answers 202 at once."""

    @extend_schema(request=None, responses={202: responses.ComputeQueuedSerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        run = services.suggestions_request(document=document, user=request.user)
        return Response(
            {"document": document.pk, "status": run.status, "status_url": f"/api/documents/{document.pk}/suggestions/"},
            status=status.HTTP_202_ACCEPTED,
        )


class DocumentSuggestionsAcceptAboveView(APIView):
    """Accept every suggestion you still see with ``score >= min_score`` into your layer, or the
    ``layer`` named (one you may edit: an exercise's key), all or nothing."""

    @extend_schema(request=AcceptAboveSerializer, responses={200: responses.AcceptAboveResultSerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        data = valid_data(AcceptAboveSerializer, request.data)
        layer = layer_get_for_user(layer_id=data["layer"], user=request.user) if "layer" in data else None
        result = services.suggestions_accept_above(document=document, user=request.user, min_score=data["min_score"], layer=layer)
        return Response({
            "accepted": len(result.accepted),
            "skipped": [{"suggestion": suggestion_id, "reason": reason} for suggestion_id, reason in result.skipped],
            "annotations": [span_data(annotation) for annotation in result.accepted],
        })


class _OneSuggestionView(APIView):
    """A decision on the suggestion of the URL: ``get_object()`` is it when the user may see it, else a 404."""

    def get_object(self):
        return suggestion_get_for_user(suggestion_id=self.kwargs["suggestion_id"], user=self.request.user)


class SuggestionAcceptView(_OneSuggestionView):
    """Accept a suggestion into your layer (or the ``layer`` named, one you may edit: an exercise's
    key); optionally another ``label``, or adjusted ``start`` / ``end`` (with the ``quote`` you see
    there, checked like any span). Answers the new span."""

    @extend_schema(request=AcceptSerializer, responses={201: AnnotationSerializer})
    def post(self, request, suggestion_id):
        suggestion = self.get_object()
        data = valid_data(AcceptSerializer, request.data)
        layer = layer_get_for_user(layer_id=data["layer"], user=request.user) if "layer" in data else None
        annotation = services.suggestion_accept(
            suggestion=suggestion, user=request.user, label=data.get("label") or None,
            start=data.get("start"), end=data.get("end"), quote=data.get("quote"), layer=layer,
        )
        return Response(span_data(annotation), status=status.HTTP_201_CREATED)


class SuggestionRejectView(_OneSuggestionView):
    """Reject a suggestion in your layer (or the ``layer`` named, one you may edit): hidden there
    from now on; it is still offered in your other layers and to others in theirs."""

    @extend_schema(request=DecisionLayerSerializer, responses={200: responses.RejectedSerializer})
    def post(self, request, suggestion_id):
        suggestion = self.get_object()
        data = valid_data(DecisionLayerSerializer, request.data)
        layer = layer_get_for_user(layer_id=data["layer"], user=request.user) if "layer" in data else None
        decision = services.suggestion_reject(suggestion=suggestion, user=request.user, layer=layer)
        return Response({"suggestion": suggestion.pk, "decision": decision.decision})


class SuggestionUndoView(_OneSuggestionView):
    """Take back your accept or reject in your layer or the ``layer`` named (the span an accept made
    goes too): the suggestion is offered there again."""

    @extend_schema(request=DecisionLayerSerializer, responses={200: inline_serializer("SuggestionUndone", {
        "suggestion": serializers.IntegerField(), "decision": fields.CharField(allow_null=True),
    })})
    def post(self, request, suggestion_id):
        suggestion = self.get_object()
        data = valid_data(DecisionLayerSerializer, request.data)
        layer = layer_get_for_user(layer_id=data["layer"], user=request.user) if "layer" in data else None
        services.suggestion_decision_undo(suggestion=suggestion, user=request.user, layer=layer)
        return Response({"suggestion": suggestion.pk, "decision": None})


class ProjectSuggestionModelView(APIView):
    """The project's own suggestion model: its accuracy on held-back decisions next to the
    rules' on the same decisions, or how many decisions are still needed before one is trained."""

    @extend_schema(responses={200: responses.ProjectSuggestionModelSerializer})
    def get(self, request, slug):
        project = project_get_for_user(slug=slug, user=request.user)
        return Response({"project": project.slug, **project_suggestion_summary(project=project)})
