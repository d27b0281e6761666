"""Positions: where each actor stands on each issue, and when that changed.

Input: stored statements (``QuoteHit`` from ``Store.iter_quotes()``) and an optional issue
catalogue. Output: ``Position`` (stance, act, condition, evidence per statement and issue),
per-actor timelines and ``Shift`` records.

Stages: catalogue (``load_catalogue``) or discovery (``discover_issues``) -> linking
(``IssueLinker``) -> stance (``StanceClassifier``: a MiniLM cross-encoder with stance and act
heads run with onnxruntime, plus rules for condition text and act cues) -> ``positions_for``
-> ``timeline`` / ``detect_shifts``. ``compute_positions`` does all of it for a store in memory.

Stored positions (what pages, the API and the CLI read): ``PositionsStep`` derives the
positions of each ingest batch and stores them; ``rebuild_positions`` derives them all again
against the issues ``issue_set`` picks (``onrecord positions rebuild``); ``actor_positions``,
``actor_shifts``, ``stored_shifts``, ``issue_positions`` and ``summarise`` read them back.
"""

from onrecord.positions._cache import StoreStanceCache
from onrecord.positions._catalogue import issue_to_toml, load_catalogue, promote_issue
from onrecord.positions._derive import (
    PositionsStep,
    is_stale,
    rebuild_positions,
    refresh_shifts,
    refresh_speakers,
    shift_from_json,
    to_position,
)
from onrecord.positions._discover import (
    cluster,
    discover_issues,
    label_groups,
    load_phrase_parser,
    merge_near_duplicates,
    noun_phrases,
)
from onrecord.positions._encoder import OnnxSentenceEncoder, SentenceEncoder, TextEncoder
from onrecord.positions._evaluate import ClassScore, StanceReport, evaluate_stance
from onrecord.positions._issues import (
    discover_store_issues,
    drop_issue,
    issue_set,
    merge_issue,
    promote_stored_issue,
    rename_issue,
)
from onrecord.positions._link import IssueLinker
from onrecord.positions._read import (
    SHIFTS_LIMIT,
    PositionSummary,
    StatementRef,
    SummaryStep,
    actor_positions,
    actor_record,
    actor_shifts,
    find_issue_id,
    has_positions,
    issue_positions,
    statement_numbers,
    stored_issues_list,
    stored_shifts,
    summarise,
)
from onrecord.positions._records import (
    ACTS,
    STANCES,
    ActLabel,
    Catalogue,
    DiscoveredIssue,
    Issue,
    IssueLink,
    Position,
    PositionsIndex,
    QuoteLike,
    Shift,
    StanceLabel,
    StanceResult,
)
from onrecord.positions._stance import STANCE_MODEL_NAME, StanceClassifier, cache_key
from onrecord.positions._timeline import (
    PositionModels,
    actor_of,
    compute_positions,
    detect_shifts,
    discover_quote_issues,
    positions_for,
    spokespeople_of,
    timeline,
)

__all__ = [
    "ACTS",
    "SHIFTS_LIMIT",
    "STANCES",
    "STANCE_MODEL_NAME",
    "ActLabel",
    "Catalogue",
    "ClassScore",
    "DiscoveredIssue",
    "Issue",
    "IssueLink",
    "IssueLinker",
    "OnnxSentenceEncoder",
    "Position",
    "PositionModels",
    "PositionSummary",
    "PositionsIndex",
    "PositionsStep",
    "QuoteLike",
    "SentenceEncoder",
    "Shift",
    "StanceClassifier",
    "StanceLabel",
    "StanceReport",
    "StanceResult",
    "StatementRef",
    "StoreStanceCache",
    "SummaryStep",
    "TextEncoder",
    "actor_of",
    "actor_positions",
    "actor_record",
    "actor_shifts",
    "cache_key",
    "cluster",
    "compute_positions",
    "detect_shifts",
    "discover_issues",
    "discover_quote_issues",
    "discover_store_issues",
    "drop_issue",
    "evaluate_stance",
    "find_issue_id",
    "has_positions",
    "is_stale",
    "issue_positions",
    "issue_set",
    "issue_to_toml",
    "label_groups",
    "load_catalogue",
    "load_phrase_parser",
    "merge_issue",
    "merge_near_duplicates",
    "noun_phrases",
    "positions_for",
    "promote_issue",
    "promote_stored_issue",
    "rebuild_positions",
    "refresh_shifts",
    "refresh_speakers",
    "rename_issue",
    "shift_from_json",
    "spokespeople_of",
    "statement_numbers",
    "stored_issues_list",
    "stored_shifts",
    "summarise",
    "timeline",
    "to_position",
]
