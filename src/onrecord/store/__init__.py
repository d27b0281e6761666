"""Store: SQLite with FTS5 -- schema, migrations, ingest of ExtractedArticle, search.

Input: ``ExtractedArticle`` records from the pipeline. Output: typed query results
(``QuoteHit``, ``SpeakerSummary``, ``SpeakerRecord``) and the stored articles themselves.
This package is the only place in onrecord that speaks SQL; it knows tables and queries
only. Derived data (quotations, stories, quote fidelity) is worked out by the after-batch
steps ``add_articles`` is given (``BatchStep``, ``onrecord.derive``).
"""

from onrecord.store._browse import Facets
from onrecord.store._connection import Connection
from onrecord.store._db import Store
from onrecord.store._positions import PositionTables
from onrecord.store._records import (
    Actor,
    ActorEdit,
    AddResult,
    IssueEdit,
    QuoteHit,
    SpeakerRecord,
    SpeakerRole,
    SpeakerSummary,
    StoredIssue,
    StoredPosition,
)
from onrecord.store._rejects import Reject
from onrecord.store._schema import SCHEMA_VERSION
from onrecord.store._search import SORTS, QuoteFilter, escape_fts
from onrecord.store._speakers import load_aliases, normalise_name
from onrecord.store._stances import StanceRows
from onrecord.store._steps import BatchStep
from onrecord.store._syntax import SyntaxProblem, has_syntax, read_query

__all__ = [
    "SCHEMA_VERSION",
    "SORTS",
    "Actor",
    "ActorEdit",
    "AddResult",
    "BatchStep",
    "Connection",
    "Facets",
    "IssueEdit",
    "PositionTables",
    "QuoteFilter",
    "QuoteHit",
    "Reject",
    "SpeakerRecord",
    "SpeakerRole",
    "SpeakerSummary",
    "StanceRows",
    "Store",
    "StoredIssue",
    "StoredPosition",
    "SyntaxProblem",
    "escape_fts",
    "has_syntax",
    "load_aliases",
    "normalise_name",
    "read_query",
]
