"""Writes on spans and relations called directly (services/spans.py; tests/api/test_spans.py
and test_spans_relations.py drive the same rules over HTTP): offsets in code points, the quote checked,
a refused first span leaves no layer, duplicates are a Conflict naming the span, stale versions
are refused, deleting a span takes its relations."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, Layer, Relation
from tests.factories import ParagraphFactory

pytestmark = pytest.mark.django_db


def create(paragraph, user, start, end, quote=None, label="claim", layer=None):
    return services.annotation_create(paragraph=paragraph, layer=layer, user=user, start=start, end=end, label=label, quote=quote)


def test_offsets_are_code_points_and_the_quote_is_stored(document, people):
    """After "🐱" (one code point, two UTF-16 units) offsets count code points."""
    paragraph = ParagraphFactory(document=document, position=2, text="Cats 🐱 beat dogs.")
    span = create(paragraph, people["annotator"], 7, 11, quote="beat")
    assert (span.start, span.end, span.quote) == (7, 11, "beat")
    assert span.layer.kind == Layer.Kind.PERSONAL and span.layer.owner == people["annotator"]


def test_a_wrong_quote_is_refused_with_the_actual_text_and_no_layer_is_made(paragraph, people):
    """The message quotes what is really there; the annotator's first span left no layer behind."""
    with pytest.raises(InvalidInput, match=r"does not match the text at \[0, 4\) of paragraph 1 .* which is 'Cats'"):
        create(paragraph, people["annotator"], 0, 4, quote="Dogs")
    assert not Layer.objects.filter(owner=people["annotator"]).exists()


@pytest.mark.parametrize(
    "start, end, message",
    [(4, 4, "start 4 must be before end 4"), (500, 501, "start 500 is past the end"), (0, 500, "end 500 is past the end"),
     (-1, 3, "whole numbers")],
)
def test_bad_offsets_are_refused(paragraph, people, start, end, message):
    """Each offset rule has its own message; nothing is stored."""
    with pytest.raises(InvalidInput, match=message):
        create(paragraph, people["annotator"], start, end)
    assert not Annotation.objects.exists()


def test_same_span_twice_is_a_conflict_naming_the_first(paragraph, people):
    """The database constraint turns into a Conflict that names the existing span."""
    first = create(paragraph, people["annotator"], 0, 4)
    with pytest.raises(Conflict, match=f"already has a claim span on 'Cats' \\(span {first.pk}\\)"):
        create(paragraph, people["annotator"], 0, 4, label="evidence")
    assert Annotation.objects.count() == 1


def test_viewers_and_others_layers_are_refused(paragraph, people):
    """A viewer cannot annotate; an annotator cannot write into another person's layer."""
    with pytest.raises(NotPermitted, match="Viewers cannot annotate"):
        create(paragraph, people["viewer"], 0, 4)
    theirs = create(paragraph, people["annotator_b"], 0, 4).layer
    with pytest.raises(NotPermitted, match="belongs to someone else"):
        create(paragraph, people["annotator"], 5, 8, layer=theirs)


def test_an_annotator_made_viewer_is_told_their_role_not_that_the_layer_is_someone_elses(paragraph, people, project):
    """Demoted to viewer with a layer already (mid-session, by the owner): a tag in their own
    layer is refused naming the role and whom to ask; removed from the project, naming that."""
    from annotations.models import Membership

    span = create(paragraph, people["annotator"], 0, 4)
    services.membership_change_role(project=project, user=people["annotator"], role="viewer", by=people["owner"])
    people["annotator"].__dict__.pop("_argmap_roles", None)
    with pytest.raises(NotPermitted, match="Your role in this project is viewer now.*ask the project's owner for the annotator role"):
        create(paragraph, people["annotator"], 5, 8, layer=span.layer)
    Membership.objects.filter(project=project, user=people["annotator"]).delete()
    people["annotator"].__dict__.pop("_argmap_roles", None)
    with pytest.raises(NotPermitted, match="no longer a member of this project"):
        services.annotation_update(annotation=span, user=people["annotator"], version=1, label="evidence")
    assert Annotation.objects.filter(layer=span.layer).count() == 1


def test_a_stale_version_is_a_conflict_and_nothing_changes(paragraph, people):
    """Two editors saw the same version: the second is told the span has moved on one version."""
    span = create(paragraph, people["annotator"], 0, 4)
    seen = span.version
    services.annotation_update(annotation=span, user=people["annotator"], version=seen, label="evidence")
    with pytest.raises(Conflict, match=f"you edited version {seen}, it is now version {seen + 1}"):
        services.annotation_update(annotation=span, user=people["annotator"], version=seen, label="counterclaim")
    assert Annotation.objects.get(pk=span.pk).label == "evidence"


def test_a_stale_version_names_who_made_the_current_one(paragraph, people):
    """The refusal says who changed the span meanwhile: you (in another tab) or the colleague."""
    from annotations.models import Layer

    span = create(paragraph, people["annotator"], 0, 4)
    services.annotation_update(annotation=span, user=people["annotator"], version=1, label="evidence")
    with pytest.raises(Conflict, match="changed meanwhile by you, in another tab or window"):
        services.annotation_update(annotation=span, user=people["annotator"], version=1, label="counterclaim")
    consensus = services.layer_get_or_create_shared(project=paragraph.document.project, kind=Layer.Kind.CONSENSUS)
    shared = create(paragraph, people["curator"], 5, 8, layer=consensus)
    services.annotation_update(annotation=shared, user=people["curator"], version=1, label="evidence")
    with pytest.raises(Conflict, match="changed meanwhile by curator \\(you edited version 1, it is now version 2\\)"):
        services.annotation_update(annotation=shared, user=people["owner"], version=1, label="counterclaim")


def test_relations_join_one_layer_and_go_with_their_span(paragraph, people):
    """A relation across layers or to itself is refused; deleting a span deletes its relations."""
    claim = create(paragraph, people["annotator"], 0, 30)
    evidence = create(paragraph, people["annotator"], 32, 51, label="evidence")
    other = create(paragraph, people["annotator_b"], 0, 4)
    with pytest.raises(InvalidInput, match="different layers"):
        services.relation_create(source=evidence, target=other, kind="supports", user=people["annotator"])
    with pytest.raises(InvalidInput, match="cannot support or attack itself"):
        services.relation_create(source=claim, target=claim, kind="supports", user=people["annotator"])
    relation = services.relation_create(source=evidence, target=claim, kind="supports", user=people["annotator"])
    services.annotation_delete(annotation=claim, user=people["annotator"])
    assert not Relation.objects.filter(pk=relation.pk).exists() and Annotation.objects.filter(pk=evidence.pk).exists()
