"""The machine-readable contract: one JSON object per extracted article.

Input: ``ExtractedArticle``. Output: a plain ``dict`` of JSON types whose shape is documented
field by field in ``docs/contract.md``. Field names and meanings only ever grow; a field is
never renamed, retyped or removed without a new major version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from onrecord.models import ExtractedArticle, Quote


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def quote_to_contract(quote: Quote) -> dict[str, Any]:  # Any: JSON values
    """One quote as its contract object (see ``article_to_contract``)."""
    speaker = quote.speaker
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "cue": quote.cue,
        "cue_start": quote.cue_start,
        "cue_end": quote.cue_end,
        "confidence": quote.confidence,
        "via": list(quote.via),
        "audience": list(quote.audience),
        "inner_speaker": quote.inner_speaker,
        "extractor": quote.extractor,
        "speaker": {
            "name": speaker.name,
            "mention": speaker.mention,
            "mention_start": speaker.mention_start,
            "mention_end": speaker.mention_end,
            "role": speaker.role,
            "org": speaker.org,
            "kind": speaker.kind,
            "confidence": speaker.confidence,
        },
    }


def article_to_contract(item: ExtractedArticle) -> dict[str, Any]:  # Any: JSON values
    """Turn an extracted article into the documented output object.

    Args:
        item: The article and its quotes.

    Returns:
        A dict of JSON-serialisable values: article metadata, ``text``, ``removed`` and
        ``quotes``, where ``text[quote["start"]:quote["end"]] == quote["text"]``.
    """
    article = item.article
    return {
        "source": article.source,
        "title": article.title,
        "published": _iso(article.published),
        "published_inferred": article.published_inferred,
        "published_source": article.published_source,
        "updated": _iso(article.updated),
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "language": article.language,
        "flags": list(article.flags),
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "quotes": [quote_to_contract(quote) for quote in item.quotes],
    }
