"""The real command line over the demo corpus: shifts, positions, and editing actors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DEMO, DEMO_CONFIG, run_cli

pytestmark = pytest.mark.e2e

CONFIG = ["--config", str(DEMO_CONFIG)]
STANCES = {"supports", "opposes", "conditional", "neutral"}


def _json(args: list[str]) -> Any:
    result = run_cli([*CONFIG, *args])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def positions_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store of this module's own: the actor tests below edit it."""
    db = tmp_path_factory.mktemp("positions") / "demo.db"
    result = run_cli([*CONFIG, "ingest", str(DEMO), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def shifts(positions_db: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _json(["shifts", "--db", str(positions_db), "--json"])
    return found


def _published(expected: dict[str, Any], file: str) -> str:
    return str(expected["articles"][file]["published"])


def _is_stored(db: Path, contains: str) -> bool:
    hits = _json(["search", contains, "--db", str(db), "--limit", "50", "--json"])
    return any(contains in hit["text"] for hit in hits)


def test_shifts_are_exactly_the_expected_ones(
    shifts: list[dict[str, Any]], expected: dict[str, Any], positions_db: Path
) -> None:
    assert len(shifts) == len(expected["shifts"])
    for want in expected["shifts"]:
        matching = [
            s for s in shifts if s["actor"] == want["actor"] and s["issue_label"] == want["issue"]
        ]
        assert len(matching) == 1, want
        (shift,) = matching
        held, after = shift["held_since"], shift["after"]
        assert held["published"] == _published(expected, want["from"]["file"])
        assert (held["stance"], held["act"]) == (want["from"]["stance"], want["from"]["act"])
        assert after["published"] == _published(expected, want["to"]["file"])
        assert (after["stance"], after["act"]) == (want["to"]["stance"], want["to"]["act"])
        # Extraction is scored elsewhere; a stored "to" statement must be part of the shift.
        if _is_stored(positions_db, want["to"]["contains"]):
            day = [after["quote"], *(p["quote"] for p in shift["evidence"])]
            assert any(want["to"]["contains"] in quote for quote in day)
        if "speaker" in want:
            assert after["speaker"] == want["speaker"]


def test_no_shift_inside_a_held_stance(
    shifts: list[dict[str, Any]], expected: dict[str, Any]
) -> None:
    for held in expected["non_shifts"]:
        dates = sorted(_published(expected, file) for file in held["files"])
        inside = [
            s
            for s in shifts
            if s["actor"] == held["actor"]
            and s["issue_label"] == held["issue"]
            and dates[0] < s["after"]["published"] <= dates[-1]
        ]
        assert inside == [], held


def test_shifts_read_as_text_and_filter_by_date(positions_db: Path) -> None:
    result = run_cli([*CONFIG, "shifts", "--since", "2026-06-01", "--db", str(positions_db)])
    assert result.returncode == 0, result.stderr
    assert "Petra Hallin" not in result.stdout
    assert "Ana Kroll — foreign monitors at the Kessel Dam (stance shift)" in result.stdout
    assert "from opposes/refusal 2026-03-10" in result.stdout
    assert result.stdout.rstrip().endswith("2 shift(s)")


def test_positions_of_an_actor_are_dated_in_order(positions_db: Path) -> None:
    found = _json(["positions", "Ana Kroll", "--db", str(positions_db), "--json"])
    assert len(found) > 5
    dates = [p["published"] for p in found]
    assert dates == sorted(dates)
    assert {p["stance"] for p in found} <= STANCES
    assert {"opposes", "conditional"} <= {p["stance"] for p in found}
    monitors = _json(
        ["positions", "Ana Kroll", "--issue", "dam-monitors", "--db", str(positions_db), "--json"]
    )
    assert monitors
    assert {p["issue_id"] for p in monitors} == {"dam-monitors"}


def test_issues_come_from_the_configured_catalogue() -> None:
    found = _json(["issues", "--json"])
    assert "dam-monitors" in {issue["id"] for issue in found}


def _actor(db: Path, name: str) -> dict[str, Any] | None:
    found = _json(["actors", "--db", str(db), "--json"])
    return next((a for a in found if a["name"] == name), None)


def test_merge_split_round_trip_keeps_history_and_survives_reingest(
    positions_db: Path, tmp_path: Path
) -> None:
    db = str(positions_db)
    idris, talvik = _actor(positions_db, "Idris Talvik"), _actor(positions_db, "Talvik")
    assert idris is not None
    assert talvik is not None

    merged = run_cli([*CONFIG, "actors", "merge", "Idris Talvik", "Talvik", "--db", db])
    assert merged.returncode == 0, merged.stderr
    both = _actor(positions_db, "Idris Talvik")
    assert both is not None
    assert both["quotes"] == idris["quotes"] + talvik["quotes"]
    assert _actor(positions_db, "Talvik") is None

    split = run_cli([*CONFIG, "actors", "split", "Idris Talvik", "--alias", "Talvik", "--db", db])
    assert split.returncode == 0, split.stderr
    again = _actor(positions_db, "Talvik")
    assert again is not None
    assert again["quotes"] == talvik["quotes"]

    history = _json(["actors", "history", "Talvik", "--db", db, "--json"])
    assert [edit["action"] for edit in history] == ["merge", "split"]
    assert history[0]["after"]["speaker"]["quote_count"] == both["quotes"]
    text = run_cli([*CONFIG, "actors", "history", "--db", db]).stdout
    assert "merge(name='Idris Talvik', other='Talvik')" in text

    # Re-ingest: the stored articles are skipped and the config file's aliases re-applied;
    # a new article that calls him "Talvik" goes to the split actor.
    reingest = run_cli([*CONFIG, "ingest", str(DEMO), "--db", db])
    assert reingest.returncode == 0, reingest.stderr
    assert reingest.stdout.startswith("0 ingested")
    source = (DEMO / "10_radiomarren_barge_held.txt").read_text(encoding="utf-8")
    follow_up = tmp_path / "follow_up.txt"
    follow_up.write_text(source.replace("Radio Marren", "Radio Marren (updated)", 1), "utf-8")
    added = run_cli([*CONFIG, "ingest", str(follow_up), "--db", db])
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("1 ingested")
    after = _actor(positions_db, "Talvik")
    assert after is not None
    assert after["quotes"] == talvik["quotes"] + 2
    idris_after = _actor(positions_db, "Idris Talvik")
    assert idris_after is not None
    assert idris_after["quotes"] == idris["quotes"] + 1
