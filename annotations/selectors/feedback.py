"""Reads that score classroom work: the spans of an exercise's key and of students' work as
the pure scoring rules take them (``annotations.scoring``), one layer's score, many layers
scored in one pass with the summary the dashboard stores per submission, and a submission's
feedback as the person asking may see it. A fixed number of queries whatever the number of
spans.

``score_work`` is the one place the rules are applied with an exercise's settings (the labels
in play, whether links count); ``work_scored`` adds the stored summary. The submit, the
re-score job (``tasks.scores``), the dashboard and every read that finds a stored score older
than the key (``selectors.scores``) go through them, so a figure computed on a read is the
figure the job stores.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from annotations.agreement.tokens import token_codes, tokenize
from annotations.models import Annotation, Exercise, KeyNote, Layer, Paragraph, Relation, Submission
from annotations.permissions import can_teach
from annotations.scoring import (ScoringRelation, ScoringSpan, ScoreResult, outcomes, score_submission, sentence_bounds,
                                 sentence_tags)
from annotations.selectors.exercises import exercise_key_id, feedback_level


def key_and_work_spans(*, exercise: Exercise, layers: Sequence[Layer]):
    """The key's spans (with the teacher's notes) and relations, and each work layer's:
    ``(key_spans, key_relations, {layer id: (spans, relations)})``. Four queries."""
    key_id = exercise_key_id(exercise)
    return spans_of(exercise=exercise, key_id=key_id, layer_ids=[layer.pk for layer in layers])


def spans_of(*, exercise: Exercise, key_id: int | None, layer_ids: list[int]):
    """``key_and_work_spans`` for a key id already in hand. Three queries."""
    document_ids = Exercise.documents.through.objects.filter(exercise=exercise).values("document_id")
    wanted = [key_id, *layer_ids] if key_id else list(layer_ids)
    notes = dict(KeyNote.objects.filter(exercise=exercise).values_list("annotation_id", "text"))
    spans_by_layer = defaultdict(list)
    # Plain rows, not model instances: a class of 200 has tens of thousands of spans.
    for pk, document_id, paragraph_id, layer_id, start, end, label, quote, note in Annotation.objects.filter(
        layer_id__in=wanted, document_id__in=document_ids
    ).order_by("document_id", "paragraph_id", "start", "end", "id").values_list(
        "id", "document_id", "paragraph_id", "layer_id", "start", "end", "label", "quote", "note"
    ):
        spans_by_layer[layer_id].append(ScoringSpan(
            id=f"s{pk}", document=document_id, paragraph=paragraph_id, start=start, end=end, label=label, quote=quote,
            note=notes.get(pk) or (note if layer_id == key_id else ""),
        ))
    relations_by_layer = defaultdict(list)
    for layer_id, source, target, kind in Relation.objects.filter(layer_id__in=wanted, document_id__in=document_ids).values_list(
        "layer_id", "source_id", "target_id", "kind"
    ):
        relations_by_layer[layer_id].append(ScoringRelation(f"s{source}", f"s{target}", kind))
    key_spans, key_relations = spans_by_layer.pop(key_id, []), relations_by_layer.pop(key_id, [])
    work = {layer_id: (spans_by_layer.get(layer_id, []), relations_by_layer.get(layer_id, [])) for layer_id in layer_ids}
    return key_spans, key_relations, work


def score_work(*, exercise: Exercise, key_spans: Sequence[ScoringSpan], key_relations: Sequence[ScoringRelation],
               spans: Sequence[ScoringSpan], relations: Sequence[ScoringRelation],
               student: str | None = None) -> ScoreResult:
    """One attempt's work scored against the key with the exercise's labels and link rule (pure);
    its messages speak to the student, or about ``student`` to someone else."""
    return score_submission(key_spans=key_spans, key_relations=key_relations, student_spans=spans,
                            student_relations=relations, labels=exercise.labels, relations_count=exercise.relations_count,
                            about=student)


def layer_score(*, exercise: Exercise, layer: Layer, student: str | None = None) -> ScoreResult:
    """Score one work layer against the key (the pure rules in ``annotations.scoring``), said to
    the student, or about ``student`` to someone else."""
    key_spans, key_relations, work = key_and_work_spans(exercise=exercise, layers=[layer])
    spans, relations = work.get(layer.pk, ([], []))
    return score_work(exercise=exercise, key_spans=key_spans, key_relations=key_relations, spans=spans,
                      relations=relations, student=student)


def exercise_paragraphs(*, exercise: Exercise) -> list[tuple[int, int, str, str]]:
    """``(document id, paragraph id, text, kind)`` of every paragraph of the exercise's documents, in order. One query."""
    return list(Paragraph.objects.filter(document__exercises=exercise).order_by("document_id", "position").values_list(
        "document_id", "id", "text", "kind"))


class ExerciseText:
    """The exercise's paragraphs cut once for every student: words per paragraph and the
    sentences of the body paragraphs (pure)."""

    def __init__(self, paragraphs: Sequence[tuple[int, int, str, str]]):
        self.paragraphs = list(paragraphs)
        self.words = {paragraph: tokenize(text) for _, paragraph, text, _ in self.paragraphs}
        self.body = [(document, paragraph, text) for document, paragraph, text, kind in self.paragraphs if kind == "body"]
        self.sentences = {paragraph: sentence_bounds(text) for _, paragraph, text in self.body}


def work_summary(*, text: ExerciseText, spans: Sequence[ScoringSpan], result: ScoreResult) -> dict:
    """What the dashboard needs of one attempt, stored with it (pure): the key spans' outcomes
    (``scoring.outcomes``), the number of spans, each word's label as one character per word
    for the paragraphs the student tagged (``agreement.tokens.token_codes``; a paragraph left
    out is all outside) and the sentences tagged with each label (``scoring.sentence_tags``)."""
    by_paragraph = defaultdict(list)
    for span in spans:
        by_paragraph[span.paragraph].append(span)
    tokens = {str(paragraph): token_codes(text.words[paragraph], mine)
              for paragraph, mine in by_paragraph.items() if paragraph in text.words}
    return {"outcomes": outcomes(result), "span_count": len(spans), "tokens": tokens,
            "sentences": [list(tag) for tag in sentence_tags(text.body, spans, text.sentences)]}


def score_is_stale(submission: Submission, exercise: Exercise) -> bool:
    """A submitted attempt whose stored score, parts and summary predate the exercise's key
    revision (the key or what is scored changed since; the re-score job has not run yet)."""
    return submission.status == Submission.Status.SUBMITTED and (
        submission.scored_revision is None or submission.scored_revision < exercise.scoring_revision)


def work_scored(*, exercise: Exercise, text: ExerciseText, key_spans: Sequence[ScoringSpan],
                key_relations: Sequence[ScoringRelation], spans: Sequence[ScoringSpan],
                relations: Sequence[ScoringRelation]) -> tuple[ScoreResult, dict]:
    """One attempt scored (``score_work``) with the summary stored beside its score (pure)."""
    result = score_work(exercise=exercise, key_spans=key_spans, key_relations=key_relations, spans=spans,
                        relations=relations)
    return result, work_summary(text=text, spans=spans, result=result)


def layers_scored(*, exercise: Exercise, layer_ids: Sequence[int]) -> tuple[int, dict[int, tuple[ScoreResult, dict]]]:
    """Score many work layers in one pass: ``(the revision scored at, {layer id: (result,
    summary)})``. Reads the exercise's ``scoring_revision`` before the key, so a key change
    committed in between leaves the results marked older than they are, never newer. Six queries."""
    revision = Exercise.objects.filter(pk=exercise.pk).values_list("scoring_revision", flat=True).first() or 0
    key_spans, key_relations, work = spans_of(exercise=exercise, key_id=exercise_key_id(exercise), layer_ids=list(layer_ids))
    text = ExerciseText(exercise_paragraphs(exercise=exercise))
    scored = {layer_id: work_scored(exercise=exercise, text=text, key_spans=key_spans, key_relations=key_relations,
                                    spans=spans, relations=relations)
              for layer_id, (spans, relations) in work.items()}
    return revision, scored


def submission_feedback(*, submission: Submission, user) -> dict:
    """The submission's result as the viewer may see it: the teacher always sees everything
    (work in progress live); the student what the feedback mode allows ("detail", "score", or
    nothing yet)."""
    exercise = submission.exercise
    level = "detail" if can_teach(exercise.project, user) else feedback_level(exercise, submission)
    data = {
        "submission": submission.pk, "exercise": exercise.pk, "student": submission.student.get_username(),
        "attempt": submission.attempt, "status": submission.status, "late": submission.late,
        "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
        "visible": level, "feedback_mode": exercise.feedback_mode,
    }
    if level is None:
        data["message"] = _why_hidden(exercise, submission)
        return data
    # The teacher reads about the student ("ana found this claim."), the student about themselves.
    about = None if submission.student_id == user.pk else submission.student.get_username()
    result = layer_score(exercise=exercise, layer=submission.layer, student=about)
    # Scored now, against the key as it is (the stored score may predate a change to the key).
    overridden = submission.status == Submission.Status.SUBMITTED and submission.override_score is not None
    score = submission.override_score if overridden else result.score
    data.update({"score": score, "computed_score": result.score, "override_comment": submission.override_comment,
                 "parts": result.parts()})
    if level == "detail":
        detail = result.to_dict()
        data.update({"spans": detail["spans"], "relations": detail["relations"], "rules": detail["rules"]})
    return data


def _why_hidden(exercise: Exercise, submission: Submission) -> str:
    if submission.status != Submission.Status.SUBMITTED:
        return "Feedback comes once you submit."
    if exercise.feedback_mode == Exercise.FeedbackMode.RELEASE:
        return "Submitted. Your teacher will release the feedback."
    return "Submitted. This exercise gives no feedback."
