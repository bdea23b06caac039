"""API for classroom exercises: joining a class, exercises, submissions (start, submit,
reopen, override), feedback, the live dashboard, grades (JSON or CSV) and exports of the key
and of a submission in every map format. Same rules as the pages: outside the class 404,
students see only their own submissions, teachers everything of their class.
"""
from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import fields
from annotations.api.exchange import FormatIsNotARenderer, file_response
from annotations.api.inputs import first_error as _first_error, valid_data as _valid
from annotations.api.parsers import ArgmapJSONParser
from annotations.api.serializers import WholeNumberField
from annotations.errors import InvalidInput, NotFound, NotPermitted
from annotations.models import Exercise, Layer, Submission
from annotations.permissions import can_teach
from annotations.selectors import exercises as selectors
from annotations.selectors import project_get_for_user
from annotations.selectors.exports import map_export
from annotations.services import classes as class_services
from annotations.services import exercises as services


class ExerciseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Exercise
        fields = ["id", "project", "title", "instructions", "documents", "labels", "relations_count", "opens_at",
                  "due_at", "late_policy", "attempts_allowed", "show_suggestions", "feedback_mode",
                  "classmates_visible", "released_at", "created_at"]
        read_only_fields = fields


class ExerciseWriteSerializer(serializers.Serializer):
    title = fields.CharField(max_length=200)
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


class ExerciseCreateSerializer(ExerciseWriteSerializer):
    project = fields.SlugField()
    documents = serializers.ListField(child=WholeNumberField(), allow_empty=False, min_length=1)


class SubmissionSerializer(serializers.ModelSerializer):
    student = fields.CharField(source="student.username", read_only=True)
    score = fields.FloatField(source="final_score", read_only=True, allow_null=True)
    computed_score = fields.FloatField(source="score", read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = ["id", "exercise", "student", "attempt", "layer", "status", "started_at", "submitted_at", "late",
                  "score", "computed_score", "override_score", "override_comment"]
        read_only_fields = fields


def _submission_data(submission: Submission, user) -> dict:
    """A student sees their score only when the feedback mode lets them."""
    data = SubmissionSerializer(submission).data
    if not can_teach(submission.exercise.project, user) and selectors.feedback_level(submission.exercise, submission) is None:
        data.update(score=None, computed_score=None, override_score=None, override_comment="")
    return data


def _exercise(request, exercise_id: int) -> Exercise:
    return selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)


def _teacher_exercise(request, exercise_id: int) -> Exercise:
    exercise = _exercise(request, exercise_id)
    if not can_teach(exercise.project, request.user):
        raise NotPermitted("Only the class's teacher can do this.")
    return exercise


def _settings(data: dict) -> dict:
    return {name: data[name] for name in services.EXERCISE_FIELDS if name in data and name != "title"}


class JoinInput(serializers.Serializer):
    code = fields.CharField(max_length=20)


class JoinView(APIView):
    @extend_schema(summary="Join a class with its join code (as a student)", request=JoinInput,
                   responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(JoinInput, request.data)
        membership = class_services.class_join(code=data["code"], user=request.user)
        return Response({"project": membership.project.slug, "role": membership.role})


class ExerciseListView(APIView):
    # JSON only: its body has nullable fields, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(summary="Exercises: a class's (?project=slug) or, without it, yours as a student",
                   parameters=[OpenApiParameter("project", str)], responses={200: ExerciseSerializer(many=True)})
    def get(self, request):
        slug = request.query_params.get("project")
        if slug:
            project = project_get_for_user(slug=slug, user=request.user)
            exercises = Exercise.objects.filter(project=project).prefetch_related("documents").select_related("project")
        else:
            exercises = [row["exercise"] for row in selectors.exercises_for_student(user=request.user)]
            Exercise.objects.none()
        return Response(ExerciseSerializer(exercises, many=True).data)

    @extend_schema(summary="Set an exercise (teacher)", request=ExerciseCreateSerializer, responses={201: ExerciseSerializer})
    def post(self, request):
        data = _valid(ExerciseCreateSerializer, request.data)
        project = project_get_for_user(slug=data["project"], user=request.user)
        exercise = services.exercise_create(project=project, user=request.user, title=data["title"],
                                            document_ids=data["documents"], **_settings(data))
        return Response(ExerciseSerializer(exercise).data, status=status.HTTP_201_CREATED)


class ExerciseDetailView(APIView):
    # JSON only: its body has nullable fields, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(summary="One exercise", responses={200: ExerciseSerializer})
    def get(self, request, exercise_id: int):
        return Response(ExerciseSerializer(_exercise(request, exercise_id)).data)

    @extend_schema(summary="Change an exercise's settings (teacher)", request=ExerciseWriteSerializer(partial=True),
                   responses={200: ExerciseSerializer})
    def patch(self, request, exercise_id: int):
        exercise = _exercise(request, exercise_id)
        serializer = ExerciseWriteSerializer(data=request.data, partial=True)
        if not serializer.is_valid():
            raise InvalidInput(_first_error(serializer.errors))
        data = serializer.validated_data
        changes = _settings(data)
        if "title" in data:
            changes["title"] = data["title"]
        if "documents" in data:
            changes["document_ids"] = data["documents"]
        exercise = services.exercise_update(exercise=exercise, user=request.user, **changes)
        return Response(ExerciseSerializer(exercise).data)

    @extend_schema(summary="Delete an exercise with its key and all work (teacher)", responses={204: None})
    def delete(self, request, exercise_id: int):
        services.exercise_delete(exercise=_exercise(request, exercise_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExerciseReleaseView(APIView):
    @extend_schema(summary="Release feedback to the class (teacher); {\"released\": false} takes it back",
                   request=OpenApiTypes.OBJECT, responses={200: ExerciseSerializer})
    def post(self, request, exercise_id: int):
        released = request.data.get("released", True) if hasattr(request.data, "get") else True
        exercise = services.exercise_release(exercise=_exercise(request, exercise_id), user=request.user,
                                             released=bool(released))
        return Response(ExerciseSerializer(exercise).data)


class ExerciseSubmissionsView(APIView):
    @extend_schema(summary="Submissions: all of the class (teacher) or your own (student)",
                   responses={200: SubmissionSerializer(many=True)})
    def get(self, request, exercise_id: int):
        exercise = _exercise(request, exercise_id)
        submissions = Submission.objects.filter(exercise=exercise).select_related("student", "exercise__project")
        if not can_teach(exercise.project, request.user):
            submissions = submissions.filter(student=request.user)
        return Response([_submission_data(s, request.user) for s in submissions.order_by("student__username", "attempt")])

    @extend_schema(summary="Start (or get) your current attempt (student)", request=None, responses={201: SubmissionSerializer})
    def post(self, request, exercise_id: int):
        submission = services.submission_start(exercise=_exercise(request, exercise_id), user=request.user)
        return Response(_submission_data(submission, request.user), status=status.HTTP_201_CREATED)


class ExerciseAttemptView(APIView):
    @extend_schema(summary="Start your next attempt from a copy of the last (student)", request=None,
                   responses={201: SubmissionSerializer})
    def post(self, request, exercise_id: int):
        submission = services.submission_new_attempt(exercise=_exercise(request, exercise_id), user=request.user)
        return Response(_submission_data(submission, request.user), status=status.HTTP_201_CREATED)


def _submission(request, submission_id: int) -> Submission:
    return selectors.submission_get_for_user(submission_id=submission_id, user=request.user)


class SubmissionDetailView(APIView):
    @extend_schema(summary="One submission", responses={200: SubmissionSerializer})
    def get(self, request, submission_id: int):
        return Response(_submission_data(_submission(request, submission_id), request.user))


class SubmissionSubmitView(APIView):
    @extend_schema(summary="Submit the attempt: its work becomes read-only", request=None, responses={200: SubmissionSerializer})
    def post(self, request, submission_id: int):
        submission = services.submission_submit(submission=_submission(request, submission_id), user=request.user)
        return Response(_submission_data(submission, request.user))


class SubmissionReopenView(APIView):
    @extend_schema(summary="Reopen a submitted attempt (teacher)", request=None, responses={200: SubmissionSerializer})
    def post(self, request, submission_id: int):
        submission = services.submission_reopen(submission=_submission(request, submission_id), user=request.user)
        return Response(_submission_data(submission, request.user))


class OverrideInput(serializers.Serializer):
    score = fields.FloatField(allow_null=True, min_value=0, max_value=100)
    comment = fields.CharField(required=False, allow_blank=True)


class SubmissionOverrideView(APIView):
    # JSON only: its body has nullable fields, and a form has no way to say null ("null" is text)
    parser_classes = [ArgmapJSONParser]

    @extend_schema(summary="Override the score with a comment (teacher); null goes back to the computed one",
                   request=OverrideInput, responses={200: SubmissionSerializer})
    def post(self, request, submission_id: int):
        data = _valid(OverrideInput, request.data)
        submission = services.submission_override(submission=_submission(request, submission_id), user=request.user,
                                                  score=data["score"], comment=data.get("comment", ""))
        return Response(_submission_data(submission, request.user))


class SubmissionFeedbackView(APIView):
    @extend_schema(summary="Feedback per key span, per extra span and per link, and the score (as the feedback mode allows)",
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request, submission_id: int):
        return Response(selectors.submission_feedback(submission=_submission(request, submission_id), user=request.user))


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
    @extend_schema(summary="The live class dashboard (teacher)", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, exercise_id: int):
        exercise = _teacher_exercise(request, exercise_id)
        return Response(dashboard_data(selectors.exercise_dashboard(exercise=exercise, user=request.user)))


class ExerciseGradesView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsNotARenderer

    @extend_schema(summary="Grades: one row per student (teacher); ?format=csv for the CSV file",
                   parameters=[OpenApiParameter("format", str, enum=["json", "csv"])],
                   responses={200: OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, exercise_id: int):
        exercise = _teacher_exercise(request, exercise_id)
        wanted = request.query_params.get("format", "json")
        if wanted == "csv":
            response = HttpResponse(selectors.grades_csv(exercise=exercise), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="exercise-{exercise.pk}-grades.csv"'
            return response
        if wanted != "json":
            raise InvalidInput(f"format must be json or csv, not {wanted!r}.")
        return Response(selectors.grades_rows(exercise=exercise))


class ExerciseExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsNotARenderer

    @extend_schema(
        summary="Export the key or a submission of one of the exercise's documents in any map format",
        parameters=[
            OpenApiParameter("document", int, required=True),
            OpenApiParameter("layer", str, required=True, description="key, or a submission id"),
            OpenApiParameter("format", str, required=True),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, exercise_id: int):
        exercise = _exercise(request, exercise_id)
        raw_document = request.query_params.get("document", "")
        if not raw_document.isdigit():
            raise InvalidInput("document must be the id of one of the exercise's documents.")
        document = exercise.documents.filter(pk=int(raw_document)).select_related("project").first()
        if document is None:
            raise NotFound(f"Document {raw_document} is not part of this exercise.")
        which = request.query_params.get("layer", "")
        if which == "key":
            layer = services.exercise_key_layer(exercise)
            from annotations.permissions import can_view_layer

            if not can_view_layer(layer, request.user):
                raise NotFound("The key is not open to you yet.")
        elif which.isdigit():
            layer = _submission(request, int(which)).layer
        else:
            raise InvalidInput("layer must be key or a submission id.")
        return file_response(map_export(document=document, layer=layer, format_name=request.query_params.get("format", ""),
                                        user=request.user))
