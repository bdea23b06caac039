"""Reads for reviewing suggestions: what a person still has to decide, where computing stands,
and how the project's own model measures against the rules.

``suggestions_status_get`` answers the page's polling in a fixed number of queries (the run,
the visible suggestions, the project model's figures) whatever the number of suggestions.
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.errors import NotFound
from annotations.models import (
    Annotation,
    Document,
    Layer,
    Project,
    ProjectSuggestionModel,
    Suggestion,
    SuggestionDecision,
    SuggestionRun,
)
from annotations.nlp.pipeline import expected_fallback_message
from annotations.permissions import can_read_suggestions, role_in
from annotations.representations import suggestion_data

# A project model is trained once this many examples (decisions + manual spans) exist, and
# trained again each time RETRAIN_STEP more have come in.
TRAIN_MIN_EXAMPLES = 30
RETRAIN_STEP = 25
# At most this many of the newest examples are used for training.
TRAIN_MAX_EXAMPLES = 3000

# Fields of ProjectSuggestionModel worth showing (never the model bytes).
MODEL_SUMMARY_FIELDS = ("project_id", "trained_at", "n_examples", "n_held_back", "accuracy_model", "accuracy_rules",
                        "pipeline_name", "pipeline_version", "history")


def suggestion_get_for_user(*, suggestion_id: int, user) -> Suggestion:
    """The suggestion with its paragraph, document and project; NotFound outside the user's projects."""
    suggestion = (
        Suggestion.objects.select_related("paragraph", "document__project").filter(pk=suggestion_id).first()
    )
    if suggestion is None or role_in(suggestion.document.project, user) is None:
        raise NotFound(f"No suggestion {suggestion_id} in a project you are a member of.")
    if not can_read_suggestions(suggestion.document, user):
        raise NotFound(f"No suggestion {suggestion_id} that you may see: the exercise on this document hides suggestions.")
    return suggestion


def decision_layer(layer: Layer | None, user) -> Layer | None:
    """The layer a decision of ``user`` made in ``layer`` is stored with: None for their own
    layer (given or not), else ``layer`` (an exercise's key, the consensus, a student's work)."""
    if layer is None or (layer.kind == Layer.Kind.PERSONAL and layer.owner_id == getattr(user, "pk", None)):
        return None
    return layer


def decisions_in(layer: Layer | None, user) -> Q:
    """The decisions that count in ``layer`` (None: the user's own layer): there, whoever made
    them; in one's own layer, one's own."""
    scope = decision_layer(layer, user)
    return Q(layer=scope) if scope is not None else Q(layer__isnull=True, user=user)


def visible_suggestions(*, document: Document, user, run: SuggestionRun | None, layer: Layer | None = None) -> QuerySet[Suggestion]:
    """The document's suggestions not decided on in ``layer`` (default: the user's own layer)
    and not already tagged there with the same boundaries. A decision in another layer does not
    hide one: the teacher's own reject leaves it offered on the key, and the other way round.

    Only the current run's pipeline version is shown once a run has finished (older
    versions' leftovers that someone decided on stay stored but out of the way).
    """
    suggestions = Suggestion.objects.filter(document=document)
    if run is not None and run.pipeline_name:
        suggestions = suggestions.filter(pipeline_name=run.pipeline_name, pipeline_version=run.pipeline_version)
    decided = SuggestionDecision.objects.filter(decisions_in(layer, user), suggestion=OuterRef("pk"))
    scope = decision_layer(layer, user)
    in_layer = Q(layer=scope) if scope is not None else Q(layer__kind=Layer.Kind.PERSONAL, layer__owner=user)
    already_tagged = Annotation.objects.filter(
        in_layer, paragraph=OuterRef("paragraph"), start=OuterRef("start"), end=OuterRef("end"),
    )
    return (
        suggestions.exclude(Exists(decided)).exclude(Exists(already_tagged))
        .order_by("paragraph__position", "start", "end")
    )


def project_model_summary(model: ProjectSuggestionModel | None) -> dict | None:
    if model is None:
        return None
    return {
        "trained_at": model.trained_at.isoformat(),
        "examples": model.n_examples,
        "held_back": model.n_held_back,
        "accuracy_model": round(model.accuracy_model, 3),
        "accuracy_rules": round(model.accuracy_rules, 3),
        "pipeline": f"{model.pipeline_name} {model.pipeline_version}",
        # The trend: each training's held-back accuracy, model and rules, oldest first.
        "history": [
            {"trained_at": str(entry.get("trained_at", ""))[:16], "examples": int(entry.get("examples", 0)),
             "accuracy_model": round(float(entry.get("accuracy_model", 0)), 3),
             "accuracy_rules": round(float(entry.get("accuracy_rules", 0)), 3)}
            for entry in (model.history or [])
        ],
        "gain": round(model.accuracy_model - model.accuracy_rules, 3),
        # What the current model learned (learning.learned_lessons), stored with its training.
        "learned": [str(lesson) for lesson in ((model.history or [{}])[-1].get("learned") or [])],
    }


def project_model_get(*, project: Project | int) -> ProjectSuggestionModel | None:
    """The project's trained model's figures (without its bytes), or None."""
    project_id = project if isinstance(project, int) else project.pk
    return ProjectSuggestionModel.objects.only(*MODEL_SUMMARY_FIELDS).filter(project_id=project_id).first()


def suggestions_status_get(*, document: Document, user, layer: Layer | None = None) -> dict:
    """Where computing stands for the document, and the suggestions the user still has to decide
    in ``layer`` (the page's: an exercise's key, say; default: their own layer).

    ``status``: ``none`` (never asked), ``pending`` (queued for a worker), ``running``,
    ``done`` or ``failed``. Three queries.
    """
    run = SuggestionRun.objects.filter(document=document).first()
    # A class's student does not read the suggestions an exercise on this document hides
    # (``user`` None: no one in particular, e.g. a command reading where computing stands).
    readable = user is None or can_read_suggestions(document, user)
    suggestions = list(visible_suggestions(document=document, user=user, run=run, layer=layer)) if readable else []
    model = project_model_get(project=document.project_id)
    fallback = (run.fallback_message if run is not None and run.pipeline_name else "") or expected_fallback_message(settings.ARGMAP_SPACY_MODEL)
    return {
        "document": document.pk,
        "status": run.status if run is not None else "none",
        "pipeline": f"{run.pipeline_name} {run.pipeline_version}".strip() if run is not None else "",
        "fallback_message": fallback,
        "error": run.error if run is not None else "",
        "requested_at": run.requested_at.isoformat() if run is not None and run.requested_at else None,
        "finished_at": run.finished_at.isoformat() if run is not None and run.finished_at else None,
        "used_project_model": bool(run is not None and run.used_project_model),
        "project_model": project_model_summary(model),
        "suggestions": [suggestion_data(suggestion) for suggestion in suggestions],
    }


def suggestion_page_data(*, document: Document, layer: Layer | None = None) -> dict:
    """The small block the document page starts from (two queries); the rest comes by polling,
    for ``layer`` when the page writes to one (its decisions are that layer's)."""
    run = SuggestionRun.objects.filter(document=document).only(
        "status", "pipeline_name", "pipeline_version", "fallback_message"
    ).first()
    model = project_model_get(project=document.project_id)
    return {
        "status": run.status if run is not None else "none",
        "pipeline": f"{run.pipeline_name} {run.pipeline_version}".strip() if run is not None else "",
        "fallback_message": (run.fallback_message if run is not None and run.pipeline_name else "")
        or expected_fallback_message(settings.ARGMAP_SPACY_MODEL),
        "project_model": project_model_summary(model),
        "status_url": f"/api/documents/{document.pk}/suggestions/" + (f"?layer={layer.pk}" if layer is not None else ""),
        "compute_url": f"/api/documents/{document.pk}/suggestions/compute/",
        "accept_above_url": f"/api/documents/{document.pk}/suggestions/accept-above/",
        "suggestion_url": "/api/suggestions/",
    }


def project_suggestion_summary(*, project: Project) -> dict:
    """For the project page and API: how many decisions exist, how many more a model needs, and its figures."""
    examples = project_learning_example_count(project.pk)
    return {
        "examples": examples,
        "needed": max(TRAIN_MIN_EXAMPLES - examples, 0),
        "model": project_model_summary(project_model_get(project=project)),
    }


# ---- what the project's model learns from --------------------------------------------------------

def project_learning_example_count(project_id: int) -> int:
    """Decisions on the project's suggestions plus manual spans in personal layers. A person who
    decided one suggestion in several layers (their own, a key) counts once, as before decisions
    had layers: ``project_learning_examples`` learns from their newest."""
    decisions = (SuggestionDecision.objects.filter(suggestion__document__project_id=project_id)
                 .values("suggestion_id", "user_id").distinct().count())
    manual = Annotation.objects.filter(
        document__project_id=project_id, origin=Annotation.Origin.MANUAL, layer__kind=Layer.Kind.PERSONAL
    ).count()
    return decisions + manual


def training_due(project_id: int, examples: int | None = None) -> bool:
    """Enough examples for a first model, or RETRAIN_STEP more than the stored one saw."""
    examples = project_learning_example_count(project_id) if examples is None else examples
    if examples < TRAIN_MIN_EXAMPLES:
        return False
    trained_on = (
        ProjectSuggestionModel.objects.filter(project_id=project_id).values_list("n_examples", flat=True).first()
    )
    return trained_on is None or examples >= trained_on + RETRAIN_STEP
