"""Stored positions: derived per ingest batch, they equal a rebuild from scratch, whatever the
order and batching of the articles."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.errors import ExtractError
from onrecord.models import Article, ExtractedArticle, Quote, Speaker
from onrecord.pipeline import store_outcomes
from onrecord.positions import (
    OnnxSentenceEncoder,
    PositionModels,
    PositionsStep,
    StanceClassifier,
    actor_positions,
    actor_shifts,
    issue_set,
    rebuild_positions,
    stored_shifts,
    summarise,
)
from onrecord.positions._catalogue import load_catalogue
from onrecord.positions._derive import Deriver
from onrecord.store import QuoteHit, Store

CATALOGUE = """
[[issue]]
id = "monitors"
label = "foreign monitors at the Orvel weir"
proposition = "Foreign monitors work at the Orvel weir"
keywords = ["monitors", "observers"]

[[issue]]
id = "ferry-fees"
label = "ferry fees for Ashford traders"
proposition = "Ferry fees for Ashford traders are cut"
keywords = ["ferry fees", "fees"]
"""

# (day, speaker, role, organisation, statement): the Quay Board's spokeswoman is named with
# her role in one article only, so that the body she speaks for becomes known late or early
# depending on the order the articles arrive in.
STATEMENTS = [
    (3, "Ilse Marrow", None, None, "We will never accept foreign monitors at the Orvel weir."),
    (9, "Ilse Marrow", None, None, "Foreign monitors at the weir are out of the question."),
    (
        20,
        "Ilse Marrow",
        None,
        None,
        "We are ready to accept foreign monitors at the Orvel weir, but only if "
        "they answer to the river council.",
    ),
    (
        4,
        "Tova Brandt",
        "spokeswoman",
        "Quay Board",
        "The board will not cut ferry fees for Ashford traders.",
    ),
    (
        15,
        "Tova Brandt",
        None,
        None,
        "We are ready to cut ferry fees for Ashford traders if the weir stays open.",
    ),
    (
        6,
        "Per Lunde",
        None,
        None,
        "Monitors at the weir would be welcome, and we will say so at the talks.",
    ),
    (22, "Per Lunde", None, None, "We refuse to discuss ferry fees until the monitors arrive."),
    (12, "Per Lunde", None, None, "The weather over the harbour was grey on Tuesday."),
]


def _article(number: int) -> ExtractedArticle:
    day, name, role, org, statement = STATEMENTS[number]
    quoted = f'"{statement}"'
    said = f"{name}, {role} of the {org}, said." if role else f"{name} said."
    text = f"Report {number}\n\n{quoted} {said}\n"
    start = text.index(quoted)
    mention = text.index(name)
    article = Article(
        id=f"article{number:04d}",
        source=f"<test {number}>",
        text=text,
        title=f"Report {number}",
        published=date(2026, 3, day),
        outlet="Ashford Courier",
    )
    speaker = Speaker(
        name=name,
        mention=name,
        mention_start=mention,
        mention_end=mention + len(name),
        role=role,
        org=org,
        kind="person",
    )
    quote = Quote(
        text=quoted,
        start=start,
        end=start + len(quoted),
        kind="direct",
        cue="said",
        confidence=0.9,
        speaker=speaker,
        extractor="test.v1",
    )
    return ExtractedArticle(article, (quote,))


@pytest.fixture(scope="module")
def fast_models(onnx_encoder: OnnxSentenceEncoder) -> PositionModels:
    """The sentence encoder with the stance rules alone: the same derivation, less time."""
    return PositionModels(onnx_encoder, StanceClassifier(onnx_encoder, use_model=False))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "issues.toml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


Snapshot = tuple[
    list[tuple[str, int, str, str, str, str, str | None, float]], list[str], list[tuple[str, int]]
]


def _snapshot(store: Store) -> Snapshot:
    tables = store.position_tables()
    positions = sorted(
        (p.article_id, p.number, p.issue_id, p.actor, p.stance, p.act, p.condition, p.link_score)
        for p in tables.positions()
    )
    shifts = sorted(
        json.dumps(json.loads(body), sort_keys=True) for body in tables.shifts(limit=None)
    )
    counts = [(i.id, i.position_count) for i in tables.issues()]
    return positions, shifts, counts


def _ingest(
    store: Store,
    order: list[int],
    batch: int,
    catalogue: Path,
    models: PositionModels,
    *,
    is_overlapped: bool = False,
) -> None:
    with PositionsStep(catalogue, models=models, is_overlapped=is_overlapped) as step:
        store_outcomes((_article(n) for n in order), store, batch, after_batch=[step])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    order=st.permutations(list(range(len(STATEMENTS)))),
    batch=st.integers(min_value=1, max_value=4),
    is_overlapped=st.booleans(),
)
def test_incremental_positions_equal_a_rebuild(
    order: list[int],
    batch: int,
    is_overlapped: bool,
    catalogue: Path,
    fast_models: PositionModels,
) -> None:
    with Store.open(":memory:") as store:
        _ingest(store, order, batch, catalogue, fast_models, is_overlapped=is_overlapped)
        incremental = _snapshot(store)
        chosen, state = issue_set(store, catalogue, fast_models)
        rebuild_positions(store, chosen, state, fast_models)
        assert _snapshot(store) == incremental
        assert incremental[0], "the statements take positions"


def test_spokeswoman_positions_belong_to_her_body_in_any_order(
    catalogue: Path, fast_models: PositionModels
) -> None:
    late = [0, 1, 2, 4, 5, 6, 7, 3]  # the role arrives last
    with Store.open(":memory:") as store:
        _ingest(store, late, 2, catalogue, fast_models)
        held = {p.actor for p in actor_positions(store, "Tova Brandt")}
        assert held == {"Quay Board"}
        assert actor_positions(store, "Quay Board")
        assert {s.actor for s in actor_shifts(store, "Tova Brandt")} <= {"Quay Board"}


def test_shifts_summary_and_paging(catalogue: Path, fast_models: PositionModels) -> None:
    with Store.open(":memory:") as store:
        _ingest(store, list(range(len(STATEMENTS))), 3, catalogue, fast_models)
        marrow = actor_positions(store, "Ilse Marrow")
        assert {p.issue_id for p in marrow} == {"monitors"}
        (summary,) = summarise(marrow, {p.quote_id: 0 for p in marrow})
        stances = [step.stance for step in summary.steps]
        assert stances[0] == "opposes"
        assert stances[-1] == "conditional"
        assert summary.text().startswith("opposes foreign monitors at the Orvel weir (Mar 2026)")
        assert summary.steps[0].statements[0].anchor.startswith("/articles/article0000#s-")
        every = stored_shifts(store)
        assert any(s.actor == "Ilse Marrow" and s.issue_id == "monitors" for s in every)
        assert stored_shifts(store, limit=1) == every[:1]
        assert stored_shifts(store, since=date(2026, 4, 1)) == []


def test_a_changed_catalogue_is_reported_not_applied(
    catalogue: Path, fast_models: PositionModels, tmp_path: Path
) -> None:
    from onrecord.positions import is_stale

    with Store.open(":memory:") as store:
        _ingest(store, [0, 1], 2, catalogue, fast_models)
        assert is_stale(store, catalogue) is None
        changed = tmp_path / "changed.toml"
        changed.write_text(CATALOGUE.replace('Orvel weir"\n', 'weir at Orvel"\n'), "utf-8")
        stale = is_stale(store, changed)
        assert stale is not None
        assert "onrecord positions rebuild" in stale
        before = _snapshot(store)
        _ingest(store, [2], 1, changed, fast_models)
        labels = {p.issue_label for p in actor_positions(store, "Ilse Marrow")}
        assert labels == {"foreign monitors at the Orvel weir"}
        assert len(_snapshot(store)[0]) > len(before[0])


def test_positions_derived_by_another_run_of_the_models_are_reported_stale(
    catalogue: Path, fast_models: PositionModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.positions import _derive, is_stale

    with Store.open(":memory:") as store:
        _ingest(store, [0], 1, catalogue, fast_models)
        assert is_stale(store, catalogue) is None
        monkeypatch.setattr(_derive, "RUN_REVISION", "pairs.next")
        stale = is_stale(store, catalogue)
        assert stale is not None
        assert "another method" in stale


def test_a_batch_larger_than_the_memo_keeps_the_statements_it_found(
    catalogue: Path, fast_models: PositionModels, make_hit: Callable[..., QuoteHit]
) -> None:
    issues = tuple(load_catalogue(catalogue).issues)
    hits = [
        make_hit(statement, speaker, date(2026, 3, day))
        for day, speaker, _, _, statement in STATEMENTS
    ]
    small = Deriver(issues, fast_models, memo_size=2)
    small.derive(hits[:2], {})  # remembered; the next batch brings six more than the memo holds
    found = small.derive(hits, {})
    assert found == Deriver(issues, fast_models).derive(hits, {})
    assert {p.issue_id for p in found} == {"monitors", "ferry-fees"}


def test_overlapped_models_load_beside_extraction_and_a_failed_load_skips_positions(
    catalogue: Path, fast_models: PositionModels, caplog: pytest.LogCaptureFixture
) -> None:
    loaded_in: list[str] = []

    def load() -> PositionModels:
        loaded_in.append(threading.current_thread().name)
        return fast_models

    with Store.open(":memory:") as store:
        with PositionsStep(catalogue, load_models=load, is_overlapped=True) as step:
            store_outcomes((_article(n) for n in range(4)), store, 2, after_batch=[step])
        assert len(loaded_in) == 1
        assert loaded_in[0].startswith("onrecord-positions")
        assert step.positions == len(store.position_tables().positions())
        assert step.positions > 0

    def broken() -> PositionModels:
        raise ExtractError("[OR200] no stance model")

    with Store.open(":memory:") as store:
        with PositionsStep(catalogue, load_models=broken, is_overlapped=True) as step:
            store_outcomes((_article(n) for n in range(4)), store, 2, after_batch=[step])
        assert store.stats()["articles"] == 4
        assert step.positions == 0
        assert "positions skipped" in caplog.text
