"""Label quality of onrecord's own stance data (``eval/stance``): two passes, agreed labels,
conditions taken from the statement, and no statement shared between the splits."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from onrecord.positions import ACTS, STANCES

FOLDER = Path(__file__).parents[2] / "eval" / "stance"
HELD_OUT = FOLDER / "news_statements.jsonl"
TUNE = FOLDER / "news_tune.jsonl"
TRAIN = FOLDER / "news_train.jsonl"
# Agreement of the two label passes, stance and act each (share of items).
MIN_PASS_AGREEMENT = 0.85
MIN_KAPPA = 0.8


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two label sequences."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    return (observed - expected) / (1 - expected)


@pytest.mark.parametrize("path", [HELD_OUT, TUNE, TRAIN], ids=lambda p: p.name)
def test_rows_are_well_formed(path: Path) -> None:
    rows = read(path)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["stance"] in STANCES, r["id"]
        assert r["act"] in ACTS, r["id"]
        assert r["statement"].strip(), r["id"]
        assert r["proposition"].strip(), r["id"]
        if r["stance"] == "conditional":
            assert r["condition"], r["id"]
            assert r["condition"].lower() in r["statement"].lower(), r["id"]
        else:
            assert r["condition"] is None, r["id"]


@pytest.mark.parametrize("path", [HELD_OUT, TUNE], ids=lambda p: p.name)
def test_two_label_passes_agree_and_disagreements_are_settled(path: Path) -> None:
    rows = read(path)
    first = [r["label_a"].split("/") for r in rows]
    second = [r["label_b"].split("/") for r in rows]
    for r, a, b in zip(rows, first, second, strict=True):
        assert a[0] in STANCES, r["id"]
        assert b[0] in STANCES, r["id"]
        assert a[1] in ACTS, r["id"]
        assert b[1] in ACTS, r["id"]
        if a != b:
            # Every disagreement carries the reason of the agreed label.
            assert r.get("settled"), r["id"]
            assert [r["stance"], r["act"]] in (a, b) or r["stance"] in (a[0], b[0]), r["id"]
        else:
            assert [r["stance"], r["act"]] == a, r["id"]
    for part in (0, 1):
        labels_a = [a[part] for a in first]
        labels_b = [b[part] for b in second]
        agreement = sum(x == y for x, y in zip(labels_a, labels_b, strict=True)) / len(rows)
        assert agreement >= MIN_PASS_AGREEMENT
        assert kappa(labels_a, labels_b) >= MIN_KAPPA


def test_held_out_set_is_large_and_covers_every_label() -> None:
    rows = read(HELD_OUT)
    assert len(rows) >= 400
    stances = Counter(r["stance"] for r in rows)
    acts = Counter(r["act"] for r in rows)
    assert set(stances) == set(STANCES)
    assert set(acts) == set(ACTS)
    assert min(stances.values()) >= 40
    # Demands and offers that carry a condition are in the set, not only plain ones.
    assert sum(r["stance"] == "conditional" and r["act"] == "offer" for r in rows) >= 10
    assert sum(r["stance"] == "conditional" and r["act"] == "acceptance" for r in rows) >= 10


def test_splits_share_no_statement_and_no_issue() -> None:
    splits = {path.name: read(path) for path in (HELD_OUT, TUNE, TRAIN)}
    names = list(splits)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            statements_a = {r["statement"].lower() for r in splits[a]}
            statements_b = {r["statement"].lower() for r in splits[b]}
            assert not statements_a & statements_b, (a, b)
            issues_a = {r["proposition"].lower() for r in splits[a]}
            issues_b = {r["proposition"].lower() for r in splits[b]}
            assert not issues_a & issues_b, (a, b)
