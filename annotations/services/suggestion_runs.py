"""Writes a worker does for suggestions: computing and storing a document's suggestions, the
run's state (running, failed), and training a project's classifier.

- ``suggestions_compute`` runs the NLP core (``annotations/nlp``) over a document's body
  paragraphs with the process-wide pipeline and stores ``Suggestion`` rows with the
  pipeline's name and version. Re-running replaces the suggestions nobody decided on, keeps
  decided ones, and never touches annotations. A project model, when trained, re-ranks
  and relabels the rule-based candidates.
- ``project_model_train`` trains the project's classifier from decisions and manual spans
  (``annotations/nlp/learning.py``) and stores it with its measured accuracy.

Called by the tasks in ``annotations.tasks.suggestions`` and by operator commands; queueing
that work is ``services.suggestions``.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotations.models import (
    Annotation,
    Document,
    Layer,
    Paragraph,
    Project,
    ProjectSuggestionModel,
    Suggestion,
    SuggestionDecision,
    SuggestionRun,
)
from annotations.nlp import lexicon
from annotations.nlp.learning import (
    NONE_LABEL,
    LabelledExample,
    NotEnoughExamples,
    boundary_lessons,
    features_of,
    learned_lessons,
    model_from_bytes,
    model_to_bytes,
    relabel_suggestions,
    shell_lesson,
    train_project_model,
)
from annotations.nlp.pipeline import load_pipeline
from annotations.nlp.suggest import suggest_paragraphs
from annotations.selectors.suggestions import TRAIN_MAX_EXAMPLES, TRAIN_MIN_EXAMPLES, training_due

logger = logging.getLogger(__name__)

# The project page's trend shows this many of the latest trainings.
HISTORY_LENGTH = 12


def _loaded_pipeline():
    return load_pipeline(settings.ARGMAP_SPACY_MODEL)


_project_models: dict[tuple[int, str], object] = {}
_project_models_lock = threading.Lock()


def _project_classifier(stored: ProjectSuggestionModel):
    """The project's classifier, read from its bytes once per process and training."""
    key = (stored.project_id, stored.trained_at.isoformat())
    with _project_models_lock:
        model = _project_models.get(key)
        if model is None:
            for old in [k for k in _project_models if k[0] == stored.project_id]:
                del _project_models[old]
            model = model_from_bytes(bytes(stored.model))
            _project_models[key] = model
    return model


def suggestions_compute(*, document: Document, progress: Callable[[int], None] | None = None) -> SuggestionRun:
    """Suggest claims, evidence and counterclaims for the document's body paragraphs and store them.

    Idempotent: this pipeline version's suggestions nobody decided on are replaced, decided
    ones are kept (a new candidate on a decided span is not stored again); annotations are
    never touched. ``progress`` is called with the number of paragraphs done.
    """
    loaded = _loaded_pipeline()
    project = document.project
    paragraphs = list(
        Paragraph.objects.filter(document=document, kind=Paragraph.Kind.BODY).order_by("position").only("id", "text")
    )
    stored_model = ProjectSuggestionModel.objects.filter(project=project).first()
    model = None
    if stored_model is not None:
        try:
            model = _project_classifier(stored_model)
        except ValueError as error:  # an unreadable stored model: the rules alone, and say so in the log
            logger.warning("Project %s: %s; suggesting with the rules alone.", project.pk, error)
    # One call for the whole document: its shape (opening, body, closing) is read from all
    # paragraphs; the project's learned split sites shape its units.
    candidates = [
        candidate
        for found in suggest_paragraphs([p.text for p in paragraphs], nlp=loaded.nlp, progress=progress,
                                        learned=model.splits if model is not None else None)
        for candidate in found
    ]
    used_model = False
    if model is not None and candidates:
        candidates = relabel_suggestions(model, candidates, threshold=settings.ARGMAP_SUGGESTION_THRESHOLD)
        used_model = True
    allowed = set(project.labels)
    rows = [
        Suggestion(
            document=document, paragraph_id=paragraphs[c.paragraph_index].pk, start=c.start, end=c.end,
            quote=c.quote, label=c.label, score=min(max(float(c.score), 0.0), 1.0), cues=list(c.cues),
            pipeline_name=loaded.name, pipeline_version=loaded.version,
        )
        for c in candidates if c.label in allowed and c.end > c.start
    ]
    with transaction.atomic():
        # Called while holding a row lock on the document: two runs for one document take turns.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        undecided = Suggestion.objects.filter(
            document=document, pipeline_name=loaded.name, pipeline_version=loaded.version
        ).exclude(Exists(SuggestionDecision.objects.filter(suggestion=OuterRef("pk"))))
        undecided.delete()
        Suggestion.objects.bulk_create(rows, ignore_conflicts=True)  # decided spans stay as they were
        run, _ = SuggestionRun.objects.update_or_create(
            document=document,
            defaults={
                "status": SuggestionRun.Status.DONE, "pipeline_name": loaded.name,
                "pipeline_version": loaded.version, "fallback_message": loaded.message if loaded.is_fallback else "",
                "error": "", "suggestion_count": len(rows), "used_project_model": used_model,
                "finished_at": timezone.now(),
            },
        )
    return run


@dataclass
class ComputeManyResult:
    runs: list[SuggestionRun] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (document id, why)

    @property
    def suggestion_count(self) -> int:
        return sum(run.suggestion_count for run in self.runs)


def suggestions_compute_many(
    *, documents: list[Document], progress: Callable[[int], None] | None = None
) -> ComputeManyResult:
    """Compute suggestions for several documents in turn (operator command); ``progress`` gets
    the number of paragraphs finished since the last call. A failing document is reported, not fatal."""
    result = ComputeManyResult()
    for document in documents:
        done = 0

        def step(finished: int) -> None:
            nonlocal done
            if progress is not None:
                progress(finished - done)
            done = finished

        suggestions_mark_running(document_id=document.pk)
        try:
            result.runs.append(suggestions_compute(document=document, progress=step))
        except Exception as error:  # noqa: BLE001 - report it with the document, go on with the rest
            message = f"{type(error).__name__}: {error}"
            suggestions_mark_failed(document_id=document.pk, error=message)
            result.failed.append((document.pk, message))
    return result


def suggestions_mark_running(*, document_id: int) -> None:
    SuggestionRun.objects.update_or_create(
        document_id=document_id,
        defaults={"status": SuggestionRun.Status.RUNNING, "started_at": timezone.now(), "error": ""},
    )


def suggestions_mark_failed(*, document_id: int, error: str) -> None:
    SuggestionRun.objects.update_or_create(
        document_id=document_id,
        defaults={"status": SuggestionRun.Status.FAILED, "finished_at": timezone.now(), "error": error[:2000]},
    )


# ---- training ---------------------------------------------------------------------------------

def _rule_units_by_span(paragraph_ids: set[int]) -> tuple[dict[tuple[int, int, int], object], dict[int, str]]:
    """What the rules see today of each unit in the documents of these paragraphs (with its
    sites, for boundary lessons), by (paragraph id, start, end) of the unit before and after
    its shell was cut; and the paragraphs' texts."""
    document_ids = set(Paragraph.objects.filter(pk__in=paragraph_ids).values_list("document_id", flat=True))
    loaded = _loaded_pipeline()
    units: dict[tuple[int, int, int], object] = {}
    texts: dict[int, str] = {}
    for document_id in sorted(document_ids):
        paragraphs = list(
            Paragraph.objects.filter(document_id=document_id, kind=Paragraph.Kind.BODY).order_by("position").only("id", "text")
        )
        found_all = suggest_paragraphs([p.text for p in paragraphs], nlp=loaded.nlp, record_sites=True)
        for paragraph, found in zip(paragraphs, found_all):
            texts[paragraph.pk] = paragraph.text
            for candidate in found:
                units[(paragraph.pk, candidate.start, candidate.end)] = candidate
                units[(paragraph.pk, int(candidate.context.get("unit_start", candidate.start)), candidate.end)] = candidate
    return units, texts


def _unit_for(units: dict, paragraph_id: int, start: int, end: int):
    found = units.get((paragraph_id, start, end))
    if found is not None:
        return found
    best, best_shared = None, 0
    for (pid, s, e), candidate in units.items():
        shared = min(e, end) - max(s, start)
        if pid == paragraph_id and shared * 2 >= (end - start) and shared > best_shared:
            best, best_shared = candidate, shared
    return best


def project_learning_examples(project: Project) -> list:
    """The project's decisions and manual spans as labelled examples, newest first (bounded),
    each described by what the rules see of its unit (``learning.features_of``); an accepted
    suggestion also carries what its person's spans in that paragraph teach about its
    boundaries (``learning.boundary_lessons``: where they split it, what they kept whole)."""
    # One example per person and suggestion, their newest decision: someone who decided it in
    # two layers (their own and an exercise's key) teaches it once, as before decisions had layers.
    newest_per_person = (
        SuggestionDecision.objects.filter(suggestion__document__project=project)
        .order_by("suggestion_id", "user_id", "-decided_at", "-pk").distinct("suggestion_id", "user_id").values("pk")
    )
    decisions = list(
        SuggestionDecision.objects.filter(pk__in=newest_per_person)
        .select_related("suggestion", "annotation").order_by("-decided_at")[:TRAIN_MAX_EXAMPLES]
    )
    manual = list(
        Annotation.objects.filter(document__project=project, origin=Annotation.Origin.MANUAL, layer__kind=Layer.Kind.PERSONAL)
        .only("quote", "label", "document_id", "paragraph_id", "start", "end").order_by("-created_at")[:TRAIN_MAX_EXAMPLES]
    )
    paragraph_ids = {d.suggestion.paragraph_id for d in decisions} | {a.paragraph_id for a in manual}
    units, texts = _rule_units_by_span(paragraph_ids) if paragraph_ids else ({}, {})
    accepted = [d.annotation for d in decisions if d.annotation is not None]
    spans_by_layer: dict[tuple[int, int], list[tuple[int, int]]] = {}
    if accepted:
        for layer_id, paragraph_id, start, end in Annotation.objects.filter(
            layer_id__in={a.layer_id for a in accepted}, paragraph_id__in={a.paragraph_id for a in accepted}
        ).values_list("layer_id", "paragraph_id", "start", "end"):
            spans_by_layer.setdefault((layer_id, paragraph_id), []).append((start, end))
    examples = []
    for decision in decisions:
        suggestion = decision.suggestion
        unit = _unit_for(units, suggestion.paragraph_id, suggestion.start, suggestion.end)
        described = features_of(unit) if unit is not None else None
        if decision.decision == SuggestionDecision.Decision.REJECTED:
            examples.append(LabelledExample(text=suggestion.quote, label=NONE_LABEL, features=described,
                                            document=str(suggestion.document_id),
                                            paragraph=str(suggestion.paragraph_id), start=suggestion.start))
            continue
        label = decision.label or suggestion.label
        label = lexicon.CLAIM if label == "major_claim" else label
        if label in lexicon.LABELS:
            annotation = decision.annotation
            text = annotation.quote if annotation is not None else suggestion.quote
            cut = ""
            lessons = {}
            if annotation is not None:
                if suggestion.start < annotation.start < suggestion.end:
                    cut = suggestion.quote[: annotation.start - suggestion.start]
                if unit is not None:
                    lessons = boundary_lessons(
                        texts.get(suggestion.paragraph_id, ""),
                        spans_by_layer.get((annotation.layer_id, annotation.paragraph_id), []), unit)
                    lessons.update(shell_lesson(unit, annotation.start))
            examples.append(LabelledExample(text=text, label=label, features=described, cut_prefix=cut, **lessons,
                                            document=str(suggestion.document_id),
                                            paragraph=str(suggestion.paragraph_id),
                                            start=annotation.start if annotation is not None else suggestion.start))
    for annotation in manual:
        label = lexicon.CLAIM if annotation.label == "major_claim" else annotation.label
        if label in lexicon.LABELS:
            unit = _unit_for(units, annotation.paragraph_id, annotation.start, annotation.end)
            described = features_of(unit) if unit is not None else None
            lessons = shell_lesson(unit, annotation.start) if unit is not None else {}
            examples.append(LabelledExample(text=annotation.quote, label=label, features=described, **lessons,
                                            document=str(annotation.document_id),
                                            paragraph=str(annotation.paragraph_id), start=annotation.start))
    examples = examples[:TRAIN_MAX_EXAMPLES]
    return examples + _left_alone(decisions, units)[: max(TRAIN_MAX_EXAMPLES - len(examples), 0)]


def _left_alone(decisions: list, units: dict) -> list:
    """Implicit examples: suggestions below the threshold, in a document someone reviewed
    (decided on its suggestions), that nobody decided on and none of that reviewer's spans
    covers: they read as "not a unit" (``LabelledExample.implicit``; never counted as decisions)."""
    reviewers: dict[int, set[int]] = {}
    for decision in decisions:
        reviewers.setdefault(decision.suggestion.document_id, set()).add(decision.user_id)
    if not reviewers:
        return []
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for owner_id, paragraph_id, start, end in Annotation.objects.filter(
        document_id__in=reviewers, layer__kind=Layer.Kind.PERSONAL,
        layer__owner_id__in={user for users in reviewers.values() for user in users},
    ).values_list("layer__owner_id", "paragraph_id", "start", "end"):
        spans.setdefault((owner_id, paragraph_id), []).append((start, end))
    hidden = (
        Suggestion.objects.filter(document_id__in=reviewers, score__lt=settings.ARGMAP_SUGGESTION_THRESHOLD)
        .exclude(Exists(SuggestionDecision.objects.filter(suggestion=OuterRef("pk"))))
        .only("document_id", "paragraph_id", "start", "end", "quote").order_by("pk")
    )
    examples = []
    for suggestion in hidden:
        covered = any(
            start < suggestion.end and suggestion.start < end
            for user in reviewers[suggestion.document_id]
            for start, end in spans.get((user, suggestion.paragraph_id), ())
        )
        unit = None if covered else _unit_for(units, suggestion.paragraph_id, suggestion.start, suggestion.end)
        if unit is not None:
            examples.append(LabelledExample(text=suggestion.quote, label=NONE_LABEL, features=features_of(unit),
                                            implicit=True, document=str(suggestion.document_id)))
    return examples


def project_model_train(*, project: Project, force: bool = False) -> ProjectSuggestionModel | None:
    """Train and store the project's classifier; None when there are too few examples
    (or, unless ``force``, when the stored model is recent enough)."""
    examples = project_learning_examples(project)
    decided = sum(not example.implicit for example in examples)
    if decided < TRAIN_MIN_EXAMPLES or (not force and not training_due(project.pk, decided)):
        return None
    loaded = _loaded_pipeline()
    try:
        result = train_project_model(examples)
    except NotEnoughExamples:
        return None
    trained_at = timezone.now()
    previous = ProjectSuggestionModel.objects.filter(project=project).values_list("history", flat=True).first() or []
    history = [*previous, {"trained_at": trained_at.isoformat(), "examples": decided,
                           "accuracy_model": result.accuracy, "accuracy_rules": result.rule_accuracy,
                           "learned": learned_lessons(result.model)}][-HISTORY_LENGTH:]
    stored, _ = ProjectSuggestionModel.objects.update_or_create(
        project=project,
        defaults={
            "history": history,
            "trained_at": trained_at, "n_examples": decided, "n_held_back": result.held_back,
            "accuracy_model": result.accuracy, "accuracy_rules": result.rule_accuracy,
            "model": model_to_bytes(result.model), "pipeline_name": loaded.name, "pipeline_version": loaded.version,
        },
    )
    return stored
