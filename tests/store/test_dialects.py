"""One query layer, two databases: searches, counts, facets, summaries and positions written
once with ``:name`` parameters, the full-text part once per database. Text with ``?``, ``%``,
``%s`` and ``:name`` in it is stored and searched for on both backends, and both backends find
the same quotes for the same stored articles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from tests.store.conftest import Said

from onrecord.errors import BadQuery
from onrecord.models import ExtractedArticle
from onrecord.store import QuoteFilter, Store

MakeItem = Callable[..., ExtractedArticle]

WEIR = (
    'Ilse Renner said "Who pays 40% of the dam? Nobody asks :name or %(name)s at the weir." '
    "The council met on Monday."
)
WEIR_QUOTE = '"Who pays 40% of the dam? Nobody asks :name or %(name)s at the weir."'
LEVY = (
    'Omar Vance told reporters "The levy is %s per tonne, and the dredging waits." '
    "He spoke in the harbour office."
)
LEVY_QUOTE = '"The levy is %s per tonne, and the dredging waits."'
FERRY = (
    'Tova Brandt said "Ferry fees for traders fall by half?" in a statement. '
    'Later Brandt added "The harbour dredging starts in spring."'
)
FERRY_QUOTES = (
    '"Ferry fees for traders fall by half?"',
    '"The harbour dredging starts in spring."',
)
OUTLET = "Tide % Wire? :name"


def _corpus(make_item: MakeItem, said: type[Said]) -> list[ExtractedArticle]:
    return [
        make_item(WEIR, [said(WEIR_QUOTE, "Ilse Renner")], outlet=OUTLET),
        make_item(
            LEVY,
            [said(LEVY_QUOTE, "Omar Vance", cue="told")],
            outlet="Harbour Ledger",
            published=date(2024, 6, 3),
        ),
        make_item(
            FERRY,
            [
                said(FERRY_QUOTES[0], "Tova Brandt"),
                said(FERRY_QUOTES[1], "Tova Brandt", kind="indirect", cue="added"),
            ],
            outlet="Harbour Ledger",
            published=date(2024, 7, 9),
        ),
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("dam? :name", [WEIR_QUOTE]),
        ("%(name)s weir", [WEIR_QUOTE]),
        ("40% dam", [WEIR_QUOTE]),
        ("levy %s", [LEVY_QUOTE]),
        ("half?", [FERRY_QUOTES[0]]),
        ("'dredging'", [LEVY_QUOTE, FERRY_QUOTES[1]]),
    ],
)
def test_search_terms_with_placeholder_marks_are_words(
    store: Store, make_item: MakeItem, said: type[Said], words: str, expected: list[str]
) -> None:
    store.add_articles(_corpus(make_item, said))
    assert sorted(hit.text for hit in store.search(words)) == sorted(expected)
    assert sorted(hit.text for hit in store.search(words, syntax=True)) == sorted(expected)
    spec = QuoteFilter(text=words)
    assert store.count(spec, cap=100) == len(expected)
    assert store.facets(spec, sample=100).counted == len(expected)


def test_filters_with_placeholder_marks_select_and_count(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))
    found = store.search("dam", outlet="tide % wire? :NAME")
    assert [(hit.text, hit.outlet) for hit in found] == [(WEIR_QUOTE, OUTLET)]
    assert store.search(outlet="Tide % Wire?") == []
    assert store.search(outlet="%") == []
    assert store.search("dam", speaker="Renner :name") == []
    spec = QuoteFilter(outlet="harbour ledger", since=date(2024, 6, 1), kind="direct")
    assert store.count(spec, cap=100) == 2
    facets = store.facets(spec, sample=100)
    assert facets.counts["speaker"] == [("Omar Vance", 1), ("Tova Brandt", 1)]
    assert facets.counts["month"] == [("2024-06", 1), ("2024-07", 1)]
    assert store.count(QuoteFilter(text="dredging", outlet=OUTLET), cap=100) == 0


def test_search_box_syntax_on_each_backend(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))

    def texts(query: str) -> set[str]:
        return {hit.text for hit in store.search(query, syntax=True)}

    assert texts("dredging -levy") == {FERRY_QUOTES[1]}
    assert texts("levy OR ferry") == {LEVY_QUOTE, FERRY_QUOTES[0]}
    assert texts('"harbour dredging"') == {FERRY_QUOTES[1]}
    assert texts("dredg*") == {LEVY_QUOTE, FERRY_QUOTES[1]}
    ranked = store.search("dredging")
    assert all(hit.rank is not None and "[" in hit.snippet for hit in ranked)


def test_malformed_raw_syntax_is_a_bad_query_on_each_backend(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))
    broken = "(((" if store.backend == "sqlite" else "dam &"
    with pytest.raises(BadQuery, match="not valid"):
        store.search(broken, raw_fts=True)
    with pytest.raises(BadQuery, match="not valid"):
        store.count(QuoteFilter(text=broken, syntax="raw"), cap=10)


def test_speaker_summaries_carry_their_other_spellings(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))
    summaries = {summary.name: summary for summary in store.speakers()}
    brandt = summaries["Tova Brandt"]
    assert brandt.quote_count == 2
    assert (brandt.first_date, brandt.last_date) == (date(2024, 7, 9), date(2024, 7, 9))
    assert store.speaker_summary("Brandt").quote_count == 2
    assert [s.name for s in store.speakers(limit=1, offset=1)] == [store.speakers()[1].name]


@pytest.mark.parametrize(
    "query",
    ["harbour", "dredging", "dam", "fees traders", "levy tonne", "council", "spring", "weir"],
)
def test_both_backends_find_the_same_quotes(
    tmp_path: Path, postgres_url: str, make_item: MakeItem, said: type[Said], query: str
) -> None:
    found: dict[str, set[tuple[str, str]]] = {}
    counted: dict[str, int] = {}
    for target in (str(tmp_path / "onrecord.db"), postgres_url):
        with Store.open(target) as store:
            store.add_articles(_corpus(make_item, said))
            hits = store.search(query, limit=100)
            found[store.backend] = {(hit.article_id, hit.text) for hit in hits}
            counted[store.backend] = store.count(QuoteFilter(text=query), cap=100)
    assert found["sqlite"] == found["postgresql"]
    assert counted["sqlite"] == counted["postgresql"] == len(found["sqlite"])


@dataclass(frozen=True)
class _Issue:
    id: str
    label: str
    proposition: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class _Position:
    quote_id: int
    issue_id: str
    actor: str
    stance: str
    act: str
    condition: str | None
    link_score: float
    support_probability: float
    cues: tuple[str, ...]
    method: str
    published: date | None


def _held(quote_id: int, actor: str, condition: str | None, cues: tuple[str, ...]) -> _Position:
    return _Position(
        quote_id, "levy?", actor, "oppose", "claim", condition, 0.5, 0.25, cues, "rules?", None
    )


def test_positions_with_placeholder_marks_on_each_backend(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))
    hits = {hit.text: hit for hit in store.search(limit=100)}
    tables = store.position_tables()
    issue = _Issue("levy?", "the 50% levy", "The levy is %s", ("levy", ":name"), ("%(x)s",))
    tables.replace_issues([(issue, "discovered")], {"method": "pairs:%s?"})
    assert tables.state() == {"method": "pairs:%s?"}
    [stored] = tables.issues()
    assert (stored.id, stored.label, stored.keywords) == ("levy?", "the 50% levy", issue.keywords)
    levy, ferry = hits[LEVY_QUOTE], hits[FERRY_QUOTES[0]]
    quote_ids = [levy.quote_id, ferry.quote_id]
    tables.write_positions(
        quote_ids,
        [
            _held(levy.quote_id, "Quay % Board", "if :name", ("%s",)),
            _held(ferry.quote_id, "Tova Brandt", None, ()),
        ],
    )
    tables.recount(["levy?"])
    counted = tables.issue("levy?")
    assert counted is not None
    assert (counted.position_count, counted.actor_count) == (2, 2)
    held = tables.positions(actor="quay % board")
    assert [(p.actor, p.condition, p.cues) for p in held] == [("Quay % Board", "if :name", ("%s",))]
    assert [p.quote for p in tables.positions(actor="Brandt")] == [FERRY_QUOTES[0]]
    assert len(tables.positions(issue_id="levy?", limit=1)) == 1
    assert tables.top_actors("levy?", 5) == [("Quay % Board", 1), ("Tova Brandt", 1)]
    assert tables.actors_of_quotes(quote_ids) == {
        ("Quay % Board", "levy?"),
        ("Tova Brandt", "levy?"),
    }
    assert {h.text for h in tables.statements_of_issue("levy?")} == {LEVY_QUOTE, FERRY_QUOTES[0]}
    assert tables.statements_of_articles([]) == []
    assert [h.text for h in tables.statements_of_articles([levy.article_id])] == [LEVY_QUOTE]
    speaker_ids = tables.speaker_ids("Omar Vance")
    assert [p.actor for p in tables.speaker_positions(speaker_ids)] == ["Quay % Board"]
    assert tables.actor_names("Omar Vance") == ["Quay % Board"]
    tables.set_actors([("Vance?", levy.quote_id)])
    assert tables.pairs() == [("Tova Brandt", "levy?"), ("Vance?", "levy?")]


def test_shifts_and_issue_edits_with_placeholder_marks_on_each_backend(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    store.add_articles(_corpus(make_item, said))
    levy = next(hit for hit in store.search("levy"))
    tables = store.position_tables()
    issue = _Issue("levy?", "the 50% levy", "The levy is %s", ("levy",), ())
    tables.replace_issues([(issue, "discovered")], {})
    tables.write_positions([levy.quote_id], [_held(levy.quote_id, "Quay % Board", None, ())])
    shift = ("Quay % Board", "levy?", "2024-06-03", '{"a": "%s"}')
    tables.replace_shifts([("Quay % Board", "levy?")], [shift])
    assert tables.shifts(actor="quay % board", since=date(2024, 1, 1)) == ['{"a": "%s"}']
    assert tables.shifts(actor="Quay", limit=5) == []
    tables.rename_issue("levy?", "the :name levy")
    tables.record_edit("rename", "levy?", "the :name levy", "2024-08-01T00:00:00")
    assert [(e.issue_id, e.value) for e in tables.edits()] == [("levy?", "the :name levy")]
    tables.write_positions([levy.quote_id], [], issue_ids=["other"])
    assert len(tables.positions(issue_id="levy?")) == 1
    tables.write_positions([levy.quote_id], [], issue_ids=["levy?"])
    assert tables.positions(issue_id="levy?") == []
    tables.drop_issue("levy?")
    assert tables.issues() == []
    assert tables.shifts() == []
