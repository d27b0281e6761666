"""Test stores: the demo corpus built once per session, rule-made positions stored in a
copy of it, a hostile article."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from onrecord import ExtractedArticle, Extractor, Settings, Store, load_extractor
from onrecord.derive import standard_steps
from onrecord.errors import IngestError
from onrecord.models import Article, Quote, Removed, Speaker
from onrecord.pipeline import extract_paths
from onrecord.store import QuoteHit

if TYPE_CHECKING:
    from onrecord.positions import Position

REPO: Final = Path(__file__).resolve().parents[2]
DEMO: Final = REPO / "data" / "demo"

_cache: dict[str, object] = {}


def extractor() -> Extractor:
    """The extraction model, loaded once per test session."""
    if "extractor" not in _cache:
        _cache["extractor"] = load_extractor()
    found = _cache["extractor"]
    assert isinstance(found, Extractor)
    return found


def demo_db(base: Path) -> Path:
    """The demo corpus ingested into a store under ``base`` (built once per session)."""
    if "demo" not in _cache:
        path = base / "demo.db"
        outcomes = list(extract_paths([str(DEMO)], extractor(), Settings()))
        items = [o for o in outcomes if not isinstance(o, IngestError)]
        assert len(items) == len(outcomes)
        with Store.open(path) as store:
            store.add_articles(items, steps=standard_steps())
        _cache["demo"] = path
    found = _cache["demo"]
    assert isinstance(found, Path)
    return found


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a store file, for tests that write."""
    shutil.copyfile(source, target)
    return target


MONITORS_ID: Final = "monitors"
MONITORS_LABEL: Final = "Foreign monitors at the dam"
_NEGATIVE: Final = re.compile(r"\b(no|not|never|nobody|refuse[sd]?|reject(?:s|ed)?)\b", re.I)
_CONDITIONAL: Final = re.compile(r"\b(if|unless|provided|as long as|on condition)\b", re.I)


def store_fake_positions(path: Path) -> None:
    """Store positions made by simple rules, so pages and routes can be tested without the
    models.

    A statement mentioning monitors or observers is on the ``monitors`` issue; a conditional
    word makes it conditional, a negation opposes, anything else supports. Shifts and counts
    are derived from them as at ingest (``refresh_shifts``).
    """
    from onrecord.positions import Catalogue, Issue, refresh_shifts
    from onrecord.positions._derive import catalogue_state

    monitors = Issue(
        id=MONITORS_ID,
        label=MONITORS_LABEL,
        proposition="Foreign monitors should be stationed at the Kessel Dam.",
        keywords=("monitor", "observer"),
    )
    with Store.open(path) as store:
        tables = store.position_tables()
        tables.replace_issues([(monitors, "catalogue")], catalogue_state(Catalogue((monitors,))))
        hits = list(store.iter_quotes())
        positions = [
            _position(hit)
            for hit in hits
            if hit.speaker is not None and re.search(r"monitor|observer", hit.text, re.I)
        ]
        tables.write_positions([h.quote_id for h in hits], positions)
        refresh_shifts(tables, tables.pairs())
        tables.recount([MONITORS_ID])


def positions_db(base: Path) -> Path:
    """A copy of the demo store with rule-made positions stored (built once per session)."""
    if "positions" not in _cache:
        path = copy_db(demo_db(base), base / "positions.db")
        store_fake_positions(path)
        _cache["positions"] = path
    found = _cache["positions"]
    assert isinstance(found, Path)
    return found


def _position(hit: QuoteHit) -> Position:
    from onrecord.positions import Position

    if _CONDITIONAL.search(hit.text):
        stance, act = "conditional", "offer"
    elif _NEGATIVE.search(hit.text):
        stance, act = "opposes", "refusal"
    else:
        stance, act = "supports", "acceptance"
    return Position(
        actor=hit.speaker or "",
        speaker=hit.speaker or "",
        issue_id=MONITORS_ID,
        issue_label=MONITORS_LABEL,
        stance=stance,  # type: ignore[arg-type]
        act=act,  # type: ignore[arg-type]
        condition=None,
        quote=hit.text,
        quote_id=hit.quote_id,
        article_id=hit.article_id,
        published=hit.published,
        outlet=hit.outlet,
        via=hit.via,
        kind=hit.kind,
        link_score=1.0,
        support_probability=0.5,
        start=hit.start,
    )


PWN: Final = "<script>window.__pwned = 1; alert(1)</script>"
HOSTILE_NAME: Final = 'Eve <script>window.__pwned = 2</script> Mallory"'
HOSTILE_QUOTE: Final = '"<img src=x onerror="window.__pwned = 3"> we will [never] sign"'
HOSTILE_TITLE: Final = f"{PWN} Hostile headline"


def hostile_article() -> ExtractedArticle:
    """An article whose title, speaker, quote, url and junk all carry script payloads."""
    lead = f"{HOSTILE_TITLE}\n\n"
    text = f"{lead}{HOSTILE_QUOTE}, {HOSTILE_NAME} said about monitors.\n"
    start = text.index(HOSTILE_QUOTE)
    end = start + len(HOSTILE_QUOTE)
    mention_start = text.index(HOSTILE_NAME)
    article = Article(
        id="hostile0000000001",
        source="<test>",
        text=text,
        title=HOSTILE_TITLE,
        published=date(2026, 5, 1),
        url="javascript:window.__pwned=4",
        outlet=f"{PWN} Gazette",
        authors=(PWN,),
        removed=(Removed(text=PWN, reason="advert"),),
    )
    speaker = Speaker(
        name=HOSTILE_NAME,
        mention=HOSTILE_NAME,
        mention_start=mention_start,
        mention_end=mention_start + len(HOSTILE_NAME),
        role=PWN,
        org=None,
        kind="person",
    )
    quote = Quote(
        text=HOSTILE_QUOTE,
        start=start,
        end=end,
        kind="direct",
        cue="said",
        confidence=0.9,
        speaker=speaker,
        via=(PWN,),
        extractor="test.v1",
    )
    return ExtractedArticle(article, (quote,))


def hostile_db(base: Path) -> Path:
    """The demo store plus the hostile article (built once per session)."""
    if "hostile" not in _cache:
        path = copy_db(demo_db(base), base / "hostile.db")
        with Store.open(path) as store:
            result = store.add_articles([hostile_article()], steps=standard_steps())
            assert result.added == 1, result
        store_fake_positions(path)
        _cache["hostile"] = path
    found = _cache["hostile"]
    assert isinstance(found, Path)
    return found
