"""Writes on suggestions: computing them for a document, and each person's accept / reject.

- ``suggestions_compute`` runs the NLP core (``annotations/nlp``) over a document's body
  paragraphs with the process-wide pipeline and stores ``Suggestion`` rows with the
  pipeline's name and version. Re-running replaces the suggestions nobody decided on, keeps
  decided ones, and never touches annotations. A project model, when trained, re-ranks
  and relabels the rule-based candidates.
- ``suggestions_request`` queues that work as a background task (django-tasks) and marks the
  document's ``SuggestionRun`` as pending, so the page can show "computing…".
- ``suggestion_accept`` creates an annotation in the person's layer through
  ``annotation_create`` (label, offset and quote rules, the change log) pointing back to the
  suggestion, and stores the decision; ``suggestion_reject`` stores a rejection, which hides
  the suggestion for that person only; ``suggestions_accept_above`` accepts every visible
  suggestion scoring at least a threshold, in one transaction.
- ``project_model_train`` trains the project's classifier from decisions and manual spans
  (``annotations/nlp/learning.py``) and stores it with its measured accuracy; the decision
  services queue it as a background task once enough examples exist, never in the request.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotPermitted
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
from annotations.permissions import WRITER_ROLES, role_in
from annotations.services.spans import annotation_create, annotation_delete

logger = logging.getLogger(__name__)

# A project model is trained once this many examples (decisions + manual spans) exist, and
# trained again each time RETRAIN_STEP more have come in.
TRAIN_MIN_EXAMPLES = 30
RETRAIN_STEP = 25
# At most this many of the newest examples are used for training.
TRAIN_MAX_EXAMPLES = 3000
# The project page's trend shows this many of the latest trainings.
HISTORY_LENGTH = 12
# A pending request younger than this is not queued again (a second click while waiting).
REQUEUE_AFTER_SECONDS = 600


def _check_can_decide(project_id: int, user) -> None:
    if role_in(project_id, user) not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot accept or reject suggestions; ask the project's owner for the annotator role.")


# ---- computing ------------------------------------------------------------------------------

def _loaded_pipeline():
    from annotations.nlp.pipeline import load_pipeline

    return load_pipeline(settings.ARGMAP_SPACY_MODEL)


_project_models: dict[tuple[int, str], object] = {}
_project_models_lock = threading.Lock()


def _project_classifier(stored: ProjectSuggestionModel):
    """The project's classifier, read from its bytes once per process and training."""
    from annotations.nlp.learning import model_from_bytes

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
    from annotations.nlp.learning import relabel_suggestions
    from annotations.nlp.suggest import suggest_paragraphs

    loaded = _loaded_pipeline()
    project = document.project
    paragraphs = list(
        Paragraph.objects.filter(document=document, kind=Paragraph.Kind.BODY).order_by("position").only("id", "text")
    )
    # One call for the whole document: its shape (opening, body, closing) is read from all paragraphs.
    candidates = [
        candidate
        for found in suggest_paragraphs([p.text for p in paragraphs], nlp=loaded.nlp, progress=progress)
        for candidate in found
    ]
    stored_model = ProjectSuggestionModel.objects.filter(project=project).first()
    used_model = False
    if stored_model is not None and candidates:
        try:
            candidates = relabel_suggestions(_project_classifier(stored_model), candidates)
            used_model = True
        except ValueError as error:  # an unreadable stored model: the rules alone, and say so in the log
            logger.warning("Project %s: %s; suggesting with the rules alone.", project.pk, error)
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


def suggestions_request(*, document: Document, user) -> SuggestionRun:
    """Queue computing the document's suggestions in the background; the run says "pending".

    ``user=None`` is the system (after an import, a command); otherwise a member who may
    annotate. A request still waiting from the last few minutes is not queued twice.
    """
    from annotations.tasks.suggestions import compute_suggestions_task

    if user is not None and role_in(document.project_id, user) not in WRITER_ROLES:
        raise NotPermitted("Viewers cannot ask for suggestions; ask the project's owner for the annotator role.")
    now = timezone.now()
    with transaction.atomic():
        run, created = SuggestionRun.objects.select_for_update().get_or_create(
            document=document, defaults={"status": SuggestionRun.Status.PENDING, "requested_at": now}
        )
        waiting = (
            not created and run.status in (SuggestionRun.Status.PENDING, SuggestionRun.Status.RUNNING)
            and run.requested_at is not None and (now - run.requested_at).total_seconds() < REQUEUE_AFTER_SECONDS
        )
        if waiting:
            return run
        run.status = SuggestionRun.Status.PENDING
        run.requested_at = now
        run.error = ""
        run.save(update_fields=["status", "requested_at", "error"])
        # The task row commits with the run, so a worker never sees one without the other.
        compute_suggestions_task.enqueue(document_id=document.pk)
    run.refresh_from_db()
    return run


def queue_suggestions_after_import(document_id: int) -> None:
    """``after_document_import`` hook: queue suggestions for a newly imported document.

    Runs after the import committed; a failure to queue is logged, never undoes the import.
    """
    try:
        document = Document.objects.select_related("project").get(pk=document_id)
        suggestions_request(document=document, user=None)
    except Exception:  # noqa: BLE001 - the import already succeeded; say what went wrong in the log
        logger.exception("Could not queue suggestions for document %s.", document_id)


# ---- decisions ------------------------------------------------------------------------------

def suggestion_accept(
    *, suggestion: Suggestion, user, label: str | None = None, start: int | None = None, end: int | None = None,
    quote: str | None = None,
) -> Annotation:
    """Accept the suggestion into the user's layer, optionally with another label or adjusted
    boundaries (then ``quote``, if given, must match the new span). Returns the new annotation."""
    project_id = suggestion.document.project_id
    _check_can_decide(project_id, user)
    adjusted = start is not None or end is not None
    with transaction.atomic():
        decision = SuggestionDecision.objects.select_for_update().filter(suggestion=suggestion, user=user).first()
        if decision is not None and decision.decision == SuggestionDecision.Decision.ACCEPTED and decision.annotation_id:
            raise Conflict(
                f"You already accepted this suggestion (span {decision.annotation_id}); edit that span instead.",
                annotation_id=decision.annotation_id,
            )
        annotation = annotation_create(
            paragraph=suggestion.paragraph, layer=None, user=user,
            start=suggestion.start if start is None else start, end=suggestion.end if end is None else end,
            label=label or suggestion.label, quote=quote if adjusted else suggestion.quote,
            origin=Annotation.Origin.SUGGESTION, suggestion=suggestion,
        )
        SuggestionDecision.objects.update_or_create(
            suggestion=suggestion, user=user,
            defaults={"decision": SuggestionDecision.Decision.ACCEPTED, "label": annotation.label, "annotation": annotation},
        )
        _train_when_enough(project_id)
    return annotation


def suggestion_reject(*, suggestion: Suggestion, user) -> SuggestionDecision:
    """Reject the suggestion for this user: it stays hidden for them, others still see it."""
    project_id = suggestion.document.project_id
    _check_can_decide(project_id, user)
    with transaction.atomic():
        decision = SuggestionDecision.objects.select_for_update().filter(suggestion=suggestion, user=user).first()
        if decision is not None and decision.decision == SuggestionDecision.Decision.ACCEPTED and decision.annotation_id:
            raise Conflict(
                f"You accepted this suggestion as span {decision.annotation_id}; delete that span instead.",
                annotation_id=decision.annotation_id,
            )
        decision, _ = SuggestionDecision.objects.update_or_create(
            suggestion=suggestion, user=user,
            defaults={"decision": SuggestionDecision.Decision.REJECTED, "label": "", "annotation": None},
        )
        _train_when_enough(project_id)
    return decision


def suggestion_decision_undo(*, suggestion: Suggestion, user) -> None:
    """Take back the user's decision on the suggestion (Ctrl+Z after accepting or rejecting):
    the decision goes, and so does the span an accept created (with its links), so the
    suggestion is offered again."""
    _check_can_decide(suggestion.document.project_id, user)
    with transaction.atomic():
        decision = SuggestionDecision.objects.select_for_update().filter(suggestion=suggestion, user=user).first()
        if decision is None:
            raise Conflict("You have not accepted or rejected this suggestion: there is nothing to undo.")
        if decision.annotation_id is not None:
            annotation = Annotation.objects.select_related("layer").filter(pk=decision.annotation_id).first()
            if annotation is not None:
                annotation_delete(annotation=annotation, user=user)
        decision.delete()


@dataclass
class BulkAcceptResult:
    accepted: list[Annotation] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (suggestion id, why)


def suggestions_accept_above(*, document: Document, user, min_score: float) -> BulkAcceptResult:
    """Accept every suggestion the user still sees with a score of at least ``min_score``, in one transaction."""
    from annotations.selectors.suggestions import visible_suggestions

    try:
        min_score = float(min_score)
    except (TypeError, ValueError):
        raise InvalidInput(f"min_score must be a number between 0 and 1, not {min_score!r}.") from None
    if not 0.0 <= min_score <= 1.0:
        raise InvalidInput(f"min_score must be between 0 and 1, not {min_score}.")
    _check_can_decide(document.project_id, user)
    result = BulkAcceptResult()
    allowed = set(document.project.labels)
    with transaction.atomic():
        run = SuggestionRun.objects.filter(document=document).first()
        chosen = list(
            visible_suggestions(document=document, user=user, run=run)
            .filter(score__gte=min_score).select_related("paragraph", "document__project")
        )
        decisions = []
        for suggestion in chosen:
            if suggestion.label not in allowed:
                result.skipped.append((suggestion.pk, f"label {suggestion.label!r} is not used in this project"))
                continue
            try:
                annotation = annotation_create(
                    paragraph=suggestion.paragraph, layer=None, user=user, start=suggestion.start, end=suggestion.end,
                    label=suggestion.label, quote=suggestion.quote, origin=Annotation.Origin.SUGGESTION,
                    suggestion=suggestion,
                )
            except Conflict as conflict:
                result.skipped.append((suggestion.pk, conflict.message))
                continue
            result.accepted.append(annotation)
            decisions.append(SuggestionDecision(
                suggestion=suggestion, user=user, decision=SuggestionDecision.Decision.ACCEPTED,
                label=annotation.label, annotation=annotation,
            ))
        SuggestionDecision.objects.bulk_create(
            decisions, update_conflicts=True, unique_fields=["suggestion", "user"],
            update_fields=["decision", "label", "annotation"],
        )
        if decisions:
            _train_when_enough(document.project_id)
    return result


# ---- learning from decisions ----------------------------------------------------------------

def project_learning_example_count(project_id: int) -> int:
    """Decisions on the project's suggestions plus manual spans in personal layers."""
    decisions = SuggestionDecision.objects.filter(suggestion__document__project_id=project_id).count()
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


def _train_when_enough(project_id: int) -> None:
    """After this transaction commits, queue training if it is due (never trains in the request)."""

    def queue():
        try:
            if not training_due(project_id):
                return
            # One queued training per project at a time in this process (the task re-checks anyway).
            if not cache.add(f"argmap:train-suggestions:{project_id}", True, timeout=REQUEUE_AFTER_SECONDS):
                return
            from annotations.tasks.suggestions import train_suggestions_task

            train_suggestions_task.enqueue(project_id=project_id)
        except Exception:  # noqa: BLE001 - the decision is stored; training can wait for the next one
            logger.exception("Could not queue training for project %s.", project_id)

    transaction.on_commit(queue)


def _rule_features_by_span(paragraph_ids: set[int]) -> dict[tuple[int, int, int], dict]:
    """What the rules see today of each unit in the documents of these paragraphs, by
    (paragraph id, start, end) of the unit before and after its shell was cut."""
    from annotations.nlp.learning import features_of
    from annotations.nlp.suggest import suggest_paragraphs

    document_ids = set(Paragraph.objects.filter(pk__in=paragraph_ids).values_list("document_id", flat=True))
    loaded = _loaded_pipeline()
    features: dict[tuple[int, int, int], dict] = {}
    for document_id in sorted(document_ids):
        paragraphs = list(
            Paragraph.objects.filter(document_id=document_id, kind=Paragraph.Kind.BODY).order_by("position").only("id", "text")
        )
        for paragraph, found in zip(paragraphs, suggest_paragraphs([p.text for p in paragraphs], nlp=loaded.nlp)):
            for candidate in found:
                described = features_of(candidate)
                features[(paragraph.pk, candidate.start, candidate.end)] = described
                features[(paragraph.pk, int(candidate.context.get("unit_start", candidate.start)), candidate.end)] = described
    return features


def _features_for(features: dict, paragraph_id: int, start: int, end: int) -> dict | None:
    found = features.get((paragraph_id, start, end))
    if found is not None:
        return found
    best, best_shared = None, 0
    for (pid, s, e), described in features.items():
        shared = min(e, end) - max(s, start)
        if pid == paragraph_id and shared * 2 >= (end - start) and shared > best_shared:
            best, best_shared = described, shared
    return best


def project_learning_examples(project: Project) -> list:
    """The project's decisions and manual spans as labelled examples, newest first (bounded),
    each described by what the rules see of its unit (``learning.features_of``)."""
    from annotations.nlp import lexicon
    from annotations.nlp.learning import NONE_LABEL, LabelledExample

    decisions = list(
        SuggestionDecision.objects.filter(suggestion__document__project=project)
        .select_related("suggestion", "annotation").order_by("-decided_at")[:TRAIN_MAX_EXAMPLES]
    )
    manual = list(
        Annotation.objects.filter(document__project=project, origin=Annotation.Origin.MANUAL, layer__kind=Layer.Kind.PERSONAL)
        .only("quote", "label", "paragraph_id", "start", "end").order_by("-created_at")[:TRAIN_MAX_EXAMPLES]
    )
    paragraph_ids = {d.suggestion.paragraph_id for d in decisions} | {a.paragraph_id for a in manual}
    features = _rule_features_by_span(paragraph_ids) if paragraph_ids else {}
    examples = []
    for decision in decisions:
        suggestion = decision.suggestion
        described = _features_for(features, suggestion.paragraph_id, suggestion.start, suggestion.end)
        if decision.decision == SuggestionDecision.Decision.REJECTED:
            examples.append(LabelledExample(text=suggestion.quote, label=NONE_LABEL, features=described))
            continue
        label = decision.label or suggestion.label
        label = lexicon.CLAIM if label == "major_claim" else label
        if label in lexicon.LABELS:
            annotation = decision.annotation
            text = annotation.quote if annotation is not None else suggestion.quote
            cut = ""
            if annotation is not None and suggestion.start < annotation.start < suggestion.end:
                cut = suggestion.quote[: annotation.start - suggestion.start]
            examples.append(LabelledExample(text=text, label=label, features=described, cut_prefix=cut))
    for annotation in manual:
        label = lexicon.CLAIM if annotation.label == "major_claim" else annotation.label
        if label in lexicon.LABELS:
            described = _features_for(features, annotation.paragraph_id, annotation.start, annotation.end)
            examples.append(LabelledExample(text=annotation.quote, label=label, features=described))
    return examples[:TRAIN_MAX_EXAMPLES]


def project_model_train(*, project: Project, force: bool = False) -> ProjectSuggestionModel | None:
    """Train and store the project's classifier; None when there are too few examples
    (or, unless ``force``, when the stored model is recent enough)."""
    from annotations.nlp.learning import NotEnoughExamples, model_to_bytes, train_project_model

    examples = project_learning_examples(project)
    if len(examples) < TRAIN_MIN_EXAMPLES or (not force and not training_due(project.pk, len(examples))):
        return None
    loaded = _loaded_pipeline()
    try:
        result = train_project_model(examples)
    except NotEnoughExamples:
        return None
    trained_at = timezone.now()
    previous = ProjectSuggestionModel.objects.filter(project=project).values_list("history", flat=True).first() or []
    history = [*previous, {"trained_at": trained_at.isoformat(), "examples": len(examples),
                           "accuracy_model": result.accuracy, "accuracy_rules": result.rule_accuracy}][-HISTORY_LENGTH:]
    stored, _ = ProjectSuggestionModel.objects.update_or_create(
        project=project,
        defaults={
            "history": history,
            "trained_at": trained_at, "n_examples": len(examples), "n_held_back": result.held_back,
            "accuracy_model": result.accuracy, "accuracy_rules": result.rule_accuracy,
            "model": model_to_bytes(result.model), "pipeline_name": loaded.name, "pipeline_version": loaded.version,
        },
    )
    return stored
