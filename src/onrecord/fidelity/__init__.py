"""Quote fidelity: how a statement's words and speaker drift as outlets relay and rewrite it.

Pure functions over stored occurrences; the after-batch step of ``onrecord.derive`` applies
them to each stored batch, into tables the store keeps.

    quote text          -> words (folded, marked)                       (_tokens)
    occurrences         -> sketch_keys, is_same_statement, first_report  (_match)
    first report, later -> compare -> Comparison(diff, findings)         (_compare)
"""

from onrecord.fidelity._compare import (
    CHECKER,
    FidelitySettings,
    Statement,
    compare,
    is_same_speaker,
)
from onrecord.fidelity._match import (
    closest,
    first_report,
    first_reports,
    is_own_interview,
    is_same_statement,
    match_tokens,
    sketch_keys,
)
from onrecord.fidelity._records import (
    FINDING_KINDS,
    KIND_LABELS,
    SEVERITIES,
    Comparison,
    DiffOp,
    FidelityFinding,
    Finding,
    FindingKind,
    OccurrenceFidelity,
    Severity,
    Side,
    severity_rank,
)
from onrecord.fidelity._tokens import Word, words

__all__ = [
    "CHECKER",
    "FINDING_KINDS",
    "KIND_LABELS",
    "SEVERITIES",
    "Comparison",
    "DiffOp",
    "FidelityFinding",
    "FidelitySettings",
    "Finding",
    "FindingKind",
    "OccurrenceFidelity",
    "Severity",
    "Side",
    "Statement",
    "Word",
    "closest",
    "compare",
    "first_report",
    "first_reports",
    "is_own_interview",
    "is_same_speaker",
    "is_same_statement",
    "match_tokens",
    "severity_rank",
    "sketch_keys",
    "words",
]
