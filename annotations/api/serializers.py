"""API serializers: output shapes, and input shapes that views hand to services.

Input serializers only parse and type-check; the rules live in the services.
"""
from __future__ import annotations

from rest_framework import serializers

from annotations import representations
from annotations.api import fields
from annotations.api.inputs import ASCII_INTEGER
from annotations.models import Annotation, Document, Label, Layer, Paragraph, Project, Relation, Role, Suggestion
from annotations.params import BIGINT_MAX
from annotations.services.text import MAX_NOTE_LENGTH


class WholeNumberField(fields.SentEmpty, serializers.IntegerField):
    """An id, offset or count in a request body: ASCII digits only (DRF's own field takes "٣" as
    3), from 0 to PostgreSQL's bigint, so a bad number is a 400 and never a database error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and not ASCII_INTEGER.fullmatch(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)

class ProjectSerializer(serializers.ModelSerializer):
    my_role = fields.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = ["id", "name", "slug", "description", "labels", "my_role", "created_at"]
        read_only_fields = ["id", "created_at", "my_role"]


class ProjectCreateSerializer(serializers.Serializer):
    name = fields.CharField(max_length=200)
    slug = fields.SlugField(max_length=80, required=False, allow_blank=True)
    description = fields.CharField(required=False, allow_blank=True)
    labels = serializers.ListField(child=fields.ChoiceField(choices=Label.choices), required=False)


class ParagraphSerializer(serializers.ModelSerializer):
    class Meta:
        model = Paragraph
        fields = ["id", "document", "position", "kind", "text"]


class DocumentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "project", "title", "source_name", "source_format", "content_hash", "created_at"]


class DocumentDetailSerializer(DocumentSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = DocumentSerializer.Meta.fields + ["paragraphs"]


class DocumentFileUploadSerializer(serializers.Serializer):
    """A new document from an uploaded file (multipart)."""

    project = fields.SlugField(help_text="The project's slug.")
    # An empty file is refused by the import service, in the words the upload page uses too.
    file = serializers.FileField(allow_empty_file=True, help_text="A .txt, .md, .html or .docx article.")


class DocumentTextUploadSerializer(serializers.Serializer):
    """A new document from pasted text (JSON)."""

    project = fields.SlugField(help_text="The project's slug.")
    text = fields.CharField(trim_whitespace=False, help_text="The article as plain text; blank lines separate paragraphs.")
    title = fields.CharField(required=False, max_length=200, help_text="The document's title.")


class DocumentUpdateSerializer(serializers.Serializer):
    title = fields.CharField(max_length=500)


class ProjectUpdateSerializer(serializers.Serializer):
    name = fields.CharField(max_length=200, required=False)
    description = fields.CharField(required=False, allow_blank=True)
    labels = serializers.ListField(
        child=fields.ChoiceField(choices=Label.choices), required=False, min_length=1,
        error_messages={"min_length": "A project needs at least one label."},
        help_text="The labels in legend order. A label still used by spans cannot be dropped (409).",
    )


class ParagraphCreateSerializer(serializers.Serializer):
    document = WholeNumberField(help_text="The document's id.")
    text = fields.CharField(trim_whitespace=False)
    kind = fields.ChoiceField(choices=Paragraph.Kind.choices, default=Paragraph.Kind.BODY)
    position = WholeNumberField(
        required=False, min_value=0, help_text="Where to insert (0-based); later paragraphs move down. Default: at the end."
    )


class ParagraphUpdateSerializer(serializers.Serializer):
    text = fields.CharField(
        required=False, trim_whitespace=False,
        help_text="Refused (409) while spans or suggestions point into the paragraph.",
    )
    kind = fields.ChoiceField(choices=Paragraph.Kind.choices, required=False)


class _Masked:
    # Applies the reader's ``Masks`` (``selectors.pseudonyms``), when the view put them in the
    # context. (A comment, not a docstring: the schema would show it as each resource's description.)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        masks = self.context.get("masks")
        if not masks:
            return data
        return masks.layer(data) if isinstance(self, LayerSerializer) else masks.row(data)


def _username(person: str) -> serializers.CharField:
    """The username of the row's ``person`` (author, owner), null when there is none."""
    return serializers.CharField(source=f"{person}.username", default=None, allow_null=True, read_only=True)


def _read_only(model, view: tuple[str, ...]) -> type:
    """The ``Meta`` of a resource's output serializer: the fields of its view in ``annotations.representations``."""
    return type("Meta", (), {"model": model, "fields": list(view), "read_only_fields": list(view)})


class LayerSerializer(_Masked, serializers.ModelSerializer):
    owner = _username("owner")
    Meta = _read_only(Layer, representations.LAYER)


class AnnotationSerializer(_Masked, serializers.ModelSerializer):
    author = _username("author")
    Meta = _read_only(Annotation, representations.SPAN)


class SuggestionSerializer(serializers.ModelSerializer):
    cues = serializers.ListField(child=serializers.CharField(), read_only=True)
    Meta = _read_only(Suggestion, representations.SUGGESTION)


class AnnotationCreateSerializer(serializers.Serializer):
    paragraph = WholeNumberField(help_text="The paragraph's id.")
    start = WholeNumberField(min_value=0, help_text="Unicode code point offset into the paragraph text.")
    end = WholeNumberField(min_value=0, help_text="Exclusive end offset, in code points.")
    quote = fields.CharField(trim_whitespace=False, help_text="The text between start and end.")
    label = fields.CharField()
    note = fields.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, max_length=MAX_NOTE_LENGTH
    )
    layer = WholeNumberField(required=False, help_text="Defaults to your own layer.")


class AnnotationUpdateSerializer(serializers.Serializer):
    version = WholeNumberField(help_text="The version you last saw; a stale one gets 409.")
    label = fields.CharField(required=False)
    note = fields.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=MAX_NOTE_LENGTH)
    start = WholeNumberField(required=False, min_value=0)
    end = WholeNumberField(required=False, min_value=0)
    quote = fields.CharField(required=False, trim_whitespace=False)


class RelationSerializer(_Masked, serializers.ModelSerializer):
    author = _username("author")
    Meta = _read_only(Relation, representations.RELATION)


class RelationCreateSerializer(serializers.Serializer):
    source = WholeNumberField(help_text="The supporting or attacking span's id.")
    target = WholeNumberField(help_text="The supported or attacked span's id.")
    kind = fields.ChoiceField(choices=Relation.Kind.choices)


class RelationUpdateSerializer(serializers.Serializer):
    kind = fields.ChoiceField(choices=Relation.Kind.choices)


class WorkspaceDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = fields.CharField()
    project = fields.CharField(help_text="The project's slug.")


class WorkspaceSerializer(serializers.Serializer):
    """Everything the document page needs for one layer, in one response."""

    document = WorkspaceDocumentSerializer()
    labels = serializers.ListField(child=fields.CharField(), help_text="The project's labels, legend order.")
    role = fields.CharField(allow_null=True, help_text="Your role in the project.")
    layer = LayerSerializer(allow_null=True, help_text="The layer shown (default: your own; null if you have none yet).")
    can_edit = fields.BooleanField(help_text="Whether you may write to this layer.")
    layers = LayerSerializer(many=True, help_text="Layers you may read in this project, yours first.")
    paragraphs = ParagraphSerializer(many=True)
    annotations = AnnotationSerializer(many=True)
    relations = RelationSerializer(many=True)


class MembershipSerializer(serializers.Serializer):
    username = fields.CharField()
    role = fields.ChoiceField(choices=Role.choices)
