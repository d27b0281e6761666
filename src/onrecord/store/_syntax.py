"""The search box's query syntax, read once and written for either backend's full-text index.

Input: what a user typed. Output: a ``SearchExpr`` (clauses ANDed, each clause one or more
terms ORed, or one negated term), which ``to_fts5`` writes as an FTS5 query and
``to_tsquery`` as a PostgreSQL ``tsquery``. The syntax::

    guarantees monitors        both words (AND is implied)
    "dam monitors"             the words next to each other, in this order
    monitors OR inspectors     either word (OR in capitals)
    NOT levy   /   -levy       leave out statements with the word
    guarant*                   any word starting with "guarant"

Every word reaches the index quoted, so other punctuation is plain text. What cannot be read
(an unclosed quote, OR or NOT with nothing to act on, nothing but left-out words) yields a
``SyntaxProblem`` saying so; the caller then searches the words as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

OR_WORD: Final = "OR"
NOT_WORD: Final = "NOT"
TOKEN: Final = re.compile(r'-?"[^"]*"\*?|-?"[^"]*$|\S+')


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase; ``is_prefix`` matches any word its last word starts."""

    words: tuple[str, ...]
    is_prefix: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    """Terms ORed together, or one term to leave out (``is_negated``)."""

    terms: tuple[Term, ...]
    is_negated: bool = False


@dataclass(frozen=True, slots=True)
class SearchExpr:
    """Clauses ANDed together; at least one is not negated."""

    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Why the text could not be read as query syntax, said for the person who typed it."""

    message: str


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\x00", " ").split())


def _term(token: str) -> Term | SyntaxProblem:
    if token.startswith('"'):
        body = token.rstrip("*")
        if len(body) == 1 or not body.endswith('"'):
            return SyntaxProblem(f"the quote mark in {token!r} is never closed")
        is_prefix = token.endswith("*")
        words = _words(token.rstrip("*")[1:-1])
        if not words:
            return SyntaxProblem("an empty pair of quote marks has no words to look for")
        return Term(words, is_prefix)
    stripped = token.rstrip("*")
    if not stripped:
        return SyntaxProblem("'*' needs the start of a word before it, as in guarant*")
    return Term(_words(stripped) or (stripped,), is_prefix=stripped != token)


def read_query(text: str) -> SearchExpr | SyntaxProblem:
    """Read search-box text as query syntax (see the module docstring).

    Args:
        text: What the user typed; not empty.

    Returns:
        The expression, or a ``SyntaxProblem`` naming what could not be read.
    """
    tokens = TOKEN.findall(text.replace("\x00", " "))
    clauses: list[Clause] = []
    pending_or = False
    negate_next = False
    for token in tokens:
        if token == OR_WORD:
            if not clauses or clauses[-1].is_negated or pending_or or negate_next:
                return SyntaxProblem("OR needs a word on each side, as in monitors OR inspectors")
            pending_or = True
            continue
        if token == NOT_WORD:
            if negate_next or pending_or:
                return SyntaxProblem("NOT needs a word after it, as in NOT levy")
            negate_next = True
            continue
        is_negated = negate_next
        if token.startswith("-") and len(token) > 1 and not negate_next and not pending_or:
            token, is_negated = token[1:], True
        term = _term(token)
        if isinstance(term, SyntaxProblem):
            return term
        if pending_or:
            if is_negated:
                return SyntaxProblem("a left-out word cannot be one side of OR")
            last = clauses.pop()
            clauses.append(Clause((*last.terms, term)))
            pending_or = False
        else:
            clauses.append(Clause((term,), is_negated))
        negate_next = False
    if pending_or:
        return SyntaxProblem("OR needs a word on each side, as in monitors OR inspectors")
    if negate_next:
        return SyntaxProblem("NOT needs a word after it, as in NOT levy")
    if not any(not c.is_negated for c in clauses):
        return SyntaxProblem(
            "a search needs at least one word to find, not only words to leave out"
        )
    return SearchExpr(tuple(clauses))


def has_syntax(text: str) -> bool:
    """Whether the text uses any operator of the syntax (quotes, OR, NOT, -, *)."""
    return any(
        token in (OR_WORD, NOT_WORD) or token.startswith(('"', "-")) or token.endswith("*")
        for token in text.split()
    )


def _fts5_term(term: Term) -> str:
    phrase = '"' + " ".join(term.words).replace('"', '""') + '"'
    return phrase + "*" if term.is_prefix else phrase


def _fts5_clause(clause: Clause) -> str:
    if len(clause.terms) == 1:
        return _fts5_term(clause.terms[0])
    return "(" + " OR ".join(_fts5_term(t) for t in clause.terms) + ")"


def to_fts5(expr: SearchExpr) -> str:
    """The expression as an FTS5 query (FTS5's NOT is binary: kept words come first)."""
    kept = " AND ".join(_fts5_clause(c) for c in expr.clauses if not c.is_negated)
    left_out = "".join(f" NOT {_fts5_clause(c)}" for c in expr.clauses if c.is_negated)
    return f"({kept}){left_out}" if left_out else kept


def _lexeme(word: str, is_prefix: bool) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if is_prefix else quoted


def _tsquery_term(term: Term) -> str:
    last = len(term.words) - 1
    parts = [_lexeme(w, term.is_prefix and i == last) for i, w in enumerate(term.words)]
    return "(" + " <-> ".join(parts) + ")"


def to_tsquery(expr: SearchExpr) -> str:
    """The expression as ``to_tsquery`` input: ``&``, ``|``, ``!``, ``<->`` and ``:*``."""
    parts = []
    for clause in expr.clauses:
        ored = "(" + " | ".join(_tsquery_term(t) for t in clause.terms) + ")"
        parts.append("!" + ored if clause.is_negated else ored)
    return " & ".join(parts)
