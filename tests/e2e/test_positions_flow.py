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


def _remarks(folder: Path, name: str, quote: str) -> Path:
    path = folder / name
    path.write_text(
        f"date 2026-07-20 https://www.tidewire.example/{path.stem}\n"
        "Kroll remarks on the dam\n\n"
        f'"{quote}," A. Kroll told reporters in Lindhaven.\n',
        encoding="utf-8",
    )
    return path


def test_split_merge_round_trip_keeps_history_and_survives_reingest(
    positions_db: Path, tmp_path: Path
) -> None:
    db = str(positions_db)
    # The config file pins the spelling "A. Kroll" to Ana Kroll.
    first = _remarks(tmp_path, "first.txt", "The dam is not a bargaining chip")
    assert run_cli([*CONFIG, "ingest", str(first), "--db", db]).returncode == 0
    kroll = _actor(positions_db, "Ana Kroll")
    assert kroll is not None
    assert _actor(positions_db, "A. Kroll") is None

    split = run_cli([*CONFIG, "actors", "split", "Ana Kroll", "--alias", "A. Kroll", "--db", db])
    assert split.returncode == 0, split.stderr
    apart = _actor(positions_db, "A. Kroll")
    assert apart is not None
    assert apart["quotes"] == 1
    rest = _actor(positions_db, "Ana Kroll")
    assert rest is not None
    assert rest["quotes"] == kroll["quotes"] - 1

    # Re-ingest re-applies the config file's aliases, yet the edit holds: stored articles are
    # skipped and a new article that writes "A. Kroll" goes to the split actor.
    reingest = run_cli([*CONFIG, "ingest", str(DEMO), "--db", db])
    assert reingest.returncode == 0, reingest.stderr
    assert reingest.stdout.startswith("0 ingested")
    second = _remarks(tmp_path, "second.txt", "Nobody owns the river")
    assert run_cli([*CONFIG, "ingest", str(second), "--db", db]).returncode == 0
    after_split = _actor(positions_db, "A. Kroll")
    assert after_split is not None
    assert after_split["quotes"] == 2

    merged = run_cli([*CONFIG, "actors", "merge", "Ana Kroll", "A. Kroll", "--db", db])
    assert merged.returncode == 0, merged.stderr
    both = _actor(positions_db, "Ana Kroll")
    assert both is not None
    assert both["quotes"] == kroll["quotes"] + 1
    assert _actor(positions_db, "A. Kroll") is None

    history = _json(["actors", "history", "A. Kroll", "--db", db, "--json"])
    assert [edit["action"] for edit in history] == ["split", "merge"]
    assert history[1]["after"]["speaker"]["quote_count"] == both["quotes"]
    text = run_cli([*CONFIG, "actors", "history", "--db", db]).stdout
    assert "merge(name='Ana Kroll', other='A. Kroll')" in text
