"""Krippendorff's unitizing alpha against the worked examples published with its definition."""
import pytest

from annotations.agreement.unitizing import Section, Unit, merge_overlapping, section_distance, unitizing_alpha


def krippendorff_2004_example():
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254 / Quality & Quantity 38:787-800:
    two coders i and j on the continuum [150, 450), categories c and k (as transcribed in
    DKPro Agreement's Krippendorff2004Test)."""
    units = [
        Unit("i", 225, 70, "c"), Unit("i", 370, 30, "c"),
        Unit("j", 220, 80, "c"), Unit("j", 355, 20, "c"), Unit("j", 400, 20, "c"),
        Unit("i", 180, 60, "k"), Unit("i", 300, 50, "k"),
        Unit("j", 180, 60, "k"), Unit("j", 300, 50, "k"),
    ]
    return unitizing_alpha(units=units, coders=["i", "j"], continuum_start=150, continuum_length=300)


# Krippendorff (1995), "On the reliability of unitizing contiguous data", Sociological
# Methodology 25, p. 57: four pairs of coders (A-D) on a 24-position continuum, each pair
# its own category; (start, length, coder, category) as transcribed in DKPro Agreement's
# Krippendorff1995Test.
KRIPPENDORFF_1995_UNITS = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
    (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
    (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
    (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]


def krippendorff_1995_example(stretch=1):
    units = [
        Unit(str(coder), start * stretch, length * stretch, category)
        for start, length, coder, category in KRIPPENDORFF_1995_UNITS
    ]
    return unitizing_alpha(units=units, coders=["0", "1"], continuum_length=24 * stretch)


def test_distances_of_the_2004_example():
    """δ² is 50, 850 and 400 for the three unequal section pairs of Krippendorff (2004, p. 254)."""
    assert section_distance(Section(225, 70, True), Section(220, 80, True)) == 50
    assert section_distance(Section(370, 30, True), Section(355, 20, True)) == 850
    assert section_distance(Section(400, 50, False), Section(400, 20, True)) == 400


def test_distance_is_zero_for_unit_partly_outside_a_gap_and_for_disjoint_units():
    """A unit only partly inside the other coder's gap, or units that do not overlap, add nothing."""
    assert section_distance(Section(5, 6, True), Section(7, 4, False)) == 0
    assert section_distance(Section(0, 3, True), Section(3, 3, True)) == 0
    assert section_distance(Section(0, 3, False), Section(0, 5, False)) == 0


def test_krippendorff_2004_worked_example_per_category():
    """c: uD_o 0.0144, uD_e 0.0532, uα 0.7286; k: uα 1 (Krippendorff 2004, p. 254; DKPro Krippendorff2004Test)."""
    result = krippendorff_2004_example()
    assert result.observed["c"] == pytest.approx(0.0144, abs=1e-4)
    assert result.expected["c"] == pytest.approx(0.0532, abs=1e-4)
    assert result.alpha_by_category["c"] == pytest.approx(0.7286, abs=1e-4)
    assert result.observed["k"] == 0.0
    assert result.expected["k"] == pytest.approx(0.0490, abs=1e-4)
    assert result.alpha_by_category["k"] == 1.0


def test_krippendorff_2004_worked_example_overall():
    """Over both categories uα = 0.8591 (Krippendorff 2004, p. 254, rounded in the source)."""
    assert krippendorff_2004_example().alpha == pytest.approx(0.8591, abs=5e-4)


def test_krippendorff_1995_observed_disagreements():
    """uD_o of pairs A-D are 0.03125, 2.26736, 0.02777, 0.38715 (Krippendorff 1995, example of p. 57)."""
    observed = krippendorff_1995_example().observed
    assert observed["A"] == pytest.approx(0.03125, abs=1e-5)
    assert observed["B"] == pytest.approx(2.26736, abs=1e-5)
    assert observed["C"] == pytest.approx(0.02777, abs=1e-5)
    assert observed["D"] == pytest.approx(0.38715, abs=1e-5)


def test_krippendorff_1995_expected_disagreements_and_alphas():
    """uD_e and uα of pairs A-D match Krippendorff (1995, example of p. 57) within the published rounding."""
    # Krippendorff computed these as if positions were fine-grained, so the continuum is
    # stretched 50,000-fold and the tolerances are those of DKPro's Krippendorff1995Test
    # (0.005 for uD_e, 0.02 for uα), which notes a small error in the source's uD_e.
    result = krippendorff_1995_example(stretch=50_000)
    for category, expected, alpha in [
        ("A", 0.06990, 0.553), ("B", 1.17731, -0.926), ("C", 0.08642, 0.679), ("D", 0.41445, 0.066),
    ]:
        assert result.expected[category] == pytest.approx(expected, abs=5e-3)
        assert result.alpha_by_category[category] == pytest.approx(alpha, abs=2e-2)


def test_stretching_does_not_change_observed_disagreement():
    """uD_o is scale-free: the 1995 example stretched 50,000-fold has the same observed values."""
    plain = krippendorff_1995_example().observed
    stretched = krippendorff_1995_example(stretch=50_000).observed
    assert stretched == pytest.approx(plain, abs=1e-12)


def test_one_long_unit_against_three_short_ones():
    """r0 -11111111-, r1 --1-1-1---: uD_o 0.91, uD_e 0.5351, uα -0.7003 (DKPro UnitizingAgreementTest)."""
    units = [Unit("r0", 1, 8, "A"), Unit("r1", 2, 1, "A"), Unit("r1", 4, 1, "A"), Unit("r1", 6, 1, "A")]
    result = unitizing_alpha(units=units, coders=["r0", "r1"], continuum_length=10)
    assert result.observed["A"] == pytest.approx(0.9100, abs=1e-4)
    assert result.expected["A"] == pytest.approx(0.5351, abs=1e-4)
    assert result.alpha == pytest.approx(-0.7003, abs=1e-4)


def test_single_unit_of_three_coders_gives_zero():
    """One coder marking one position out of 20 among three coders gives uα = 0 (DKPro test)."""
    result = unitizing_alpha(units=[Unit("a", 0, 1, "X")], coders=["a", "b", "c"], continuum_length=20)
    assert result.alpha == pytest.approx(0.0, abs=1e-12)


def test_identical_unitizations_give_one():
    """Two coders with the same units agree perfectly."""
    units = [Unit(coder, start, length, label) for coder in "ab" for start, length, label in [(0, 5, "x"), (10, 4, "y")]]
    result = unitizing_alpha(units=units, coders=["a", "b"], continuum_length=30)
    assert result.alpha == 1.0
    assert result.alpha_by_category == {"x": 1.0, "y": 1.0}


def test_no_units_leave_alpha_undefined():
    """With no units at all there is nothing to agree on: alpha is None, not a number."""
    result = unitizing_alpha(units=[], coders=["a", "b"], continuum_length=30)
    assert result.alpha is None
    assert result.alpha_by_category == {}


def test_overlapping_units_of_one_coder_are_refused():
    """A coder's overlapping units of one category are an error naming the coder."""
    with pytest.raises(ValueError, match="coder 'a' has overlapping units"):
        unitizing_alpha(units=[Unit("a", 0, 5, "x"), Unit("a", 3, 5, "x")], coders=["a", "b"], continuum_length=10)


def test_unit_outside_the_continuum_is_refused():
    """A unit running past the continuum is an error that names it."""
    with pytest.raises(ValueError, match="not inside the continuum"):
        unitizing_alpha(units=[Unit("a", 8, 5, "x")], coders=["a", "b"], continuum_length=10)


def test_merge_overlapping_keeps_touching_units_apart():
    """Overlapping intervals merge into their union; touching ones stay two units."""
    assert merge_overlapping([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 9), (9, 12)]
