"""Stance evaluation: dataset reading, scores, report rendering, and the error messages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from onrecord.errors import ConfigError
from onrecord.positions import StanceClassifier, evaluate_stance
from onrecord.positions._evaluate import score_labels, token_f1

NEWS_SET = Path(__file__).parents[2] / "eval" / "stance" / "news_statements.jsonl"


def write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_score_labels() -> None:
    accuracy, macro, per_class, confusion = score_labels(
        ["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b", "c"]
    )
    assert accuracy == 0.75
    assert per_class["a"].precision == 1.0
    assert per_class["a"].recall == 0.5
    assert "c" not in per_class
    assert macro == round((2 / 3 + 0.8) / 2, 4)
    assert confusion == {"a": {"a": 1, "b": 1}, "b": {"b": 2}}


def test_token_f1() -> None:
    assert token_f1("only if they are unarmed", "but only if they are unarmed") > 0.9
    assert token_f1(None, "x") == 0.0


def test_news_report(tmp_path: Path, rules_only: StanceClassifier) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {
                "id": "n1",
                "statement": "We rule out foreign troops.",
                "proposition": "Foreign troops are deployed",
                "stance": "opposes",
                "act": "refusal",
                "condition": None,
            },
            {
                "id": "n2",
                "statement": "We accept troops, but only if they are unarmed.",
                "proposition": "Foreign troops are deployed",
                "stance": "conditional",
                "act": "acceptance",
                "condition": "only if they are unarmed",
            },
        ],
    )
    report = evaluate_stance("news", path, rules_only)
    assert report.count == 2
    assert report.accuracy == 1.0
    assert report.act_accuracy == 1.0
    assert report.condition_overlap is not None
    assert report.condition_overlap > 0.8
    markdown = report.to_markdown()
    assert "macro-F1: **1.000**" in markdown
    assert "| conditional |" in markdown
    assert json.loads(json.dumps(report.to_dict()))["per_class"]["opposes"]["support"] == 1


def test_perspectrum_report(tmp_path: Path, rules_only: StanceClassifier) -> None:
    row = {"claim": "Cities should ban cars", "perspective": "Cars pollute", "stance": "support"}
    folder = tmp_path / "perspectrum"
    folder.mkdir()
    write_jsonl(folder / "dev.jsonl", [row, {**row, "stance": "undermine"}])
    report = evaluate_stance("perspectrum", folder, rules_only)
    assert report.count == 2
    assert set(report.per_class) == {"support", "undermine"}


def test_shipped_news_set_is_well_formed() -> None:
    rows = [json.loads(line) for line in NEWS_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 400
    assert {r["stance"] for r in rows} == {"supports", "opposes", "conditional", "neutral"}
    for r in rows:
        if r["stance"] == "conditional" and r["condition"]:
            assert r["condition"].lower() in r["statement"].lower(), r["id"]


@pytest.mark.parametrize(
    ("dataset", "content", "message"),
    [
        ("tweets", "{}", "unknown stance dataset 'tweets'"),
        ("news", "not json", "is not JSON"),
        ("news", '{"statement": "x"}', "lacks"),
        (
            "news",
            '{"statement": "x", "proposition": "p", "stance": "maybe", "act": "none"}',
            "unknown labels ['maybe']",
        ),
        ("news", "", "holds no items"),
    ],
)
def test_errors(
    tmp_path: Path, rules_only: StanceClassifier, dataset: str, content: str, message: str
) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        evaluate_stance(dataset, path, rules_only)


def test_missing_path(tmp_path: Path, rules_only: StanceClassifier) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        evaluate_stance("news", tmp_path / "none.jsonl", rules_only)


@pytest.mark.slow
def test_news_set_stays_above_its_floor(classifier: StanceClassifier) -> None:
    # Measured 0.839 stance and 0.857 act macro-F1 with stance.crossencoder.v2
    # (docs/positions.md); the floors leave room for float noise only.
    report = evaluate_stance("news", NEWS_SET, classifier)
    assert report.count == 406
    assert report.macro_f1 >= 0.82
    assert report.act_macro_f1 is not None
    assert report.act_macro_f1 >= 0.84
