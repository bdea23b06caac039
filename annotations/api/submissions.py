"""API for students' attempts at an exercise: listing them, starting one (and the next),
submitting, the teacher's reopen and override, and the feedback as its viewer may see it.
Students see only their own submissions (and their score once the feedback mode lets them),
teachers everything of their class; outside the class 404.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import services
from annotations.api import fields
from annotations.api.classroom_responses import FeedbackSerializer
from annotations.api.inputs import valid_data
from annotations.api.parsers import ArgmapJSONParser
from annotations.models import Submission
from annotations.selectors import exercises as selectors
from annotations.selectors import scores
from annotations.selectors.feedback import submission_feedback


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
    if not selectors.score_visible(submission, user):
        data.update(score=None, computed_score=None, override_score=None, override_comment="")
    return data


def _submission(request, submission_id: int) -> Submission:
    return selectors.submission_get_for_user(submission_id=submission_id, user=request.user)


class ExerciseSubmissionsView(APIView):
    @extend_schema(summary="Submissions: all of the class (teacher) or your own (student)",
                   responses={200: SubmissionSerializer(many=True)})
    def get(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
        submissions = scores.submissions_with_current_scores(exercise=exercise, user=request.user)
        return Response([_submission_data(s, request.user) for s in submissions])

    @extend_schema(summary="Start (or get) your current attempt (student)", request=None, responses={201: SubmissionSerializer})
    def post(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
        submission = services.submission_start(exercise=exercise, user=request.user)
        return Response(_submission_data(submission, request.user), status=status.HTTP_201_CREATED)


class ExerciseAttemptView(APIView):
    @extend_schema(summary="Start your next attempt from a copy of the last (student)", request=None,
                   responses={201: SubmissionSerializer})
    def post(self, request, exercise_id: int):
        exercise = selectors.exercise_get_for_user(exercise_id=exercise_id, user=request.user)
        submission = services.submission_new_attempt(exercise=exercise, user=request.user)
        return Response(_submission_data(submission, request.user), status=status.HTTP_201_CREATED)


class SubmissionDetailView(APIView):
    @extend_schema(summary="One submission", responses={200: SubmissionSerializer})
    def get(self, request, submission_id: int):
        return Response(_submission_data(scores.submission_with_current_score(submission_id=submission_id, user=request.user),
                                         request.user))


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
        data = valid_data(OverrideInput, request.data)
        submission = services.submission_override(submission=_submission(request, submission_id), user=request.user,
                                                  score=data["score"], comment=data.get("comment", ""))
        return Response(_submission_data(submission, request.user))


class SubmissionFeedbackView(APIView):
    @extend_schema(summary="Feedback per key span, per extra span and per link, and the score (as the feedback mode allows)",
                   responses={200: FeedbackSerializer})
    def get(self, request, submission_id: int):
        return Response(submission_feedback(submission=_submission(request, submission_id), user=request.user))
