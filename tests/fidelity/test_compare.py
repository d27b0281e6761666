"""The pure fidelity functions: folding, alignment and classification of two wordings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.fidelity import (
    FidelitySettings,
    Statement,
    compare,
    is_same_statement,
    match_tokens,
    sketch_keys,
    words,
)
from onrecord.fidelity._match import is_own_interview
from onrecord.stories import Occurrence

ORIGIN = '"We will not sell the harbour cranes before March, and 40 per cent stays public."'


def _occurrence(
    quote_id: int,
    text: str,
    *,
    kind: str = "direct",
    speaker: str | None = "Mara Velin",
    outlet: str = "Tidewire",
    via: tuple[str, ...] = ("Morning Ledger",),
    day: int = 2,
) -> Occurrence:
    return Occurrence(
        quote_id=quote_id,
        article_id=f"article-{quote_id}",
        text=text,
        kind=kind,  # type: ignore[arg-type]
        speaker=speaker,
        outlet=outlet,
        published=date(2026, 3, day),
        via=via,
        title=None,
        url=None,
        source="test",
        ingested_order=quote_id,
    )


FIRST = Statement(_occurrence(1, ORIGIN, outlet="Morning Ledger", via=(), day=1))


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        (ORIGIN, set()),
        ("“we won't sell the harbor cranes before March, and 40% stays public”", set()),
        ('"We will sell the harbour cranes before March, and 40 per cent stays public."',
         {"negation_changed"}),
        ('"We will not sell the harbour cranes before May, and 40 per cent stays public."',
         {"date_changed"}),
        ('"We will not sell the harbour cranes before March, and 60 per cent stays public."',
         {"number_changed"}),
        ('"We will not sell the harbour cranes before March."', {"trimmed"}),
        ('"We will not sell the harbour cranes ... and 40 per cent stays public."', {"trimmed"}),
        ('"We will not sell the harbour cranes before March, and 40 per cent stays public now."',
         {"words_inserted"}),
        ('"We will not sell the cranes before March, and 40 per cent stays public."',
         {"words_dropped"}),
        ('"We will not lease the harbour cranes before March, and 40 per cent stays public."',
         {"words_substituted"}),
        ('"sell the harbour cranes before March"', {"negation_changed", "trimmed"}),
    ],
)  # fmt: skip
def test_word_level_kinds(later: str, expected: set[str]) -> None:
    found = compare(FIRST, Statement(_occurrence(2, later)))
    assert {f.kind for f in found.findings} == expected
    assert found.is_identical == (not expected)


def test_speaker_paraphrase_and_relay() -> None:
    swapped = compare(FIRST, Statement(_occurrence(2, ORIGIN, speaker="Tomas Brek")))
    assert [f.kind for f in swapped.findings] == ["speaker_changed"]
    same_person = compare(FIRST, Statement(_occurrence(2, ORIGIN, speaker="Velin")))
    assert same_person.is_identical
    reported = Statement(
        _occurrence(1, "that she would not sell the harbour cranes before March", kind="indirect")
    )
    quoted = Statement(_occurrence(2, '"I will not sell the harbour cranes before March."'))
    assert [f.kind for f in compare(reported, quoted).findings] == ["paraphrase_as_direct"]
    own = Statement(_occurrence(2, ORIGIN, via=()), is_own_interview=True)
    lost = compare(FIRST, own).findings
    assert [(f.kind, f.severity) for f in lost] == [("relay_lost", "high")]


def test_matching_across_speakers_needs_the_same_words() -> None:
    settings = FidelitySettings()
    first = _occurrence(1, ORIGIN)
    same_words = _occurrence(2, ORIGIN, speaker="Tomas Brek")
    other = _occurrence(3, '"We will not sell the ferry before June, whatever the council says."')
    tokens = match_tokens(ORIGIN, "direct")
    assert is_same_statement(first, tokens, same_words, tokens, settings)
    assert not is_same_statement(first, tokens, other, match_tokens(other.text, "direct"), settings)
    assert set(sketch_keys(tokens, settings)) == set(sketch_keys(match_tokens(
        "“we won't sell the harbor cranes before March, and 40% stays public”", "direct"
    ), settings))  # fmt: skip


def test_own_interview() -> None:
    assert is_own_interview('"...," Velin told the Valley Courier.', "Valley Courier")
    assert is_own_interview("she said in an interview with Tidewire", "Tidewire")
    assert not is_own_interview('"...," Velin told the Morning Ledger.', "Valley Courier")


def test_folding() -> None:
    folded = [w.folded for w in words("Organise the labour centre's co-operation: ten per cent")]
    assert folded == ["organize", "the", "labor", "center", "cooperation", "10", "%"]
    marked = words("We will ... go [to the dam] now")
    assert [(w.folded, w.gap) for w in marked] == [
        ("we", ""),
        ("will", ""),
        ("go", "ellipsis"),
        ("now", "editorial"),
    ]


@given(st.text(), st.text())
def test_compare_never_raises(first: str, second: str) -> None:
    found = compare(Statement(_occurrence(1, first)), Statement(_occurrence(2, second)))
    assert found.quote_id == 2
