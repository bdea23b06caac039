"""API for agreement between layers, of one document or summed over a project's documents."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params
from annotations.api import responses
from annotations.api.inputs import LAYER_IDS
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.agreement import document_agreement_get, project_agreement_get


AGREEMENT_PARAMETERS = [
    LAYER_IDS,
    OpenApiParameter(
        "overlap", {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
        description="Overlap threshold for overlap matching, more than 0 and at most 1 (default 0.5).",
    ),
]


def _agreement(request, measure, **scope) -> Response:
    """``measure`` (a selector) run over ``scope`` (a document or a project) with the query's layers and overlap."""
    view = measure(**scope, user=request.user, layer_ids=params.id_list(request.query_params.get("layers")),
                   overlap_threshold=request.query_params.get("overlap", 0.5))
    return Response(view.to_dict())


class DocumentAgreementView(APIView):
    """Pairwise and group agreement of layers of one document (see NOTES for the metrics)."""

    @extend_schema(parameters=AGREEMENT_PARAMETERS, responses={200: responses.AgreementSerializer})
    def get(self, request, document_id):
        document = document_get_for_user(document_id=document_id, user=request.user)
        return _agreement(request, document_agreement_get, document=document)


class ProjectAgreementView(APIView):
    """Agreement of layers over every document of a project (counts summed over documents)."""

    @extend_schema(parameters=AGREEMENT_PARAMETERS, responses={200: responses.AgreementSerializer})
    def get(self, request, slug):
        return _agreement(request, project_agreement_get, project=project_get_for_user(slug=slug, user=request.user))
