"""Extraction quality must not regress: the eval gate on a fixed PolNeAR dev sample."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.conftest import REPO

pytestmark = pytest.mark.e2e

SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"


def test_scores_stay_above_the_pinned_floors() -> None:
    if not SPLIT.is_dir():
        pytest.fail(f"PolNeAR dev split not found at {SPLIT}; the gate reads it from ../shared")
    result = subprocess.run(  # noqa: S603 - the project's own gate script
        [sys.executable, str(REPO / "eval" / "gate.py"), "--split", str(SPLIT)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
