"""Hand-written relays through the real command line: ingest -> ``onrecord fidelity``.

Each case of ``cases.py`` is a first report and a later article in another outlet; both are
ingested with the default model, and the findings the CLI reports on the later article must be
exactly the expected kinds (a faithful relay: none).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import run_cli
from tests.fidelity.cases import CASES, Case

pytestmark = pytest.mark.e2e

START = date(2024, 1, 8)
# Cases lie far apart in time, so that no two cases' statements are taken for one.
SPACING_DAYS = 45


def _records(case: Case, index: int) -> list[dict[str, Any]]:
    day = START + timedelta(days=index * SPACING_DAYS)
    return [
        {
            "title": f"{case.name} (first report)",
            "text": case.first,
            "url": f"https://first.example/{case.name}",
            "published": day.isoformat(),
            "outlet": case.first_outlet,
        },
        {
            "title": f"{case.name} (relay)",
            "text": case.later,
            "url": f"https://later.example/{case.name}",
            "published": (day + timedelta(days=2)).isoformat(),
            "outlet": case.later_outlet,
        },
    ]


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fidelity-cases")
    corpus = folder / "cases.jsonl"
    lines = [json.dumps(r) for i, case in enumerate(CASES) for r in _records(case, i)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "cases.db"
    result = run_cli(["ingest", str(corpus), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def findings(cases_db: Path) -> list[dict[str, Any]]:
    result = run_cli(["fidelity", "--db", str(cases_db), "--limit", "10000", "--json"])
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_findings(case: Case, findings: list[dict[str, Any]]) -> None:
    later = f"https://later.example/{case.name}"
    kinds = {f["kind"] for f in findings if f["occurrence"]["url"] == later}
    # Beyond the expected kind, only a trim may come along (a partial quote is a cut too).
    assert case.expected <= kinds, kinds
    assert kinds - case.expected <= ({"trimmed"} if case.expected - {"trimmed"} else set())
    for finding in findings:
        if finding["occurrence"]["url"] == later:
            assert finding["origin"]["url"] == f"https://first.example/{case.name}"
            assert finding["origin"]["outlet"] == case.first_outlet
            assert finding["occurrence"]["outlet"] == case.later_outlet


def test_no_finding_on_a_first_report(findings: list[dict[str, Any]]) -> None:
    assert findings
    assert not [f for f in findings if f["occurrence"]["url"].startswith("https://first.")]


def test_severity_filter_keeps_only_high(cases_db: Path) -> None:
    result = run_cli(["fidelity", "--db", str(cases_db), "--severity", "high", "--json"])
    high = json.loads(result.stdout)
    assert high
    assert {f["severity"] for f in high} == {"high"}
    assert "negation_changed" in {f["kind"] for f in high}


def test_speaker_and_since_filters(cases_db: Path) -> None:
    by_speaker = json.loads(
        run_cli(["fidelity", "--db", str(cases_db), "--speaker", "Lindahl", "--json"]).stdout
    )
    assert [f["kind"] for f in by_speaker] == ["negation_changed"]
    last = START + timedelta(days=(len(CASES) - 1) * SPACING_DAYS)
    recent = json.loads(
        run_cli(["fidelity", "--db", str(cases_db), "--since", last.isoformat(), "--json"]).stdout
    )
    assert all(f["occurrence"]["published"] >= last.isoformat() for f in recent)


def test_search_altered(cases_db: Path) -> None:
    hits = json.loads(
        run_cli(["search", "--altered", "--limit", "1000", "--db", str(cases_db), "--json"]).stdout
    )
    urls = {hit["url"] for hit in hits}
    assert "https://later.example/negation_dropped_in_rewrite" in urls
    assert "https://first.example/negation_dropped_in_rewrite" in urls
    assert "https://later.example/faithful_relay_with_credit" not in urls


def test_table_output_and_bad_severity(cases_db: Path) -> None:
    table = run_cli(["fidelity", "--db", str(cases_db), "--kind", "speaker_changed"])
    assert table.returncode == 0, table.stderr
    assert "speaker_changed" in table.stdout
    assert "Vallo" in table.stdout
    assert "Orlov" in table.stdout
    bad = run_cli(["fidelity", "--db", str(cases_db), "--severity", "severe"])
    assert bad.returncode == 1
    assert "OR204" in bad.stderr
    assert "severe" in bad.stderr
