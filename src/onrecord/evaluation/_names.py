"""Speakers as users see them: the resolved name of each statement, scored against gold names.

Two gold sets (see ``eval/speakers/README.md``):

* PolNeAR names: per gold attribution (file, brat event id), the fullest name the article gives
  for its source, or ``null`` when it names no one. Scored on the statements the span scorer
  pairs with gold at the loose threshold: resolved-name accuracy over gold statements with a
  name, and the share of those whose predicted name is missing (null-name rate).
* Own articles: per expected statement, a fragment of its text, its kind, speaker, relays and
  audience; plus fragments that must not be inside any statement (headlines, datelines,
  actions). Each expected statement is looked up among the predicted statements by the
  fragment's span.

Pure: predictions and gold in, a report out; reading files is the callers' job.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.errors import ConfigError

QuoteDict = Mapping[str, Any]  # Any: the extract JSONL contract's values

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "the"})


def normalise_name(name: str | None) -> str:
    """A name for comparison: case, accents, punctuation, honorifics and "the" folded away."""
    if not name:
        return ""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", folded.replace("’", "'").replace("'s ", " "))
    while words and words[0] in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True, slots=True)
class GoldName:
    """The name a gold attribution's source stands for; ``name`` is None when unnamed."""

    name: str | None
    kind: str


def read_gold_names(path: Path) -> dict[tuple[str, str], GoldName]:
    """Read a PolNeAR names file: one JSON object per line with file, id, name and kind.

    Raises:
        ConfigError: The file is missing or a line is not such an object.
    """
    if not path.is_file():
        raise ConfigError(
            f"[{ConfigError.code}] no speaker names file at {path}; "
            "pass the file made for the split (eval/speakers/polnear_dev_names.jsonl)."
        )
    gold: dict[tuple[str, str], GoldName] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            key = (str(row["file"]), str(row["id"]))
            gold[key] = GoldName(row["name"] or None, str(row.get("kind") or "none"))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"[{ConfigError.code}] {path}:{number} is not a names record ({exc}); "
                "each line needs file, id, name and kind."
            ) from exc
    return gold


@dataclass(frozen=True, slots=True)
class NameScores:
    """Resolved names on matched statements whose gold source has a name."""

    n_matched: int
    n_named: int
    n_correct: int
    n_null: int
    n_unnamed_gold: int
    n_unnamed_gold_given_name: int

    @property
    def accuracy(self) -> float:
        """Share of named gold statements whose predicted name is the gold name."""
        return _ratio(self.n_correct, self.n_named)

    @property
    def null_rate(self) -> float:
        """Share of named gold statements predicted with no name."""
        return _ratio(self.n_null, self.n_named)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "matched": self.n_matched,
            "named": self.n_named,
            "correct": self.n_correct,
            "null": self.n_null,
            "accuracy": round(self.accuracy, 4),
            "null_rate": round(self.null_rate, 4),
            "unnamed_gold": self.n_unnamed_gold,
            "unnamed_gold_given_a_name": self.n_unnamed_gold_given_name,
        }

    def to_markdown(self) -> list[str]:
        return [
            "| resolved speakers (loose matches) | n | value |",
            "|---|---|---|",
            f"| name accuracy, gold named | {self.n_named} | {self.accuracy:.3f} |",
            f"| null name, gold named | {self.n_named} | {self.null_rate:.3f} |",
            f"| a name given, gold unnamed | {self.n_unnamed_gold} | "
            f"{_ratio(self.n_unnamed_gold_given_name, self.n_unnamed_gold):.3f} |",
        ]


def _speaker_name(quote: QuoteDict) -> str | None:
    speaker = quote.get("speaker")
    if not isinstance(speaker, Mapping):
        return None
    name = speaker.get("name")
    return name if isinstance(name, str) and name.strip() else None


def score_names(
    pairs: Iterable[tuple[str, str, QuoteDict]], gold: Mapping[tuple[str, str], GoldName]
) -> NameScores:
    """Score resolved names of matched statements.

    Args:
        pairs: ``(file name, gold attribution id, predicted quote)`` for each loose match.
        gold: The names file, keyed by ``(file name, id)``.

    Returns:
        The scores; matches without an entry in ``gold`` are not counted.
    """
    matched = named = correct = null = unnamed = unnamed_given = 0
    for file_name, gold_id, quote in pairs:
        entry = gold.get((file_name, gold_id))
        if entry is None:
            continue
        matched += 1
        predicted = _speaker_name(quote)
        if entry.name is None:
            unnamed += 1
            unnamed_given += predicted is not None
            continue
        named += 1
        null += predicted is None
        correct += normalise_name(predicted) == normalise_name(entry.name)
    return NameScores(matched, named, correct, null, unnamed, unnamed_given)


# -- own articles ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """One expected statement of an own article, found by a fragment of its text."""

    article: str
    fragment: str
    kind: str
    speaker: str | None
    via: tuple[str, ...]
    audience: tuple[str, ...]
    style: str


@dataclass(frozen=True, slots=True)
class NotStatement:
    """A fragment that no statement may hold (a headline, a dateline, an action)."""

    article: str
    fragment: str
    style: str


def read_expected(path: Path) -> tuple[list[Expected], list[NotStatement]]:
    """Read an own-articles expectations file (``eval/speakers/expected.jsonl``).

    Raises:
        ConfigError: The file is missing or a line is malformed.
    """
    if not path.is_file():
        raise ConfigError(
            f"[{ConfigError.code}] no expectations file at {path}; "
            "point to a folder holding expected.jsonl and articles/."
        )
    expected: list[Expected] = []
    negatives: list[NotStatement] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            style = str(row.get("style") or "")
            if "not_statement" in row:
                negatives.append(NotStatement(row["article"], row["not_statement"], style))
                continue
            expected.append(
                Expected(
                    article=str(row["article"]),
                    fragment=str(row["quote"]),
                    kind=str(row["kind"]),
                    speaker=row.get("speaker") or None,
                    via=tuple(row.get("via") or ()),
                    audience=tuple(row.get("audience") or ()),
                    style=style,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"[{ConfigError.code}] {path}:{number} is not an expectation ({exc}); "
                "see eval/speakers/README.md for the two shapes of a line."
            ) from exc
    return expected, negatives


def _squash(text: str) -> str:
    """Text for fragment look-up: quote marks unified, whitespace single."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return re.sub(r"\s+", " ", text.translate(table))


@dataclass(slots=True)
class SpeakerSetScores:
    """How the predicted statements of own articles compare with the expectations."""

    n_expected: int = 0
    n_found: int = 0
    n_speaker_correct: int = 0
    n_named: int = 0
    n_named_found: int = 0
    n_null_named: int = 0
    n_kind_correct: int = 0
    n_relays_correct: int = 0
    n_audience_correct: int = 0
    n_not_statements: int = 0
    n_violations: int = 0
    by_style: Counter[str] = field(default_factory=Counter)
    by_style_correct: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)  # Any: JSON values

    def to_dict(self) -> dict[str, Any]:  # Any: JSON values
        return {
            "expected": self.n_expected,
            "found": round(_ratio(self.n_found, self.n_expected), 4),
            "speaker_correct_of_found": round(_ratio(self.n_speaker_correct, self.n_found), 4),
            "speaker_correct_of_expected": round(
                _ratio(self.n_speaker_correct, self.n_expected), 4
            ),
            "null_name_where_named": round(_ratio(self.n_null_named, self.n_named_found), 4),
            "kind_correct_of_found": round(_ratio(self.n_kind_correct, self.n_found), 4),
            "via_correct_of_found": round(_ratio(self.n_relays_correct, self.n_found), 4),
            "audience_correct_of_found": round(_ratio(self.n_audience_correct, self.n_found), 4),
            "not_statements": self.n_not_statements,
            "not_statements_reported": self.n_violations,
            "by_style": {
                style: {"n": n, "speaker_correct": round(self.by_style_correct[style] / n, 4)}
                for style, n in sorted(self.by_style.items())
            },
        }

    def to_markdown(self) -> list[str]:
        data = self.to_dict()
        lines = [
            "| own articles | value |",
            "|---|---|",
            f"| expected statements | {self.n_expected} |",
            f"| found | {data['found']:.3f} |",
            f"| right speaker, of found | {data['speaker_correct_of_found']:.3f} |",
            f"| right speaker, of expected | {data['speaker_correct_of_expected']:.3f} |",
            f"| null name where the article names the speaker | "
            f"{data['null_name_where_named']:.3f} |",
            f"| right kind, of found | {data['kind_correct_of_found']:.3f} |",
            f"| right relays (via), of found | {data['via_correct_of_found']:.3f} |",
            f"| right audience, of found | {data['audience_correct_of_found']:.3f} |",
            f"| non-statements reported as statements | "
            f"{self.n_violations} of {self.n_not_statements} |",
            "",
            "| style | n | right speaker |",
            "|---|---|---|",
        ]
        for style, row in data["by_style"].items():
            lines.append(f"| {style} | {row['n']} | {row['speaker_correct']:.3f} |")
        return lines


def _names_equal(a: Sequence[str], b: Sequence[str]) -> bool:
    return sorted(normalise_name(x) for x in a) == sorted(normalise_name(x) for x in b)


def _find(text: str, fragment: str) -> tuple[int, int] | None:
    squashed, wanted = _squash(text), _squash(fragment)
    at = squashed.find(wanted)
    if at < 0 or len(squashed) != len(text):
        at = text.find(fragment)
        return None if at < 0 else (at, at + len(fragment))
    return at, at + len(wanted)


def score_speaker_set(
    texts: Mapping[str, str],
    predictions: Mapping[str, Sequence[QuoteDict]],
    expected: Sequence[Expected],
    negatives: Sequence[NotStatement],
) -> SpeakerSetScores:
    """Score predicted statements of own articles against their expectations.

    Args:
        texts: Article file name -> the text the predictions' offsets index.
        predictions: Article file name -> predicted quote dicts (the extract contract).
        expected: Expected statements.
        negatives: Fragments that no statement may hold.

    Returns:
        The scores, with one error record per expected statement that went wrong.
    """
    scores = SpeakerSetScores()
    for item in expected:
        scores.n_expected += 1
        scores.by_style[item.style] += 1
        text = texts.get(item.article, "")
        span = _find(text, item.fragment)
        quotes = predictions.get(item.article, [])
        hit = None
        if span is not None:
            hit = next(
                (q for q in quotes if int(q["start"]) < span[1] and span[0] < int(q["end"])),
                None,
            )
        if item.speaker is not None:
            scores.n_named += 1
        if hit is None:
            scores.errors.append({"article": item.article, "quote": item.fragment, "found": None})
            continue
        scores.n_found += 1
        predicted = _speaker_name(hit)
        is_right = normalise_name(predicted) == normalise_name(item.speaker)
        scores.n_speaker_correct += is_right
        scores.by_style_correct[item.style] += is_right
        if item.speaker is not None:
            scores.n_named_found += 1
            scores.n_null_named += predicted is None
        scores.n_kind_correct += hit.get("kind") == item.kind
        scores.n_relays_correct += _names_equal(hit.get("via") or [], item.via)
        scores.n_audience_correct += _names_equal(hit.get("audience") or [], item.audience)
        if not is_right:
            scores.errors.append(
                {
                    "article": item.article,
                    "quote": item.fragment,
                    "expected": item.speaker,
                    "found": predicted,
                    "mention": (hit.get("speaker") or {}).get("mention"),
                }
            )
    for negative in negatives:
        scores.n_not_statements += 1
        span = _find(texts.get(negative.article, ""), negative.fragment)
        if span is None:
            continue
        if any(
            q.get("kind") != "no_comment" and int(q["start"]) < span[1] and span[0] < int(q["end"])
            for q in predictions.get(negative.article, [])
        ):
            scores.n_violations += 1
            scores.errors.append({"article": negative.article, "not_statement": negative.fragment})
    return scores
