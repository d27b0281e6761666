"""Named, versioned registries: built-in extractors register exactly as plugins do."""

from __future__ import annotations

import pytest

from onrecord.errors import ConfigError
from onrecord.extract import EXTRACTOR_NAME, EXTRACTORS, create_extractor
from onrecord.registry import Registry, load_plugins


def test_every_registered_extractor_builds_and_finds_a_quote() -> None:
    assert EXTRACTORS.names() == [EXTRACTOR_NAME]
    for name in EXTRACTORS.names():
        extractor = create_extractor(name)
        doc = extractor.nlp('"The port stays open," Ilse Marr said on Monday.')
        [found] = extractor.attributions(doc)
        assert found.kind == "direct"
        assert found.extractor == name


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=f"no extractor named 'quotes.none.v9'.*{EXTRACTOR_NAME}"):
        create_extractor("quotes.none.v9")


def test_a_name_is_registered_once() -> None:
    registry: Registry[int] = Registry("counter")
    registry.register("count.v1")(lambda: 1)
    assert registry.create("count.v1") == 1
    with pytest.raises(ConfigError, match="registered twice"):
        registry.register("count.v1")(lambda: 2)


def test_plugins_without_entry_points_add_nothing() -> None:
    registry: Registry[int] = Registry("counter")
    assert load_plugins(registry) == 0
    assert registry.names() == []
