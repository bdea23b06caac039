"""Response shapes, for the OpenAPI schema, of the classroom endpoints that answer with dicts
built by selectors (the dashboard, the grades, a submission's feedback), declared in one line
each by ``api.responses.shape``: they describe, they do not build. The scoring rules' own
shapes (``annotations.scoring``: a span's and a link's feedback, a score's parts) are described
once here, for the feedback and the dashboard.
"""
from __future__ import annotations

from typing import Literal

from rest_framework import serializers as S

from annotations.api.responses import Blank, shape
from annotations.scoring import EXTRA, MATCHED, MISSING, SPAN_KINDS, WRONG


def _words(help_text: str) -> S.ListField:
    return S.ListField(child=S.CharField(), help_text=help_text)


ScoringSpanSerializer = shape("ScoringSpan", id=S.CharField(help_text="s and the span's id."), document=int,
                              paragraph=int, start=int, end=int, label=str, quote=Blank)
ScoringRelationSerializer = shape("ScoringRelation", source=str, target=str, kind=str)
SpanFeedbackSerializer = shape(
    "SpanFeedback", kind=Literal[SPAN_KINDS], key=ScoringSpanSerializer | None, student=ScoringSpanSerializer | None,
    credit=float, message=str, note=Blank, missing=_words("Words of the key span the student's lacks."),
    beyond=_words("Words of the student's span beyond the key's."),
)
RelationFeedbackSerializer = shape(
    "RelationFeedback", kind=Literal[MATCHED, WRONG, MISSING, EXTRA], key=ScoringRelationSerializer | None,
    student=ScoringRelationSerializer | None, message=str,
)
ScorePartsSerializer = shape(
    "ScoreParts", score=float | None, span_points=float, span_max=int, span_penalty=float, relation_points=float,
    relation_max=int, relation_penalty=float, relations_counted=bool,
    **{kind: int for kind in SPAN_KINDS}, **{f"relations_{kind}": int for kind in (MATCHED, WRONG, MISSING, EXTRA)},
)
FeedbackSerializer = shape(
    "Feedback", submission=int, exercise=int, student=str, attempt=int, status=str, late=bool, submitted_at=str | None,
    visible=S.ChoiceField(choices=["detail", "score"], allow_null=True,
                          help_text="What the asker may see: everything, the score only, or nothing yet (null)."),
    feedback_mode=str,
    message=S.CharField(required=False, help_text="Why nothing is shown yet (when visible is null)."),
    # what the feedback mode lets the viewer see: the score (and its parts), then the detail
    score=S.FloatField(allow_null=True, required=False), computed_score=S.FloatField(allow_null=True, required=False),
    override_comment=S.CharField(allow_blank=True, required=False), parts=ScorePartsSerializer(required=False),
    spans=SpanFeedbackSerializer(many=True, required=False, help_text="Per key span and per extra span (detail only)."),
    relations=RelationFeedbackSerializer(many=True, required=False, help_text="Per link (detail only)."),
    rules=S.ListField(child=S.CharField(), required=False, help_text="The scoring rules in words (detail only)."),
)

DashboardStudentSerializer = shape(
    "DashboardStudent", username=str, status=str, attempt=int, spans=int, score=float | None,
    computed_score=float | None, late=bool, submission=int | None, joined_at=str | None,
)
HeatMapSentenceSerializer = shape(
    "HeatMapSentence", document=int, paragraph=int, start=int, end=int, text=Blank,
    shares=S.DictField(child=S.FloatField(), help_text="Per label, the share of the class that tagged the sentence."),
)
MissedKeySpanSerializer = shape("MissedKeySpan", id=str, quote=Blank, label=str, note=Blank)
MostMissedSerializer = shape("MostMissed", key=MissedKeySpanSerializer, missed=int, wrong_label=int, partial=int,
                             found=int, share_missed=float)
ConfusionSerializer = shape(
    "Confusion", rows=_words("The key's labels, then \"not in key\"."),
    columns=_words("The students' labels, then \"missed\"."), cells=list[list[int]],
)
StudentsAgreementSerializer = shape(
    "StudentsAgreement", alpha=float | None, students=int, tokens=int,
    outside=S.CharField(required=False, help_text="The label of a token no span covers."),
)
DashboardSerializer = shape(
    "Dashboard", exercise=int,
    counts=S.DictField(child=S.IntegerField(), help_text="Students per status: not started, working, submitted, late."),
    mean_score=float | None, students=list[DashboardStudentSerializer], labels=list[str],
    heat_map=list[HeatMapSentenceSerializer], most_missed=list[MostMissedSerializer], confusion=ConfusionSerializer,
    agreement=StudentsAgreementSerializer,
)

_GRADE_NUMBERS = {"found": int, "partial": int, "wrong_label": int, "missed": int, "extra": int, "span_points": float,
                  "span_max": int, "relation_points": float, "relation_max": int}
GradeRowSerializer = shape(
    "GradeRow", student=str, status=str, score=float | None, computed_score=float | None, override_score=float | None,
    override_comment=Blank, **{name: kind | None for name, kind in _GRADE_NUMBERS.items()},
    submitted_at=S.CharField(allow_blank=True, help_text="ISO 8601; empty when not submitted."), late=bool, attempts=int,
)
