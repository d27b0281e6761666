"""The eval gate: floors with a margin, a pinned gold digest, and no silent lowering."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

GATE_PATH = Path(__file__).resolve().parents[2] / "eval" / "gate.py"


@pytest.fixture(scope="module")
def gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_gate", GATE_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _baseline(loose: float = 0.6, qs: float = 0.4) -> dict[str, Any]:
    return {
        "margin": 0.02,
        "gold_digest": "abc",
        "floors": {"loose_f1": loose, "loose_quote_speaker_f1": qs},
    }


@pytest.mark.parametrize(
    ("metrics", "digest", "n_problems"),
    [
        ({"loose_f1": 0.6, "loose_quote_speaker_f1": 0.4}, "abc", 0),
        ({"loose_f1": 0.585, "loose_quote_speaker_f1": 0.4}, "abc", 0),  # within the margin
        ({"loose_f1": 0.57, "loose_quote_speaker_f1": 0.4}, "abc", 1),
        ({"loose_f1": 0.57, "loose_quote_speaker_f1": 0.3}, "abc", 2),
        ({"loose_f1": 0.9, "loose_quote_speaker_f1": 0.9}, "other", 1),
        ({"loose_f1": 0.9}, "abc", 1),
    ],
)
def test_failures(
    gate: ModuleType, metrics: dict[str, float], digest: str, n_problems: int
) -> None:
    assert len(gate.failures(_baseline(), metrics, digest)) == n_problems


def test_update_raises_floors_and_records_digest(gate: ModuleType) -> None:
    metrics = {"loose_f1": 0.7, "loose_quote_speaker_f1": 0.5}
    updated = gate.updated_baseline(_baseline(), metrics, "new", ["quotes.x.v1"], False)
    assert updated["floors"] == metrics
    assert updated["gold_digest"] == "new"
    assert updated["extractors"] == ["quotes.x.v1"]


def test_update_refuses_to_lower_a_floor_without_permission(gate: ModuleType) -> None:
    metrics = {"loose_f1": 0.5, "loose_quote_speaker_f1": 0.5}
    with pytest.raises(gate.RegressionRefusedError, match="loose_f1"):
        gate.updated_baseline(_baseline(), metrics, "abc", [], False)
    lowered = gate.updated_baseline(_baseline(), metrics, "abc", [], True)
    assert lowered["floors"]["loose_f1"] == 0.5


def test_each_model_is_gated_with_the_shared_margin_and_digest(gate: ModuleType) -> None:
    baseline = {
        "margin": 0.03,
        "gold_digest": "abc",
        "models": {
            "fast": {"floors": {"loose_f1": 0.7}, "extractors": ["attrib.crf.v1"]},
            "accurate": {"floors": {"loose_f1": 0.8}, "extractors": ["attrib.encoder.v1"]},
        },
    }
    view = gate.model_baseline(baseline, "accurate")
    assert view["floors"] == {"loose_f1": 0.8}
    assert gate.failures(view, {"loose_f1": 0.775}, "abc") == []
    assert len(gate.failures(view, {"loose_f1": 0.765}, "abc")) == 1
    assert gate.failures(gate.model_baseline(baseline, "fast"), {"loose_f1": 0.7}, "abc") == []


def test_shipped_baseline_is_well_formed() -> None:
    baseline = json.loads((GATE_PATH.parent / "baseline.json").read_text(encoding="utf-8"))
    assert set(baseline["models"]) == {"fast", "accurate"}
    for entry in baseline["models"].values():
        assert set(entry["floors"]) == {"loose_f1", "loose_quote_speaker_f1"}
    assert len(baseline["gold_digest"]) == 64
    assert baseline["sample_articles"] == 20
