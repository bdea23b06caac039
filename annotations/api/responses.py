"""Response shapes, for the OpenAPI schema, of the endpoints that answer with dicts built by
selectors and services (the resources' own serializers are in ``api.serializers``).

They describe; they do not build: the views return the selectors' dicts as they are, and
tests/api/test_response_schemas.py holds every answer to these declarations (what
schemathesis checks). ``ERRORS`` is the shape of every 4xx answer.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from annotations.api.serializers import AnnotationSerializer

S = serializers


def _nullable_text(**kwargs):
    return S.CharField(allow_null=True, **kwargs)


def _ids(**kwargs):
    return S.ListField(child=S.IntegerField(), **kwargs)


class ErrorSerializer(S.Serializer):
    detail = S.CharField(help_text="What is wrong, and what to do instead.")
    errors = S.DictField(required=False, help_text="Per field, the messages (invalid bodies).")


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

class LayerCountsSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()
    kind = S.CharField()
    owner = _nullable_text()
    mine = S.BooleanField()
    spans = S.IntegerField()
    relations = S.IntegerField()


class DocumentLayersSerializer(S.Serializer):
    document = S.IntegerField()
    layers = LayerCountsSerializer(many=True)


class LayerBriefSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()
    kind = S.CharField()
    owner = _nullable_text()


class LayerSpanSerializer(S.Serializer):
    id = S.IntegerField()
    paragraph = S.IntegerField()
    start = S.IntegerField()
    end = S.IntegerField()
    quote = S.CharField()
    label = S.CharField()
    note = S.CharField(allow_blank=True)
    version = S.IntegerField()
    origin = S.CharField()
    author = _nullable_text()


class LayerRelationSerializer(S.Serializer):
    id = S.IntegerField()
    source = S.IntegerField()
    target = S.IntegerField()
    kind = S.CharField()


class LayerSpansSerializer(S.Serializer):
    layer = LayerBriefSerializer()
    annotations = LayerSpanSerializer(many=True)
    relations = LayerRelationSerializer(many=True)


class ComparedSpanSerializer(S.Serializer):
    id = S.IntegerField()
    start = S.IntegerField()
    end = S.IntegerField()
    quote = S.CharField()
    label = S.CharField()
    status = S.ChoiceField(choices=["same", "relabelled", "only"])
    other_label = _nullable_text()


class ComparedParagraphSerializer(S.Serializer):
    position = S.IntegerField()
    kind = S.CharField()
    text = S.CharField(allow_blank=True)
    first = ComparedSpanSerializer(many=True)
    second = ComparedSpanSerializer(many=True)


class ComparedLayerSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()
    kind = S.CharField()
    spans = S.IntegerField()


class CompareSummarySerializer(S.Serializer):
    same = S.IntegerField()
    relabelled = S.IntegerField()
    only_first = S.IntegerField()
    only_second = S.IntegerField()


class LayersCompareSerializer(S.Serializer):
    document = S.IntegerField()
    match = S.ChoiceField(choices=["exact", "overlap"])
    first = ComparedLayerSerializer()
    second = ComparedLayerSerializer()
    summary = CompareSummarySerializer()
    paragraphs = ComparedParagraphSerializer(many=True)


# ---- changes, activity, comments -------------------------------------------------------------------

class ChangeEventSerializer(S.Serializer):
    id = S.IntegerField()
    kind = S.CharField()
    action = S.CharField()
    object_id = S.IntegerField()
    layer = S.IntegerField(allow_null=True)
    actor = _nullable_text()
    at = S.DateTimeField()
    data = S.DictField(help_text="The object as it is after the change (its id only, for a deletion).")


class ChangesSerializer(S.Serializer):
    cursor = S.IntegerField(allow_null=True, help_text="Ask again with ?since=<cursor>.")
    more = S.BooleanField(help_text="True: more changes are waiting; ask again at once.")
    events = ChangeEventSerializer(many=True)


class ActivityEventSerializer(ChangeEventSerializer):
    layer_name = _nullable_text()


class ActivitySerializer(S.Serializer):
    document = S.IntegerField()
    events = ActivityEventSerializer(many=True)


class CommentSerializer(S.Serializer):
    id = S.IntegerField()
    document = S.IntegerField()
    annotation = S.IntegerField()
    author = _nullable_text()
    body = S.CharField()
    mentions = S.ListField(child=S.CharField())
    resolved = S.BooleanField()
    resolved_by = _nullable_text()
    resolved_at = S.DateTimeField(allow_null=True)
    created_at = S.DateTimeField(allow_null=True)
    updated_at = S.DateTimeField(allow_null=True)


class MentionSerializer(CommentSerializer):
    quote = S.CharField()


class DocumentCommentsSerializer(S.Serializer):
    document = S.IntegerField()
    comments = CommentSerializer(many=True)


class MentionsSerializer(S.Serializer):
    comments = MentionSerializer(many=True)


# ---- agreement and curation --------------------------------------------------------------------------

class AgreementSerializer(S.Serializer):
    layers = S.ListField(child=S.CharField(), help_text="Display names of the measured layers.")
    labels = S.ListField(child=S.CharField())
    documents = S.IntegerField()
    overlap_threshold = S.FloatField()
    pairs = S.ListField(child=S.DictField(), help_text="Per pair of layers: counts and every metric.")
    group = S.DictField(allow_null=True, help_text="Group measures over all layers (null for fewer than two).")
    matrices = S.DictField(child=S.ListField(child=S.ListField(child=S.FloatField(allow_null=True))))
    per_label = S.DictField(child=S.DictField(child=S.ListField(child=S.ListField(child=S.FloatField(allow_null=True)))))
    layer_ids = _ids()
    layer_kinds = S.ListField(child=S.CharField())
    document_ids = _ids()


class NamedLayerSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()


class CurationSerializer(S.Serializer):
    document = S.IntegerField()
    available_layers = NamedLayerSerializer(many=True)
    layers = NamedLayerSerializer(many=True)
    share = S.FloatField()
    match = S.CharField()
    consensus_layer = S.IntegerField(allow_null=True)
    consensus_span_count = S.IntegerField()
    merged_spans = S.ListField(child=S.DictField())
    disagreements = S.ListField(child=S.DictField())
    relation_disagreements = S.ListField(child=S.DictField())


class MergeOutcomeSerializer(S.Serializer):
    consensus_layer = S.IntegerField()
    spans_added = S.IntegerField()
    spans_kept = S.IntegerField()
    spans_removed = S.IntegerField()
    relations_added = S.IntegerField()
    disagreements = S.IntegerField()


class AnswerKeySerializer(S.Serializer):
    answer_key_layer = S.IntegerField()


# ---- members and invitations --------------------------------------------------------------------------

class MemberSerializer(S.Serializer):
    username = S.CharField()
    role = S.CharField()
    joined_at = S.DateTimeField()


class ProjectMembersSerializer(S.Serializer):
    project = S.CharField()
    members = MemberSerializer(many=True)


class MemberRoleChangedSerializer(S.Serializer):
    username = S.CharField()
    role = S.CharField()


class InvitationSerializer(S.Serializer):
    id = S.IntegerField()
    role = S.CharField()
    token = S.CharField()
    url = S.CharField()
    created_by = _nullable_text()
    created_at = S.DateTimeField()
    expires_at = S.DateTimeField()
    max_uses = S.IntegerField()
    use_count = S.IntegerField()
    revoked = S.BooleanField()
    usable = S.BooleanField()
    note = S.CharField(allow_blank=True)


class InvitationsSerializer(S.Serializer):
    invitations = InvitationSerializer(many=True)


class JoinedSerializer(S.Serializer):
    project = S.CharField()
    role = S.CharField()


# ---- suggestions ----------------------------------------------------------------------------------------

class SuggestionSerializer(S.Serializer):
    id = S.IntegerField()
    paragraph = S.IntegerField()
    start = S.IntegerField()
    end = S.IntegerField()
    quote = S.CharField()
    label = S.CharField()
    score = S.FloatField()
    cues = S.ListField(child=S.CharField())


class ProjectModelSerializer(S.Serializer):
    trained_at = S.DateTimeField()
    examples = S.IntegerField()
    held_back = S.IntegerField()
    accuracy_model = S.FloatField()
    accuracy_rules = S.FloatField()
    pipeline = S.CharField()


class SuggestionsStatusSerializer(S.Serializer):
    document = S.IntegerField()
    status = S.ChoiceField(choices=["none", "pending", "running", "done", "failed"])
    pipeline = S.CharField(allow_blank=True)
    fallback_message = S.CharField(allow_blank=True)
    error = S.CharField(allow_blank=True)
    requested_at = S.DateTimeField(allow_null=True)
    finished_at = S.DateTimeField(allow_null=True)
    used_project_model = S.BooleanField()
    project_model = ProjectModelSerializer(allow_null=True)
    suggestions = SuggestionSerializer(many=True)


class ComputeQueuedSerializer(S.Serializer):
    document = S.IntegerField()
    status = S.CharField()
    status_url = S.CharField()


class SkippedSuggestionSerializer(S.Serializer):
    suggestion = S.IntegerField()
    reason = S.CharField()


class AcceptAboveResultSerializer(S.Serializer):
    accepted = S.IntegerField()
    skipped = SkippedSuggestionSerializer(many=True)
    annotations = AnnotationSerializer(many=True)


class RejectedSerializer(S.Serializer):
    suggestion = S.IntegerField()
    decision = S.CharField()


class ProjectSuggestionModelSerializer(S.Serializer):
    project = S.CharField()
    examples = S.IntegerField()
    needed = S.IntegerField()
    model = ProjectModelSerializer(allow_null=True)


# ---- exchange --------------------------------------------------------------------------------------------

class ExportQueuedSerializer(S.Serializer):
    detail = S.CharField()
    task = S.CharField()
    status_url = S.CharField()


class ExportStatusSerializer(S.Serializer):
    status = S.CharField()
    detail = S.CharField()


class ImportedDocumentSerializer(S.Serializer):
    id = S.IntegerField()
    title = S.CharField()
    created = S.BooleanField()
    spans = S.IntegerField()
    relations = S.IntegerField()


class ImportedLayerSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()
    kind = S.CharField()


class MapImportResultSerializer(S.Serializer):
    detail = S.CharField()
    layer = ImportedLayerSerializer()
    documents = ImportedDocumentSerializer(many=True)
