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
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "JunkPatterns",
    "LanguageResources",
    "is_supported",
    "junk_patterns_for",
    "resources_for",
    "supported_languages",
]

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class JunkPatterns:
    """The phrases of page junk in one language, as the line rules of ``clean`` match them.

    The rules themselves (menus, repeated lines, teaser tails, captions) are the same for every
    language; what a newsletter promo or a "related stories" heading says is not.

    Attributes:
        strong_rules: (reason, pattern) pairs naming the page itself ("we use cookies"); they
            may drop a long line.
        weak_rules: (reason, pattern) pairs that only drop lines that are not sentences.
        credit_paren: A photo credit in parentheses at the end of a caption.
        credit_slash: An agency in a "NAME/AGENCY" credit.
        credit_tail: A credit after the caption's last sentence.
        credit_line: A line that is only a credit.
        related_marker: The heading of a "related stories" tail.
        inline_teaser: One "Read more: ..." teaser line.
        link_note: Screen-reader notes glued to links (", opens new tab").
        listen_promo: "Listen to this article" promos at the start of a line.
        nav_words: Words a navigation menu is made of.
        list_separators: Separators between menu items.
    """

    strong_rules: tuple[tuple[str, re.Pattern[str]], ...]
    weak_rules: tuple[tuple[str, re.Pattern[str]], ...]
    credit_paren: re.Pattern[str]
    credit_slash: re.Pattern[str]
    credit_tail: re.Pattern[str]
    credit_line: re.Pattern[str]
    related_marker: re.Pattern[str]
    inline_teaser: re.Pattern[str]
    link_note: re.Pattern[str]
    listen_promo: re.Pattern[str]
    nav_words: frozenset[str]
    list_separators: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class LanguageResources:
    """What the stages need to read one language.

    Attributes:
        code: ISO 639-1 code, also the folder name.
        name: The language's English name, for messages.
        spacy_model: The spaCy pipeline (an installed package) that parses it.
        extractor: The registry name of the statement extractor trained for it.
        cue_lexicon: The cue lexicon file that extractor reads.
        junk_patterns: The module whose ``PATTERNS`` (a ``JunkPatterns``) the cleaning stage
            matches page-junk lines with.
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


@cache
def junk_patterns_for(language: str | None) -> JunkPatterns:
    """The page-junk phrases to clean a text in this language with.

    A language without its own folder is cleaned with the default language's phrases: the
    structural rules do most of the work on any page, and no statement is read from it anyway.
    """
    resources = resources_for(language) or resources_for(DEFAULT_LANGUAGE)
    if resources is None:  # pragma: no cover - the default language always has a folder
        raise LookupError(f"no resources for the default language {DEFAULT_LANGUAGE!r}")
    patterns = getattr(importlib.import_module(resources.junk_patterns), "PATTERNS", None)
    if not isinstance(patterns, JunkPatterns):
        raise TypeError(f"{resources.junk_patterns} defines no PATTERNS of type JunkPatterns")
    return patterns
