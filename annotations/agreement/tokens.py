"""Token-level agreement: each word token labelled by the span over it, then kappa and alpha.

Tokens are the matches of ``TOKEN_PATTERN`` in each paragraph: runs of letters and digits,
with inner apostrophes and hyphens kept ("don't", "well-known"); punctuation and spaces are
not units. A token takes the label of a span of the layer that shares at least one
character with it, else ``OUTSIDE`` ("O"). When several spans of the layer cover a token
(nested or overlapping spans), the *innermost* wins: the shortest span, then the one that
starts last, then the label first in ``LABELS`` order (then alphabetical), so the result
does not depend on the order spans were stored in.

- Cohen's kappa for two layers over the tokens both labelled:
  ``κ = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of tokens with equal labels and
  ``p_e = Σ_k p_A(k) p_B(k)`` from each layer's own label distribution. ``None`` when
  ``p_e = 1`` (both layers used one and the same label everywhere) or there are no tokens.
- Krippendorff's nominal alpha over a unit-by-coder table (units = tokens, a missing value
  where a coder has no layer for that document): coincidences ``o_ck = Σ_u Σ_{i≠j} [v_ui=c]
  [v_uj=k] / (m_u - 1)`` over units with ``m_u >= 2`` values, ``n_c = Σ_k o_ck``,
  ``α = 1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k``. ``None`` when the expected
  disagreement is 0 (a single value throughout).
- The same alpha from value counts per unit (``nominal_alpha_from_counts``): with ``n_uc`` the
  coders giving unit ``u`` value ``c`` and ``m_u = Σ_c n_uc``, ``n_c = Σ_u n_uc`` over pairable
  units, ``D_o = Σ_u (m_u² - Σ_c n_uc²) / (m_u - 1)`` and ``D_e = n² - Σ_c n_c²``, so
  ``α = 1 - (n - 1) D_o / D_e``: what the class dashboard uses for 200 students, whose word
  labels are stored per submission as one character per word (``token_codes``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy as np
from collections import Counter, defaultdict
from collections.abc import Sequence

from annotations.argument_map import LABELS, MapSpan

TOKEN_PATTERN = re.compile(r"\w+(?:['’-]\w+)*")
OUTSIDE = "O"
# One character per word for stored token labels: "." outside, a letter per known label.
OUTSIDE_CODE = "."
LABEL_CODES = {label: chr(ord("a") + index) for index, label in enumerate(LABELS)}
OTHER_CODE = "?"
ALL_CODES = OUTSIDE_CODE + "".join(LABEL_CODES.values()) + OTHER_CODE


def label_sort_key(label: str) -> tuple[int, str]:
    """Known labels in their canonical order, then any others alphabetically."""
    return (LABELS.index(label), "") if label in LABELS else (len(LABELS), label)


def tokenize(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each word token of ``text``."""
    return [(match.start(), match.end()) for match in TOKEN_PATTERN.finditer(text)]


def token_labels(tokens: Sequence[tuple[int, int]], spans: Sequence[MapSpan]) -> list[str]:
    """The label of each token given one layer's spans of the same paragraph."""
    ordered = sorted(
        spans,
        key=lambda span: (span.end - span.start, -span.start, label_sort_key(span.label)),
    )
    labels = []
    for start, end in tokens:
        label = OUTSIDE
        for span in ordered:
            if span.start < end and start < span.end:
                label = span.label
                break
        labels.append(label)
    return labels


def cohen_kappa(first: Sequence[str | None], second: Sequence[str | None]) -> float | None:
    """Cohen's kappa over the positions where both label sequences have a value."""
    if len(first) != len(second):
        raise ValueError(f"label sequences differ in length: {len(first)} and {len(second)}")
    pairs = [(a, b) for a, b in zip(first, second) if a is not None and b is not None]
    if not pairs:
        return None
    total = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / total
    first_counts = Counter(a for a, _ in pairs)
    second_counts = Counter(b for _, b in pairs)
    expected = sum(first_counts[label] * second_counts[label] for label in first_counts) / total**2
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(units: Sequence[Sequence[object | None]]) -> float | None:
    """Krippendorff's alpha, nominal metric, for rows = units and columns = coders
    (``None`` = missing value)."""
    coincidences: dict[tuple[object, object], float] = defaultdict(float)
    for row in units:
        values = [value for value in row if value is not None]
        pairable = len(values)
        if pairable < 2:
            continue
        counts = Counter(values)
        for first, first_count in counts.items():
            for second, second_count in counts.items():
                pairs = first_count * (first_count - 1) if first == second else first_count * second_count
                if pairs:
                    coincidences[(first, second)] += pairs / (pairable - 1)
    totals: dict[object, float] = defaultdict(float)
    for (first, _), value in coincidences.items():
        totals[first] += value
    grand_total = sum(totals.values())
    if grand_total <= 1:
        return None
    observed_disagreement = sum(value for (first, second), value in coincidences.items() if first != second)
    expected_disagreement = sum(
        totals[first] * totals[second] for first in totals for second in totals if first != second
    )
    if expected_disagreement == 0:
        return None
    return 1 - (grand_total - 1) * observed_disagreement / expected_disagreement


def token_codes(tokens: Sequence[tuple[int, int]], spans: Sequence[MapSpan]) -> str:
    """``token_labels`` as one character per token (``OUTSIDE_CODE``, ``LABEL_CODES``, else
    ``OTHER_CODE``). Each span paints the tokens it touches, the one that wins in
    ``token_labels`` last, so the cost follows the spans, not tokens × spans."""
    codes = [OUTSIDE_CODE] * len(tokens)
    if not spans:
        return "".join(codes)
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    ordered = sorted(spans, key=lambda span: (span.end - span.start, -span.start, label_sort_key(span.label)))
    for span in reversed(ordered):
        first = bisect_right(ends, span.start)  # the first token ending after the span starts
        last = bisect_left(starts, span.end)  # the first token starting at or after its end
        if first < last:
            codes[first:last] = LABEL_CODES.get(span.label, OTHER_CODE) * (last - first)
    return "".join(codes)


def code_counts(rows: Sequence[str], length: int) -> np.ndarray:
    """Per token, how many of ``rows`` (each a ``token_codes`` string of ``length``) gave each
    code: an array of ``length`` × ``len(ALL_CODES)``."""
    if not rows or not length:
        return np.zeros((length, len(ALL_CODES)), dtype=np.int64)
    table = np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8).reshape(len(rows), length)
    return np.stack([(table == ord(code)).sum(axis=0) for code in ALL_CODES], axis=1).astype(np.int64)


def nominal_alpha_from_counts(counts) -> float | None:
    """Krippendorff's nominal alpha from a units × values table of counts (what
    ``nominal_alpha`` computes from the unit-by-coder table, in one pass of array sums)."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.size == 0:
        return None
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    pairable = pairable[pairable >= 2]
    if not len(pairable):
        return None
    totals = counts.sum(axis=0)
    grand_total = totals.sum()
    if grand_total <= 1:
        return None
    observed = ((pairable ** 2 - (counts ** 2).sum(axis=1)) / (pairable - 1)).sum()
    expected = grand_total ** 2 - (totals ** 2).sum()
    if expected <= 0:
        return None
    return float(1 - (grand_total - 1) * observed / expected)
