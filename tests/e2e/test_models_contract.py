"""Both shipped models keep the ``extract --format jsonl`` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.extract import MODELS
from tests.e2e.conftest import run_cli
from tests.export.test_contract import ARTICLE_FIELDS, QUOTE_FIELDS, SPEAKER_FIELDS

pytestmark = pytest.mark.e2e

ARTICLE = (
    "date 2026-02-11 https://www.example.org/tolls\n"
    "Bridge tolls to double\n\n"
    "Tolls on the Kessel bridge will double in April, the regional transport office said on "
    "Tuesday.\n\n"
    '"Nobody likes paying more, but the cables are forty years old," said Arno Veit, who runs '
    "the office.\n\n"
    "Commuters said the rise would push more traffic through the old town.\n"
)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_extract_jsonl_keeps_the_contract(model: str, tmp_path: Path) -> None:
    path = tmp_path / "tolls.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run_cli(["extract", str(path), "--format", "jsonl", "--model", model])
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert set(record) == set(ARTICLE_FIELDS)
    for name, kind in ARTICLE_FIELDS.items():
        assert isinstance(record[name], kind), name
    quotes = record["quotes"]
    assert quotes
    text = record["text"]
    for quote in quotes:
        assert set(quote) == set(QUOTE_FIELDS)
        for name, kind in QUOTE_FIELDS.items():
            assert isinstance(quote[name], kind), name
        assert set(quote["speaker"]) == set(SPEAKER_FIELDS)
        assert text[quote["start"] : quote["end"]] == quote["text"]
        assert quote["extractor"] == MODELS[model]
    veit = [q for q in quotes if q["text"].startswith('"Nobody likes paying more')]
    assert veit, quotes
    assert veit[0]["speaker"]["name"] == "Arno Veit"


def test_config_file_chooses_the_model(tmp_path: Path) -> None:
    path = tmp_path / "tolls.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    config = tmp_path / "onrecord.toml"
    config.write_text('[extract]\nmodel = "fast"\n', encoding="utf-8")
    result = run_cli(["--config", str(config), "extract", str(path), "--format", "jsonl"])
    assert result.returncode == 0, result.stderr
    quotes = json.loads(result.stdout)["quotes"]
    assert {q["extractor"] for q in quotes} == {MODELS["fast"]}
    # Without a config file (and without --model) the default is the accurate model.
    elsewhere = tmp_path / "no-config"
    elsewhere.mkdir()
    result = run_cli(["extract", str(path), "--format", "jsonl"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    quotes = json.loads(result.stdout)["quotes"]
    assert {q["extractor"] for q in quotes} == {MODELS["accurate"]}


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "tolls.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run_cli(["extract", str(path), "--model", "precise"])
    assert result.returncode == 1
    assert "no extractor named 'precise'" in result.stderr
