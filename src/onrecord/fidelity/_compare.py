"""Two occurrences of a statement -> a word-level diff and classified findings.

Input: the first report and a later occurrence (``Statement``: a stored ``Occurrence`` and
whether its article presents the words as told to the outlet itself). Output: a
``Comparison``.

Order of judgement:

1. Who and through whom: another person speaks (``speaker_changed``; see
   ``is_same_speaker``; a speaker that is an outlet is not a person); the later outlet
   credits no outlet although the first report was an interview of another outlet, or says the
   speaker told it (``relay_lost``).
2. The kind of quote: a reported statement in the first report and a direct quote later is
   ``paraphrase_as_direct`` (its words are compared with tense and person folded, for meaning
   changes only); a later reported statement is a paraphrase by right and is not compared word
   by word.
3. Word by word (``difflib`` over folded words, see ``_tokens``), each stretch that differs
   gets the most specific kind that fits: a negation added or dropped, a date, a number, a
   name; else words cut at either end or at an ellipsis (``trimmed``), or inserted, dropped or
   substituted inside the quotation marks. A cut that removes a negation from the sentence it
   keeps is a negation change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from onrecord.fidelity._records import (
    Comparison,
    DiffKind,
    DiffOp,
    Finding,
    FindingKind,
    Severity,
    severity_rank,
)
from onrecord.fidelity._tokens import Gap, Word, match_form, trailing_gap, words
from onrecord.lang.en.calendar import MONTH_ABBREVIATIONS, WEEKDAYS
from onrecord.lang.en.calendar import MONTHS as ENGLISH_MONTHS
from onrecord.stories import Occurrence, outlet_key

CHECKER: Final = "fidelity.align.v1"
NEGATIONS: Final = frozenset(
    {"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "noone"}
)
CONDITIONS: Final = frozenset({"unless", "if", "except", "only", "until", "provided"})
MONTHS: Final = ENGLISH_MONTHS | MONTH_ABBREVIATIONS
DATE_WORDS: Final = MONTHS | WEEKDAYS | frozenset(
    {"today", "tomorrow", "yesterday", "tonight", "spring", "summer", "autumn", "winter", "week",
     "weekend", "month", "year", "decade", "weeks", "months", "years", "morning", "evening"}
)  # fmt: skip
_YEAR: Final = re.compile(r"^(?:19|20)\d\d$")
_NUMBER: Final = re.compile(r"^\d")
QUOTED: Final = re.compile(r"[\"“”«»„]([^\"“”«»„]+)[\"“”«»„]")
SEPARATOR: Final = " / "
Opcode = tuple[DiffKind, int, int, int, int]
# The reporting sentence's, not the speaker's: "said that the dam ...".
LEADING_WORDS: Final = frozenset({"that"})


@dataclass(frozen=True, slots=True)
class FidelitySettings:
    """Thresholds of the fidelity check; the defaults are the ones the benchmark was run with.

    Attributes:
        min_words: Fewest words a wording needs to be matched across quotations.
        sketch_window: Word 3-grams per winnowing window (see ``sketch_keys``).
        min_shared: Share of the shorter wording's words that must align with the other's
            for two wordings to be one statement.
        min_cross_speaker: The same share of the longer wording, when the speakers differ
            or one is unknown: the same words, not a shared phrase.
        min_cross_speaker_words: Fewest words for a match across speakers.
        window_days: Most days between two dated wordings matched across quotations.
        spelling_ratio: Character similarity above which two different words are one word
            spelled two ways ("commited", "committed").
        max_family: Most occurrences compared as one statement.
    """

    min_words: int = 4
    sketch_window: int = 4
    min_shared: float = 0.75
    min_cross_speaker: float = 0.9
    min_cross_speaker_words: int = 6
    window_days: int = 30
    spelling_ratio: float = 0.85
    max_family: int = 300


@dataclass(frozen=True, slots=True)
class Statement:
    """An occurrence as the check sees it: the stored quote, and whether its article says the
    speaker told the article's own outlet ("Velin told the Ledger", in the Ledger)."""

    occurrence: Occurrence
    is_own_interview: bool = False


def quoted_words(text: str, kind: str) -> tuple[Word, ...]:
    """The words a quote puts in the speaker's mouth: for a mixed quote, only those inside
    quotation marks (joined as if by an ellipsis); otherwise all of them."""
    if kind == "mixed":
        parts = QUOTED.findall(text)
        if parts:
            return words(" ... ".join(parts))
    found = words(text)
    if kind == "indirect" and len(found) > 1 and found[0].folded in LEADING_WORDS:
        return found[1:]
    return found


def is_same_speaker(first: str | None, second: str | None) -> bool | None:
    """Whether two speaker names are one person; ``None`` when either is unknown.

    The surnames must agree, and so must the first names where both are given ("Mara Velin"
    and "Velin" agree; "Mara Velin" and "Ines Velin" do not).
    """
    left = re.findall(r"[^\W\d_]+", first or "")
    right = re.findall(r"[^\W\d_]+", second or "")
    if not left or not right:
        return None
    if left[-1].casefold() != right[-1].casefold():
        return False
    if len(left) > 1 and len(right) > 1:
        return left[0][0].casefold() == right[0][0].casefold() and (
            len(left[0]) <= 2 or len(right[0]) <= 2 or left[0].casefold() == right[0].casefold()
        )
    return True


def _is_outlet(name: str | None, *occurrences: Occurrence) -> bool:
    key = outlet_key(name)
    return bool(key) and key in {
        outlet_key(outlet) for o in occurrences for outlet in (o.outlet, *o.via)
    }


def _date_flags(found: Sequence[Word]) -> list[bool]:
    flags = [w.folded in DATE_WORDS or bool(_YEAR.match(w.folded)) for w in found]
    for index, word in enumerate(found):
        if not _NUMBER.match(word.folded) or len(word.folded) > 2:
            continue
        before = found[index - 1].folded if index > 0 else ""
        after = found[index + 1].folded if index + 1 < len(found) else ""
        if before in MONTHS or after in MONTHS or after == "of":
            flags[index] = True
    return flags


def _surface(found: Sequence[Word]) -> str:
    out: list[str] = []
    for word in found:
        if not out or out[-1] != word.surface:
            out.append(word.surface)
    return " ".join(out)


class _Side:
    """Words of one wording with their date flags, sliced by alignment indexes."""

    def __init__(self, found: tuple[Word, ...], end_gap: Gap) -> None:
        self.words = found
        self.dates = _date_flags(found)
        self.end_gap = end_gap

    def negations(self, start: int, end: int) -> int:
        return sum(w.folded in NEGATIONS for w in self.words[start:end])

    def dated(self, start: int, end: int) -> list[str]:
        return [
            w.folded for w, d in zip(self.words[start:end], self.dates[start:end], strict=True) if d
        ]

    def numbers(self, start: int, end: int) -> list[str]:
        return [
            w.folded
            for w, d in zip(self.words[start:end], self.dates[start:end], strict=True)
            if not d and _NUMBER.match(w.folded)
        ]

    def names(self, start: int, end: int) -> list[str]:
        return [
            w.folded
            for w, d in zip(self.words[start:end], self.dates[start:end], strict=True)
            if w.is_name and not d
        ]

    def gap_at(self, index: int) -> Gap:
        return self.words[index].gap if index < len(self.words) else self.end_gap


def _is_spelling(first: Word, second: Word, ratio: float) -> bool:
    if first.folded == second.folded:
        return True
    if first.is_name or second.is_name or len(first.folded) < 5 or len(second.folded) < 5:
        return False
    if _NUMBER.match(first.folded) or _NUMBER.match(second.folded):
        return False
    return SequenceMatcher(None, first.folded, second.folded).ratio() >= ratio


def _meaning(
    origin: _Side, copy: _Side, span: tuple[int, int, int, int], *, is_replace: bool
) -> FindingKind | None:
    i1, i2, j1, j2 = span
    if origin.negations(i1, i2) != copy.negations(j1, j2):
        return "negation_changed"
    if origin.dated(i1, i2) != copy.dated(j1, j2):
        return "date_changed"
    if origin.numbers(i1, i2) != copy.numbers(j1, j2):
        return "number_changed"
    if is_replace and origin.names(i1, i2) != copy.names(j1, j2):
        return "name_changed"
    return None


def _trim(origin: _Side, i1: int, i2: int, kept: int) -> tuple[FindingKind, Severity, str]:
    """What a cut of origin words ``i1:i2`` does to the sentence of the kept word ``kept``."""
    sentence = origin.words[kept].sentence if 0 <= kept < len(origin.words) else -1
    same = [w for w in origin.words[i1:i2] if w.sentence == sentence]
    if any(w.folded in NEGATIONS for w in same):
        return "negation_changed", "high", "the cut removes a negation from the quoted sentence"
    if any(w.folded in CONDITIONS for w in same):
        return "trimmed", "medium", "the cut removes a condition from the quoted sentence"
    return "trimmed", "low", ""


SEVERITY: Final[dict[FindingKind, Severity]] = {
    "trimmed": "low",
    "words_inserted": "medium",
    "words_dropped": "medium",
    "words_substituted": "medium",
    "paraphrase_as_direct": "high",
    "negation_changed": "high",
    "number_changed": "high",
    "date_changed": "high",
    "name_changed": "high",
    "speaker_changed": "high",
    "relay_lost": "medium",
}


def _word_findings(
    origin: _Side, copy: _Side, opcodes: Sequence[Opcode], ratio: float
) -> list[Finding]:
    found: list[Finding] = []
    last_origin, last_copy = len(origin.words), len(copy.words)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        origin_words = _surface(origin.words[i1:i2])
        copy_words = _surface(copy.words[j1:j2])
        span = (i1, i2, j1, j2)
        kind: FindingKind | None
        severity: Severity
        detail = ""
        if tag == "delete":
            gap = copy.gap_at(j1)
            at_edge = (i1 == 0 and j1 == 0) or (i2 == last_origin and j2 == last_copy)
            if at_edge or gap == "ellipsis":
                kept = i2 if i1 == 0 else i1 - 1
                kind, severity, detail = _trim(origin, i1, i2, kept)
                if gap == "ellipsis" and not at_edge:
                    inner = _meaning(origin, copy, span, is_replace=False)
                    if inner == "negation_changed":
                        kind, severity = inner, "high"
            elif gap == "editorial":
                # "[the minister]" standing in for cut words is the writer's, marked as such.
                kind = _meaning(origin, copy, span, is_replace=False)
                if kind is None:
                    continue
                severity = SEVERITY[kind]
            else:
                kind = _meaning(origin, copy, span, is_replace=False) or "words_dropped"
                severity = SEVERITY[kind]
        elif tag == "insert":
            kind = _meaning(origin, copy, span, is_replace=False) or "words_inserted"
            severity = SEVERITY[kind]
            if kind == "words_inserted" and (j1 == 0 or j2 == last_copy):
                severity, detail = "low", "longer than the first report"
        else:
            kind = _meaning(origin, copy, span, is_replace=True)
            if kind is None:
                pairs = zip(origin.words[i1:i2], copy.words[j1:j2], strict=False)
                if i2 - i1 == j2 - j1 and all(_is_spelling(a, b, ratio) for a, b in pairs):
                    continue
                kind = "words_substituted"
            severity = SEVERITY[kind]
        found.append(Finding(kind, severity, origin_words, copy_words, detail))
    return found


def _merge(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """One finding per kind, the evidence of its stretches joined, the highest severity."""
    merged: dict[FindingKind, Finding] = {}
    for finding in findings:
        seen = merged.get(finding.kind)
        if seen is None:
            merged[finding.kind] = finding
            continue
        severity = max(seen.severity, finding.severity, key=severity_rank)
        merged[finding.kind] = Finding(
            finding.kind,
            severity,
            SEPARATOR.join(part for part in (seen.origin_words, finding.origin_words) if part),
            SEPARATOR.join(part for part in (seen.copy_words, finding.copy_words) if part),
            seen.detail or finding.detail,
        )
    return tuple(merged.values())


def _diff(origin: _Side, copy: _Side, opcodes: Sequence[Opcode]) -> tuple[DiffOp, ...]:
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in opcodes:
        gap = copy.gap_at(j1) if tag == "delete" else ""
        ops.append(
            DiffOp(
                tag,
                _surface(origin.words[i1:i2]),
                _surface(copy.words[j1:j2]),
                gap,
            )
        )
    return tuple(ops)


def _relay_lost(origin: Statement, copy: Statement) -> Finding | None:
    first = origin.occurrence
    later = copy.occurrence
    first_key, later_key = outlet_key(first.outlet), outlet_key(later.outlet)
    if not first_key or not later_key or first_key == later_key:
        return None
    if {outlet_key(name) for name in later.via} - {later_key, ""}:
        return None
    if copy.is_own_interview:
        return Finding(
            "relay_lost",
            "high",
            f"{first.outlet} (first carried it)",
            f"{later.outlet} (says it was told the words)",
            f"{later.outlet} credits no outlet and presents the words as its own interview",
        )
    if origin.is_own_interview:
        return Finding(
            "relay_lost",
            "medium",
            f"{first.outlet} (interview)",
            f"{later.outlet} (no source named)",
            f"{later.outlet} credits no outlet for words first told to {first.outlet}",
        )
    return None


def align(first: tuple[str, ...], second: tuple[str, ...]) -> list[Opcode]:
    """Word-level opcodes (``difflib`` tags and index ranges) turning ``first`` into ``second``."""
    return SequenceMatcher(None, first, second, autojunk=False).get_opcodes()


def compare(
    origin: Statement, copy: Statement, settings: FidelitySettings | None = None
) -> Comparison:
    """Compare a later occurrence of a statement with its first report.

    Args:
        origin: The first report.
        copy: A later occurrence, in another article.
        settings: Thresholds; the defaults when ``None``.

    Returns:
        The word-level diff and the findings (none: identical).
    """
    settings = settings or FidelitySettings()
    first, later = origin.occurrence, copy.occurrence
    found: list[Finding] = []
    if (
        is_same_speaker(first.speaker, later.speaker) is False
        and not _is_outlet(first.speaker, first, later)
        and not _is_outlet(later.speaker, first, later)
    ):
        found.append(
            Finding("speaker_changed", "high", first.speaker or "", later.speaker or "", "")
        )
    if (lost := _relay_lost(origin, copy)) is not None:
        found.append(lost)
    is_paraphrase = first.kind == "indirect" and later.kind in ("direct", "mixed")
    origin_side = _Side(quoted_words(first.text, first.kind), trailing_gap(first.text))
    copy_side = _Side(quoted_words(later.text, later.kind), trailing_gap(later.text))
    if is_paraphrase:
        opcodes = align(
            tuple(match_form(w.folded) for w in origin_side.words),
            tuple(match_form(w.folded) for w in copy_side.words),
        )
        found.append(
            Finding(
                "paraphrase_as_direct",
                "high",
                first.text,
                later.text,
                "reported speech in the first report, a direct quote here",
            )
        )
        for tag, i1, i2, j1, j2 in opcodes:
            if tag in ("replace", "insert") or (
                tag == "delete" and i1 > 0 and i2 < len(origin_side.words)
            ):
                kind = _meaning(origin_side, copy_side, (i1, i2, j1, j2), is_replace=False)
                if kind in ("negation_changed", "number_changed", "date_changed"):
                    found.append(
                        Finding(
                            kind,
                            "high",
                            _surface(origin_side.words[i1:i2]),
                            _surface(copy_side.words[j1:j2]),
                        )
                    )
    else:
        opcodes = align(
            tuple(w.folded for w in origin_side.words), tuple(w.folded for w in copy_side.words)
        )
        if later.kind != "indirect" and first.kind != "indirect":
            found.extend(_word_findings(origin_side, copy_side, opcodes, settings.spelling_ratio))
    return Comparison(
        origin_quote_id=first.quote_id,
        quote_id=later.quote_id,
        diff=_diff(origin_side, copy_side, opcodes),
        findings=_merge(found),
        checker=CHECKER,
    )
