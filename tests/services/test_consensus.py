"""Curation into the consensus layer: automatic merge (share 1.0 and 0.5), picking a
disagreement's candidate with its relations, the answer key, and who may do it."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.curation import curate
from annotations.errors import NotPermitted
from annotations.models import Annotation, ChangeEvent, Relation
from annotations.selectors import argument_map_get
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

pytestmark = pytest.mark.django_db

CLAIM = "Cats are better pets than dogs."
EVIDENCE = "They need less care, according to a 2020 survey."


@pytest.fixture
def three(paragraph, layers, people):
    """Three annotators: all tag the claim; A and B (nearly) the evidence supporting it; C calls it a counterclaim."""
    a, b, c = layers["annotator"], layers["annotator_b"], layers["curator"]
    claim_a = tag(paragraph, a, people["annotator"], CLAIM)
    evidence_a = tag(paragraph, a, people["annotator"], EVIDENCE, label="evidence")
    services.relation_create(source=evidence_a, target=claim_a, kind="supports", user=people["annotator"])
    claim_b = tag(paragraph, b, people["annotator_b"], CLAIM)
    evidence_b = tag(paragraph, b, people["annotator_b"], EVIDENCE[:-1], label="evidence")
    services.relation_create(source=evidence_b, target=claim_b, kind="supports", user=people["annotator_b"])
    tag(paragraph, c, people["curator"], CLAIM)
    tag(paragraph, c, people["curator"], EVIDENCE, label="counterclaim")
    return {"a": a, "b": b, "c": c, "evidence_a": evidence_a}


def consensus_of(document, layers):
    return sorted(
        (span.start, span.end, span.label)
        for span in Annotation.objects.filter(document=document, layer=layers["consensus"])
    )


def test_merge_all_agree_takes_only_the_shared_claim(document, layers, people, three):
    """With share 1.0 only the span all three drew goes in; it is recorded as a merge in the feed."""
    before = ChangeEvent.objects.count()
    outcome = services.consensus_merge(
        document=document, layers=[three["a"], three["b"], three["c"]], user=people["curator"], min_agreement=1.0,
    )
    assert consensus_of(document, layers) == [(0, len(CLAIM), "claim")]
    assert (outcome.spans_added, outcome.relations_added, len(outcome.curation.disagreements)) == (1, 0, 1)
    assert Annotation.objects.get(layer=layers["consensus"]).origin == "merge"
    assert ChangeEvent.objects.count() == before + 1


def test_merge_half_with_overlap_matches_the_pure_core(document, layers, people, three):
    """With share 0.5 and overlap matching, the stored consensus equals curate()'s consensus, relation included."""
    chosen = [three["a"], three["b"], three["c"]]
    expected = curate(
        {layer.name: argument_map_get(document=document, layer=layer) for layer in chosen},
        min_agreement=0.5, match="overlap",
    )
    outcome = services.consensus_merge(document=document, layers=chosen, user=people["owner"], min_agreement=0.5, match="overlap")
    stored = argument_map_get(document=document, layer=layers["consensus"])
    assert [(s.paragraph, s.start, s.end, s.label) for s in stored.spans] == [
        (s.paragraph, s.start, s.end, s.label) for s in expected.consensus.spans
    ]
    assert len(stored.spans) == 2 and outcome.relations_added == 1
    relation = Relation.objects.get(layer=layers["consensus"])
    assert (relation.kind, relation.source.label, relation.target.label) == ("supports", "evidence", "claim")


def test_merge_twice_keeps_what_is_there_and_replace_starts_over(document, layers, people, three):
    """A second merge adds nothing; replace empties the document's consensus first."""
    chosen = [three["a"], three["b"], three["c"]]
    services.consensus_merge(document=document, layers=chosen, user=people["curator"], min_agreement=0.5, match="overlap")
    again = services.consensus_merge(document=document, layers=chosen, user=people["curator"], min_agreement=0.5, match="overlap")
    assert (again.spans_added, again.spans_kept, again.relations_added) == (0, 2, 0)
    fresh = services.consensus_merge(document=document, layers=chosen, user=people["curator"], min_agreement=1.0, replace=True)
    assert fresh.spans_removed == 2
    assert consensus_of(document, layers) == [(0, len(CLAIM), "claim")]
    assert not Relation.objects.filter(layer=layers["consensus"]).exists()


def test_picking_a_candidate_copies_span_and_relations_into_consensus(document, layers, people, three):
    """Picking A's evidence copies it and A's relation to the claim, which is already in the consensus."""
    services.consensus_merge(document=document, layers=[three["a"], three["b"], three["c"]], user=people["curator"])
    picked = services.consensus_pick(document=document, source=three["evidence_a"], user=people["curator"])
    assert (picked.layer_id, picked.quote, picked.label, picked.origin) == (layers["consensus"].pk, EVIDENCE, "evidence", "merge")
    relation = Relation.objects.get(layer=layers["consensus"])
    assert (relation.source_id, relation.kind, relation.target.quote) == (picked.pk, "supports", CLAIM)


@pytest.fixture
def overlapping(document, paragraph, layers, people):
    """A tags the whole claim and the evidence supporting it; B and C tag only the claim's first
    words, so an all-agree overlap merge puts B's and C's extent into the consensus, not A's."""
    a, b, c = layers["annotator"], layers["annotator_b"], layers["curator"]
    claim_a = tag(paragraph, a, people["annotator"], CLAIM)
    evidence_a = tag(paragraph, a, people["annotator"], EVIDENCE, label="evidence")
    relation = services.relation_create(source=evidence_a, target=claim_a, kind="supports", user=people["annotator"])
    tag(paragraph, b, people["annotator_b"], "Cats are better pets")
    tag(paragraph, c, people["curator"], "Cats are better pets")
    services.consensus_merge(document=document, layers=[a, b, c], user=people["curator"], match="overlap")
    return {"evidence_a": evidence_a, "relation": relation}


def relation_row(document, people, relation):
    from annotations.selectors.curation import curation_get

    data = curation_get(document=document, user=people["curator"], match="overlap")
    [row] = [c for group in data["relation_disagreements"] for c in group["candidates"] if c["relation"] == relation.pk]
    return row["ends_in_consensus"], row["picked"]


def test_picking_carries_a_relation_to_a_span_merged_by_overlap(document, layers, people, overlapping):
    """A's claim went into the consensus as B's and C's shorter extent; picking A's evidence still
    brings A's "supports" along, to that consensus claim, and the page shows the relation picked."""
    assert consensus_of(document, layers) == [(0, len("Cats are better pets"), "claim")]
    assert relation_row(document, people, overlapping["relation"]) == (False, False)
    picked = services.consensus_pick(document=document, source=overlapping["evidence_a"], user=people["curator"])
    relation = Relation.objects.get(layer=layers["consensus"])
    assert (relation.source_id, relation.kind, relation.target.quote) == (picked.pk, "supports", "Cats are better pets")
    assert relation_row(document, people, overlapping["relation"]) == (True, True)


def test_picking_a_relation_whose_ends_stand_in_the_consensus_by_overlap(document, layers, people, overlapping):
    """A's evidence picked with adjusted bounds and A's claim merged as a shorter extent: the
    curation page offers A's relation, and picking it links those two consensus spans."""
    start = overlapping["evidence_a"].start
    picked = services.consensus_pick(document=document, source=overlapping["evidence_a"], user=people["curator"],
                                     start=start, end=start + len("They need less care, according to a 2020"))
    assert not Relation.objects.filter(layer=layers["consensus"]).exists()
    assert relation_row(document, people, overlapping["relation"]) == (True, False)
    relation = services.consensus_pick_relation(document=document, relation=overlapping["relation"], user=people["curator"])
    assert (relation.source_id, relation.kind, relation.target.quote) == (picked.pk, "supports", "Cats are better pets")
    assert relation_row(document, people, overlapping["relation"]) == (True, True)


def test_picking_with_another_label_or_extent_and_repicking_relabels(document, layers, people, three, paragraph):
    """A pick may change label and bounds; picking the same extent again changes the consensus label."""
    services.consensus_pick(document=document, source=three["evidence_a"], user=people["curator"], label="counterclaim")
    assert consensus_of(document, layers) == [(32, 32 + len(EVIDENCE), "counterclaim")]
    services.consensus_pick(document=document, source=three["evidence_a"], user=people["curator"], label="evidence")
    assert consensus_of(document, layers) == [(32, 32 + len(EVIDENCE), "evidence")]
    services.consensus_pick(document=document, source=three["evidence_a"], user=people["curator"], start=32, end=51)
    assert (32, 51, "evidence") in consensus_of(document, layers)


@pytest.mark.parametrize("who", ["annotator", "viewer"])
def test_only_curators_and_owner_curate(document, people, three, who):
    """Annotators and viewers may not merge, pick or make an answer key."""
    with pytest.raises(NotPermitted):
        services.consensus_merge(document=document, layers=[three["a"], three["b"]], user=people[who])
    with pytest.raises(NotPermitted):
        services.consensus_pick(document=document, source=three["evidence_a"], user=people[who])
    with pytest.raises(NotPermitted):
        services.answer_key_from_consensus(document=document, user=people[who])


def test_consensus_copied_into_answer_key(document, layers, people, three):
    """The answer key becomes a copy of the consensus, spans and relations."""
    services.consensus_merge(document=document, layers=[three["a"], three["b"], three["c"]], user=people["curator"],
                             min_agreement=0.5, match="overlap")
    services.answer_key_from_consensus(document=document, user=people["owner"])
    key = argument_map_get(document=document, layer=layers["answer_key"])
    consensus = argument_map_get(document=document, layer=layers["consensus"])
    assert [(s.start, s.end, s.label) for s in key.spans] == [(s.start, s.end, s.label) for s in consensus.spans]
    assert [r.kind for r in key.relations] == ["supports"]


def test_curation_api_marks_resolved_disagreements(api, document, layers, people, three):
    """The curation endpoint lists the disagreement with candidates side by side, resolved once one is picked."""
    client = api.as_user(people["curator"])
    ids = f"{three['a'].pk},{three['b'].pk},{three['c'].pk}"
    merge = client.post(f"/api/documents/{document.pk}/consensus/merge/", {"layers": [three["a"].pk, three["b"].pk, three["c"].pk]}, format="json")
    assert merge.status_code == 200 and merge.json()["spans_added"] == 1
    data = client.get(f"/api/documents/{document.pk}/curation/?layers={ids}").json()
    (group,) = data["disagreements"]
    assert not group["resolved"]
    assert sorted((o["label"], tuple(o["proposers"])) for o in group["options"]) == [
        ("counterclaim", ("curator",)), ("evidence", ("annotator",)), ("evidence", ("annotator_b",)),
    ]
    option = next(o for o in group["options"] if o["proposers"] == ["annotator"])
    picked = client.post(f"/api/documents/{document.pk}/consensus/pick/", {"annotation": option["annotation"]}, format="json")
    assert picked.status_code == 201
    (group,) = client.get(f"/api/documents/{document.pk}/curation/?layers={ids}").json()["disagreements"]
    assert group["resolved"] and [o["picked"] for o in group["options"] if o["proposers"] == ["annotator"]] == [True]


def test_consensus_exports_like_any_layer(document, layers, people, three):
    """The consensus layer builds an ArgumentMap of kind consensus, like every exportable layer."""
    services.consensus_merge(document=document, layers=[three["a"], three["b"], three["c"]], user=people["curator"])
    consensus_map = argument_map_get(document=document, layer=layers["consensus"])
    assert consensus_map.layer_kind == "consensus" and [s.quote for s in consensus_map.spans] == [CLAIM]


def test_curate_page_keeps_a_chosen_share(client, document, people, three):
    """A share typed into the URL (0.6) stays selected and is applied: 2 of 3 must agree."""
    client.force_login(people["curator"])
    page = client.get(f"/d/{document.pk}/curate/?share=0.6&match=overlap").content.decode()
    assert '<option value="0.6" selected>a share of 0.6 agrees</option>' in page
    assert "<strong>2</strong> spans agreed" in page


def test_curate_page_counts_in_words_and_names_who_tagged_none_of_a_disagreements_words(client, document, people, three):
    """The merge message counts in singular and plural; a disagreement names who tagged none of
    its words (not "nothing here", which read as wrong when they tagged elsewhere in the
    paragraph); "none of these" on a lone candidate says so."""
    heading = document.paragraphs.get(position=0)
    lone = tag(heading, three["a"], people["annotator"], "Pets")
    client.force_login(people["curator"])
    chosen = {"layers": [three["a"].pk, three["b"].pk, three["c"].pk], "share": "all", "match": "exact"}
    merged = client.post(f"/d/{document.pk}/curate/merge/", chosen, follow=True).content.decode()
    assert ("Merged: 1 span and 0 relations added to the consensus (0 already there, 0 removed first); "
            "2 disagreements left to decide.") in merged
    assert "Tagged none of these words: annotator_b, curator." in merged
    rejected = client.post(f"/d/{document.pk}/curate/reject/", {"annotation": [lone.pk]}, follow=True).content.decode()
    assert "Rejected the only candidate: it does not go into the consensus." in rejected


def test_a_relation_whose_end_was_left_out_says_so_instead_of_pick_both_spans_first(client, document, people, overlapping):
    """After "None of these" on A's evidence, A's relation from it is marked as having an end left out."""
    client.force_login(people["curator"])
    before = client.get(f"/d/{document.pk}/curate/?match=overlap").content.decode()
    assert "pick both spans first" in before and "an end was left out" not in before
    services.consensus_reject(document=document, candidates=[overlapping["evidence_a"]], user=people["curator"])
    after = client.get(f"/d/{document.pk}/curate/?match=overlap").content.decode()
    assert "an end was left out (“None of these”)" in after and "pick both spans first" not in after
