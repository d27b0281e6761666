"""Fixtures for the reliability tests: the extractor, the hostile-input generator, CLI runs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from onrecord.extract import Extractor, load_extractor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The shipped extractor, loaded once."""
    return load_extractor()


@pytest.fixture(scope="session")
def hostile() -> ModuleType:
    """``bench/hostile_inputs.py``, the generator of good and hostile inputs."""
    spec = importlib.util.spec_from_file_location(
        "hostile_inputs", ROOT / "bench/hostile_inputs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_inputs"] = module
    spec.loader.exec_module(module)
    return module


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a real ``python -m onrecord`` run: no config file, no stray db."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    env.update(extra)
    return env


def run_cli(
    *args: str, cwd: Path, timeout_s: float = 240, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the real command line to completion."""
    return subprocess.run(  # noqa: S603 -- our own interpreter and module
        [sys.executable, "-m", "onrecord", *args],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
