"""The stored issue set: chosen for a rebuild, and edited by the user.

Input: an open ``Store``, the configured catalogue and the loaded models. Output: the issues
``rebuild_positions`` derives against, and edits of stored issues.

``issue_set`` picks the issues: the catalogue's when one is configured (with ``discover``,
discovered issues that repeat none of them are added), else discovered ones. The catalogue
always wins: a discovered issue whose id or label is a catalogue issue's, or whose statements
mostly link to a catalogue issue, is left out, and edits here never change catalogue issues
(change the file). Edits of discovered issues (rename, merge, drop) are stored and applied
again to the next discovery, matched by issue id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.errors import ConfigError, NotFound
from onrecord.positions._catalogue import load_catalogue, promote_issue
from onrecord.positions._derive import (
    Deriver,
    apply_batch,
    catalogue_state,
    refresh_shifts,
)
from onrecord.positions._discover import (
    DISCOVERY_THRESHOLD,
    MAX_STATEMENTS,
    discover_issues,
    load_phrase_parser,
    noun_phrases,
)
from onrecord.positions._link import IssueLinker
from onrecord.positions._records import Catalogue, DiscoveredIssue, Issue
from onrecord.positions._timeline import PositionModels

if TYPE_CHECKING:
    from onrecord.store import IssueEdit, Store, StoredIssue

log = logging.getLogger(__name__)

# A discovered issue most of whose statements link to a catalogue issue repeats it.
REPEATS_CATALOGUE = 0.5


def _now() -> datetime:
    return datetime.now(UTC)


def apply_edits(found: list[DiscoveredIssue], edits: list[IssueEdit]) -> list[DiscoveredIssue]:
    """Discovered issues with the user's renames, merges and drops applied, in order."""
    by_id = {d.id: d for d in found}
    order = [d.id for d in found]
    for edit in edits:
        issue = by_id.get(edit.issue_id)
        if issue is None:
            continue
        if edit.action == "drop":
            del by_id[edit.issue_id]
        elif edit.action == "rename" and edit.value:
            by_id[edit.issue_id] = DiscoveredIssue(
                issue.id,
                edit.value,
                issue.key_phrases,
                issue.quote_ids,
                issue.examples,
                issue.cohesion,
            )
        elif edit.action == "merge" and edit.value in by_id:
            target = by_id[edit.value]
            by_id[edit.value] = DiscoveredIssue(
                target.id,
                target.label,
                tuple(dict.fromkeys(target.key_phrases + issue.key_phrases)),
                target.quote_ids + issue.quote_ids,
                target.examples,
                target.cohesion,
            )
            del by_id[edit.issue_id]
    return [by_id[i] for i in order if i in by_id]


def discover_store_issues(store: Store, models: PositionModels) -> list[DiscoveredIssue]:
    """Issues discovered among the store's attributed statements, with the user's edits.

    Names of speakers and outlets are never labels.
    """
    hits = [h for h in store.iter_quotes() if h.speaker is not None and h.text.strip()]
    hits = hits[:MAX_STATEMENTS]
    names = {h.speaker for h in hits if h.speaker} | {h.outlet for h in hits if h.outlet}
    texts = [h.text for h in hits]
    found = discover_issues(
        [h.quote_id for h in hits],
        texts,
        models.encoder.encode(texts),
        threshold=DISCOVERY_THRESHOLD,
        phrases=noun_phrases(load_phrase_parser(), texts, names),
        names=names,
    )
    return apply_edits(found, store.position_tables().edits())


def _repeats(
    found: DiscoveredIssue, catalogue: Catalogue, linker: IssueLinker, texts: dict[int, str]
) -> bool:
    ids = {i.id for i in catalogue.issues}
    labels = {i.label.casefold() for i in catalogue.issues}
    if found.id in ids or found.label.casefold() in labels:
        return True
    statements = [texts[q] for q in found.quote_ids if q in texts]
    if not statements:
        return False
    linked = sum(1 for links in linker.link(statements) if links)
    return linked >= REPEATS_CATALOGUE * len(statements)


def issue_set(
    store: Store, catalogue_path: Path | None, models: PositionModels, *, discover: bool = False
) -> tuple[list[tuple[Issue, str]], dict[str, str]]:
    """The issues to derive positions against, each with its origin, and the state to store.

    Raises:
        ConfigError: The catalogue cannot be read.
    """
    catalogue = load_catalogue(catalogue_path) if catalogue_path is not None else None
    chosen: list[tuple[Issue, str]] = (
        [(i, "catalogue") for i in catalogue.issues] if catalogue else []
    )
    if catalogue is None or discover:
        found = discover_store_issues(store, models)
        if catalogue is not None:
            linker = IssueLinker(catalogue, models.encoder)
            texts = {h.quote_id: h.text for h in store.iter_quotes()}
            found = [d for d in found if not _repeats(d, catalogue, linker, texts)]
        chosen.extend((d.to_issue(proposition=d.examples[0]), "discovered") for d in found)
    return chosen, catalogue_state(catalogue)


def _discovered(store: Store, issue_id: str) -> StoredIssue:
    issue = store.position_tables().issue(issue_id)
    if issue is None:
        raise NotFound(
            f"[{NotFound.code}] no issue {issue_id!r}. List them with `onrecord issues`."
        )
    if issue.origin == "catalogue":
        raise ConfigError(
            f"[{ConfigError.code}] issue {issue_id!r} comes from the catalogue, which always "
            "wins: change it in the catalogue file, then run `onrecord positions rebuild`."
        )
    return issue


def rename_issue(store: Store, issue_id: str, label: str) -> StoredIssue:
    """Give a discovered issue a label of the user's; shifts take the new label.

    Raises:
        NotFound: No such issue.
        ConfigError: The issue is the catalogue's, or the label is empty.
    """
    _discovered(store, issue_id)
    label = " ".join(label.split())
    if not label:
        raise ConfigError(f"[{ConfigError.code}] the new label is empty; give one.")
    tables = store.position_tables()
    tables.rename_issue(issue_id, label)
    tables.record_edit("rename", issue_id, label, _now().isoformat())
    refresh_shifts(tables, tables.issue_pairs(issue_id))
    return _stored(store, issue_id)


def drop_issue(store: Store, issue_id: str) -> None:
    """Remove a discovered issue with its positions; later discovery leaves it out.

    Raises:
        NotFound: No such issue.
        ConfigError: The issue is the catalogue's.
    """
    _discovered(store, issue_id)
    tables = store.position_tables()
    tables.drop_issue(issue_id)
    tables.record_edit("drop", issue_id, None, _now().isoformat())


def merge_issue(
    store: Store,
    issue_id: str,
    into: str,
    load_models: Callable[[], PositionModels] = PositionModels.load,
) -> StoredIssue:
    """Merge a discovered issue into another: its statements are read again against the
    other's proposition, and it is gone.

    Raises:
        NotFound: Either issue is unknown.
        ConfigError: ``issue_id`` is the catalogue's, or both are the same issue.
    """
    _discovered(store, issue_id)
    target = _stored(store, into)
    if target.id == issue_id:
        raise ConfigError(f"[{ConfigError.code}] cannot merge issue {issue_id!r} into itself.")
    tables = store.position_tables()
    hits = tables.statements_of_issue(issue_id)
    tables.drop_issue(issue_id)
    tables.record_edit("merge", issue_id, target.id, _now().isoformat())
    issue = Issue(target.id, target.label, target.proposition, target.keywords, target.examples)
    deriver = Deriver((issue,), load_models())
    apply_batch(tables, deriver, hits, keep_other_issues=True)
    return _stored(store, target.id)


def promote_stored_issue(store: Store, issue_id: str, catalogue_path: Path | None) -> StoredIssue:
    """Append a discovered issue to the catalogue file; it becomes a catalogue issue.

    Raises:
        NotFound: No such issue.
        ConfigError: No catalogue is configured, the file is not TOML, or has that id.
    """
    issue = _discovered(store, issue_id)
    if catalogue_path is None:
        raise ConfigError(
            f"[{ConfigError.code}] no catalogue to promote into: name one with "
            '[positions] catalogue = "issues.toml" in the config file, or --catalogue.'
        )
    found = DiscoveredIssue(issue.id, issue.label, issue.keywords, (), issue.examples, 0.0)
    promote_issue(found, catalogue_path, issue.id, issue.proposition)
    tables = store.position_tables()
    tables.set_origin(issue.id, "catalogue", catalogue_state(load_catalogue(catalogue_path)))
    return _stored(store, issue.id)


def _stored(store: Store, issue_id: str) -> StoredIssue:
    issue = store.position_tables().issue(issue_id)
    if issue is None:
        raise NotFound(
            f"[{NotFound.code}] no issue {issue_id!r}. List them with `onrecord issues`."
        )
    return issue
