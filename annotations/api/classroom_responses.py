"""Response shapes, for the OpenAPI schema, of the classroom endpoints that answer with dicts
built by selectors (the dashboard, the grades, a submission's feedback), in the style of
``api.responses``: they describe, they do not build. The scoring rules' own shapes
(``annotations.scoring``: a span's and a link's feedback, a score's parts) are described once
here and used by the feedback and the dashboard.
"""
from __future__ import annotations

from rest_framework import serializers

from annotations.scoring import EXTRA, MATCHED, MISSING, SPAN_KINDS, WRONG

S = serializers


class ScoringSpanSerializer(S.Serializer):
    id = S.CharField(help_text="s and the span's id.")
    document = S.IntegerField()
    paragraph = S.IntegerField()
    start = S.IntegerField()
    end = S.IntegerField()
    label = S.CharField()
    quote = S.CharField(allow_blank=True)


class ScoringRelationSerializer(S.Serializer):
    source = S.CharField()
    target = S.CharField()
    kind = S.CharField()


class SpanFeedbackSerializer(S.Serializer):
    kind = S.ChoiceField(choices=SPAN_KINDS)
    key = ScoringSpanSerializer(allow_null=True)
    student = ScoringSpanSerializer(allow_null=True)
    credit = S.FloatField()
    message = S.CharField()
    note = S.CharField(allow_blank=True)
    missing = S.ListField(child=S.CharField(), help_text="Words of the key span the student's lacks.")
    beyond = S.ListField(child=S.CharField(), help_text="Words of the student's span beyond the key's.")


class RelationFeedbackSerializer(S.Serializer):
    kind = S.ChoiceField(choices=(MATCHED, WRONG, MISSING, EXTRA))
    key = ScoringRelationSerializer(allow_null=True)
    student = ScoringRelationSerializer(allow_null=True)
    message = S.CharField()


class ScorePartsSerializer(S.Serializer):
    score = S.FloatField(allow_null=True)
    span_points = S.FloatField()
    span_max = S.IntegerField()
    span_penalty = S.FloatField()
    relation_points = S.FloatField()
    relation_max = S.IntegerField()
    relation_penalty = S.FloatField()
    relations_counted = S.BooleanField()
    found = S.IntegerField()
    partial = S.IntegerField()
    wrong_label = S.IntegerField()
    missed = S.IntegerField()
    extra = S.IntegerField()
    relations_matched = S.IntegerField()
    relations_wrong = S.IntegerField()
    relations_missing = S.IntegerField()
    relations_extra = S.IntegerField()


class FeedbackSerializer(S.Serializer):
    submission = S.IntegerField()
    exercise = S.IntegerField()
    student = S.CharField()
    attempt = S.IntegerField()
    status = S.CharField()
    late = S.BooleanField()
    submitted_at = S.DateTimeField(allow_null=True)
    visible = S.ChoiceField(choices=["detail", "score"], allow_null=True,
                            help_text="What the asker may see: everything, the score only, or nothing yet (null).")
    feedback_mode = S.CharField()
    message = S.CharField(required=False, help_text="Why nothing is shown yet (when visible is null).")
    score = S.FloatField(allow_null=True, required=False)
    computed_score = S.FloatField(allow_null=True, required=False)
    override_comment = S.CharField(allow_blank=True, required=False)
    parts = ScorePartsSerializer(required=False)
    spans = SpanFeedbackSerializer(many=True, required=False, help_text="Per key span and per extra span (detail only).")
    relations = RelationFeedbackSerializer(many=True, required=False, help_text="Per link (detail only).")
    rules = S.ListField(child=S.CharField(), required=False, help_text="The scoring rules in words (detail only).")


class DashboardStudentSerializer(S.Serializer):
    username = S.CharField()
    status = S.CharField()
    attempt = S.IntegerField()
    spans = S.IntegerField()
    score = S.FloatField(allow_null=True)
    computed_score = S.FloatField(allow_null=True)
    late = S.BooleanField()
    submission = S.IntegerField(allow_null=True)
    joined_at = S.DateTimeField(allow_null=True)


class HeatMapSentenceSerializer(S.Serializer):
    document = S.IntegerField()
    paragraph = S.IntegerField()
    start = S.IntegerField()
    end = S.IntegerField()
    text = S.CharField(allow_blank=True)
    shares = S.DictField(child=S.FloatField(), help_text="Per label, the share of the class that tagged the sentence.")


class MissedKeySpanSerializer(S.Serializer):
    id = S.CharField()
    quote = S.CharField(allow_blank=True)
    label = S.CharField()
    note = S.CharField(allow_blank=True)


class MostMissedSerializer(S.Serializer):
    key = MissedKeySpanSerializer()
    missed = S.IntegerField()
    wrong_label = S.IntegerField()
    partial = S.IntegerField()
    found = S.IntegerField()
    share_missed = S.FloatField()


class ConfusionSerializer(S.Serializer):
    rows = S.ListField(child=S.CharField(), help_text="The key's labels, then \"not in key\".")
    columns = S.ListField(child=S.CharField(), help_text="The students' labels, then \"missed\".")
    cells = S.ListField(child=S.ListField(child=S.IntegerField()))


class StudentsAgreementSerializer(S.Serializer):
    alpha = S.FloatField(allow_null=True)
    students = S.IntegerField()
    tokens = S.IntegerField()
    outside = S.CharField(required=False, help_text="The label of a token no span covers.")


class DashboardSerializer(S.Serializer):
    exercise = S.IntegerField()
    counts = S.DictField(child=S.IntegerField(), help_text="Students per status: not started, working, submitted, late.")
    mean_score = S.FloatField(allow_null=True)
    students = DashboardStudentSerializer(many=True)
    labels = S.ListField(child=S.CharField())
    heat_map = HeatMapSentenceSerializer(many=True)
    most_missed = MostMissedSerializer(many=True)
    confusion = ConfusionSerializer()
    agreement = StudentsAgreementSerializer()


class GradeRowSerializer(S.Serializer):
    """One row of the gradebook: the columns of the CSV (``selectors.dashboard.GRADE_COLUMNS``)."""

    student = S.CharField()
    status = S.CharField()
    score = S.FloatField(allow_null=True)
    computed_score = S.FloatField(allow_null=True)
    override_score = S.FloatField(allow_null=True)
    override_comment = S.CharField(allow_blank=True)
    found = S.IntegerField(allow_null=True)
    partial = S.IntegerField(allow_null=True)
    wrong_label = S.IntegerField(allow_null=True)
    missed = S.IntegerField(allow_null=True)
    extra = S.IntegerField(allow_null=True)
    span_points = S.FloatField(allow_null=True)
    span_max = S.IntegerField(allow_null=True)
    relation_points = S.FloatField(allow_null=True)
    relation_max = S.IntegerField(allow_null=True)
    submitted_at = S.CharField(allow_blank=True, help_text="ISO 8601; empty when not submitted.")
    late = S.BooleanField()
    attempts = S.IntegerField()
