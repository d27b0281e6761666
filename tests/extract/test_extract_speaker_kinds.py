"""Organisation and group speakers keep their kind from extraction to the JSONL contract."""

from __future__ import annotations

import pytest

from onrecord.export import article_to_contract
from onrecord.extract import Extractor
from onrecord.pipeline import extract_text


@pytest.mark.parametrize(
    ("text", "name", "kind", "org"),
    [
        (
            "The Kremlin said on Monday that the exercise was routine.",
            "Kremlin",
            "organisation",
            None,
        ),
        ("The ministry said the exercise was routine.", "ministry", "organisation", None),
        ("Officials said the exercise was routine.", None, "group", None),
        (
            "Protesters said the police had fired tear gas at the crowd.",
            None,
            "group",
            None,
        ),
        (
            "Pentagon officials said the drills would continue through March.",
            None,
            "group",
            "Pentagon",
        ),
        (
            "A spokesman for the ministry said the talks would resume.",
            None,
            "person",
            "ministry",
        ),
    ],
)
def test_contract_speaker_kind(
    extractor: Extractor, text: str, name: str | None, kind: str, org: str | None
) -> None:
    contract = article_to_contract(extract_text(text, extractor, is_cleaning=False))
    (quote,) = contract["quotes"]
    speaker = quote["speaker"]
    assert (speaker["name"], speaker["kind"], speaker["org"]) == (name, kind, org)
    assert text[speaker["mention_start"] : speaker["mention_end"]] == speaker["mention"]
