"""Named, versioned registries: built-in extractors register exactly as plugins do."""

from __future__ import annotations

import pytest

from onrecord.errors import ConfigError
from onrecord.extract import (
    ENCODER_NAME,
    ENSEMBLE_NAME,
    EXTRACTOR_NAME,
    EXTRACTORS,
    MODELS,
    EncoderModel,
    create_extractor,
)
from onrecord.registry import Registry, load_plugins


@pytest.mark.parametrize("name", EXTRACTORS.names())
def test_every_registered_extractor_builds_and_finds_a_quote(name: str) -> None:
    assert EXTRACTORS.names() == sorted([EXTRACTOR_NAME, ENCODER_NAME, ENSEMBLE_NAME])
    extractor = create_extractor(name)
    doc = extractor.nlp('"The port stays open," Ilse Marr said on Monday.')
    [found] = [a for a in extractor.attributions(doc) if a.kind == "direct"]
    assert found.extractor == name
    assert extractor.name == name


def test_model_names_choose_registered_extractors() -> None:
    assert MODELS == {"fast": EXTRACTOR_NAME, "accurate": ENSEMBLE_NAME}
    assert create_extractor("fast").name == EXTRACTOR_NAME


def test_factories_take_their_settings() -> None:
    extractor = create_extractor(ENCODER_NAME, batch_size=2)
    assert isinstance(extractor.model, EncoderModel)
    assert extractor.model.batch_size == 2
    assert "batch_size" in EXTRACTORS.settings(ENCODER_NAME)


def test_an_unknown_setting_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"has no setting beam_width; its settings: .*batch_size"):
        create_extractor(ENCODER_NAME, beam_width=3)


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=f"no extractor named 'quotes.none.v9'.*{EXTRACTOR_NAME}"):
        create_extractor("quotes.none.v9")


def test_a_name_is_registered_once() -> None:
    registry: Registry[int] = Registry("counter")
    registry.register("count.v1")(lambda start=1: start)
    assert registry.create("count.v1") == 1
    assert registry.create("count.v1", start=5) == 5
    with pytest.raises(ConfigError, match="registered twice"):
        registry.register("count.v1")(lambda: 2)


def test_plugins_without_entry_points_add_nothing() -> None:
    registry: Registry[int] = Registry("counter")
    assert load_plugins(registry) == 0
    assert registry.names() == []
