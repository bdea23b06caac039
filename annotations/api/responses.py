"""Response shapes, for the OpenAPI schema, of the endpoints that answer with dicts built by
selectors and services (the resources' own serializers are in ``api.serializers``).

They describe; they do not build: the views return the selectors' dicts as they are, and
tests/api/test_response_schemas.py holds every answer to these declarations (what
schemathesis checks). ``ERRORS`` is the shape of every 4xx answer.

A shape is declared in one line by ``shape``, its fields given as Python types (``int``,
``str | None``, ``list[int]``, a serializer, ``Literal[...]``; ``Blank``: a string that may be
empty) or, where one needs a help text, as a field. The smaller views of spans, relations,
layers and suggestions (``annotations.representations``) are cut from the resources' own
serializers by ``view_of``, so each field's type is written once.
"""
from __future__ import annotations

import copy
import types
import typing
from datetime import datetime
from typing import Literal

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers as S

from annotations import representations as shapes
from annotations.api.serializers import AnnotationSerializer, LayerSerializer, RelationSerializer, SuggestionSerializer


class Blank(str):
    """A string that may be empty (in a ``shape``)."""


_FIELDS = {int: S.IntegerField, float: S.FloatField, bool: S.BooleanField, datetime: S.DateTimeField,
           dict: S.DictField, str: S.CharField, Blank: lambda **kwargs: S.CharField(allow_blank=True, **kwargs)}


def _field(spec, **kwargs) -> S.Field:
    """The serializer field for a type in a ``shape``."""
    if isinstance(spec, S.Field):
        return copy.deepcopy(spec)  # a fresh one, made in the shape's order (fields are ordered by creation)
    if isinstance(spec, types.UnionType):  # X | None
        (inner,) = [arg for arg in typing.get_args(spec) if arg is not type(None)]
        return _field(inner, allow_null=True, **kwargs)
    origin, args = typing.get_origin(spec), typing.get_args(spec)
    if origin is Literal:
        return S.ChoiceField(choices=list(args), **kwargs)
    if origin is list and isinstance(args[0], type) and issubclass(args[0], S.BaseSerializer):
        return args[0](many=True, **kwargs)
    if origin is list:
        return S.ListField(child=_field(args[0]), **kwargs)
    if origin is dict:
        return S.DictField(child=_field(args[1]), **kwargs)
    if isinstance(spec, type) and issubclass(spec, S.BaseSerializer):
        return spec(**kwargs)
    return _FIELDS[spec](**kwargs)


def shape(name: str, base: type[S.Serializer] = S.Serializer, /, **fields) -> type[S.Serializer]:
    """A response serializer ``<name>Serializer`` (``base``'s fields, then these, in order)."""
    attributes = {"__module__": __name__, **{key: _field(spec) for key, spec in fields.items()}}
    if issubclass(base, S.ModelSerializer):
        attributes["Meta"] = _meta(base, [*base.Meta.fields, *fields])
    return type(f"{name}Serializer", (base,), attributes)


def _meta(resource: type[S.ModelSerializer], fields: list[str]) -> type:
    return type("Meta", (), {"model": resource.Meta.model, "fields": fields, "read_only_fields": fields})


def view_of(resource: type[S.ModelSerializer], view: tuple[str, ...], name: str) -> type[S.ModelSerializer]:
    """The resource's serializer cut down to a view of ``annotations.representations``."""
    return type(f"{name}Serializer", (resource,), {"__module__": __name__, "Meta": _meta(resource, list(view))})


ErrorSerializer = shape(
    "Error",
    detail=S.CharField(help_text="What is wrong, and what to do instead."),
    errors=S.DictField(required=False, help_text="Per field, the messages (invalid bodies)."),
)

ERRORS = {
    status: OpenApiResponse(ErrorSerializer, description=description)
    for status, description in (
        (400, "Bad input: the message names the field and what it takes."),
        (403, "Not allowed in this project for your role."),
        (404, "No such object, or not in a project you are a member of."),
        (409, "Conflicts with the current state (a stale version, a duplicate)."),
    )
}
TOO_MANY_SIGN_INS = OpenApiResponse(
    ErrorSerializer, description="Too many failed sign-ins for this account or address; the message says when to try again.",
)

# ---- layers --------------------------------------------------------------------------------------

LayerBriefSerializer = view_of(LayerSerializer, shapes.LAYER_BRIEF, "LayerBrief")
LayerCountsSerializer = shape("LayerCounts", LayerBriefSerializer, mine=bool, spans=int, relations=int)
DocumentLayersSerializer = shape("DocumentLayers", document=int, layers=list[LayerCountsSerializer])
LayerSpanSerializer = view_of(AnnotationSerializer, shapes.SPAN_IN_LAYER, "LayerSpan")
LayerRelationSerializer = view_of(RelationSerializer, shapes.RELATION_IN_LAYER, "LayerRelation")
LayerSpansSerializer = shape(
    "LayerSpans", layer=LayerBriefSerializer, annotations=list[LayerSpanSerializer], relations=list[LayerRelationSerializer],
)

ComparedSpanSerializer = shape(
    "ComparedSpan", id=int, start=int, end=int, quote=str, label=str, status=Literal["same", "relabelled", "only"],
    other_label=str | None,
)
ComparedParagraphSerializer = shape(
    "ComparedParagraph", position=int, kind=str, text=Blank, first=list[ComparedSpanSerializer],
    second=list[ComparedSpanSerializer],
)
ImportedLayerSerializer = view_of(LayerSerializer, shapes.LAYER_NAMED, "ImportedLayer")
ComparedLayerSerializer = shape("ComparedLayer", ImportedLayerSerializer, spans=int)
CompareSummarySerializer = shape("CompareSummary", same=int, relabelled=int, only_first=int, only_second=int)
LayersCompareSerializer = shape(
    "LayersCompare", document=int, match=Literal["exact", "overlap"], first=ComparedLayerSerializer,
    second=ComparedLayerSerializer, summary=CompareSummarySerializer, paragraphs=list[ComparedParagraphSerializer],
)

# ---- changes, activity, comments -------------------------------------------------------------------

ChangeEventSerializer = shape(
    "ChangeEvent", id=int, kind=str, action=str, object_id=int, layer=int | None, actor=str | None, at=datetime,
    data=S.DictField(help_text="The object as it is after the change (its id only, for a deletion)."),
)
ChangesSerializer = shape(
    "Changes",
    cursor=S.IntegerField(allow_null=True, help_text="Ask again with ?since=<cursor>."),
    more=S.BooleanField(help_text="True: more changes are waiting; ask again at once."),
    events=list[ChangeEventSerializer],
)
ActivityEventSerializer = shape("ActivityEvent", ChangeEventSerializer, layer_name=str | None)
ActivitySerializer = shape("Activity", document=int, events=list[ActivityEventSerializer])

CommentSerializer = shape(
    "Comment", id=int, document=int, annotation=int, author=str | None, body=str, mentions=list[str], resolved=bool,
    resolved_by=str | None, resolved_at=datetime | None, created_at=datetime | None, updated_at=datetime | None,
)
MentionSerializer = shape("Mention", CommentSerializer, quote=str)
DocumentCommentsSerializer = shape("DocumentComments", document=int, comments=list[CommentSerializer])
MentionsSerializer = shape("Mentions", comments=list[MentionSerializer])

# ---- agreement and curation --------------------------------------------------------------------------

AgreementSerializer = shape(
    "Agreement",
    layers=S.ListField(child=S.CharField(), help_text="Display names of the measured layers."),
    labels=list[str],
    documents=int,
    overlap_threshold=float,
    pairs=S.ListField(child=S.DictField(), help_text="Per pair of layers: counts and every metric."),
    group=S.DictField(allow_null=True, help_text="Group measures over all layers (null for fewer than two)."),
    matrices=dict[str, list[list[float | None]]],
    per_label=dict[str, dict[str, list[list[float | None]]]],
    layer_ids=list[int],
    layer_kinds=list[str],
    document_ids=list[int],
)

NamedLayerSerializer = view_of(LayerSerializer, shapes.LAYER_NAME, "NamedLayer")
CurationSerializer = shape(
    "Curation", document=int, available_layers=list[NamedLayerSerializer], layers=list[NamedLayerSerializer],
    share=float, match=str, consensus_layer=int | None, consensus_span_count=int, merged_spans=list[dict],
    disagreements=list[dict], relation_disagreements=list[dict],
)
MergeOutcomeSerializer = shape(
    "MergeOutcome", consensus_layer=int, spans_added=int, spans_kept=int, spans_removed=int, relations_added=int,
    disagreements=int,
)
AnswerKeySerializer = shape("AnswerKey", answer_key_layer=int)
RejectionSerializer = shape("Rejection", id=int, document=int, paragraph=int, 
    candidates=S.ListField(child=S.ListField(), help_text="[start, end, label] of each rejected option."), decided_at=datetime)

# ---- members and invitations --------------------------------------------------------------------------

MemberRoleChangedSerializer = shape("MemberRoleChanged", username=str, role=str)
MemberSerializer = shape("Member", MemberRoleChangedSerializer, joined_at=datetime)
ProjectMembersSerializer = shape("ProjectMembers", project=str, members=list[MemberSerializer])
InvitationSerializer = shape(
    "Invitation", id=int, role=str, token=str, url=str, created_by=str | None, created_at=datetime,
    expires_at=datetime, max_uses=int, use_count=int, revoked=bool, usable=bool, note=Blank,
)
InvitationsSerializer = shape("Invitations", invitations=list[InvitationSerializer])
JoinedSerializer = shape("Joined", project=str, role=str)

# ---- suggestions ----------------------------------------------------------------------------------------

ProjectModelSerializer = shape(
    "ProjectModel", trained_at=datetime, examples=int, held_back=int, accuracy_model=float, accuracy_rules=float,
    pipeline=str, learned=list[str],
)
SuggestionsStatusSerializer = shape(
    "SuggestionsStatus", document=int, status=Literal["none", "pending", "running", "done", "failed"],
    pipeline=Blank, fallback_message=Blank, error=Blank, requested_at=datetime | None, finished_at=datetime | None,
    used_project_model=bool, project_model=ProjectModelSerializer | None, suggestions=list[SuggestionSerializer],
)
ComputeQueuedSerializer = shape("ComputeQueued", document=int, status=str, status_url=str)
SkippedSuggestionSerializer = shape("SkippedSuggestion", suggestion=int, reason=str)
AcceptAboveResultSerializer = shape(
    "AcceptAboveResult", accepted=int, skipped=list[SkippedSuggestionSerializer], annotations=list[AnnotationSerializer],
)
RejectedSerializer = shape("Rejected", suggestion=int, decision=str)
ProjectSuggestionModelSerializer = shape(
    "ProjectSuggestionModel", project=str, examples=int, needed=int, model=ProjectModelSerializer | None,
)

# ---- exchange --------------------------------------------------------------------------------------------

ExportStatusSerializer = shape("ExportStatus", status=str, detail=str)
ExportQueuedSerializer = shape("ExportQueued", detail=str, task=str, status_url=str)
ImportedDocumentSerializer = shape("ImportedDocument", id=int, title=str, created=bool, spans=int, relations=int)
MapImportResultSerializer = shape(
    "MapImportResult", detail=str, layer=ImportedLayerSerializer, documents=list[ImportedDocumentSerializer],
    merged=list[str], left_out=list[str], assumed=list[str],
)
