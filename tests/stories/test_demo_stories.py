"""The demo corpus, extracted and stored: the planted shared quote and the reprints are found."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onrecord.config import Settings
from onrecord.extract import load_extractor
from onrecord.ingest._feeds import read_feed
from onrecord.models import RawDocument
from onrecord.pipeline import extract_articles, extract_paths, store_outcomes
from onrecord.store import Store

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
EXPECTED = REPO / "tests" / "e2e" / "demo_expected.json"
FEED = REPO / "tests" / "fixtures" / "feeds" / "tidewire.rss"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("stories") / "demo.db"
    settings = Settings()
    with Store.open(path) as store:
        outcomes = extract_paths([str(DEMO)], load_extractor(), settings)
        summary = store_outcomes(outcomes, store, settings.batch_size)
        assert summary.failed == 0
        entries = [item for item in read_feed(FEED) if isinstance(item, RawDocument)]
        late = store_outcomes(
            extract_articles(entries, load_extractor(), settings), store, settings.batch_size
        )
        assert late.ingested == len(entries) == 2
        yield store


def _file(store: Store, article_id: str) -> str:
    source = store.article(article_id).article.source
    if "#entry-" in source:
        return Path(source).name
    return str(Path(source.split(":")[0]).relative_to(DEMO))


def test_same_quote_is_one_quotation_first_reported_by_the_earliest_file(
    demo_store: Store, expected: dict[str, Any]
) -> None:
    wanted = expected["same_quote"]
    hits = demo_store.search(wanted["contains"], speaker=wanted["speaker"])
    assert hits
    quotation = demo_store.quotation(demo_store.quotation_of_quote(hits[0].quote_id))
    files = {_file(demo_store, o.article_id) for o in quotation.occurrences}
    assert len(files & set(wanted["occurrences"])) >= 3
    assert quotation.summary.speaker == wanted["speaker"]
    origin = demo_store.origin(quotation.summary.id)
    assert origin.first.article_id is not None
    assert _file(demo_store, origin.first.article_id) == wanted["earliest"]
    assert _file(demo_store, quotation.summary.first_article_id or "") == wanted["earliest"]
    assert {r.relayed_from for r in origin.relays} <= {"Corvel Courier", "Tidewire", None}


def test_near_duplicates_share_a_story(demo_store: Store, expected: dict[str, Any]) -> None:
    by_file = {_file(demo_store, a.article.id): a.article.id for a in demo_store.iter_articles()}
    for first, second in expected["near_duplicates"]:
        assert demo_store.story_of(by_file[first]) == demo_store.story_of(by_file[second])


def test_reprint_is_a_duplicate_and_unrelated_articles_stay_apart(
    demo_store: Store,
) -> None:
    by_file = {_file(demo_store, a.article.id): a.article.id for a in demo_store.iter_articles()}
    pairs = {frozenset((a, b)) for a, b, _ in demo_store.duplicate_pairs()}
    reprint = frozenset(
        (
            by_file["20_tidewire_unarmed_observers.txt"],
            by_file["21_sallowgazette_unarmed_observers.txt"],
        )
    )
    assert reprint in pairs
    talks = by_file["01_tidewire_talks_announced.txt"]
    debate = by_file["28_sallowgazette_parliament_debate.txt"]
    assert demo_store.story_of(talks) != demo_store.story_of(debate)


def test_a_feed_entry_ingested_later_joins_the_quotation(
    demo_store: Store, expected: dict[str, Any]
) -> None:
    wanted = expected["same_quote"]
    hits = demo_store.search(wanted["contains"], speaker=wanted["speaker"])
    quotation = demo_store.quotation(demo_store.quotation_of_quote(hits[0].quote_id))
    files = {_file(demo_store, o.article_id) for o in quotation.occurrences}
    assert "tidewire.rss#entry-1" in files
    origin = demo_store.origin(quotation.summary.id)
    assert _file(demo_store, origin.first.article_id or "") == wanted["earliest"]
