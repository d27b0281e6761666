"""Helpers for the clean tests."""

from __future__ import annotations

from onrecord.clean import clean_document
from onrecord.models import Article, RawDocument


def clean_text(text: str, *, is_cleaning: bool = True, **fields: str) -> Article:
    """Clean a plain-text article given as a string."""
    raw = RawDocument(source="test.txt", content=text, media_type="text", fields=dict(fields))
    return clean_document(raw, is_cleaning=is_cleaning)


def reasons(article: Article) -> dict[str, str]:
    """Map each removed text to its reason."""
    return {item.text: item.reason for item in article.removed}
