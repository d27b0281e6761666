"""Positions: where each actor stands on each issue, and when that changed.

Input: stored statements (``QuoteHit`` from ``Store.iter_quotes()``) and an optional issue
catalogue. Output: ``Position`` (stance, act, condition, evidence per statement and issue),
per-actor timelines and ``Shift`` records.

Stages: catalogue (``load_catalogue``) or discovery (``discover_issues``) -> linking
(``IssueLinker``) -> stance (``StanceClassifier``: a MiniLM cross-encoder with stance and act
heads run with onnxruntime, plus rules for condition text and act cues) -> ``positions_for``
-> ``timeline`` / ``detect_shifts``.
``compute_positions`` does all of it for a store.
"""

from onrecord.positions._cache import StoreStanceCache
from onrecord.positions._catalogue import issue_to_toml, load_catalogue, promote_issue
from onrecord.positions._discover import cluster, discover_issues
from onrecord.positions._encoder import SentenceEncoder
from onrecord.positions._evaluate import ClassScore, StanceReport, evaluate_stance
from onrecord.positions._link import IssueLinker
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
    "STANCES",
    "STANCE_MODEL_NAME",
    "ActLabel",
    "Catalogue",
    "ClassScore",
    "DiscoveredIssue",
    "Issue",
    "IssueLink",
    "IssueLinker",
    "Position",
    "PositionModels",
    "PositionsIndex",
    "QuoteLike",
    "SentenceEncoder",
    "Shift",
    "StanceClassifier",
    "StanceLabel",
    "StanceReport",
    "StanceResult",
    "StoreStanceCache",
    "actor_of",
    "cache_key",
    "cluster",
    "compute_positions",
    "detect_shifts",
    "discover_issues",
    "discover_quote_issues",
    "evaluate_stance",
    "issue_to_toml",
    "load_catalogue",
    "positions_for",
    "promote_issue",
    "spokespeople_of",
    "timeline",
]
