"""suggestion_decision_undo: Ctrl+Z after accepting or rejecting a suggestion takes the
decision back (and the span an accept made, with its links), so the suggestion is offered again."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import Conflict, NotPermitted
from annotations.models import Annotation, ChangeEvent, Relation, SuggestionDecision
from annotations.selectors.suggestions import suggestions_status_get
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(paragraph):
    return SuggestionFactory(paragraph=paragraph, start=0, end=30, label="claim", score=0.9)


def _visible_ids(document, user):
    return [s["id"] for s in suggestions_status_get(document=document, user=user)["suggestions"]]


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
