"""API for classroom exercises: setting, listing, changing and deleting them, releasing their
feedback, the live dashboard, the grades (JSON or CSV) and exports of the key and of a
submission in every map format. Same rules as the pages: outside the class 404, the
teacher's actions for the class's teachers only. Submissions are in ``api.submissions``.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api import fields
from annotations.api.classroom_responses import DashboardSerializer, GradeRowSerializer
from annotations.api.exchange import DownloadView
from annotations.api.inputs import valid_data
from annotations.api.parsers import ArgmapJSONParser
from annotations.api.serializers import WholeNumberField
from annotations.downloads import file_response
from annotations.errors import InvalidInput
from annotations.models import Exercise
from annotations.selectors import dashboard, project_get_for_user
from annotations.selectors import exercises as selectors
from annotations.selectors.exports import map_export
from annotations.services.exercises import EXERCISE_FIELDS


class ExerciseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Exercise
        fields = ["id", "project", "title", "instructions", "documents", "labels", "relations_count", "opens_at",
                  "due_at", "late_policy", "attempts_allowed", "show_suggestions", "feedback_mode",
                  "classmates_visible", "released_at", "created_at"]
        read_only_fields = fields


class ExerciseUpdateSerializer(serializers.Serializer):
    title = fields.CharField(max_length=200, required=False)
    instructions = fields.CharField(required=False, allow_blank=True)
    documents = serializers.ListField(child=WholeNumberField(), required=False, allow_empty=False, min_length=1)
    labels = serializers.ListField(child=fields.CharField(), required=False)
    relations_count = fields.BooleanField(required=False)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    late_policy = fields.ChoiceField(choices=Exercise.LatePolicy.choices, required=False)
    attempts_allowed = serializers.IntegerField(required=False, min_value=1, max_value=20)
    show_suggestions = fields.BooleanField(required=False)
    feedback_mode = fields.ChoiceField(choices=Exercise.FeedbackMode.choices, required=False)
    classmates_visible = fields.ChoiceField(choices=Exercise.Classmates.choices, required=False)


class ExerciseCreateSerializer(ExerciseUpdateSerializer):
    project = fields.SlugField()
    title = fields.CharField(max_length=200)
    documents = serializers.ListField(child=WholeNumberField(), allow_empty=False, min_length=1)


class ReleaseInput(serializers.Serializer):
    released = fields.BooleanField(default=True, help_text="false takes the release back.")


def _settings(data: dict) -> dict:
    return {name: data[name] for name in EXERCISE_FIELDS if name in data and name != "title"}


class ExerciseListView(APIView):
    # JSON only: its body has nullable fields, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(summary="Exercises: a class's (?project=slug) or, without it, yours as a student",
                   parameters=[OpenApiParameter("project", str)], responses={200: ExerciseSerializer(many=True)})
    def get(self, request):
        slug = request.query_params.get("project")
        if slug:
            exercises = selectors.exercises_of_project(project=project_get_for_user(slug=slug, user=request.user))
        else:
            exercises = [row["exercise"] for row in selectors.exercises_for_student(user=request.user)]
        return Response(ExerciseSerializer(exercises, many=True).data)

    @extend_schema(summary="Set an exercise (teacher)", request=ExerciseCreateSerializer, responses={201: ExerciseSerializer})
    def post(self, request):
        data = valid_data(ExerciseCreateSerializer, request.data)
        project = project_get_for_user(slug=data["project"], user=request.user)
        exercise = services.exercise_create(project=project, user=request.user, title=data["title"],
                                            document_ids=data["documents"], **_settings(data))
        return Response(ExerciseSerializer(exercise).data, status=status.HTTP_201_CREATED)


class ExerciseDetailView(APIView):
    # JSON only: its body has nullable fields, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(summary="One exercise", responses={200: ExerciseSerializer})
    def get(self, request, exercise_id: int):
        return Response(ExerciseSerializer(selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)).data)

    @extend_schema(summary="Change an exercise's settings (teacher)", request=ExerciseUpdateSerializer,
                   responses={200: ExerciseSerializer})
    def patch(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
        data = valid_data(ExerciseUpdateSerializer, request.data)
        changes = _settings(data)
        if "title" in data:
            changes["title"] = data["title"]
        if "documents" in data:
            changes["document_ids"] = data["documents"]
        exercise = services.exercise_update(exercise=exercise, user=request.user, **changes)
        return Response(ExerciseSerializer(exercise).data)

    @extend_schema(summary="Delete an exercise with its key and all work (teacher)", responses={204: None})
    def delete(self, request, exercise_id: int):
        services.exercise_delete(exercise=selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user),
                                 user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExerciseReleaseView(APIView):
    @extend_schema(summary="Release feedback to the class (teacher); {\"released\": false} takes it back",
                   request=ReleaseInput, responses={200: ExerciseSerializer})
    def post(self, request, exercise_id: int):
        data = valid_data(ReleaseInput, request.data)
        exercise = services.exercise_release(exercise=selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user),
                                             user=request.user, released=data["released"])
        return Response(ExerciseSerializer(exercise).data)


def dashboard_data(data: dict) -> dict:
    """The dashboard as JSON (what exercise-dashboard.js redraws from)."""
    return {
        "exercise": data["exercise"].pk,
        "counts": data["counts"],
        "mean_score": data["mean_score"],
        "students": [
            {"username": row["username"], "status": row["status"], "attempt": row["attempt"], "spans": row["span_count"],
             "score": row["score"], "computed_score": row["computed_score"], "late": row["late"],
             "submission": row["submission"].pk if row["submission"] else None,
             "joined_at": row["joined_at"].isoformat() if row["joined_at"] else None}
            for row in data["students"]
        ],
        "labels": data["labels"],
        "heat_map": data["heat_map"],
        "most_missed": [
            {**{k: v for k, v in entry.items() if k != "key"}, "key": {"id": entry["key"].id, "quote": entry["key"].quote,
                                                                       "label": entry["key"].label, "note": entry["key"].note}}
            for entry in data["most_missed"]
        ],
        "confusion": {k: v for k, v in data["confusion"].items() if k != "table"},
        "agreement": data["agreement"],
    }


class ExerciseDashboardView(APIView):
    @extend_schema(summary="The live class dashboard (teacher)", responses={200: DashboardSerializer})
    def get(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
        return Response(dashboard_data(dashboard.exercise_dashboard(exercise=exercise, user=request.user)))


class ExerciseGradesView(DownloadView):
    @extend_schema(summary="Grades: one row per student (teacher); ?format=csv for the CSV file",
                   parameters=[OpenApiParameter("format", str, enum=["json", "csv"])],
                   responses={200: GradeRowSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_teacher(exercise_id=exercise_id, user=request.user)
        wanted = request.query_params.get("format", "json")
        if wanted == "csv":
            return file_response(dashboard.grades_file(exercise=exercise))
        if wanted != "json":
            raise InvalidInput(f"format must be json or csv, not {wanted!r}.")
        return Response(dashboard.grades_rows(exercise=exercise))


class ExerciseExportView(DownloadView):
    @extend_schema(
        summary="Export the key or a submission of one of the exercise's documents in any map format",
        parameters=[OpenApiParameter("document", int, required=True),
                    OpenApiParameter("layer", str, required=True, description="key, or a submission id"),
                    OpenApiParameter("format", str, required=True)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
        document, layer = selectors.export_source_get(exercise=exercise, document=request.query_params.get("document", ""),
                                                      layer=request.query_params.get("layer", ""), user=request.user)
        return file_response(map_export(document=document, layer=layer, format_name=request.query_params.get("format", ""),
                                        user=request.user))
