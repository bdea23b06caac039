"""API for curating a document's consensus (curators and owners): the automatic merge and its
disagreements, storing the merge, picking spans and relations, the answer key from it."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params, services
from annotations.api import fields, responses
from annotations.api.inputs import LAYER_IDS, MATCH, SHARE, SHARE_SCHEMA, get_or_404, valid_data
from annotations.api.serializers import AnnotationSerializer, RelationSerializer, WholeNumberField
from annotations.errors import InvalidInput
from annotations.permissions import check_can_curate
from annotations.representations import relation_data, span_data
from annotations.selectors import document_get_for_user
from annotations.selectors.curation import (annotator_layers, candidate_spans, curation_get, parse_share, rejection_data,
                                           rejection_get, relation_for_pick)
from annotations.selectors.layers import visible_layers_by_id
from annotations.selectors.visibility import visible_annotations


@extend_schema_field(SHARE_SCHEMA)
class ShareField(serializers.Field):
    """'all', or the share of annotators who must agree (a number in (0, 1]), as ``parse_share`` reads it."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            raise serializers.ValidationError("Give 'all' or a number more than 0 and at most 1.")
        try:
            return parse_share(data)
        except InvalidInput as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value):
        return value


class MergeSerializer(serializers.Serializer):
    layers = serializers.ListField(child=WholeNumberField(), required=False, help_text="Annotator layer ids (default: all with spans).")
    share = ShareField(required=False, default="all", help_text="'all' or a share in (0, 1].")
    match = fields.ChoiceField(choices=["exact", "overlap"], required=False, default="exact")
    replace = fields.BooleanField(required=False, default=False, help_text="Empty this document's consensus first.")


class PickSerializer(serializers.Serializer):
    annotation = WholeNumberField(help_text="The candidate span's id.")
    label = fields.CharField(required=False, help_text="Pick with another label.")
    start = WholeNumberField(required=False, min_value=0)
    end = WholeNumberField(required=False, min_value=0)


class PickRelationSerializer(serializers.Serializer):
    relation = WholeNumberField(help_text="The candidate relation's id.")


class RejectSerializer(serializers.Serializer):
    annotations = serializers.ListField(child=WholeNumberField(), min_length=1,
                                        help_text="The disagreement's candidate spans (one id per option), none of which goes into the consensus.")


class UndoRejectSerializer(serializers.Serializer):
    rejection = WholeNumberField(help_text="The id of the \"none of these\" decision (the disagreement's ``rejected.id``).")


def _curated_document(request, document_id):
    """The document of the address, for a curator of its project (404 unless visible, else 403)."""
    document = document_get_for_user(document_id=document_id, user=request.user)
    check_can_curate(document.project_id, request.user)
    return document


class DocumentCurationView(APIView):
    """The automatic merge and the open disagreements of the chosen annotators' layers (curators)."""

    @extend_schema(
        parameters=[LAYER_IDS, SHARE, MATCH],
        responses={200: responses.CurationSerializer},
    )
    def get(self, request, document_id):
        document = _curated_document(request, document_id)
        return Response(curation_get(
            document=document, user=request.user, layer_ids=params.id_list(request.query_params.get("layers")),
            share=request.query_params.get("share", "all"), match=request.query_params.get("match", "exact"),
        ))


class ConsensusMergeView(APIView):
    """Store the automatic merge into the document's consensus layer."""

    @extend_schema(request=MergeSerializer, responses={200: responses.MergeOutcomeSerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        data = valid_data(MergeSerializer, request.data)
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

    @extend_schema(request=PickSerializer, responses={201: AnnotationSerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        data = valid_data(PickSerializer, request.data)
        source = get_or_404(
            visible_annotations(request.user).select_related("layer__project", "paragraph").filter(document=document),
            data["annotation"], "span",
        )
        picked = services.consensus_pick(
            document=document, source=source, user=request.user, label=data.get("label"),
            start=data.get("start"), end=data.get("end"),
        )
        return Response(span_data(picked), status=status.HTTP_201_CREATED)


class ConsensusPickRelationView(APIView):
    """Copy a candidate relation into the consensus (both ends must be there already)."""

    @extend_schema(request=PickRelationSerializer, responses={201: RelationSerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        data = valid_data(PickRelationSerializer, request.data)
        relation = relation_for_pick(document=document, relation_id=data["relation"], user=request.user)
        picked = services.consensus_pick_relation(document=document, relation=relation, user=request.user)
        return Response(relation_data(picked), status=status.HTTP_201_CREATED)


class ConsensusRejectView(APIView):
    """"None of these": record that no candidate of a disagreement goes into the consensus (curators)."""

    @extend_schema(request=RejectSerializer, responses={201: responses.RejectionSerializer})
    def post(self, request, document_id):
        document = _curated_document(request, document_id)
        data = valid_data(RejectSerializer, request.data)
        candidates = candidate_spans(document=document, user=request.user, ids=data["annotations"])
        rejection = services.consensus_reject(document=document, candidates=candidates, user=request.user)
        return Response(rejection_data(rejection), status=status.HTTP_201_CREATED)


class ConsensusRejectUndoView(APIView):
    """Take back a "none of these": the disagreement is open again (curators)."""

    @extend_schema(request=UndoRejectSerializer, responses={204: None})
    def post(self, request, document_id):
        document = _curated_document(request, document_id)
        data = valid_data(UndoRejectSerializer, request.data)
        rejection = rejection_get(document=document, rejection_id=data["rejection"])
        services.consensus_reject_undo(rejection=rejection, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnswerKeyFromConsensusView(APIView):
    """Replace the document's answer key with a copy of its consensus."""

    @extend_schema(request=None, responses={200: responses.AnswerKeySerializer})
    def post(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        key = services.answer_key_from_consensus(document=document, user=request.user)
        return Response({"answer_key_layer": key.pk})
