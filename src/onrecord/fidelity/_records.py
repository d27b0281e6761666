"""Typed results of comparing occurrences of a statement with its first report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal, get_args

from onrecord.fidelity._tokens import Gap
from onrecord.stories._records import _ToDict

FindingKind = Literal[
    "trimmed",
    "words_inserted",
    "words_dropped",
    "words_substituted",
    "paraphrase_as_direct",
    "negation_changed",
    "number_changed",
    "date_changed",
    "name_changed",
    "speaker_changed",
    "relay_lost",
]
Severity = Literal["low", "medium", "high"]
DiffKind = Literal["equal", "insert", "delete", "replace"]

FINDING_KINDS: Final[tuple[FindingKind, ...]] = get_args(FindingKind)
SEVERITIES: Final[tuple[Severity, ...]] = ("low", "medium", "high")
# What a finding means for a reader, shown beside it in every surface.
KIND_LABELS: Final[dict[FindingKind, str]] = {
    "trimmed": "trimmed (cut at an end or at an ellipsis)",
    "words_inserted": "words inserted inside the quotation marks",
    "words_dropped": "words dropped inside the quotation marks",
    "words_substituted": "words substituted inside the quotation marks",
    "paraphrase_as_direct": "a reported statement presented as a direct quote",
    "negation_changed": "a negation added or dropped",
    "number_changed": "a number changed",
    "date_changed": "a date or time changed",
    "name_changed": "a name changed",
    "speaker_changed": "the words attributed to someone else",
    "relay_lost": "the outlet that first carried it is no longer credited",
}


SEVERITY_RANKS: Final[dict[str, int]] = {"low": 1, "medium": 2, "high": 3}


def severity_rank(severity: str) -> int:
    """1 for low, 2 medium, 3 high; 0 for anything else."""
    return SEVERITY_RANKS.get(severity, 0)


@dataclass(frozen=True, slots=True)
class DiffOp(_ToDict):
    """One stretch of a word-level diff from the first report to a later wording.

    ``origin`` and ``copy`` are the words as written on each side (one of them empty for an
    insertion or a deletion); ``gap`` is what stood in the later wording where words were
    cut: an ellipsis, a bracketed insertion, or nothing.
    """

    op: DiffKind
    origin: str
    copy: str
    gap: Gap = ""


@dataclass(frozen=True, slots=True)
class Finding(_ToDict):
    """One kind of difference between a later occurrence and the first report.

    ``origin_words`` and ``copy_words`` are the evidence: the words (or speakers, or outlets)
    on each side, several stretches joined with `` / ``.
    """

    kind: FindingKind
    severity: Severity
    origin_words: str
    copy_words: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Comparison(_ToDict):
    """A later occurrence against the first report: the diff and what it found.

    No findings means the wordings are the same (``is_identical``) up to case, punctuation,
    quote-mark style and spelling variants.
    """

    origin_quote_id: int
    quote_id: int
    diff: tuple[DiffOp, ...]
    findings: tuple[Finding, ...]
    checker: str

    @property
    def is_identical(self) -> bool:
        """True when nothing differs that matters."""
        return not self.findings


@dataclass(frozen=True, slots=True)
class Side(_ToDict):
    """One side of a finding's evidence: a stored quote with its wording, speaker and outlet."""

    quote_id: int
    quotation_id: int | None
    article_id: str
    text: str
    kind: str
    speaker: str | None
    outlet: str | None
    published: date | None
    title: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class FidelityFinding(_ToDict):
    """A stored finding with its evidence: the first report and the later occurrence."""

    kind: FindingKind
    severity: Severity
    origin_words: str
    copy_words: str
    detail: str
    origin: Side
    occurrence: Side


@dataclass(frozen=True, slots=True)
class OccurrenceFidelity(_ToDict):
    """One occurrence of a quotation against the first report of its statement.

    ``findings`` empty means identical. ``classification`` lists the finding kinds, or
    ``("identical",)``.
    """

    origin: Side
    occurrence: Side
    diff: tuple[DiffOp, ...]
    findings: tuple[Finding, ...]
    classification: tuple[str, ...] = field(default=())
