"""argmap's data model, one module per concern, re-exported here."""
from annotations.models.collaboration import ChangeEvent, Comment, CurationRejection, Invitation
from annotations.models.documents import Document, Paragraph
from annotations.models.exchange import MapProvenance
from annotations.models.exercises import Exercise, Extension, JoinCode, KeyNote, Submission
from annotations.models.preferences import UserPreference
from annotations.models.projects import Label, Membership, Project, Role
from annotations.models.spans import Annotation, Layer, Relation
from annotations.models.suggestions import ProjectSuggestionModel, Suggestion, SuggestionDecision, SuggestionRun
from annotations.models.throttle import SignInThrottle

__all__ = [
    "Annotation",
    "ChangeEvent",
    "Comment",
    "CurationRejection",
    "Document",
    "Exercise",
    "Extension",
    "JoinCode",
    "KeyNote",
    "Submission",
    "Invitation",
    "Label",
    "Layer",
    "MapProvenance",
    "Membership",
    "Paragraph",
    "Project",
    "ProjectSuggestionModel",
    "Relation",
    "Role",
    "SignInThrottle",
    "Suggestion",
    "SuggestionDecision",
    "SuggestionRun",
    "UserPreference",
]
