"""Accepting, adjusting, rejecting and bulk-accepting suggestions (services/suggestions.py): each
person's layer and decisions, the span rules of annotation_create, who may decide, and
suggestion_decision_undo: Ctrl+Z after accepting or rejecting a suggestion takes the decision back
(and the span an accept made, with its links), so the suggestion is offered again."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, ChangeEvent, Layer, Relation, SuggestionDecision
from annotations.selectors.suggestions import suggestions_status_get
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(paragraph):
    """'Cats are better pets than dogs' suggested as a claim."""
    return SuggestionFactory(paragraph=paragraph, start=0, end=30, label="claim", score=0.9)


def _visible_ids(document, user):
    return [s["id"] for s in suggestions_status_get(document=document, user=user)["suggestions"]]


def test_accept_creates_annotation_in_own_layer_pointing_back(suggestion, people):
    """Accepting creates a span in the person's own layer with origin=suggestion, logs the change and stores the decision."""
    user = people["annotator"]
    annotation = services.suggestion_accept(suggestion=suggestion, user=user)
    assert annotation.layer.kind == Layer.Kind.PERSONAL and annotation.layer.owner == user
    assert (annotation.start, annotation.end, annotation.quote) == (0, 30, "Cats are better pets than dogs")
    assert annotation.origin == Annotation.Origin.SUGGESTION and annotation.suggestion == suggestion
    assert annotation.label == "claim" and annotation.author == user
    decision = SuggestionDecision.objects.get(suggestion=suggestion, user=user)
    assert decision.decision == "accepted" and decision.annotation == annotation and decision.label == "claim"
    assert ChangeEvent.objects.filter(object_id=annotation.pk).exists()
    assert suggestion.pk not in _visible_ids(suggestion.document, user)


def test_accept_with_another_label(suggestion, people):
    """Accepting with another label stores the span and the decision with that label."""
    annotation = services.suggestion_accept(suggestion=suggestion, user=people["annotator"], label="evidence")
    assert annotation.label == "evidence"
    assert SuggestionDecision.objects.get(suggestion=suggestion).label == "evidence"


def test_adjust_boundaries_then_accept(suggestion, people):
    """Adjusted boundaries (with the matching quote) are what gets stored."""
    annotation = services.suggestion_accept(suggestion=suggestion, user=people["annotator"], start=9, end=30,
                                            quote="better pets than dogs")
    assert (annotation.start, annotation.end, annotation.quote) == (9, 30, "better pets than dogs")
    assert annotation.suggestion == suggestion


@pytest.mark.parametrize("changes", [
    {"start": 9, "end": 30, "quote": "better pets than cats"},  # quote does not match the text
    {"start": 20, "end": 10},  # start after end
    {"start": 0, "end": 500},  # past the paragraph
    {"label": "rebuttal"},  # a label the project does not use
])
def test_bad_adjustment_is_refused_and_nothing_stored(suggestion, people, changes):
    """A bad adjustment is refused with InvalidInput; no span, layer or decision is stored."""
    with pytest.raises(InvalidInput):
        services.suggestion_accept(suggestion=suggestion, user=people["annotator"], **changes)
    assert not Annotation.objects.exists()
    assert not SuggestionDecision.objects.exists()
    assert not Layer.objects.filter(owner=people["annotator"]).exists()


def test_accepting_twice_is_a_conflict(suggestion, people):
    """A second accept by the same person is refused (Conflict) and names the span."""
    first = services.suggestion_accept(suggestion=suggestion, user=people["annotator"])
    with pytest.raises(Conflict) as refused:
        services.suggestion_accept(suggestion=suggestion, user=people["annotator"])
    assert str(first.pk) in refused.value.message


def test_reject_hides_for_that_person_only(suggestion, people, document):
    """A rejected suggestion disappears for the person who rejected it; others still see it."""
    services.suggestion_reject(suggestion=suggestion, user=people["annotator"])
    assert suggestion.pk not in _visible_ids(document, people["annotator"])
    assert suggestion.pk in _visible_ids(document, people["annotator_b"])
    assert SuggestionDecision.objects.get(user=people["annotator"]).decision == "rejected"
    assert not Annotation.objects.exists()


def test_reject_then_accept_changes_the_decision(suggestion, people):
    """Someone who rejected can still accept later (the suggestion is reachable by id); one decision row."""
    services.suggestion_reject(suggestion=suggestion, user=people["annotator"])
    services.suggestion_accept(suggestion=suggestion, user=people["annotator"])
    assert SuggestionDecision.objects.get(user=people["annotator"]).decision == "accepted"


def test_a_span_already_tagged_is_not_suggested_again(suggestion, people, paragraph, document):
    """A suggestion on a span the person already tagged by hand is not shown to them."""
    services.annotation_create(paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=30,
                               label="evidence", quote=None)
    assert suggestion.pk not in _visible_ids(document, people["annotator"])
    assert suggestion.pk in _visible_ids(document, people["annotator_b"])


def test_bulk_accept_above_a_score(paragraph, people, document):
    """Bulk accept takes every visible suggestion at or above the score, skipping rejected and lower ones."""
    high = SuggestionFactory(paragraph=paragraph, start=0, end=30, score=0.9)
    edge = SuggestionFactory(paragraph=paragraph, start=32, end=51, label="evidence", score=0.7)
    low = SuggestionFactory(paragraph=paragraph, start=52, end=80, label="evidence", score=0.4)
    rejected = SuggestionFactory(paragraph=paragraph, start=10, end=30, score=0.95)
    user = people["annotator"]
    services.suggestion_reject(suggestion=rejected, user=user)
    result = services.suggestions_accept_above(document=document, user=user, min_score=0.7)
    assert sorted(a.suggestion_id for a in result.accepted) == sorted([high.pk, edge.pk])
    assert Annotation.objects.filter(layer__owner=user).count() == 2
    assert _visible_ids(document, user) == [low.pk]
    assert _visible_ids(document, people["annotator_b"]) == [high.pk, rejected.pk, edge.pk, low.pk]


def test_bulk_accept_refuses_a_score_out_of_range(document, people):
    """min_score outside [0, 1] is refused with a message naming the value."""
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        services.suggestions_accept_above(document=document, user=people["annotator"], min_score=1.5)


@pytest.mark.parametrize("role", ["viewer"])
def test_viewer_cannot_decide(suggestion, people, document, role):
    """Viewers cannot accept, reject or bulk-accept; nothing is stored."""
    for call in (
        lambda: services.suggestion_accept(suggestion=suggestion, user=people[role]),
        lambda: services.suggestion_reject(suggestion=suggestion, user=people[role]),
        lambda: services.suggestions_accept_above(document=document, user=people[role], min_score=0),
    ):
        with pytest.raises(NotPermitted):
            call()
    assert not SuggestionDecision.objects.exists() and not Annotation.objects.exists()


def test_undoing_an_accept_deletes_the_span_and_its_links_and_offers_the_suggestion_again(suggestion, people, paragraph):
    """The accepted span, a link made to it and the decision go; the change log records the deletion."""
    user = people["annotator"]
    annotation = services.suggestion_accept(suggestion=suggestion, user=user)
    other = services.annotation_create(paragraph=paragraph, layer=annotation.layer, user=user, start=32, end=51,
                                       label="evidence", quote=paragraph.text[32:51])
    services.relation_create(source=other, target=annotation, kind="supports", user=user)
    services.suggestion_decision_undo(suggestion=suggestion, user=user)
    assert not Annotation.objects.filter(pk=annotation.pk).exists()
    assert not Relation.objects.exists() and Annotation.objects.filter(pk=other.pk).exists()
    assert not SuggestionDecision.objects.exists()
    assert ChangeEvent.objects.filter(object_id=annotation.pk, action="deleted").exists()
    assert suggestion.pk in _visible_ids(suggestion.document, user)


def test_undoing_a_reject_offers_the_suggestion_again(suggestion, people):
    """A rejected suggestion comes back for that person."""
    user = people["annotator"]
    services.suggestion_reject(suggestion=suggestion, user=user)
    assert suggestion.pk not in _visible_ids(suggestion.document, user)
    services.suggestion_decision_undo(suggestion=suggestion, user=user)
    assert suggestion.pk in _visible_ids(suggestion.document, user)


def test_undo_without_a_decision_is_refused_and_another_persons_decision_stays(suggestion, people):
    """Nothing decided: 409 with a message; B's decision is not touched by A's undo; viewers may not."""
    services.suggestion_reject(suggestion=suggestion, user=people["annotator_b"])
    with pytest.raises(Conflict, match="nothing to undo"):
        services.suggestion_decision_undo(suggestion=suggestion, user=people["annotator"])
    with pytest.raises(NotPermitted):
        services.suggestion_decision_undo(suggestion=suggestion, user=people["viewer"])
    assert SuggestionDecision.objects.get().user == people["annotator_b"]


# ---- decisions are per layer -------------------------------------------------------------------

def _offered(document, user, layer=None):
    return [s["id"] for s in suggestions_status_get(document=document, user=user, layer=layer)["suggestions"]]


def test_a_decision_counts_in_its_own_layer_only(classroom):
    """The teacher rejects a suggestion in their own layer: the key still offers it; accepted into
    the key, it leaves the key's list but not the teacher's own (where another is still offered),
    and accepting the second into the key leaves it offered in their own layer too."""
    from tests.factories import SuggestionFactory

    c = classroom
    first = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    second = SuggestionFactory(paragraph=c.paragraph, start=81, end=93, label="counterclaim", score=0.8)
    services.suggestion_reject(suggestion=first, user=c.teacher)
    assert _offered(c.document, c.teacher) == [second.pk]
    assert _offered(c.document, c.teacher, c.key) == [first.pk, second.pk]
    services.suggestion_accept(suggestion=first, user=c.teacher, layer=c.key)
    services.suggestion_accept(suggestion=second, user=c.teacher, layer=c.key)
    assert _offered(c.document, c.teacher, c.key) == []
    assert _offered(c.document, c.teacher) == [second.pk]
    stored = {(d.suggestion_id, d.layer_id, d.decision) for d in SuggestionDecision.objects.all()}
    assert stored == {(first.pk, None, "rejected"), (first.pk, c.key.pk, "accepted"), (second.pk, c.key.pk, "accepted")}


def test_a_layers_decision_is_shared_by_everyone_who_edits_it(classroom):
    """A curator who co-teaches sees the owner's reject on the key (not offered there), may undo it
    (offered again), and their own layer never saw it."""
    from annotations.models import Role
    from tests.factories import MembershipFactory, SuggestionFactory, UserFactory

    c = classroom
    co_teacher = MembershipFactory(project=c.project, user=UserFactory(username="co"), role=Role.CURATOR).user
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    services.suggestion_reject(suggestion=suggestion, user=c.teacher, layer=c.key)
    assert _offered(c.document, co_teacher, c.key) == [] and _offered(c.document, co_teacher) == [suggestion.pk]
    with pytest.raises(Conflict, match="nothing to undo"):
        services.suggestion_decision_undo(suggestion=suggestion, user=co_teacher)  # their own layer: nothing there
    services.suggestion_decision_undo(suggestion=suggestion, user=co_teacher, layer=c.key)
    assert _offered(c.document, c.teacher, c.key) == [suggestion.pk]
    assert not SuggestionDecision.objects.exists()


def test_a_student_cannot_decide_for_the_key(classroom):
    """Rejecting or undoing for a layer one cannot edit is refused; nothing is stored."""
    from tests.factories import SuggestionFactory

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    with pytest.raises(NotPermitted, match="cannot edit the layer"):
        services.suggestion_reject(suggestion=suggestion, user=c.student, layer=c.key)
    assert not SuggestionDecision.objects.exists()


def test_the_database_keeps_one_decision_per_suggestion_and_layer(classroom):
    """suggestion_decided_once_per_layer (two people, one key) and suggestion_decided_once_in_own_layer
    (one person, their own layer twice) are refused by PostgreSQL; one per layer is fine."""
    from django.db import IntegrityError, transaction

    from tests.factories import SuggestionFactory

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    SuggestionDecision.objects.create(suggestion=suggestion, user=c.teacher, layer=c.key, decision="rejected")
    SuggestionDecision.objects.create(suggestion=suggestion, user=c.teacher, layer=None, decision="rejected")
    for user, layer in ((c.student, c.key), (c.teacher, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            SuggestionDecision.objects.create(suggestion=suggestion, user=user, layer=layer, decision="rejected")


def test_the_learner_counts_a_person_once_per_suggestion(classroom):
    """Decided in their own layer and in the key, a suggestion is one example of the teacher's (their
    newest decision), as when decisions were per person: the count and the examples agree."""
    from annotations.selectors.suggestions import project_learning_example_count
    from annotations.services.suggestion_runs import project_learning_examples
    from tests.factories import SuggestionFactory

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    manual = project_learning_example_count(c.project.pk)
    services.suggestion_reject(suggestion=suggestion, user=c.teacher)
    services.suggestion_accept(suggestion=suggestion, user=c.teacher, layer=c.key, label="claim")
    assert SuggestionDecision.objects.count() == 2
    assert project_learning_example_count(c.project.pk) == manual + 1
    labels = [e.label for e in project_learning_examples(c.project) if e.start == 32 and not getattr(e, "implicit", False)]
    assert labels == ["claim"]


def test_accepting_into_a_layer_one_cannot_edit_is_refused_before_anything_else(classroom):
    """A student accepting into the key a suggestion the teacher accepted there is told they cannot
    edit the key (403), not to 'edit that span' of a layer they may not touch (409); nothing is stored."""
    from tests.factories import SuggestionFactory

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    services.suggestion_accept(suggestion=suggestion, user=c.teacher, layer=c.key)
    with pytest.raises(NotPermitted, match="cannot edit the layer"):
        services.suggestion_accept(suggestion=suggestion, user=c.student, layer=c.key)
    with pytest.raises(NotPermitted, match="cannot edit the layer"):
        services.suggestions_accept_above(document=c.document, user=c.student, min_score=0.95, layer=c.key)
    assert SuggestionDecision.objects.count() == 1


def test_submitted_work_takes_no_decision(classroom):
    """Once an attempt is submitted, rejecting (or undoing) a suggestion in its layer is refused with
    the reason, as a span change is: the frozen work keeps its decisions too."""
    from annotations.services import submissions
    from tests.factories import SuggestionFactory

    c = classroom
    suggestion = SuggestionFactory(paragraph=c.paragraph, start=32, end=51, label="evidence", score=0.9)
    submission = submissions.submission_start(exercise=c.exercise, user=c.student)
    services.annotation_create(paragraph=c.paragraph, layer=submission.layer, user=c.student, start=0, end=31,
                               label="claim", quote=None)
    submissions.exercise_submit(exercise=c.exercise, user=c.student)
    for decide in (services.suggestion_reject, services.suggestion_decision_undo):
        with pytest.raises(Conflict, match="submitted this work"):
            decide(suggestion=suggestion, user=c.student, layer=submission.layer)
    with pytest.raises(Conflict, match="submitted this work"):
        services.suggestions_accept_above(document=c.document, user=c.student, min_score=0.5, layer=submission.layer)
    assert not SuggestionDecision.objects.exists()
