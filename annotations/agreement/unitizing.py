"""Krippendorff's unitizing alpha (uα) over a continuum, from the published definition.

A continuum of ``L`` positions (characters here) is cut by each of ``m`` coders into
sections: *units* of a category and the *gaps* between them. For one category ``c`` the
coefficient is ``uα_c = 1 - uD_o / uD_e`` (Krippendorff 1995, "On the reliability of
unitizing contiguous data", Sociological Methodology 25; restated with a worked example in
Krippendorff 2004, "Measuring the reliability of qualitative text analysis data", Quality &
Quantity 38:787-800, and in Content Analysis, 2nd ed., 2004, ch. 12.4):

- distance between section ``g`` of coder ``i`` (begin ``b1``, length ``l1``) and section
  ``h`` of coder ``j`` (``b2``, ``l2``):
  both units and overlapping (``-l1 < b1 - b2 < l2``): ``(b1-b2)² + (b1+l1-b2-l2)²``;
  a unit inside the other coder's gap: the unit's length squared; otherwise 0.
  Partial overlap therefore earns partial credit; a unit nobody else marked costs ``l²``.
- observed: ``uD_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ² / (m (m-1) L²)``.
- expected (every way of placing the same units and gaps on the continuum):
  ``uD_e = (2/L) Σ_units [ (N_c - 1) (2l³ - 3l² + l) / 3 + l² Σ_{gaps ≥ l} (gap - l + 1) ]
  / ( mL (mL - 1) - Σ_units l (l - 1) )`` with ``N_c`` the number of units of ``c`` over
  all coders and the gap sum over every coder's gaps.

Over several categories each category is its own unit/gap continuum and
``uα = 1 - Σ_c uD_o,c / Σ_c uD_e,c``. Arithmetic is exact (integers and fractions) so long
continua do not lose precision. A coder's units of one category must not overlap; callers
merge them first (``merge_overlapping``).
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Unit:
    """One coder's unit: ``length`` positions from ``start``, tagged with ``category``."""

    coder: str
    start: int
    length: int
    category: str


@dataclass(frozen=True)
class Section:
    start: int
    length: int
    is_unit: bool


@dataclass
class UnitizingResult:
    """Observed and expected disagreement and alpha, per category and overall."""

    observed: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)
    alpha_by_category: dict[str, float | None] = field(default_factory=dict)
    alpha: float | None = None


def merge_overlapping(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of ``[start, end)`` intervals that share at least one position.

    Touching intervals (one ends where the next starts) stay separate units.
    """
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def section_distance(first: Section, second: Section) -> int:
    """Krippendorff's squared distance δ² between two coders' sections."""
    begin_difference = first.start - second.start
    if first.is_unit and second.is_unit:
        if -first.length < begin_difference < second.length:
            end_difference = first.start + first.length - second.start - second.length
            return begin_difference**2 + end_difference**2
        return 0
    if first.is_unit and not second.is_unit:
        if second.start <= first.start and first.start + first.length <= second.start + second.length:
            return first.length**2
        return 0
    if second.is_unit and not first.is_unit:
        if first.start <= second.start and second.start + second.length <= first.start + first.length:
            return second.length**2
    return 0


def coder_sections(
    units: Sequence[tuple[int, int]], *, continuum_start: int, continuum_length: int
) -> list[Section]:
    """Tile the continuum with one coder's units (``(start, length)``, non-overlapping) and gaps."""
    sections: list[Section] = []
    position = continuum_start
    continuum_end = continuum_start + continuum_length
    for start, length in sorted(units):
        if start > position:
            sections.append(Section(position, start - position, False))
        sections.append(Section(start, length, True))
        position = start + length
    if position < continuum_end:
        sections.append(Section(position, continuum_end - position, False))
    return sections


def _pair_distance_sum(first: list[Section], second: list[Section]) -> int:
    """Σ δ² over all pairs of sections of two coders (non-overlapping pairs contribute 0)."""
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        total += section_distance(first[i], second[j])
        first_end = first[i].start + first[i].length
        second_end = second[j].start + second[j].length
        if first_end <= second_end:
            i += 1
        if second_end <= first_end:
            j += 1
    return total


def _validate(units: list[Unit], coders: Sequence[str], continuum_start: int, continuum_length: int) -> None:
    if len(coders) < 2:
        raise ValueError(f"unitizing alpha needs at least two coders, got {len(coders)}")
    if continuum_length <= 0:
        raise ValueError(f"the continuum must be at least one position long, got {continuum_length}")
    known = set(coders)
    end = continuum_start + continuum_length
    by_coder_category: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.coder not in known:
            raise ValueError(f"unit {unit} names coder {unit.coder!r}, not one of {sorted(known)}")
        if unit.length <= 0 or unit.start < continuum_start or unit.start + unit.length > end:
            raise ValueError(
                f"unit {unit} is not inside the continuum [{continuum_start}, {end}) or is empty"
            )
        by_coder_category[(unit.coder, unit.category)].append(unit)
    for (coder, category), coder_units in by_coder_category.items():
        coder_units.sort(key=lambda unit: unit.start)
        for before, after in zip(coder_units, coder_units[1:]):
            if after.start < before.start + before.length:
                raise ValueError(
                    f"coder {coder!r} has overlapping units of category {category!r} "
                    f"at {before.start} and {after.start}; merge them first"
                )


def unitizing_alpha(
    *,
    units: Iterable[Unit],
    coders: Sequence[str],
    continuum_length: int,
    continuum_start: int = 0,
) -> UnitizingResult:
    """uα per category and overall for ``coders`` who unitized ``[start, start + length)``."""
    units = list(units)
    _validate(units, coders, continuum_start, continuum_length)
    coder_count, length = len(coders), continuum_length
    categories = sorted({unit.category for unit in units})
    result = UnitizingResult()
    observed_total, expected_total = Fraction(0), Fraction(0)
    for category in categories:
        spans_by_coder = {coder: [] for coder in coders}
        for unit in units:
            if unit.category == category:
                spans_by_coder[unit.coder].append((unit.start, unit.length))
        sections = {
            coder: coder_sections(spans, continuum_start=continuum_start, continuum_length=length)
            for coder, spans in spans_by_coder.items()
        }
        distance_sum = 0
        for first_index, first in enumerate(coders):
            for second in coders[first_index + 1 :]:
                distance_sum += _pair_distance_sum(sections[first], sections[second])
        observed = Fraction(2 * distance_sum, coder_count * (coder_count - 1) * length * length)

        unit_lengths = [unit_length for spans in spans_by_coder.values() for _, unit_length in spans]
        gap_lengths = sorted(s.length for coder_sections_ in sections.values() for s in coder_sections_ if not s.is_unit)
        suffix_sums = [0] * (len(gap_lengths) + 1)
        for index in range(len(gap_lengths) - 1, -1, -1):
            suffix_sums[index] = suffix_sums[index + 1] + gap_lengths[index]
        unit_count = len(unit_lengths)
        numerator = Fraction(0)
        for unit_length in unit_lengths:
            first_gap = bisect.bisect_left(gap_lengths, unit_length)
            fitting_gaps = len(gap_lengths) - first_gap
            placements = suffix_sums[first_gap] - fitting_gaps * (unit_length - 1)
            numerator += Fraction(
                (unit_count - 1) * (2 * unit_length**3 - 3 * unit_length**2 + unit_length), 3
            )
            numerator += unit_length**2 * placements
        denominator = coder_count * length * (coder_count * length - 1) - sum(
            unit_length * (unit_length - 1) for unit_length in unit_lengths
        )
        expected = 2 * numerator / (length * denominator) if denominator else Fraction(0)

        result.observed[category] = float(observed)
        result.expected[category] = float(expected)
        result.alpha_by_category[category] = float(1 - observed / expected) if expected else None
        observed_total += observed
        expected_total += expected
    result.alpha = float(1 - observed_total / expected_total) if expected_total else None
    return result
