"""Token labels, Cohen's kappa and nominal Krippendorff's alpha, checked against independent values."""
import math
import random

import krippendorff
import numpy as np
import pytest

from annotations.agreement.tokens import OUTSIDE, cohen_kappa, nominal_alpha, token_labels, tokenize
from annotations.argument_map import MapSpan

# Krippendorff (1995), "On the reliability of unitizing contiguous data", example A (Bertha
# and Bill) digitized into 24 positions; the source gives kappa .385, pi .314, alpha .329
# (as checked in DKPro Agreement's Krippendorff1995Test).
BERTHA = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
BILL = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with
# missing values: 4 observers x 12 units, nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def span(start, end, label, paragraph=0):
    return MapSpan(id=f"{label}-{start}", paragraph=paragraph, start=start, end=end, quote="", label=label)


def by_units(coder_rows):
    """Coder-by-unit rows turned into unit-by-coder rows."""
    return [list(unit) for unit in zip(*coder_rows)]


def package_alpha(coder_rows):
    data = np.array([[np.nan if value is None else value for value in row] for row in coder_rows], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_tokenize_keeps_inner_apostrophes_and_hyphens_and_drops_punctuation():
    """Word tokens include "don't" and "well-known" whole; commas and full stops are not tokens."""
    text = "We don't trust well-known claims, 30 times."
    assert [text[start:end] for start, end in tokenize(text)] == ["We", "don't", "trust", "well-known", "claims", "30", "times"]


def test_token_labels_outside_any_span_are_O():
    """Tokens covered by no span get the outside label."""
    text = "Trade grew fast this year"
    assert token_labels(tokenize(text), [span(0, 10, "claim")]) == ["claim", "claim", OUTSIDE, OUTSIDE, OUTSIDE]


def test_token_partly_covered_takes_the_span_label():
    """A span ending inside a word still labels that word."""
    text = "Trade grew fast"
    assert token_labels(tokenize(text), [span(0, 8, "claim")]) == ["claim", "claim", OUTSIDE]


def test_nested_spans_innermost_wins_whatever_the_order():
    """Inside a claim, the tokens of a nested evidence span are evidence, in any span order."""
    text = "Trade grew by 30 percent last year"
    outer, inner = span(0, 34, "claim"), span(11, 24, "evidence")
    expected = ["claim", "claim", "evidence", "evidence", "evidence", "claim", "claim"]
    assert token_labels(tokenize(text), [outer, inner]) == expected
    assert token_labels(tokenize(text), [inner, outer]) == expected


def test_kappa_of_krippendorff_1995_example():
    """Cohen's kappa of Bertha and Bill's digitized unitizing is .385 (Krippendorff 1995)."""
    assert cohen_kappa(BERTHA, BILL) == pytest.approx(0.385, abs=1e-3)


def test_nominal_alpha_of_krippendorff_1995_example():
    """Nominal alpha of Bertha and Bill's digitized unitizing is .329 (Krippendorff 1995)."""
    assert nominal_alpha(by_units([BERTHA, BILL])) == pytest.approx(0.329, abs=1e-3)


def test_kappa_identical_labels_is_one():
    """Equal label sequences with more than one label have kappa 1."""
    labels = ["claim", "claim", "O", "evidence", "O"]
    assert cohen_kappa(labels, list(labels)) == 1.0


def test_kappa_undefined_when_one_label_everywhere():
    """When both sides use one and the same label throughout, kappa is None (0/0)."""
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None


def test_kappa_skips_missing_positions():
    """Positions where either side is missing are left out of kappa."""
    assert cohen_kappa(["a", "b", None, "a"], ["a", "b", "b", None]) == 1.0


def test_kappa_of_opposite_labels_is_negative():
    """Two annotators who always disagree on a balanced binary task have kappa -1."""
    assert cohen_kappa(["a", "b", "a", "b"], ["b", "a", "b", "a"]) == pytest.approx(-1.0)


def test_nominal_alpha_krippendorff_2011_example_with_missing_values():
    """The 4-observer, 12-unit example with missing values has nominal alpha 0.743 (Krippendorff 2011)."""
    assert nominal_alpha(by_units(KRIPPENDORFF_2011)) == pytest.approx(0.743, abs=1e-3)
    assert nominal_alpha(by_units(KRIPPENDORFF_2011)) == pytest.approx(package_alpha(KRIPPENDORFF_2011), abs=1e-12)


def test_nominal_alpha_handcrafted_tables_match_krippendorff_package():
    """Small handcrafted tables, with missing values and lone values, equal the krippendorff package."""
    tables = [
        [[1, 1, 2, None], [1, 2, 2, 3], [None, 2, 2, 3]],
        [[0, 0, 1, 1, 0], [0, 1, 1, 1, None]],
        [[3, None, 1], [3, 2, None], [None, 2, 1]],
    ]
    for table in tables:
        assert nominal_alpha(by_units(table)) == pytest.approx(package_alpha(table), abs=1e-12)


def test_nominal_alpha_random_tables_match_krippendorff_package():
    """On 50 seeded random tables (2-5 coders, 1-6 values, 20 % missing) alpha equals the krippendorff package."""
    generator = random.Random(20261128)
    compared = 0
    for _ in range(50):
        coders, units, values = generator.randint(2, 5), generator.randint(5, 60), generator.randint(2, 6)
        table = [
            [None if generator.random() < 0.2 else generator.randrange(values) for _ in range(units)]
            for _ in range(coders)
        ]
        ours = nominal_alpha(by_units(table))
        if ours is None:
            continue
        assert ours == pytest.approx(package_alpha(table), abs=1e-9)
        compared += 1
    assert compared >= 45


def test_nominal_alpha_accepts_string_labels():
    """Token labels are strings; alpha over them equals alpha over the same table coded as integers."""
    codes = {"O": 0, "claim": 1, "evidence": 2}
    table = [["O", "claim", "claim", "evidence", None], ["O", "claim", "evidence", "evidence", "O"]]
    as_numbers = [[None if value is None else codes[value] for value in row] for row in table]
    assert nominal_alpha(by_units(table)) == pytest.approx(package_alpha(as_numbers), abs=1e-12)


def test_nominal_alpha_undefined_for_a_single_value():
    """One value throughout gives no expected disagreement: alpha is None."""
    assert nominal_alpha([["O", "O"], ["O", "O"]]) is None
    assert nominal_alpha([]) is None


def test_nominal_alpha_identical_coders_is_one():
    """Coders who agree on every unit, with at least two values in use, have alpha 1."""
    assert nominal_alpha([["a", "a", "a"], ["b", "b", "b"], ["a", "a", None]]) == 1.0
    assert not math.isnan(nominal_alpha([["a", "a"], ["b", "b"]]))
