"""Inter-annotator agreement between layers of argument maps (pure: no ORM).

``measure_agreement`` / ``document_agreement`` build an ``AgreementReport`` (span F1 with
exact and overlap matching, per label and label-agnostic; relation F1; Cohen's kappa and
Krippendorff's nominal alpha on token labels; Krippendorff's unitizing alpha per label and
overall). The building blocks live in ``spans``, ``tokens`` and ``unitizing``; NOTES and
each module's docstring define every metric.
"""
from annotations.agreement.report import (
    MATRIX_METRICS,
    PER_LABEL_METRICS,
    AgreementReport,
    GroupAgreement,
    PairAgreement,
    document_agreement,
    measure_agreement,
)
from annotations.agreement.spans import (
    DEFAULT_OVERLAP_THRESHOLD,
    EXACT,
    OVERLAP,
    Score,
    match_spans,
    overlap_ratio,
)
from annotations.agreement.tokens import OUTSIDE, cohen_kappa, nominal_alpha, token_labels, tokenize
from annotations.agreement.unitizing import Unit, UnitizingResult, unitizing_alpha

__all__ = [
    "AgreementReport",
    "DEFAULT_OVERLAP_THRESHOLD",
    "EXACT",
    "GroupAgreement",
    "MATRIX_METRICS",
    "OUTSIDE",
    "OVERLAP",
    "PER_LABEL_METRICS",
    "PairAgreement",
    "Score",
    "Unit",
    "UnitizingResult",
    "cohen_kappa",
    "document_agreement",
    "match_spans",
    "measure_agreement",
    "nominal_alpha",
    "overlap_ratio",
    "token_labels",
    "tokenize",
    "unitizing_alpha",
]
