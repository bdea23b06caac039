"""Data migrations keep what stored rows meant: 0013_classroom_decisions_layers, when decisions on
suggestions got a layer, names the layer of an accept made into an exercise's key and leaves every
other decision in its person's own layer, as they were before."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

def _migrate(targets=None):
    """Migrate to ``targets`` (default: the newest migrations, where the rest of the suite expects the database)."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_decisions_keep_their_meaning(classroom):
    """An accept into the key names the key; an accept into the teacher's own layer, a rejection and
    an accept whose span is gone stay in the person's own layer (layer empty)."""
    from annotations.models import Layer, SuggestionDecision
    from annotations.services.layers import layer_get_or_create_personal
    from tests.factories import SuggestionFactory

    c = classroom
    into_key, into_own, rejected, gone = (
        SuggestionFactory(paragraph=c.paragraph, start=start, end=end, label="claim", score=0.9)
        for start, end in ((32, 51), (0, 8), (81, 93), (9, 20))
    )
    own = layer_get_or_create_personal(project=c.project, user=c.teacher)
    key_span = c.key.annotations.get(start=0)
    own_span = own.annotations.create(document=c.document, paragraph=c.paragraph, start=0, end=8, quote="Cats are",
                                      label="claim", author=c.teacher)
    old = _migrate([("annotations", "0011_curation_rejections")])
    Decision = old.get_model("annotations", "SuggestionDecision")
    for suggestion, decision, span in ((into_key, "accepted", key_span), (into_own, "accepted", own_span),
                                       (rejected, "rejected", None), (gone, "accepted", None)):
        Decision.objects.create(suggestion_id=suggestion.pk, user_id=c.teacher.pk, decision=decision,
                                annotation_id=span.pk if span else None)
    _migrate()
    stored = {d.suggestion_id: d.layer_id for d in SuggestionDecision.objects.all()}
    assert stored == {into_key.pk: c.key.pk, into_own.pk: None, rejected.pk: None, gone.pk: None}
    assert Layer.objects.get(pk=c.key.pk).kind == "exercise_key"
