"""API for a class itself: a student joins it with its join code (the teacher's side, join
codes and the roster, is on the class page)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api import fields, responses
from annotations.api.inputs import valid_data


class JoinInput(serializers.Serializer):
    code = fields.CharField(max_length=20)


class JoinView(APIView):
    @extend_schema(summary="Join a class with its join code (as a student)", request=JoinInput,
                   responses={200: responses.JoinedSerializer})
    def post(self, request):
        data = valid_data(JoinInput, request.data)
        membership = services.class_join(code=data["code"], user=request.user)
        return Response({"project": membership.project.slug, "role": membership.role})
