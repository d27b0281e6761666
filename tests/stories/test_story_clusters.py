"""Near-duplicate and rewritten articles, and articles sharing quotations, form stories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from stories_support import Said, item, prose
from tests.store.conftest import EmptyingStep

from onrecord.derive import QuotationsStep, reindex_stories, standard_steps
from onrecord.errors import NotFound
from onrecord.store import Store

QUOTE = "We will keep this table open for as long as there are two chairs at it"


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with Store.open(store_target) as opened:
        yield opened


def _rewrite(text: str, every: int) -> str:
    words = text.split()
    return " ".join("altered" if index % every == 0 else w for index, w in enumerate(words))


def _story(store: Store, text: str) -> int:
    found = [a for a in store.iter_articles() if a.article.text == text]
    return store.story_of(found[0].article.id)


def test_syndicated_copy_and_light_rewrite_share_a_story(store: Store) -> None:
    body = prose(10, 250)
    original = f"Agency copy. {body}"
    copy = f"Gazette reprint. {body} Share this article."
    rewrite = _rewrite(original, 12)
    other = prose(99, 250)
    store.add_articles(
        [
            item(copy, outlet="Sallow Gazette", published=date(2026, 6, 12)),
            item(original, outlet="Tidewire", published=date(2026, 6, 12)),
            item(rewrite, outlet="NewsPulse24", published=date(2026, 6, 13)),
            item(other, outlet="Radio Marren", published=date(2026, 6, 12)),
        ],
        steps=standard_steps(),
    )
    assert _story(store, original) == _story(store, copy) == _story(store, rewrite)
    assert _story(store, other) != _story(store, original)
    [summary] = store.stories()
    assert summary.article_count == 3
    # Same day: the first ingested wins the tie.
    assert summary.first_outlet == "Sallow Gazette"
    story = store.story(summary.id)
    assert [a.relation for a in story.articles] == ["first", "duplicate", "duplicate"]
    assert all(a.similarity is not None and a.similarity >= 0.45 for a in story.articles[1:])
    assert len(store.duplicate_pairs()) == 3


def test_first_report_is_the_earliest_published(store: Store) -> None:
    body = prose(11, 200)
    store.add_articles(
        [
            item(f"Late. {body}", outlet="Late Outlet", published=date(2026, 6, 14)),
            item(f"Undated. {body}", outlet="Undated Outlet", published=None),
            item(f"Early. {body}", outlet="Early Outlet", published=date(2026, 6, 12)),
        ],
        steps=standard_steps(),
    )
    [summary] = store.stories()
    assert summary.first_outlet == "Early Outlet"
    assert summary.last_published == date(2026, 6, 14)
    assert [a.outlet for a in store.story(summary.id).articles][-1] == "Undated Outlet"


def test_shared_quotation_within_a_week_joins_the_story(store: Store) -> None:
    store.add_articles(
        [
            item(
                f"{prose(1)} “{QUOTE}.” {prose(2)}",
                [Said(QUOTE, "Vera Lind")],
                published=date(2026, 2, 18),
            ),
            item(
                f"{prose(3)} “{QUOTE}.” {prose(4)}",
                [Said(QUOTE, "Vera Lind")],
                outlet="Radio Marren",
                published=date(2026, 2, 20),
            ),
            item(
                f"{prose(5)} “{QUOTE}.” {prose(6)}",
                [Said(QUOTE, "Vera Lind")],
                outlet="Channel Nine",
                published=date(2026, 7, 2),
            ),
        ],
        steps=standard_steps(),
    )
    [summary] = store.stories()
    assert summary.article_count == 2
    story = store.story(summary.id)
    assert [a.relation for a in story.articles] == ["first", "quotation"]
    assert len(story.quotation_ids) == 1
    [quotation] = store.quotations()
    assert quotation.occurrence_count == 3


def test_an_article_bridging_two_stories_merges_them(store: Store) -> None:
    left, right = prose(21, 150), prose(22, 150)
    store.add_articles([item(f"A. {left}"), item(f"B. {right}")], steps=standard_steps())
    assert store.stories() == []
    store.add_articles([item(f"{left} {right}")], steps=standard_steps())
    store.add_articles([item(f"C. {left}"), item(f"D. {right}")], steps=standard_steps())
    [summary] = store.stories()
    assert summary.article_count == 5


def test_unindexed_bulk_load_then_reindex(store: Store) -> None:
    body = prose(30, 200)
    store.add_articles([item(f"X. {body}"), item(f"Y. {body}")])
    assert store.stories() == []
    assert reindex_stories(store) == 2
    assert [s.article_count for s in store.stories()] == [2]


def test_unknown_ids(store: Store) -> None:
    with pytest.raises(NotFound):
        store.story(1)
    with pytest.raises(NotFound):
        store.story_of("missing")


def test_a_failing_step_loses_only_its_own_writes(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    body = prose(40, 200)
    quotations = QuotationsStep()
    steps = (quotations, EmptyingStep(quotations))
    result = store.add_articles([item(f"P. {body}"), item(f"Q. {body}")], steps=steps)
    assert result.added == 2
    assert "a failing step not updated for 2 articles" in caplog.text
    # The failing step emptied the story tables before it failed; that was rolled back, and
    # what the step before it wrote stayed.
    [story] = store.stories()
    assert story.article_count == 2
    assert store.article(result.added_ids[0]).article.text == f"P. {body}"
    store.add_articles([item(f"R. {body}")], steps=steps)
    [story] = store.stories()
    assert story.article_count == 3
