"""The agreement report over layers of one document and over several documents."""
import json

import krippendorff
import numpy as np
import pytest

from annotations.agreement import MATRIX_METRICS, document_agreement, measure_agreement
from annotations.agreement.tokens import token_labels, tokenize
from annotations.agreement.unitizing import Unit, unitizing_alpha
from annotations.argument_map import MapRelation
from tests.agreement.builders import PARAGRAPHS, layer

CLAIM = (0, 0, 36, "claim")  # "Russia and China are close partners."
EVIDENCE = (0, 37, 72, "evidence")  # "Trade grew by 30 percent last year."
COUNTERCLAIM = (1, 0, 33, "counterclaim")  # "Critics say the ties are fragile."
REBUTTAL = (1, 34, 78, "rebuttal")  # "Yet both governments keep signing new deals."
FULL_SPANS = [CLAIM, EVIDENCE, COUNTERCLAIM, REBUTTAL]
FULL_RELATIONS = [("supports", 1, 0), ("attacks", 2, 0), ("attacks", 3, 2)]


def full_layer(name):
    return layer(name, FULL_SPANS, FULL_RELATIONS)


def pair_of(a_spans, b_spans, a_relations=(), b_relations=()):
    """The agreement of layer "a" with layer "b" over the builders' paragraphs."""
    return document_agreement({"a": layer("a", a_spans, a_relations), "b": layer("b", b_spans, b_relations)}).pair("a", "b")


def test_identical_layers_agree_perfectly_on_every_metric():
    """Two identical layers: every F1, kappa, nominal alpha and unitizing alpha is 1."""
    pair = document_agreement({"ann": full_layer("ann"), "bob": full_layer("bob")}).pair("ann", "bob")
    for score in (pair.span_exact, pair.span_overlap, pair.span_exact_any_label, pair.relation_exact, pair.relation_overlap):
        assert score.f1 == 1.0
    assert pair.token_kappa == 1.0
    assert pair.token_alpha == 1.0
    assert pair.unitizing_alpha == 1.0
    assert pair.unitizing_alpha_any_label == 1.0
    assert set(pair.unitizing_alpha_by_label.values()) == {1.0}


def test_three_identical_layers_give_group_alphas_of_one():
    """The multi-coder nominal and unitizing alphas of three identical layers are 1."""
    report = document_agreement({name: full_layer(name) for name in ("a", "b", "c")})
    assert report.group.token_alpha == 1.0
    assert report.group.unitizing_alpha == 1.0
    assert len(report.pairs) == 3


def test_disjoint_layers_have_no_agreement():
    """Layers marking different passages: F1 0 in both modes, kappa and unitizing alpha below 0."""
    pair = pair_of([CLAIM, EVIDENCE], [COUNTERCLAIM, REBUTTAL], [("supports", 1, 0)], [("attacks", 1, 0)])
    assert pair.span_exact.f1 == 0.0
    assert pair.span_overlap.f1 == 0.0
    assert pair.relation_overlap.f1 == 0.0
    assert pair.token_kappa < 0
    assert pair.unitizing_alpha < 0


def test_partial_overlap_counts_only_in_overlap_mode():
    """Evidence [37,60) against [37,72) (23/35 overlap) matches by overlap, not exactly."""
    pair = pair_of([CLAIM, EVIDENCE], [CLAIM, (0, 37, 60, "evidence")])
    assert (pair.span_exact.matched, pair.span_exact.f1) == (1, 0.5)
    assert (pair.span_overlap.matched, pair.span_overlap.f1) == (2, 1.0)
    assert 0 < pair.unitizing_alpha < 1


def test_overlap_under_half_does_not_match():
    """Evidence [37,50) shares 13 of 35 characters with [37,72): no overlap match."""
    pair = pair_of([EVIDENCE], [(0, 37, 50, "evidence")])
    assert pair.span_overlap.f1 == 0.0


def test_per_label_breakdown_and_label_agnostic_match():
    """Evidence tagged as claim by b: claim P 0.5 R 1, evidence F1 0, label-agnostic F1 1."""
    pair = pair_of([CLAIM, EVIDENCE], [CLAIM, (0, 37, 72, "claim")])
    claim = pair.span_exact_by_label["claim"]
    assert (claim.matched, claim.reference_total, claim.candidate_total) == (1, 1, 2)
    assert (claim.precision, claim.recall) == (0.5, 1.0)
    assert claim.f1 == pytest.approx(2 / 3)
    assert pair.span_exact_by_label["evidence"].f1 == 0.0
    assert pair.span_exact.f1 == 0.5
    assert pair.span_exact_any_label.f1 == 1.0
    assert pair.unitizing_alpha_by_label["claim"] < 1.0
    assert pair.unitizing_alpha_any_label == 1.0


def test_relation_f1_counts_relations_with_matching_ends_and_kind():
    """Same spans, one of two relations of a different kind: relation F1 0.5."""
    pair = pair_of([CLAIM, EVIDENCE, COUNTERCLAIM], [CLAIM, EVIDENCE, COUNTERCLAIM],
                   [("supports", 1, 0), ("attacks", 2, 0)], [("supports", 1, 0), ("supports", 2, 0)])
    assert pair.relation_exact.f1 == 0.5
    assert pair.relation_exact.matched == 1


def test_relation_ends_matched_by_overlap_count_only_in_overlap_mode():
    """A relation from a shorter evidence span matches in overlap mode only."""
    pair = pair_of([CLAIM, EVIDENCE], [CLAIM, (0, 37, 60, "evidence")], [("supports", 1, 0)], [("supports", 1, 0)])
    assert pair.relation_exact.f1 == 0.0
    assert pair.relation_overlap.f1 == 1.0


def test_relation_still_matches_when_only_an_end_label_differs():
    """Relation ends are matched label-agnostically: a relabelled end keeps the relation."""
    pair = pair_of([CLAIM, EVIDENCE], [CLAIM, (0, 37, 72, "claim")], [("supports", 1, 0)], [("supports", 1, 0)])
    assert pair.relation_exact.f1 == 1.0


def test_project_sums_counts_over_documents():
    """Doc 1 identical (2 spans each), doc 2 b empty: matched 2 of 4 and 2, F1 = 4/6."""
    documents = [
        {"a": layer("a", [CLAIM, EVIDENCE]), "b": layer("b", [CLAIM, EVIDENCE])},
        {"a": layer("a", [COUNTERCLAIM, REBUTTAL]), "b": layer("b", [])},
    ]
    report = measure_agreement(documents)
    score = report.pair("a", "b").span_exact
    assert (score.matched, score.reference_total, score.candidate_total) == (2, 4, 2)
    assert score.f1 == pytest.approx(4 / 6)
    assert report.documents == 2
    assert report.pair("a", "b").tokens == 2 * sum(len(tokenize(text)) for text in PARAGRAPHS)


def test_pair_uses_only_documents_with_both_layers():
    """A document without b's layer does not count against b in the pair a/b."""
    documents = [
        {"a": layer("a", [CLAIM]), "b": layer("b", [CLAIM])},
        {"a": layer("a", [COUNTERCLAIM])},
    ]
    report = measure_agreement(documents)
    pair = report.pair("a", "b")
    assert pair.documents == 1
    assert pair.span_exact.f1 == 1.0
    assert report.group.documents_with_every_layer == 1


def test_group_nominal_alpha_equals_krippendorff_package_on_the_same_token_table():
    """The report's group alpha equals krippendorff.alpha over the token-by-layer table built by hand."""
    layers = {
        "a": layer("a", [CLAIM, EVIDENCE, COUNTERCLAIM]),
        "b": layer("b", [CLAIM, (0, 37, 60, "evidence"), REBUTTAL]),
        "c": layer("c", [(0, 0, 36, "evidence"), EVIDENCE]),
    }
    codes = {}
    rows = []
    for name, argument_map in layers.items():
        row = []
        for position, text in enumerate(PARAGRAPHS):
            spans = [span for span in argument_map.spans if span.paragraph == position]
            row.extend(codes.setdefault(label, len(codes)) for label in token_labels(tokenize(text), spans))
        rows.append(row)
    expected = krippendorff.alpha(reliability_data=np.array(rows, dtype=float), level_of_measurement="nominal")
    assert document_agreement(layers).group.token_alpha == pytest.approx(expected, abs=1e-12)


def test_unitizing_alpha_lays_paragraphs_end_to_end():
    """The pair's unitizing alpha equals uα on one continuum with paragraph 2 starting at 72."""
    report = document_agreement({
        "a": layer("a", [CLAIM, COUNTERCLAIM]),
        "b": layer("b", [(0, 0, 30, "claim"), (1, 4, 33, "counterclaim")]),
    })
    direct = unitizing_alpha(
        units=[Unit("a", 0, 36, "claim"), Unit("a", 72, 33, "counterclaim"),
               Unit("b", 0, 30, "claim"), Unit("b", 76, 29, "counterclaim")],
        coders=["a", "b"],
        continuum_length=len(PARAGRAPHS[0]) + len(PARAGRAPHS[1]),
    )
    assert report.pair("a", "b").unitizing_alpha == pytest.approx(direct.alpha, abs=1e-12)


def test_overlapping_spans_of_one_label_in_a_layer_are_merged_for_unitizing():
    """Two overlapping claims in one layer count as their union for unitizing alpha."""
    report = document_agreement({
        "a": layer("a", [(0, 0, 20, "claim"), (0, 10, 36, "claim")]),
        "b": layer("b", [CLAIM]),
    })
    assert report.pair("a", "b").unitizing_alpha == 1.0


def test_matrix_rows_are_references_and_diagonal_is_empty():
    """precision[a][b] is b's precision against a; the transposed cell is a's; the diagonal is None."""
    report = document_agreement({
        "a": layer("a", [CLAIM]),
        "b": layer("b", [CLAIM, EVIDENCE]),
    })
    precision = report.matrix("span_exact.precision")
    assert precision == [[None, 0.5], [1.0, None]]
    assert report.matrix("span_exact.recall") == [[None, 1.0], [0.5, None]]
    assert report.matrix("span_exact.f1")[0][1] == report.matrix("span_exact.f1")[1][0]


def test_report_serializes_to_json_with_matrices_and_per_label_breakdown():
    """to_dict() survives json round trip and holds every matrix metric and per-label matrices."""
    report = document_agreement({"a": full_layer("a"), "b": layer("b", [CLAIM, EVIDENCE]), "c": full_layer("c")})
    data = json.loads(json.dumps(report.to_dict()))
    assert data["layers"] == ["a", "b", "c"]
    assert data["labels"] == ["claim", "evidence", "counterclaim", "rebuttal"]
    assert set(data["matrices"]) == set(MATRIX_METRICS)
    assert data["matrices"]["span_exact.f1"][0][2] == 1.0
    assert data["per_label"]["span_exact.f1"]["rebuttal"][0][1] == 0.0
    assert data["pairs"][0]["span_exact"]["f1"] == pytest.approx(2 / 3)
    assert data["group"]["layers"] == ["a", "b", "c"]


def test_layers_of_different_texts_are_refused():
    """Comparing layers whose paragraphs differ names the layer and the paragraph."""
    other_text = [PARAGRAPHS[0], "Something else entirely."]
    with pytest.raises(ValueError, match=r"layer 'b' does not have the same paragraphs .* paragraph 1"):
        document_agreement({"a": layer("a"), "b": layer("b", paragraphs=other_text)})


def test_span_outside_its_paragraph_is_refused():
    """A span past the end of its paragraph is an error naming layer, span and paragraph length."""
    with pytest.raises(ValueError, match=r"layer 'b': span 'b-0' \[60, 90\) .* \(72 characters\)"):
        document_agreement({"a": layer("a"), "b": layer("b", [(0, 60, 90, "claim")])})


def test_relation_to_a_missing_span_is_refused():
    """A relation pointing at a span that is not in its layer is an error naming both."""
    broken = layer("b", [CLAIM])
    broken.relations.append(MapRelation("r9", "supports", "b-5", "b-0"))
    with pytest.raises(ValueError, match="relation 'r9' points to span 'b-5'"):
        document_agreement({"a": layer("a"), "b": broken})


def test_unknown_layer_name_is_refused():
    """Asking for a layer no document has lists the layers that exist."""
    with pytest.raises(ValueError, match=r"no document has layer\(s\) 'zoe'"):
        measure_agreement([{"a": layer("a"), "b": layer("b")}], layers=["a", "zoe"])


def test_empty_layers_leave_values_undefined():
    """Two empty layers: F1, kappa and alphas are None rather than a misleading number."""
    pair = document_agreement({"a": layer("a"), "b": layer("b")}).pair("a", "b")
    assert pair.span_exact.f1 is None
    assert pair.token_kappa is None
    assert pair.unitizing_alpha is None


def test_symmetric_metrics_do_not_depend_on_which_layer_is_the_reference():
    """Swapping the two layers leaves F1, kappa and both alphas unchanged and swaps P and R."""
    first = layer("a", [CLAIM, EVIDENCE, COUNTERCLAIM], [("supports", 1, 0)])
    second = layer("b", [(0, 0, 30, "claim"), (0, 37, 72, "claim"), REBUTTAL], [("supports", 1, 0)])
    forward = document_agreement({"a": first, "b": second}).pair("a", "b")
    backward = document_agreement({"b": second, "a": first}).pair("b", "a")
    for name in ("token_kappa", "token_alpha", "unitizing_alpha", "unitizing_alpha_any_label"):
        assert getattr(forward, name) == pytest.approx(getattr(backward, name), abs=1e-12)
    assert forward.span_overlap.f1 == backward.span_overlap.f1
    assert (forward.span_overlap_any_label.precision, forward.span_overlap_any_label.recall) == (
        backward.span_overlap_any_label.recall, backward.span_overlap_any_label.precision,
    )
