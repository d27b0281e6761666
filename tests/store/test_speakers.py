"""Speaker identity across the corpus: variant merging, alias files, per-speaker records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.errors import ConfigError, NotFound
from onrecord.models import ExtractedArticle, SpeakerKind
from onrecord.store import Store, load_aliases, normalise_name

MakeItem = Callable[..., ExtractedArticle]


def _add_names(
    store: Store,
    make_item: MakeItem,
    said: Any,
    names: Sequence[str | tuple[str, SpeakerKind]],
) -> None:
    items = []
    for n, entry in enumerate(names):
        name, kind = entry if isinstance(entry, tuple) else (entry, "person")
        text = f"{name} said point number {n} stands."
        items.append(
            make_item(
                text,
                [said(f"point number {n} stands", name, speaker_kind=kind)],
                published=date(2024, 1, 1 + n),
            )
        )
    store.add_articles(items)


def _groups(store: Store) -> dict[str, set[str]]:
    return {
        summary.name: {hit.speaker_given or "" for hit in store.speaker(summary.name).quotes}
        for summary in store.speakers()
    }


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["Ana Kroll", "ana kroll", "ANA  KROLL", "Ána Kröll"],
            {"Ana Kroll": {"Ana Kroll", "ana kroll", "ANA  KROLL", "Ána Kröll"}},
        ),
        (["Dr. Ana Kroll", "Ana Kroll"], {"Ana Kroll": {"Dr. Ana Kroll", "Ana Kroll"}}),
        (["Mr Kroll", "Kroll"], {"Kroll": {"Mr Kroll", "Kroll"}}),
        (["Ana Kroll", "Kroll"], {"Ana Kroll": {"Ana Kroll", "Kroll"}}),
        (["Kroll", "Ana Kroll"], {"Ana Kroll": {"Ana Kroll", "Kroll"}}),
        (["A. Kroll", "Ana Kroll"], {"Ana Kroll": {"A. Kroll", "Ana Kroll"}}),
        (["Ana Kroll", "A. Kroll"], {"Ana Kroll": {"A. Kroll", "Ana Kroll"}}),
        (
            ["Kroll", "A. Kroll", "Ana Kroll"],
            {"Ana Kroll": {"Kroll", "A. Kroll", "Ana Kroll"}},
        ),
        (["Kroll", "A. Kroll"], {"A. Kroll": {"Kroll", "A. Kroll"}}),
        (["B. Kroll", "Ana Kroll"], {"B. Kroll": {"B. Kroll"}, "Ana Kroll": {"Ana Kroll"}}),
        (
            ["Kroll", "B. Kroll", "Ana Kroll"],
            {"B. Kroll": {"Kroll", "B. Kroll"}, "Ana Kroll": {"Ana Kroll"}},
        ),
        (
            ["B. Kroll", "Kroll", "Ana Kroll"],
            {"B. Kroll": {"Kroll", "B. Kroll"}, "Ana Kroll": {"Ana Kroll"}},
        ),
        (
            ["Ana Kroll", "B. Kroll", "Kroll"],
            {"Ana Kroll": {"Ana Kroll"}, "B. Kroll": {"B. Kroll"}, "Kroll": {"Kroll"}},
        ),
        (["Ana Kroll", "Anna Kroll"], {"Ana Kroll": {"Ana Kroll"}, "Anna Kroll": {"Anna Kroll"}}),
        (
            ["Ana Kroll", "Ben Kroll", "Kroll"],
            {"Ana Kroll": {"Ana Kroll"}, "Ben Kroll": {"Ben Kroll"}, "Kroll": {"Kroll"}},
        ),
        (
            ["Ana Kroll", "Ben Kroll", "Kroll", "Cara Kroll"],
            {
                "Ana Kroll": {"Ana Kroll"},
                "Ben Kroll": {"Ben Kroll"},
                "Kroll": {"Kroll"},
                "Cara Kroll": {"Cara Kroll"},
            },
        ),
        (
            ["Ana Kroll", "Ben Kroll", "A. Kroll"],
            {"Ana Kroll": {"Ana Kroll", "A. Kroll"}, "Ben Kroll": {"Ben Kroll"}},
        ),
        (
            ["Kroll", "Ana Kroll", "Ben Kroll"],
            {"Ana Kroll": {"Kroll", "Ana Kroll"}, "Ben Kroll": {"Ben Kroll"}},
        ),
        (
            [("Kroll", "organisation"), "Ana Kroll"],
            {"Kroll": {"Kroll"}, "Ana Kroll": {"Ana Kroll"}},
        ),
        (
            [("Harbour Board", "organisation"), ("harbour board", "organisation")],
            {"Harbour Board": {"Harbour Board", "harbour board"}},
        ),
    ],
)
def test_name_variants_merge_into_one_speaker(
    store: Store,
    make_item: MakeItem,
    said: Any,
    names: list[str | tuple[str, SpeakerKind]],
    expected: dict[str, set[str]],
) -> None:
    _add_names(store, make_item, said, names)
    assert _groups(store) == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ana Kroll", "ana kroll"),
        ("  Dr.  Ána   KRÖLL ", "ana kroll"),
        ("Prof. Dr. Ana Kroll", "ana kroll"),
        ("A.Kroll", "a kroll"),
        ("Seán O’Brien", "sean o'brien"),
        ("Jean-Luc Picard", "jean-luc picard"),
        ("Dr", "dr"),
        ("!!!", ""),
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_summary_counts_aliases_and_dates(store: Store, make_item: MakeItem, said: Any) -> None:
    _add_names(store, make_item, said, ["Kroll", "Otto Brand", "Ana Kroll", "Dr. Ana Kroll"])
    first, second = store.speakers()
    assert first.name == "Ana Kroll"
    assert first.quote_count == 3
    # One spelling per normalised form: "Dr. Ana Kroll" is the canonical name's variant.
    assert first.aliases == ("Kroll",)
    assert (first.first_date, first.last_date) == (date(2024, 1, 1), date(2024, 1, 4))
    assert (second.name, second.quote_count) == ("Otto Brand", 1)
    assert store.speakers(limit=1) == [first]
    assert store.stats()["speakers"] == 2


def test_merged_speaker_is_searchable_by_its_new_name(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    _add_names(store, make_item, said, ["Kroll"])
    assert store.search("ana") == []
    _add_names(store, make_item, said, ["Ana Kroll"])
    hits = store.search("ana")
    assert {hit.speaker_given for hit in hits} == {"Kroll", "Ana Kroll"}
    assert {hit.speaker for hit in hits} == {"Ana Kroll"}


def test_role_and_org_keep_the_latest_non_empty(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    cases = [
        (date(2024, 1, 1), "finance minister", None),
        (date(2023, 1, 1), "backbencher", "Old Party"),
        (date(2024, 6, 1), None, None),
        (date(2024, 7, 1), None, "Treasury"),
        (None, "pundit", None),
    ]
    items = [
        make_item(
            f"Ana Kroll said claim {n} holds.",
            [said(f"claim {n} holds", "Ana Kroll", role=role, org=org)],
            published=published,
        )
        for n, (published, role, org) in enumerate(cases)
    ]
    store.add_articles(items)
    [summary] = store.speakers()
    assert (summary.role, summary.org) == ("finance minister", "Treasury")


def test_speaker_record_is_oldest_first_and_accepts_aliases(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    dates = [date(2024, 5, 1), None, date(2023, 2, 1), date(2024, 1, 1)]
    store.add_articles(
        [
            make_item(
                f"Kroll said item {n} matters.",
                [said(f"item {n} matters", "Ana Kroll" if n == 0 else "Kroll", via=("AP",))],
                published=published,
                title=f"Story {n}",
            )
            for n, published in enumerate(dates)
        ]
    )
    record = store.speaker("kroll")
    assert record.summary.name == "Ana Kroll"
    assert [hit.published for hit in record.quotes] == [
        date(2023, 2, 1),
        date(2024, 1, 1),
        date(2024, 5, 1),
        None,
    ]
    assert [hit.title for hit in record.quotes] == ["Story 2", "Story 3", "Story 0", "Story 1"]
    assert all(hit.via == ("AP",) for hit in record.quotes)
    assert store.speaker(record.summary.slug) == record
    assert store.speaker("ANA KRÖLL") == record


def test_unknown_speaker_suggests_close_names(store: Store, make_item: MakeItem, said: Any) -> None:
    _add_names(store, make_item, said, ["Ana Kroll", "Otto Brand"])
    with pytest.raises(NotFound, match=r"no speaker named 'Ana Krol'\. Did you mean: Ana Kroll\?"):
        store.speaker("Ana Krol")
    with pytest.raises(NotFound, match=r"List speakers with `onrecord speakers`"):
        store.speaker("Zebulon Quartz")


ALIAS_FILE = """
[aliases]
"Ana Kroll" = ["A. Kroll", "Anna Kroll"]
"Harbour Board" = ["The Board"]
"""


def test_load_aliases_reads_the_table(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(ALIAS_FILE, encoding="utf-8")
    assert load_aliases(path) == {
        "Ana Kroll": ["A. Kroll", "Anna Kroll"],
        "Harbour Board": ["The Board"],
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[aliases\n", "not valid TOML"),
        ('[names]\n"A" = ["B"]\n', r"no \[aliases\] table"),
        ('[aliases]\n"Ana Kroll" = "A. Kroll"\n', "must be a list"),
        ('[aliases]\n"Ana Kroll" = ["Kroll"]\n"Ben Kroll" = ["kroll"]\n', "pinned to both"),
        ('[aliases]\n"Ana Kroll" = ["..."]\n', "has no letters"),
    ],
)
def test_load_aliases_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_aliases(path)


def test_missing_alias_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read alias file"):
        load_aliases(tmp_path / "absent.toml")


def test_alias_file_pins_identities(tmp_path: Path, make_item: MakeItem, said: Any) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(ALIAS_FILE, encoding="utf-8")
    with Store.open(tmp_path / "pinned.db", aliases=path) as store:
        _add_names(store, make_item, said, ["Anna Kroll", "A. Kroll", "Kroll", "B. Kroll"])
        assert _groups(store) == {
            "Ana Kroll": {"Anna Kroll", "A. Kroll", "Kroll"},
            "B. Kroll": {"B. Kroll"},
        }


def test_pinning_later_merges_what_is_stored(
    tmp_path: Path, make_item: MakeItem, said: Any
) -> None:
    path = tmp_path / "later.db"
    with Store.open(path) as store:
        _add_names(store, make_item, said, ["Anna Kroll", "Ana Kroll"])
        assert len(store.speakers()) == 2
    with Store.open(path, aliases={"Ana Kroll": ["Anna Kroll"]}) as store:
        assert _groups(store) == {"Ana Kroll": {"Anna Kroll", "Ana Kroll"}}
        hits = store.search("ana")
        assert len(hits) == 2
        assert {hit.speaker for hit in hits} == {"Ana Kroll"}
        assert len(store.search(speaker="Anna Kroll")) == 2


def test_pinned_name_is_kept_when_a_fuller_name_arrives(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    store.pin_aliases({"Kroll": []})
    _add_names(store, make_item, said, ["Kroll", "Ana Kroll"])
    assert _groups(store) == {"Kroll": {"Kroll", "Ana Kroll"}}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ana Kroll", "ana-kroll"),
        ("Jean-Luc Picard", "jean-luc-picard"),
        ("Seán O’Brien", "sean-o'brien"),
        ("Harbour_Board 100%", "harbour-board-100"),
    ],
)
def test_speaker_is_found_by_slug(
    store: Store, make_item: MakeItem, said: Any, name: str, slug: str
) -> None:
    _add_names(store, make_item, said, [name, "Otto Brand"])
    record = store.speaker(slug)
    assert record.summary.slug == slug
    assert [hit.speaker_given for hit in record.quotes] == [name]
    with pytest.raises(NotFound):
        store.speaker(slug + "-x")


VARIANTS = [
    "Ana Kroll",
    "A. Kroll",
    "Kroll",
    "Mr Kroll",
    "Ben Kroll",
    "B. Kroll",
    "Dr. Ana Kroll",
    "ana kröll",
    "Otto Brand",
    "Brand",
    "O. Brand",
]


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=8))
def test_every_quote_stays_reachable_by_the_name_it_was_given(
    make_item: MakeItem, said: Any, names: list[str]
) -> None:
    with Store.open(":memory:") as store:
        _add_names(store, make_item, said, names)
        summaries = store.speakers()
        assert sum(s.quote_count for s in summaries) == len(names)
        keys = [normalise_name(n) for s in summaries for n in (s.name, *s.aliases)]
        assert len(keys) == len(set(keys))
        for hit in store.iter_quotes():
            assert hit.speaker_given is not None
            found = store.search(speaker=hit.speaker_given, limit=100)
            assert hit.quote_id in {h.quote_id for h in found}
            assert store.speaker(hit.speaker_given).summary.name == hit.speaker


@pytest.mark.parametrize(
    ("names", "canonical"),
    [
        (["exit polls", "Exit polls"], "Exit polls"),
        (["ANA KROLL", "Ana Kroll", "ana kroll"], "Ana Kroll"),
        (["ana kroll", "ana kroll", "Ana Kroll"], "ana kroll"),
    ],
)
def test_canonical_spelling_does_not_depend_on_order(
    tmp_path: Path, make_item: MakeItem, said: Any, names: list[str], canonical: str
) -> None:
    found = set()
    for number, order in enumerate([names, names[::-1]]):
        with Store.open(tmp_path / f"order{number}.db") as store:
            _add_names(store, make_item, said, order)
            found.add(tuple(summary.name for summary in store.speakers()))
    assert found == {(canonical,)}
