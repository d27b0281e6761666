"""Fixtures for the extract tests: the spaCy pipeline and the shipped model, loaded once."""

from __future__ import annotations

import pytest

from onrecord.extract import Extractor, load_extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The shipped extractor (spaCy pipeline plus trained attribution model)."""
    return load_extractor()
