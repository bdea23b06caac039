"""API for a person's workspace preferences: whether suggestions are drawn in the text and
from which score (the toggle and threshold of the Suggestions panel, remembered per user)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api import fields
from annotations.api.inputs import valid_data
from annotations.api.parsers import ArgmapJSONParser
from annotations.selectors.preferences import preference_get


class PreferenceSerializer(serializers.Serializer):
    show_suggestions = fields.BooleanField()
    suggestion_threshold = fields.FloatField(help_text="Suggestions scoring at least this are shown.")
    default_threshold = fields.FloatField(read_only=True, help_text="The site's ARGMAP_SUGGESTION_THRESHOLD.")


class PreferenceUpdateSerializer(serializers.Serializer):
    show_suggestions = fields.BooleanField(required=False)
    suggestion_threshold = fields.FloatField(required=False, allow_null=True, min_value=0.0, max_value=1.0)


class MyPreferencesView(APIView):
    """Your workspace preferences; PATCH changes the fields you send (``suggestion_threshold: null``
    goes back to the site's default)."""

    # JSON only: suggestion_threshold may be null, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(responses={200: PreferenceSerializer})
    def get(self, request):
        return Response(preference_get(user=request.user))

    @extend_schema(request=PreferenceUpdateSerializer, responses={200: PreferenceSerializer})
    def patch(self, request):
        data = valid_data(PreferenceUpdateSerializer, request.data)
        services.preference_update(user=request.user, **data)
        return Response(preference_get(user=request.user))
