"""Automatic consensus merge of annotators' layers and the disagreements left to the curator."""
import json

import pytest

from annotations.curation import curate, required_supporters
from tests.agreement.builders import PARAGRAPHS, layer

CLAIM = (0, 0, 36, "claim")
EVIDENCE = (0, 37, 72, "evidence")
COUNTERCLAIM = (1, 0, 33, "counterclaim")
REBUTTAL = (1, 34, 78, "rebuttal")


def extents(result):
    return [(s.span.paragraph, s.span.start, s.span.end, s.span.label) for s in result.merged_spans]


def three_annotators():
    """All three mark the claim and the evidence; ann and bob also mark the counterclaim;
    only cy marks the rebuttal."""
    return {
        "ann": layer("ann", [CLAIM, EVIDENCE, COUNTERCLAIM], [("supports", 1, 0), ("attacks", 2, 0)]),
        "bob": layer("bob", [CLAIM, EVIDENCE, COUNTERCLAIM], [("supports", 1, 0), ("attacks", 2, 0)]),
        "cy": layer("cy", [CLAIM, EVIDENCE, REBUTTAL], [("supports", 1, 0)]),
    }


def test_required_supporters_rounds_the_share_up():
    """Share 1.0 of 3 needs 3, 0.5 of 3 needs 2, 0.5 of 2 needs 1, 0.6 of 5 needs 3."""
    assert [required_supporters(1.0, 3), required_supporters(0.5, 3), required_supporters(0.5, 2), required_supporters(0.6, 5)] == [3, 2, 1, 3]


def test_unanimous_merge_takes_only_what_everyone_marked():
    """With share 1.0 the claim, the evidence and the relation all three drew are merged."""
    result = curate(three_annotators(), min_agreement=1.0)
    assert extents(result) == [CLAIM, EVIDENCE]
    assert all(item.supporters == ["ann", "bob", "cy"] for item in result.merged_spans)
    assert [(r.relation.kind, r.relation.source, r.relation.target) for r in result.merged_relations] == [("supports", "s2", "s1")]
    assert result.merged_relations[0].supporters == ["ann", "bob", "cy"]


def test_unanimous_merge_leaves_the_rest_as_disagreements_with_who_proposed_what():
    """Counterclaim (ann, bob) and rebuttal (cy) do not overlap: two groups, each with its proposers."""
    result = curate(three_annotators(), min_agreement=1.0)
    summary = [
        ((g.paragraph, g.start, g.end), [(o.label, o.proposers) for o in g.options], g.abstainers)
        for g in result.disagreements
    ]
    assert summary == [
        ((1, 0, 33), [("counterclaim", ["ann", "bob"])], ["cy"]),
        ((1, 34, 78), [("rebuttal", ["cy"])], ["ann", "bob"]),
    ]
    assert result.disagreements[0].options[0].span_ids == {"ann": "ann-2", "bob": "bob-2"}
    assert [(d.source_consensus, d.target_consensus, d.candidates[0].layer) for d in result.relation_disagreements] == [
        (None, "s1", "ann"), (None, "s1", "bob"),
    ]


def test_half_share_merges_what_two_of_three_marked():
    """With share 0.5 the counterclaim and its attack (ann, bob) join; cy's rebuttal stays open."""
    result = curate(three_annotators(), min_agreement=0.5)
    assert extents(result) == [CLAIM, EVIDENCE, COUNTERCLAIM]
    counterclaim = result.merged_spans[2]
    assert counterclaim.supporters == ["ann", "bob"]
    assert counterclaim.sources == {"ann": "ann-2", "bob": "bob-2"}
    assert sorted((r.relation.kind, r.relation.source) for r in result.merged_relations) == [("attacks", "s3"), ("supports", "s2")]
    [group] = result.disagreements
    assert [(o.start, o.end, o.label, o.proposers) for o in group.options] == [(34, 78, "rebuttal", ["cy"])]
    assert group.abstainers == ["ann", "bob"]
    assert group.conflicts_with == []


def test_overlapping_candidates_of_different_annotators_are_grouped_side_by_side():
    """Three different readings of one sentence form one group listing each option and its proposer."""
    result = curate({
        "ann": layer("ann", [CLAIM]),
        "bob": layer("bob", [(0, 0, 36, "evidence")]),
        "cy": layer("cy", [(0, 11, 36, "claim")]),
    }, min_agreement=1.0)
    assert result.merged_spans == []
    [group] = result.disagreements
    assert (group.paragraph, group.start, group.end) == (0, 0, 36)
    options = {(o.start, o.end, o.label): o.proposers for o in group.options}
    assert options == {(0, 36, "claim"): ["ann"], (0, 36, "evidence"): ["bob"], (11, 36, "claim"): ["cy"]}
    assert group.abstainers == []


def test_separate_passages_make_separate_groups():
    """Leftover spans that share no character fall into different groups, in text order."""
    result = curate({"ann": layer("ann", [CLAIM, COUNTERCLAIM]), "bob": layer("bob", [EVIDENCE])}, min_agreement=1.0)
    assert [(g.paragraph, g.start, g.end) for g in result.disagreements] == [(0, 0, 36), (0, 37, 72), (1, 0, 33)]
    assert [g.abstainers for g in result.disagreements] == [["bob"], ["ann"], ["bob"]]


def near_identical_extents():
    """Three layers: evidence [37,72) twice and [37,60) once."""
    return {"ann": layer("ann", [EVIDENCE]), "bob": layer("bob", [EVIDENCE]), "cy": layer("cy", [(0, 37, 60, "evidence")])}


def test_overlap_matching_merges_near_identical_extents_and_keeps_the_majority_extent():
    """Extents [37,72) twice and [37,60) once agree by overlap; the merged extent is the one drawn twice."""
    result = curate(near_identical_extents(), min_agreement=1.0, match="overlap")
    assert extents(result) == [EVIDENCE]
    assert result.merged_spans[0].sources == {"ann": "ann-0", "bob": "bob-0", "cy": "cy-0"}
    assert result.disagreements == []


def test_exact_matching_does_not_merge_near_identical_extents():
    """The same three layers with exact matching and share 1.0 merge nothing."""
    result = curate(near_identical_extents(), min_agreement=1.0, match="exact")
    assert result.merged_spans == []
    assert len(result.disagreements) == 1


def test_a_span_supports_at_most_one_consensus_span():
    """bob's two claims both overlap ann's: one merges with it, the other is left as a disagreement."""
    result = curate({
        "ann": layer("ann", [CLAIM]),
        "bob": layer("bob", [(0, 0, 30, "claim"), (0, 5, 36, "claim")]),
    }, min_agreement=1.0, match="overlap")
    assert len(result.merged_spans) == 1
    [group] = result.disagreements
    assert group.conflicts_with == ["s1"]
    assert group.abstainers == ["ann"]


def test_relation_kinds_split_two_to_one_merge_the_majority_with_half_share():
    """Two say attacks, one says supports between merged spans: attacks merges, supports is listed."""
    spans = [CLAIM, COUNTERCLAIM]
    result = curate({
        "ann": layer("ann", spans, [("attacks", 1, 0)]),
        "bob": layer("bob", spans, [("attacks", 1, 0)]),
        "cy": layer("cy", spans, [("supports", 1, 0)]),
    }, min_agreement=0.5)
    assert [(r.relation.kind, r.supporters) for r in result.merged_relations] == [("attacks", ["ann", "bob"])]
    [disagreement] = result.relation_disagreements
    assert [(c.layer, c.kind) for c in disagreement.candidates] == [("cy", "supports")]
    assert disagreement.conflicts_with == "r1"


def test_relation_kinds_tied_merge_nothing():
    """One supports, one attacks with share 0.5 of two: neither relation merges."""
    spans = [CLAIM, COUNTERCLAIM]
    result = curate({
        "ann": layer("ann", spans, [("attacks", 1, 0)]),
        "bob": layer("bob", spans, [("supports", 1, 0)]),
    }, min_agreement=0.5)
    assert len(result.merged_spans) == 2
    assert result.merged_relations == []
    [disagreement] = result.relation_disagreements
    assert sorted(c.kind for c in disagreement.candidates) == ["attacks", "supports"]


def test_relation_with_an_unmerged_end_is_a_disagreement():
    """A relation from a span that did not merge stays open with that end unresolved."""
    result = curate({
        "ann": layer("ann", [CLAIM, EVIDENCE], [("supports", 1, 0)]),
        "bob": layer("bob", [CLAIM], []),
    }, min_agreement=1.0)
    assert result.merged_relations == []
    [disagreement] = result.relation_disagreements
    assert (disagreement.source_consensus, disagreement.target_consensus) == (None, "s1")
    assert disagreement.candidates[0].source_span == "ann-1"
    assert disagreement.abstainers == ["bob"]


def test_consensus_is_a_layer_like_any_other():
    """The consensus is an ArgumentMap of kind consensus with quotes from the text, and serializes to JSON."""
    result = curate(three_annotators(), min_agreement=0.5, consensus_name="class consensus")
    consensus = result.consensus
    assert consensus.layer_kind == "consensus"
    assert consensus.layer_name == "class consensus"
    assert [p.text for p in consensus.paragraphs] == PARAGRAPHS
    assert [s.quote for s in consensus.spans] == [
        "Russia and China are close partners.",
        "Trade grew by 30 percent last year.",
        "Critics say the ties are fragile.",
    ]
    assert {r.source for r in consensus.relations} <= {s.id for s in consensus.spans}
    data = json.loads(json.dumps(result.to_dict()))
    assert data["consensus"]["spans"][0]["id"] == "s1"
    assert data["disagreements"][0]["options"][0]["proposers"] == ["cy"]


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_share_outside_zero_to_one_is_refused(share):
    """min_agreement must be a share in (0, 1]."""
    with pytest.raises(ValueError, match="min_agreement"):
        curate(three_annotators(), min_agreement=share)


def test_unknown_match_mode_is_refused():
    """A match mode other than exact or overlap is refused with the choices."""
    with pytest.raises(ValueError, match="exact, overlap"):
        curate(three_annotators(), match="fuzzy")


def test_layers_of_different_documents_are_refused():
    """Curating layers of different texts is refused, naming the layer."""
    with pytest.raises(ValueError, match="layer 'bob' does not have the same paragraphs"):
        curate({"ann": layer("ann"), "bob": layer("bob", paragraphs=["Another text."])})


def test_counterpart_prefers_the_same_extent_then_the_same_label_then_the_larger_overlap():
    """The consensus span standing for an annotator's span: same extent first, else the best
    overlap of at least half the longer span in the same paragraph, same label first."""
    from annotations.curation import counterpart

    candidates = [
        (0, 0, 20, "evidence", "same words, other label"),
        (0, 0, 30, "claim", "claim, overlap 20/30"),
        (0, 0, 24, "claim", "claim, overlap 20/24"),
        (1, 0, 20, "claim", "other paragraph"),
        (0, 50, 60, "claim", "elsewhere"),
    ]
    assert counterpart((0, 0, 20, "claim"), candidates) == "same words, other label"
    assert counterpart((0, 0, 20, "claim"), candidates[1:]) == "claim, overlap 20/24"
    assert counterpart((0, 0, 20, "evidence"), candidates[1:3]) == "claim, overlap 20/24"
    assert counterpart((0, 0, 10, "claim"), candidates[1:]) is None  # 10/24 is under half
    assert counterpart((2, 0, 20, "claim"), candidates) is None
