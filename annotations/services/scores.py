"""The write that brings a class's stored scores up to date after its key (or what is scored)
changed: ``exercise_scores_refresh``, run by the re-score job (``tasks.scores``), never by a read.

A submitted attempt stores its score, the score's parts and the dashboard's summary with the
key revision they were computed at (``Submission.scored_revision``); a trigger (migration 0010)
moves ``Exercise.scoring_revision`` on every write to the key's spans and relations, and
``services.exercises.exercise_update`` moves it when the labels in play or the link rule change.
Until the job has run, reads compute the same figure in memory (``selectors.scores``).
"""
from __future__ import annotations

import json

from django.db import connection, transaction

from annotations.models import Exercise, Submission
from annotations.selectors.feedback import layers_scored


def exercise_scores_refresh(*, exercise: Exercise) -> int:
    """Re-score, in one pass, the submitted attempts whose stored score predates the key's
    current revision. Returns how many were re-scored; a class already up to date costs one
    query. Not a permission gate: it is the worker's, and what it writes follows from the key."""
    stale = list(Submission.objects.filter(exercise=exercise, status=Submission.Status.SUBMITTED)
                 .exclude(scored_revision__gte=exercise.scoring_revision).values_list("pk", flat=True))
    if not stale:
        return 0
    with transaction.atomic():
        # Locked so a reopen (which clears the score) cannot interleave with the write below.
        submissions = list(Submission.objects.select_for_update().filter(pk__in=stale, status=Submission.Status.SUBMITTED))
        # layers_scored reads the revision before the key: a key change committed meanwhile
        # leaves these rows marked older than they are (and queues the next job), never newer.
        revision, scored = layers_scored(exercise=exercise, layer_ids=[s.layer_id for s in submissions])
        rows = []
        for submission in submissions:
            result, summary = scored[submission.layer_id]
            rows.append({"id": submission.pk, "score": result.score, "parts": result.parts(), "summary": summary})
        _store_scores(rows, revision)
    exercise.scoring_revision = max(exercise.scoring_revision, revision)
    return len(submissions)


def _store_scores(rows: list[dict], revision: int) -> None:
    """One UPDATE for all the class's rows, sent as one JSON document (``bulk_update`` builds a
    CASE per row and field, and quoting 200 summaries as arrays costs more than the scoring)."""
    table = Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS submission SET score = (row->>\'score\')::double precision, '
            "score_parts = row->'parts', summary = row->'summary', scored_revision = %s "
            "FROM jsonb_array_elements(%s::jsonb) AS row WHERE submission.id = (row->>'id')::bigint",
            [revision, json.dumps(rows)],
        )
