"""Helpers for the quotation and story tests: hand-built articles, no NLP models."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from onrecord.models import Article, ExtractedArticle, Quote, Speaker

FILLER = (
    "Officials met on the riverbank on {day} to discuss the timetable for barges, the fees at "
    "the harbour and the schedule for the summer. Observers counted {n} vessels waiting at "
    "the lock while engineers inspected the gates and the pumps."
)


@dataclass(frozen=True)
class Said:
    """A quote to place in an article: ``text`` must occur in the article text."""

    text: str
    speaker: str | None
    via: tuple[str, ...] = ()


def item(
    text: str,
    said: Sequence[Said] = (),
    *,
    outlet: str | None = "Morning Ledger",
    published: date | None = date(2026, 3, 10),
    source: str | None = None,
) -> ExtractedArticle:
    """An ExtractedArticle whose quote offsets are found by searching ``text``."""
    quotes = []
    for one in said:
        start = text.index(one.text)
        quotes.append(
            Quote(
                text=one.text,
                start=start,
                end=start + len(one.text),
                kind="direct",
                cue="said",
                confidence=0.9,
                speaker=Speaker(
                    name=one.speaker,
                    mention=one.speaker,
                    mention_start=None,
                    mention_end=None,
                    kind="person" if one.speaker else "unknown",
                ),
                via=one.via,
                extractor="quotes.test.v1",
            )
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    article = Article(
        id=digest,
        source=source or f"{digest}.txt",
        text=text,
        title=text.split(".")[0][:60],
        published=published,
        outlet=outlet,
        url=f"https://example.org/{digest}",
    )
    return ExtractedArticle(article=article, quotes=tuple(quotes))


def filler(seed: int) -> str:
    """A paragraph of neutral text that differs a little with ``seed``."""
    return FILLER.format(day=f"day {seed}", n=seed)


WORD_LIST = (
    "river harbour barge lock dam minister delegation talks fees cargo customs schedule "
    "summer water release monitors observers port treaty draft parliament union dockworkers "
    "mediator agenda round guarantee border trade grain wheat vessel inspection engineers "
    "ferry crossing bridge flood drought levee canal toll permit licence quota tariff"
)
WORDS = tuple(WORD_LIST.split())


def prose(seed: int, words: int = 120) -> str:
    """Deterministic sentences of ordinary words; different seeds share little wording."""
    rng = random.Random(seed)  # noqa: S311 - test text, not security
    out: list[str] = []
    while len(out) < words:
        sentence = [rng.choice(WORDS) for _ in range(rng.randint(8, 14))]
        sentence[0] = sentence[0].capitalize()
        out.extend(sentence)
        out[-1] += "."
    return " ".join(out)
