"""argmap's data model, one module per concern, re-exported here."""
from annotations.models.collaboration import ChangeEvent, Comment, Invitation
from annotations.models.documents import Document, Paragraph
from annotations.models.projects import Label, Membership, Project, Role
from annotations.models.spans import Annotation, Layer, Relation
from annotations.models.suggestions import Suggestion, SuggestionDecision

__all__ = [
    "Annotation",
    "ChangeEvent",
    "Comment",
    "Document",
    "Invitation",
    "Label",
    "Layer",
    "Membership",
    "Paragraph",
    "Project",
    "Relation",
    "Role",
    "Suggestion",
    "SuggestionDecision",
]
