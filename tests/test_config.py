"""Settings: the environment and the ``onrecord.toml`` file."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.clean import name_outlet
from onrecord.config import load_settings
from onrecord.errors import ConfigError
from onrecord.models import Article


def test_outlets_and_aliases_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "onrecord.toml"
    config.write_text(
        '[outlets]\n"www.quaypost.example" = "Quay Post"\n\n[aliases]\n"Ilse Marr" = ["I. Marr"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.outlets == {"quaypost.example": "Quay Post"}
    assert settings.aliases_path == config
    article = Article(
        id="a", source="a", text="x", url="https://news.quaypost.example/a", outlet="quaypost"
    )
    assert name_outlet(article, settings.outlets).outlet == "Quay Post"
    other = Article(id="b", source="b", text="x", url="https://elsewhere.example/b")
    assert name_outlet(other, settings.outlets) is other


def test_without_aliases_the_store_gets_none(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text('[outlets]\n"a.example" = "A"\n', encoding="utf-8")
    assert load_settings(config).aliases_path is None


def test_catalogue_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text('[positions]\ncatalogue = "issues.toml"\n', encoding="utf-8")
    assert load_settings(config).catalogue_path == tmp_path / "issues.toml"
    config.write_text('[outlets]\n"a.example" = "A"\n', encoding="utf-8")
    assert load_settings(config).catalogue_path is None


def test_extract_model_comes_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "onrecord.toml"
    config.write_text('[extract]\nmodel = "fast"\n', encoding="utf-8")
    assert load_settings(config).extract_model == "fast"
    config.write_text('[outlets]\n"a.example" = "A"\n', encoding="utf-8")
    assert load_settings(config).extract_model == "accurate"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[outlets\n", "not valid TOML"),
        ('[outlets]\n"a.example" = 3\n', "must map hosts to names"),
        ("[positions]\ncatalogue = 3\n", "must hold catalogue"),
        ("[extract]\nmodel = 2\n", 'must hold model = "NAME"'),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "onrecord.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(config)
    assert str(config) in str(caught.value)


def test_bad_number_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="ONRECORD_BATCH_SIZE"):
        load_settings()
