"""Issue catalogue: read a user's TOML (or YAML) file of issues, and add discovered issues to it.

File layout (TOML)::

    [[issue]]
    id = "monitors"
    label = "foreign monitors at the Kessel Dam"
    proposition = "International monitors are posted at the Kessel Dam"
    keywords = ["monitors", "observers", "inspections"]
    examples = ["Foreign monitors on our riverbanks are unacceptable."]

YAML files use the same keys under a top-level ``issue:`` (or ``issues:``) list and need PyYAML.
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path
from typing import Any

from onrecord.errors import ConfigError
from onrecord.positions._records import Catalogue, DiscoveredIssue, Issue

log = logging.getLogger(__name__)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ALLOWED = {"id", "label", "proposition", "keywords", "examples"}


def _fail(path: Path, what: str, fix: str) -> ConfigError:
    return ConfigError(f"[{ConfigError.code}] issue catalogue {path}: {what}. {fix}")


def _read(path: Path) -> dict[str, Any]:  # Any: parsed TOML/YAML document
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})", "Check the path.") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError as exc:
            raise _fail(
                path,
                "YAML needs PyYAML, which is not installed",
                "Use a .toml file or install PyYAML.",
            ) from exc
        try:
            data = yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise _fail(path, f"is not valid YAML ({exc})", "Fix the syntax.") from exc
    else:
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise _fail(
                path, f"is not valid TOML ({exc})", "Fix the syntax; see docs/positions.md."
            ) from exc
    if not isinstance(data, dict):
        raise _fail(path, "does not hold a table of issues", 'Start each issue with "[[issue]]".')
    return data


def _strings(path: Path, where: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"{where}: {key!r} must be a list of non-empty strings", f"Fix {key}.")
    return tuple(v.strip() for v in value)


def _issue(path: Path, number: int, entry: object) -> Issue:
    where = f"issue #{number}"
    if not isinstance(entry, dict):
        raise _fail(path, f"{where} is not a table", 'Write each issue under "[[issue]]".')
    unknown = sorted(set(entry) - _ALLOWED)
    if unknown:
        raise _fail(
            path, f"{where} has unknown key(s) {unknown}", f"Allowed keys: {sorted(_ALLOWED)}."
        )
    values: dict[str, str] = {}
    for key in ("id", "label", "proposition"):
        value = entry.get(key)
        if key == "label" and value is None:
            value = entry.get("proposition")
        if not isinstance(value, str) or not value.strip():
            raise _fail(
                path,
                f"{where} lacks {key!r} (got {value!r})",
                f'Add {key} = "..." to that issue.',
            )
        values[key] = value.strip()
    if not _ID_RE.match(values["id"]):
        raise _fail(
            path,
            f"{where} has id {values['id']!r}",
            "Use lower-case letters, digits, '-' or '_' (for example 'port-admin').",
        )
    return Issue(
        id=values["id"],
        label=values["label"],
        proposition=values["proposition"],
        keywords=_strings(path, where, "keywords", entry.get("keywords", [])),
        examples=_strings(path, where, "examples", entry.get("examples", [])),
    )


def load_catalogue(path: Path) -> Catalogue:
    """Read and check an issue catalogue.

    Args:
        path: a ``.toml`` file (or ``.yaml``/``.yml`` with PyYAML installed).

    Returns:
        The issues in file order.

    Raises:
        ConfigError: the file is unreadable, malformed, empty, has duplicate ids or bad fields;
            the message names the file, the issue and the fix.
    """
    path = Path(path)
    data = _read(path)
    entries = data.get("issue", data.get("issues"))
    if entries is None:
        raise _fail(path, "has no issues", 'Add at least one "[[issue]]" table.')
    if not isinstance(entries, list) or not entries:
        raise _fail(path, "'issue' must be a non-empty list of tables", 'Use "[[issue]]".')
    issues = [_issue(path, n, e) for n, e in enumerate(entries, start=1)]
    seen: set[str] = set()
    for issue in issues:
        if issue.id in seen:
            raise _fail(path, f"issue id {issue.id!r} appears twice", "Give each issue its own id.")
        seen.add(issue.id)
    log.debug("loaded %d issues from %s", len(issues), path)
    return Catalogue(issues=tuple(issues), path=path)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _toml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def issue_to_toml(issue: Issue) -> str:
    """One ``[[issue]]`` table in TOML."""
    lines = [
        "[[issue]]",
        f"id = {_toml_string(issue.id)}",
        f"label = {_toml_string(issue.label)}",
        f"proposition = {_toml_string(issue.proposition)}",
    ]
    if issue.keywords:
        lines.append(f"keywords = {_toml_list(issue.keywords)}")
    if issue.examples:
        lines.append(f"examples = {_toml_list(issue.examples)}")
    return "\n".join(lines) + "\n"


def promote_issue(
    discovered: DiscoveredIssue,
    path: Path,
    issue_id: str | None = None,
    proposition: str | None = None,
    label: str | None = None,
) -> Issue:
    """Append a discovered issue to a TOML catalogue (created if missing) and return it.

    Args:
        discovered: a group from ``discover_issues``.
        path: the catalogue file; must be TOML.
        issue_id: id to give it (default: the discovered id).
        proposition: the proposition users take sides on (default: the label); worth editing.
        label: a human label (default: the discovered label).

    Raises:
        ConfigError: the file is not TOML, is invalid, or already has that id.
    """
    path = Path(path)
    if path.suffix.lower() != ".toml":
        raise _fail(path, "is not a .toml file", "Promote issues into a TOML catalogue.")
    issue = discovered.to_issue(issue_id, proposition)
    if label:
        issue = Issue(issue.id, label, issue.proposition, issue.keywords, issue.examples)
    if not _ID_RE.match(issue.id):
        raise _fail(path, f"id {issue.id!r} is not usable", "Pass issue_id like 'port-admin'.")
    existing = ""
    if path.exists():
        existing = path.read_text(encoding="utf-8")
        if existing.strip():
            catalogue = load_catalogue(path)
            if catalogue.get(issue.id) is not None:
                raise _fail(path, f"already has issue {issue.id!r}", "Pass another issue_id.")
    separator = "\n" if existing and not existing.endswith("\n\n") else ""
    if existing and not existing.endswith("\n"):
        separator = "\n\n"
    path.write_text(existing + separator + issue_to_toml(issue), encoding="utf-8")
    log.info("added issue %s to %s", issue.id, path)
    return issue
