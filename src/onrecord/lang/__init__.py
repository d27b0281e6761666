"""Per-language resources, chosen by ``Article.language``.

Each supported language is a folder ``lang/<code>/`` (an ISO 639-1 code) whose
``__init__.py`` defines ``RESOURCES``: a ``LanguageResources`` naming what the stages need for
that language (the spaCy pipeline that parses it, the cue lexicon and the extractor that finds
its statements, the module with its page-junk patterns). Adding French is adding ``lang/fr/``;
no stage changes.

An article whose language has no folder is still cleaned and stored, with its text and
metadata, but nothing is guessed from it: the pipeline flags it ``unsupported_language`` and
extracts no statements (English rules read Portuguese "Receba" as a speaker). An article whose
language could not be told (too little text) is read as English.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "LanguageResources",
    "is_supported",
    "resources_for",
    "supported_languages",
]

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class LanguageResources:
    """What the stages need to read one language.

    Attributes:
        code: ISO 639-1 code, also the folder name.
        name: The language's English name, for messages.
        spacy_model: The spaCy pipeline (an installed package) that parses it.
        extractor: The registry name of the statement extractor trained for it.
        cue_lexicon: The cue lexicon file that extractor reads.
        junk_patterns: The module holding its page-junk line patterns.
    """

    code: str
    name: str
    spacy_model: str
    extractor: str
    cue_lexicon: Path
    junk_patterns: str


@cache
def _load(code: str) -> LanguageResources | None:
    if not code.isalpha() or code not in _folders():
        return None
    module = importlib.import_module(f"{__name__}.{code}")
    resources = getattr(module, "RESOURCES", None)
    return resources if isinstance(resources, LanguageResources) else None


@cache
def _folders() -> frozenset[str]:
    return frozenset(info.name for info in pkgutil.iter_modules(__path__) if info.ispkg)


def resources_for(language: str | None) -> LanguageResources | None:
    """The resources for a language code, or ``None`` when onrecord does not read it.

    Args:
        language: ``Article.language``; ``None`` (not detected) means the default, English.
    """
    code = (language or DEFAULT_LANGUAGE).lower().split("-")[0].split("_")[0]
    return _load(code)


def is_supported(language: str | None) -> bool:
    """Whether statements are extracted from articles in this language."""
    return resources_for(language) is not None


def supported_languages() -> tuple[str, ...]:
    """The codes of every language with a resource folder, sorted."""
    return tuple(sorted(code for code in _folders() if _load(code) is not None))
