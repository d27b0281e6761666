"""Editing discovered issues: rename, merge, drop, promote into the catalogue; the catalogue's
issues cannot be edited here, and edits are applied again to a later discovery."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.positions.test_stored_positions import STATEMENTS, _article

from onrecord import Settings
from onrecord.api import create_app
from onrecord.errors import ConfigError, NotFound
from onrecord.positions import (
    DiscoveredIssue,
    Issue,
    OnnxSentenceEncoder,
    PositionModels,
    StanceClassifier,
    drop_issue,
    load_catalogue,
    merge_issue,
    promote_stored_issue,
    rebuild_positions,
    rename_issue,
    stored_shifts,
)
from onrecord.positions._derive import catalogue_state
from onrecord.positions._issues import apply_edits
from onrecord.store import IssueEdit, Store

TOKEN = "edit-token-5678"  # noqa: S105 - a test-only token

WEIR = Issue(
    "weir-monitors",
    "weir monitors",
    "Foreign monitors work at the Orvel weir",
    ("monitors", "weir"),
)
OBSERVERS = Issue("observers", "observers", "Observers are posted at the Orvel weir")
FEES = Issue("ferry-fees", "ferry fees", "Ferry fees for Ashford traders are cut", ("ferry fees",))
CATALOGUED = Issue("harbour", "harbour dues", "Harbour dues are cut")


@pytest.fixture(scope="module")
def fast_models(onnx_encoder: OnnxSentenceEncoder) -> PositionModels:
    return PositionModels(onnx_encoder, StanceClassifier(onnx_encoder, use_model=False))


@pytest.fixture
def store_path(tmp_path: Path, fast_models: PositionModels) -> Path:
    path = tmp_path / "edits.db"
    with Store.open(path) as store:
        store.add_articles([_article(n) for n in range(len(STATEMENTS))])
        issues = [(CATALOGUED, "catalogue")] + [(i, "discovered") for i in (WEIR, OBSERVERS, FEES)]
        rebuild_positions(store, issues, catalogue_state(None), fast_models)
    return path


def _labels(store: Store) -> dict[str, str]:
    return {i.id: i.label for i in store.position_tables().issues()}


def test_rename_changes_pages_and_shifts(store_path: Path) -> None:
    with Store.open(store_path) as store:
        assert any(s.issue_id == "weir-monitors" for s in stored_shifts(store))
        renamed = rename_issue(store, "weir-monitors", "  monitors at the  Orvel weir ")
        assert renamed.label == "monitors at the Orvel weir"
        assert _labels(store)["weir-monitors"] == "monitors at the Orvel weir"
        labels = {s.issue_label for s in stored_shifts(store, issue_id="weir-monitors")}
        assert labels == {"monitors at the Orvel weir"}
        assert [e.action for e in store.position_tables().edits()] == ["rename"]


def test_merge_reads_statements_again_against_the_target(
    store_path: Path, fast_models: PositionModels
) -> None:
    with Store.open(store_path) as store:
        before = {i.id: i.position_count for i in store.position_tables().issues()}
        merged = merge_issue(store, "observers", "weir-monitors", lambda: fast_models)
        assert "observers" not in _labels(store)
        assert merged.position_count >= before["weir-monitors"]
        with pytest.raises(ConfigError, match="into itself"):
            merge_issue(store, "ferry-fees", "ferry-fees", lambda: fast_models)


def test_drop_removes_positions_and_catalogue_issues_are_refused(store_path: Path) -> None:
    with Store.open(store_path) as store:
        drop_issue(store, "ferry-fees")
        assert "ferry-fees" not in _labels(store)
        assert store.position_tables().positions(issue_id="ferry-fees") == []
        with pytest.raises(ConfigError, match="catalogue, which always wins"):
            rename_issue(store, "harbour", "dues")
        with pytest.raises(ConfigError, match="catalogue, which always wins"):
            drop_issue(store, "harbour")
        with pytest.raises(NotFound, match="no issue 'nothing'"):
            drop_issue(store, "nothing")


def test_promote_writes_the_catalogue(store_path: Path, tmp_path: Path) -> None:
    catalogue = tmp_path / "issues.toml"
    with Store.open(store_path) as store:
        with pytest.raises(ConfigError, match="no catalogue to promote into"):
            promote_stored_issue(store, "ferry-fees", None)
        promoted = promote_stored_issue(store, "ferry-fees", catalogue)
        assert promoted.origin == "catalogue"
    loaded = load_catalogue(catalogue)
    assert [(i.id, i.label, i.proposition) for i in loaded.issues] == [
        ("ferry-fees", "ferry fees", FEES.proposition)
    ]


def test_edits_apply_again_to_a_new_discovery() -> None:
    def found(issue_id: str, label: str, ids: tuple[int, ...]) -> DiscoveredIssue:
        return DiscoveredIssue(issue_id, label, (label,), ids, (label,), 0.6)

    again = [
        found("dam", "dam", (1, 2)),
        found("weir", "weir", (3,)),
        found("tolls", "tolls", (4,)),
    ]
    edits = [
        IssueEdit(1, "rename", "dam", "the Kessel Dam", "2026-07-01T00:00:00+00:00"),
        IssueEdit(2, "merge", "weir", "dam", "2026-07-01T00:00:00+00:00"),
        IssueEdit(3, "drop", "tolls", None, "2026-07-01T00:00:00+00:00"),
        IssueEdit(4, "drop", "gone", None, "2026-07-01T00:00:00+00:00"),
    ]
    (dam,) = apply_edits(again, edits)
    assert (dam.id, dam.label, dam.quote_ids) == ("dam", "the Kessel Dam", (1, 2, 3))


def test_api_edits_need_the_token(store_path: Path, tmp_path: Path) -> None:
    catalogue = tmp_path / "api-issues.toml"
    app = create_app(Settings(db_path=store_path, catalogue_path=catalogue), token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app) as client:
        refused = client.post("/api/issues/weir-monitors/edit", json={"action": "rename"})
        assert refused.status_code == 401
        renamed = client.post(
            "/api/issues/weir-monitors/edit",
            json={"action": "rename", "value": "monitors on the weir"},
            headers=auth,
        )
        assert renamed.status_code == 200, renamed.text
        assert renamed.json()["label"] == "monitors on the weir"
        locked = client.post(
            "/api/issues/harbour/edit", json={"action": "rename", "value": "x"}, headers=auth
        )
        assert locked.status_code == 400
        assert locked.json()["code"] == "OR100"
        dropped = client.delete("/api/issues/observers", headers=auth)
        assert dropped.status_code == 200
        assert "observers" not in {i["id"] for i in dropped.json()["issues"]}
        promoted = client.post(
            "/api/issues/ferry-fees/edit", json={"action": "promote"}, headers=auth
        )
        assert promoted.json()["origin"] == "catalogue"
        assert load_catalogue(catalogue).issues[0].id == "ferry-fees"
