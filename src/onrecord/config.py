"""Settings, loaded once from the environment and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import ConfigError

DEFAULT_DB = "onrecord.db"
DEFAULT_BATCH_SIZE = 64
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    """Knobs of a run.

    Attributes:
        db_path: SQLite store used when a command is given no ``--db``.
        batch_size: articles parsed together by spaCy and committed in one transaction.
        max_chars: articles longer than this are rejected with a clear error instead of parsed
            (spaCy's parser needs about 1 GB of memory per 100,000 words).
        min_confidence: statements below this confidence are dropped.
    """

    db_path: Path = Path(DEFAULT_DB)
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = DEFAULT_MAX_CHARS
    min_confidence: float = 0.0


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(
            f"[{ConfigError.code}] {name}={raw!r} is not a whole number; unset it or give one."
        ) from exc
    if value <= 0:
        raise ConfigError(f"[{ConfigError.code}] {name}={raw!r} must be positive.")
    return value


def load_settings() -> Settings:
    """Read settings from ``ONRECORD_*`` environment variables, falling back to defaults.

    Returns:
        The validated settings.

    Raises:
        ConfigError: a variable holds a value onrecord cannot use.
    """
    return Settings(
        db_path=Path(os.environ.get("ONRECORD_DB") or DEFAULT_DB),
        batch_size=_int_env("ONRECORD_BATCH_SIZE", DEFAULT_BATCH_SIZE),
        max_chars=_int_env("ONRECORD_MAX_CHARS", DEFAULT_MAX_CHARS),
    )
