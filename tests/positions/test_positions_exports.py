"""The public surface of onrecord.positions: every name in __all__ exists, nothing private."""

from __future__ import annotations

import onrecord.positions as positions


def test_all_names_exist_and_are_public() -> None:
    for name in positions.__all__:
        assert hasattr(positions, name), name
        assert not name.startswith("_")
    assert sorted(positions.__all__) == sorted(set(positions.__all__))


def test_records_serialise_to_plain_json() -> None:
    issue = positions.Issue("a", "A", "P", ("k",), ())
    assert issue.to_dict() == {
        "id": "a",
        "label": "A",
        "proposition": "P",
        "keywords": ["k"],
        "examples": [],
    }
