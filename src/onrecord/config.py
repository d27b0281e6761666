"""Settings, loaded once from the environment and passed down explicitly."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from onrecord.errors import ConfigError

DEFAULT_DB = "onrecord.db"
CONFIG_FILE = "onrecord.toml"
DEFAULT_BATCH_SIZE = 64
DEFAULT_MAX_CHARS = 1_000_000
# Bytes read from one input item (a file, a JSONL line, an archive record once decoded) before
# it is rejected unread: four bytes per character covers the longest article in any encoding.
DEFAULT_MAX_BYTES = 4 * DEFAULT_MAX_CHARS
# A normal article cleans, parses and resolves in well under a second; a minute means the
# input is pathological (or the machine is starved), and the run should move on.
DEFAULT_ITEM_TIMEOUT_S = 60
# The extraction model used when neither --model nor [extract] model names one: the encoder
# and the CRF mixed, which scores higher than the CRF alone on every PolNeAR dev measure
# (docs/evaluation.md); `--model fast` keeps the CRF's speed and calibrated confidence.
DEFAULT_EXTRACT_MODEL = "accurate"


@dataclass(frozen=True, slots=True)
class Settings:
    """Knobs of a run.

    Attributes:
        db_path: Store used when a command is given no ``--db``: a SQLite file, or a
            PostgreSQL URL (``postgresql://...``) kept as text.
        batch_size: articles parsed together by spaCy and committed in one transaction.
        max_chars: articles longer than this are rejected with a clear error instead of parsed
            (spaCy's parser needs about 1 GB of memory per 100,000 words).
        max_bytes: input items (files, JSONL lines, standard input, archive records once
            decoded) bigger than this are rejected while they are read, before any parsing.
        min_confidence: statements below this confidence are dropped.
        config_path: the ``onrecord.toml`` the settings were read from, if any.
        outlets: host -> outlet name pinned in the config file's ``[outlets]`` table.
        aliases_path: the config file again when it pins speaker identities (``[aliases]``).
        catalogue_path: issue catalogue named by ``[positions] catalogue``, relative paths
            taken from the config file's folder; ``None`` when the file names none.
        item_timeout_s: most seconds of CPU time one item may spend in cleaning, parsing or
            extraction, and of real time in reading, before it is rejected; 0 turns the
            limit off.
        extract_model: the extraction model, ``fast``, ``accurate`` or a registered name
            (``[extract] model`` in the config file); checked when the extractor is built.
    """

    db_path: Path | str = Path(DEFAULT_DB)
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = DEFAULT_MAX_CHARS
    max_bytes: int = DEFAULT_MAX_BYTES
    min_confidence: float = 0.0
    config_path: Path | None = None
    outlets: Mapping[str, str] = field(default_factory=dict)
    aliases_path: Path | None = None
    catalogue_path: Path | None = None
    item_timeout_s: float = DEFAULT_ITEM_TIMEOUT_S
    extract_model: str = DEFAULT_EXTRACT_MODEL


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


def _read_config(path: Path) -> tuple[dict[str, str], bool]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"[{ConfigError.code}] cannot read config file {path}: {exc.strerror}. "
            "Check the path given with --config or ONRECORD_CONFIG."
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"[{ConfigError.code}] config file {path} is not valid TOML: {exc}."
        ) from exc
    table = data.get("outlets", {})
    if not isinstance(table, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in table.items()
    ):
        raise ConfigError(
            f"[{ConfigError.code}] [outlets] in {path} must map hosts to names, "
            'e.g. "morningledger.example" = "Morning Ledger".'
        )
    outlets = {key.lower().removeprefix("www."): value for key, value in table.items()}
    return outlets, "aliases" in data


def _read_catalogue(path: Path) -> Path | None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("positions", {})
    value = table.get("catalogue") if isinstance(table, dict) else None
    if not isinstance(table, dict) or (value is not None and not isinstance(value, str)):
        raise ConfigError(
            f'[{ConfigError.code}] [positions] in {path} must hold catalogue = "FILE", '
            'e.g. catalogue = "issues.toml".'
        )
    if value is None:
        return None
    catalogue = Path(value)
    return catalogue if catalogue.is_absolute() else path.parent / catalogue


def _read_extract_model(path: Path) -> str:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("extract", {})
    value = table.get("model", DEFAULT_EXTRACT_MODEL) if isinstance(table, dict) else None
    if not isinstance(value, str) or not value:
        raise ConfigError(
            f'[{ConfigError.code}] [extract] in {path} must hold model = "NAME", '
            'e.g. model = "accurate" or model = "fast".'
        )
    return value


def find_config(explicit: Path | None = None) -> Path | None:
    """The config file to use: ``explicit``, else ``$ONRECORD_CONFIG``, else ./onrecord.toml."""
    if explicit is not None:
        return explicit
    named = os.environ.get("ONRECORD_CONFIG")
    if named:
        return Path(named)
    local = Path(CONFIG_FILE)
    return local if local.is_file() else None


def load_settings(config: Path | None = None) -> Settings:
    """Read settings from the config file and ``ONRECORD_*`` environment variables.

    The config file (TOML) may hold ``[outlets]`` (host -> outlet name), ``[aliases]``
    (canonical speaker name -> variants, read by the store) and ``[positions] catalogue``
    (the issue catalogue, relative to the config file) and ``[extract] model`` (the extraction
    model: ``fast`` or ``accurate``).

    Args:
        config: the config file; found with ``find_config`` when ``None``.

    Returns:
        The validated settings.

    Raises:
        ConfigError: a variable or the config file holds a value onrecord cannot use.
    """
    path = find_config(config)
    outlets, has_aliases = _read_config(path) if path is not None else ({}, False)
    return Settings(
        db_path=store_target(os.environ.get("ONRECORD_DB") or DEFAULT_DB),
        batch_size=_int_env("ONRECORD_BATCH_SIZE", DEFAULT_BATCH_SIZE),
        max_chars=_int_env("ONRECORD_MAX_CHARS", DEFAULT_MAX_CHARS),
        max_bytes=_int_env("ONRECORD_MAX_BYTES", DEFAULT_MAX_BYTES),
        config_path=path,
        outlets=outlets,
        aliases_path=path if has_aliases else None,
        catalogue_path=_read_catalogue(path) if path is not None else None,
        item_timeout_s=_int_env("ONRECORD_ITEM_TIMEOUT_S", DEFAULT_ITEM_TIMEOUT_S),
        extract_model=_read_extract_model(path) if path is not None else DEFAULT_EXTRACT_MODEL,
    )


POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    """Whether a store target names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def store_target(value: str | Path) -> Path | str:
    """A ``--db`` value as ``Store.open`` takes it: a PostgreSQL URL as text, else a path."""
    text = str(value)
    return text if is_postgres_url(text) else Path(text)
