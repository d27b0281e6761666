"""Positions as stored, derived data: per ingest batch, and rebuilt on request.

Input: a store, the statements a batch added (``AddResult.added_ids``) and the issues stored
with the positions. Output: rows in the store's positions tables (``Store.position_tables``):
one per statement and issue it concerns, the shifts of every (actor, issue) pair a batch
touched, and each issue's counts. Reads (pages, API, CLI) then only query those tables.

Per batch (``PositionsStep``):

1. the batch's statements are linked to the stored issues and classified
   (``derive_positions``); who holds each position is worked out with the spokespeople seen
   anywhere in the store for the batch's speakers (``actor_of``);
2. older positions of the batch's speakers whose holder changed (a spokesperson's body
   became known, a speaker got a fuller name) move to the new holder;
3. shifts are detected again for every (actor, issue) pair touched, from that pair's stored
   positions alone; counts are brought up to date.

Each statement's position depends only on the statement, the issues and its speaker's
stored statements, and shifts only on the pair's positions, so any ingest order and any
batching ends in the rows ``rebuild_positions`` writes from scratch.

The issues are set by ``rebuild_positions`` (the catalogue's, else discovered ones) and, on
a store whose first batch this is, from the configured catalogue. A catalogue that differs
from the one positions were derived with is reported (``is_stale``), never applied on a read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

import numpy as np

from onrecord.errors import OnrecordError
from onrecord.positions._catalogue import load_catalogue
from onrecord.positions._encoder import FloatArray
from onrecord.positions._link import IssueLinker
from onrecord.positions._records import Catalogue, Issue, Position, Shift, StanceResult
from onrecord.positions._stance import STANCE_MODEL_NAME
from onrecord.positions._timeline import (
    _SPOKESPERSON,
    PositionModels,
    actor_of,
    detect_shifts,
    make_position,
)

if TYPE_CHECKING:
    from onrecord.config import Settings
    from onrecord.store import AddResult, PositionTables, QuoteHit, Store, StoredPosition

log = logging.getLogger(__name__)

STATE_CATALOGUE: Final = "catalogue"
STATE_METHOD: Final = "method"
STATE_SOURCE: Final = "source"
NO_CATALOGUE: Final = "discovered"
REBUILD_CHUNK: Final = 2000
# Statement texts (and text-proposition pairs) remembered across batches.
MEMO_SIZE: Final = 20_000
ProgressFn = Callable[[int, int], None]
K = TypeVar("K")
V = TypeVar("V")


def issues_digest(issues: Iterable[Issue]) -> str:
    """A short digest of what issues say, to tell whether positions were derived from them."""
    text = json.dumps([i.to_dict() for i in issues], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


# How the models are run, apart from their weights. 2: each (statement, issue) pair goes
# through the stance cross-encoder in a call of its own (its int8 activations were scaled with
# its batch-mates before), so positions derived before differ in a few stances. 3: pairs run
# in batches of 8 again, through ``stance.crossencoder.v2``, whose int8 inputs are scaled per
# token (a pair's logits do not depend on its batch-mates).
RUN_REVISION: Final = "pairs.v3"
# The linker's sentence vectors: ``link.minilm.v1`` came from the numpy MiniLM, v2 from its
# int8 ONNX graph (similarities move by up to about 0.02, so links near the threshold differ),
# v3 from the same int8 weights with ``QuantizeLinear`` (link scores move by up to about 0.01).
LINK_METHOD: Final = "link.minilm.v3"


def method_name() -> str:
    """The derivation method stored with positions: stance model, linker and how they run."""
    return f"{STANCE_MODEL_NAME}+{LINK_METHOD}+{RUN_REVISION}"


def catalogue_state(catalogue: Catalogue | None) -> dict[str, str]:
    """What positions derived from ``catalogue`` (``None``: discovered issues) record."""
    return {
        STATE_CATALOGUE: issues_digest(catalogue.issues) if catalogue else NO_CATALOGUE,
        STATE_SOURCE: str(catalogue.path) if catalogue and catalogue.path else "",
        STATE_METHOD: method_name(),
    }


def stored_issues(tables: PositionTables) -> list[Issue]:
    """The issues stored with the positions, as ``Issue`` records."""
    return [Issue(i.id, i.label, i.proposition, i.keywords, i.examples) for i in tables.issues()]


def is_stale(store: Store, catalogue_path: Path | None) -> str | None:
    """Why the stored positions do not match the configured catalogue, or ``None``.

    Never re-derives: the fix is ``onrecord positions rebuild``.
    """
    state = store.position_tables().state()
    if not state:
        return None
    if catalogue_path is None:
        return None
    try:
        wanted = issues_digest(load_catalogue(catalogue_path).issues)
    except OnrecordError as exc:
        return str(exc)
    if state.get(STATE_CATALOGUE) != wanted:
        return (
            f"positions were derived from another issue set than {catalogue_path}; "
            "run `onrecord positions rebuild` to derive them again"
        )
    if state.get(STATE_METHOD) != method_name():
        return "positions were derived by another method; run `onrecord positions rebuild`"
    return None


POSITION_FIELDS: Final = tuple(f.name for f in fields(Position))


def to_position(stored: StoredPosition) -> Position:
    """A stored position as the positions layer's record."""
    return Position(**{name: getattr(stored, name) for name in POSITION_FIELDS})


def _position_from(data: Mapping[str, Any]) -> Position:  # Any: decoded JSON values
    published = data.get("published")
    return Position(
        **{
            **data,
            "published": date.fromisoformat(published) if published else None,
            "via": tuple(data.get("via", ())),
            "cues": tuple(data.get("cues", ())),
        }
    )


def shift_from_json(text: str) -> Shift:
    """A shift read back from the JSON ``Shift.to_dict`` gave."""
    data = json.loads(text)
    return Shift(
        actor=data["actor"],
        issue_id=data["issue_id"],
        issue_label=data["issue_label"],
        kind=data["kind"],
        before=_position_from(data["before"]),
        after=_position_from(data["after"]),
        held_since=_position_from(data["held_since"]),
        summary=data["summary"],
        evidence=tuple(_position_from(p) for p in data.get("evidence", ())),
    )


def spokespeople_by_id(tables: PositionTables, speaker_ids: Iterable[int]) -> dict[int, str]:
    """Speaker id -> the body the speaker most often speaks for as its spokesperson.

    Counted over every stored statement of the speaker; ties go to the first name in
    alphabetical order, so the answer does not depend on ingest order.
    """
    seen: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for speaker_id, role, org in tables.speaker_roles(sorted(set(speaker_ids))):
        if _SPOKESPERSON.search(role):
            seen[speaker_id][org] += 1
    return {
        speaker_id: min(orgs, key=lambda org: (-orgs[org], org))
        for speaker_id, orgs in seen.items()
    }


def _actor(hit: QuoteHit, bodies: Mapping[int, str]) -> str | None:
    spokespeople = (
        {hit.speaker: bodies[hit.speaker_id]}
        if hit.speaker and hit.speaker_id is not None and hit.speaker_id in bodies
        else None
    )
    return actor_of(hit, spokespeople)


@dataclass(slots=True)
class Deriver:
    """Links statements to a fixed set of issues and classifies them; models load once.

    News repeats itself (wire copies, relayed quotes): a statement text is encoded once and
    a (text, proposition) pair classified once, within a batch and across the last
    ``memo_size`` of each, so a repeated quotation costs nothing. The models are pure
    functions of their input, so this changes no result.
    """

    issues: tuple[Issue, ...]
    models: PositionModels
    memo_size: int = MEMO_SIZE
    _linker: IssueLinker | None = field(default=None, init=False)
    _vectors: OrderedDict[str, FloatArray] = field(default_factory=OrderedDict, init=False)
    _stances: OrderedDict[tuple[str, str], StanceResult] = field(
        default_factory=OrderedDict, init=False
    )

    def _encode(self, texts: Sequence[str]) -> FloatArray:
        found, new = _recall(self._vectors, texts)
        if new:
            for text, vector in zip(new, self.models.encoder.encode(new), strict=True):
                found[text] = vector
                _remember(self._vectors, text, vector, self.memo_size)
        return np.stack([found[t] for t in texts])

    def _classify(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        found, new = _recall(self._stances, pairs)
        if new:
            results = self.models.classifier.classify_many(
                [text for text, _ in new], [proposition for _, proposition in new]
            )
            for pair, result in zip(new, results, strict=True):
                found[pair] = result
                _remember(self._stances, pair, result, self.memo_size)
        return [found[p] for p in pairs]

    def derive(self, hits: Sequence[QuoteHit], bodies: Mapping[int, str]) -> list[Position]:
        """Positions of these statements on every issue they concern."""
        if not self.issues:
            return []
        if self._linker is None:
            self._linker = IssueLinker(Catalogue(self.issues), self.models.encoder)
        items = [(h, a) for h in hits if h.text.strip() and (a := _actor(h, bodies)) is not None]
        if not items:
            return []
        by_id = {i.id: i for i in self.issues}
        texts = [h.text for h, _ in items]
        links = self._linker.link(texts, self._encode(texts))
        pairs = [
            (hit, actor, by_id[link.issue_id], link.score)
            for (hit, actor), found in zip(items, links, strict=True)
            for link in found
        ]
        results = self._classify([(hit.text, issue.proposition) for hit, _, issue, _ in pairs])
        return [
            make_position(hit, actor, issue, score, result, self.models)
            for (hit, actor, issue, score), result in zip(pairs, results, strict=True)
        ]


def _recall(memo: OrderedDict[K, V], keys: Sequence[K]) -> tuple[dict[K, V], list[K]]:
    """The remembered values of these keys (marked as recently used), and the distinct keys
    not remembered, in order.

    The values are copied out before anything new is remembered: a batch with more new keys
    than the memo holds must not push out the ones it found.
    """
    found: dict[K, V] = {}
    missing: dict[K, None] = {}
    for key in keys:
        if key in found or key in missing:
            continue
        if key in memo:
            found[key] = memo[key]
            memo.move_to_end(key)
        else:
            missing[key] = None
    return found, list(missing)


def _remember(memo: OrderedDict[K, V], key: K, value: V, size: int) -> None:
    memo[key] = value
    memo.move_to_end(key)
    while len(memo) > size:
        memo.popitem(last=False)


def refresh_shifts(tables: PositionTables, pairs: Iterable[tuple[str, str]]) -> int:
    """Detect the shifts of these (actor, issue) pairs again from their stored positions.

    Returns:
        The number of shifts now stored for them.
    """
    pairs = sorted(set(pairs))
    rows: list[tuple[str, str, str | None, str]] = []
    for actor, issue_id in pairs:
        positions = [to_position(p) for p in tables.pair_positions(actor, issue_id)]
        for shift in detect_shifts(positions):
            published = shift.after.published.isoformat() if shift.after.published else None
            body = json.dumps(shift.to_dict(), ensure_ascii=False)
            rows.append((shift.actor, shift.issue_id, published, body))
    tables.replace_shifts(pairs, rows)
    return len(rows)


def _move_actors(tables: PositionTables, speaker_ids: Iterable[int]) -> set[tuple[str, str]]:
    """Give older positions of these speakers their current holder; the pairs that changed."""
    ids = sorted(set(speaker_ids))
    if not ids:
        return set()
    bodies = spokespeople_by_id(tables, ids)
    moves: list[tuple[str, int]] = []
    pairs: set[tuple[str, str]] = set()
    for row in tables.speaker_positions(ids):
        own = row.org if row.org and row.role and _SPOKESPERSON.search(row.role) else None
        wanted = own or bodies.get(row.speaker_id) or row.speaker
        if wanted and wanted != row.actor:
            moves.append((wanted, row.quote_id))
            pairs.update({(row.actor, row.issue_id), (wanted, row.issue_id)})
    if moves:
        tables.set_actors(moves)
    return pairs


def refresh_speakers(store: Store, names: Iterable[str]) -> int:
    """After speakers were merged or split: give their positions their current holder and
    detect the shifts of the pairs that changed.

    Returns:
        The number of (actor, issue) pairs whose shifts were detected again.
    """
    tables = store.position_tables()
    ids = {i for name in names if name for i in tables.speaker_ids(name)}
    pairs = _move_actors(tables, ids)
    held = {(row.actor, row.issue_id) for row in tables.speaker_positions(sorted(ids))}
    pairs |= held
    refresh_shifts(tables, pairs)
    tables.recount({issue_id for _, issue_id in pairs})
    return len(pairs)


def apply_batch(
    tables: PositionTables,
    deriver: Deriver,
    hits: Sequence[QuoteHit],
    *,
    keep_other_issues: bool = False,
) -> tuple[int, int]:
    """Derive and store the positions of statements just added, and what they change.

    With ``keep_other_issues`` only positions on the deriver's issues are replaced (a merge
    reads statements again against one issue).

    Returns:
        (Actor, issue) pairs whose shifts were detected again, and positions written.
    """
    positions = deriver.derive(hits, batch_bodies(tables, hits))
    only = [i.id for i in deriver.issues] if keep_other_issues else None
    return store_batch(tables, hits, positions, only), len(positions)


def batch_bodies(tables: PositionTables, hits: Sequence[QuoteHit]) -> dict[int, str]:
    """The bodies the speakers of these statements speak for, from the whole store."""
    return spokespeople_by_id(tables, {h.speaker_id for h in hits if h.speaker_id is not None})


def store_batch(
    tables: PositionTables,
    hits: Sequence[QuoteHit],
    positions: Sequence[Position],
    only: Sequence[str] | None = None,
) -> int:
    """Store the positions derived for these statements, and what they change: holders of
    the speakers' older positions, shifts and counts of every pair touched.

    Returns:
        The number of (actor, issue) pairs whose shifts were detected again.
    """
    speaker_ids = {h.speaker_id for h in hits if h.speaker_id is not None}
    quote_ids = [h.quote_id for h in hits]
    before = tables.actors_of_quotes(quote_ids)
    tables.write_positions(quote_ids, positions, only)
    pairs = before | {(p.actor, p.issue_id) for p in positions} | _move_actors(tables, speaker_ids)
    refresh_shifts(tables, pairs)
    tables.recount({issue_id for _, issue_id in pairs})
    return len(pairs)


class PositionsStep:
    """The after-batch step that keeps stored positions up to date while articles arrive.

    Pass it to ``store_outcomes`` (``after_batch=``). Models load on the first batch that
    has issues to derive against; when they cannot load, positions are skipped with one
    warning and the ingest goes on (``onrecord positions rebuild`` derives them later).

    With ``is_overlapped`` the models load and run in a thread of their own while the next
    batch is extracted: a batch's positions are stored when the next batch arrives, and the
    last batch's when the step is closed (use it as a context manager around the run). Every
    store access stays in the caller's thread.

    Args:
        catalogue_path: The configured catalogue; on a store without issues, its issues
            become the stored ones.
        models: Loaded models; loaded on first use when ``None``.
        load_models: How to load them.
        is_overlapped: Derive in a background thread (see above).
    """

    def __init__(
        self,
        catalogue_path: Path | None = None,
        models: PositionModels | None = None,
        load_models: Callable[[], PositionModels] = PositionModels.load,
        *,
        is_overlapped: bool = False,
    ) -> None:
        self._catalogue_path = catalogue_path
        self._executor = ThreadPoolExecutor(1, "onrecord-positions") if is_overlapped else None
        self._pending: tuple[Store, list[QuoteHit], Future[list[Position]]] | None = None
        self._models = models
        self._load_models = load_models
        self._deriver: Deriver | None = None
        self._is_disabled = False
        self._has_warned = False
        self.positions = 0

    @classmethod
    def from_settings(cls, settings: Settings, *, is_overlapped: bool = False) -> PositionsStep:
        """The step for a run with these settings (their catalogue)."""
        return cls(settings.catalogue_path, is_overlapped=is_overlapped)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Store the positions still being derived, and stop the background thread."""
        try:
            self._store_pending()
        finally:
            if self._executor is not None:
                self._executor.shutdown()

    def _store_pending(self) -> None:
        if self._pending is None:
            return
        store, hits, future = self._pending
        self._pending = None
        positions = future.result()
        pairs = store_batch(store.position_tables(), hits, positions)
        self.positions += len(positions)
        log.debug("positions: %d for %d statements, %d pairs", len(positions), len(hits), pairs)

    def __call__(self, store: Store, result: AddResult) -> None:
        """Derive the positions of the articles ``result`` added."""
        if self._is_disabled or not result.added_ids:
            return
        tables = store.position_tables()
        issues = self._issues(store, tables, result)
        if not issues:
            return
        if self._executor is None:
            deriver = self._deriver_for(issues)
            if deriver is None:
                return
            hits = tables.statements_of_articles(result.added_ids)
            pairs, written = apply_batch(tables, deriver, hits)
            self.positions += written
            log.debug("positions: %d for %d statements, %d pairs", written, len(hits), pairs)
            return
        hits = tables.statements_of_articles(result.added_ids)
        self._store_pending()
        bodies = batch_bodies(tables, hits)
        self._pending = (store, hits, self._executor.submit(self._derive, issues, hits, bodies))

    def _derive(
        self, issues: tuple[Issue, ...], hits: Sequence[QuoteHit], bodies: Mapping[int, str]
    ) -> list[Position]:
        # In the background thread: the models load there too, while the next batch is
        # extracted.
        deriver = self._deriver_for(issues)
        return [] if deriver is None else deriver.derive(hits, bodies)

    def _issues(
        self, store: Store, tables: PositionTables, result: AddResult
    ) -> tuple[Issue, ...] | None:
        """The issues to derive against; the configured catalogue's on a store's first batch."""
        issues = tuple(stored_issues(tables))
        if not issues and self._catalogue_path is not None and not tables.state():
            if store.stats()["articles"] != len(result.added_ids):
                # Older statements would be left without positions: a rebuild derives all.
                log.warning(
                    "this store holds articles without positions; run "
                    "`onrecord positions rebuild` to derive them for %s",
                    self._catalogue_path,
                )
                self._is_disabled = True
                return None
            catalogue = load_catalogue(self._catalogue_path)
            tables.replace_issues(
                [(issue, "catalogue") for issue in catalogue.issues], catalogue_state(catalogue)
            )
            issues = catalogue.issues
        if not issues:
            return None
        if not self._has_warned:
            self._has_warned = True
            stale = is_stale(store, self._catalogue_path)
            if stale:
                log.warning("%s; new statements use the stored issues", stale)
        return issues

    def _deriver_for(self, issues: tuple[Issue, ...]) -> Deriver | None:
        """The deriver for these issues, loading the models on first use."""
        if self._deriver is None or self._deriver.issues != issues:
            models = self._models
            if models is None:
                try:
                    models = self._load_models()
                except OnrecordError as exc:
                    log.warning("positions skipped: %s", exc)
                    self._is_disabled = True
                    return None
                self._models = models
            self._deriver = Deriver(issues, models)
        return self._deriver


def rebuild_positions(
    store: Store,
    issues: Sequence[tuple[Issue, str]],
    state: dict[str, str],
    models: PositionModels,
    progress: ProgressFn | None = None,
) -> int:
    """Derive every position again, from scratch, against ``issues``.

    Args:
        store: The open store.
        issues: The issues with their origin (``catalogue`` or ``discovered``).
        state: What to record as the source of the issues (``catalogue_state``).
        models: Loaded models.
        progress: Called with (statements done, statements in all) as the work goes.

    Returns:
        The number of positions stored.
    """
    tables = store.position_tables()
    tables.replace_issues(issues, state)
    deriver = Deriver(tuple(issue for issue, _ in issues), models)
    total = store.stats()["quotes"]
    done = written = 0
    chunk: list[QuoteHit] = []

    def flush() -> None:
        nonlocal done, written
        speaker_ids = {h.speaker_id for h in chunk if h.speaker_id is not None}
        positions = deriver.derive(chunk, spokespeople_by_id(tables, speaker_ids))
        tables.write_positions([h.quote_id for h in chunk], positions)
        written += len(positions)
        done += len(chunk)
        chunk.clear()
        if progress is not None:
            progress(done, total)

    for hit in store.iter_quotes():
        chunk.append(hit)
        if len(chunk) >= REBUILD_CHUNK:
            flush()
    flush()
    refresh_shifts(tables, tables.pairs())
    tables.recount(issue.id for issue, _ in issues)
    log.info("positions rebuilt: %d positions over %d statements", written, done)
    return written
