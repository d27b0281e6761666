"""Hostile requests: malformed full-text syntax in every text parameter of every search path,
oversized query strings, escaping of echoed text, SQL built only from constants."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from onrecord.api.app import MAX_QUERY_BYTES
from tests.api._demo import demo_db

SRC = Path(__file__).resolve().parents[2] / "src" / "onrecord"

FTS_BREAKERS = [
    '"',
    '"unbalanced',
    "AND",
    "OR OR",
    "NOT",
    "monitors NEAR(",
    "NEAR(a b, -1)",
    "(((",
    ")",
    "col:*",
    "text:",
    "^",
    "*",
    "a + + b",
    '"a" OR',
    "{text speaker_name}: x",
    "\u0000",
]
# Every path and text parameter that reaches a search; raw=true is the one place FTS5 syntax
# is read as syntax, and must answer 400, never 500.
TEXT_PARAMETERS = [
    ("/api/search", "q", {}),
    ("/api/search", "q", {"raw": "true"}),
    ("/api/search", "speaker", {}),
    ("/api/search", "outlet", {}),
    ("/api/search", "kind", {}),
    ("/api/quotations", "speaker", {}),
    ("/api/positions", "actor", {}),
    ("/api/positions", "issue", {}),
    ("/api/shifts", "actor", {}),
    ("/", "q", {}),
    ("/", "speaker", {}),
    ("/", "outlet", {}),
    ("/", "kind", {}),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A read-only app over the demo store."""
    path = demo_db(tmp_path_factory.mktemp("security"))
    with TestClient(create_app(Settings(db_path=path))) as client:
        yield client


@pytest.mark.slow
@pytest.mark.parametrize(("path", "parameter", "extra"), TEXT_PARAMETERS)
def test_malformed_fts_never_gives_a_server_error(
    client: TestClient, path: str, parameter: str, extra: dict[str, str]
) -> None:
    for value in FTS_BREAKERS:
        response = client.get(path, params={parameter: value, **extra})
        assert response.status_code in (200, 400, 404, 422), (value, response.text[:300])
        if path.startswith("/api") and response.status_code != 200:
            body = response.json()
            assert body["ok"] is False
            assert body["code"].startswith("OR")
        if extra.get("raw") == "true" and value in ('"', "(((", "monitors NEAR("):
            assert response.status_code == 400


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/api/search", "/api/quotations", "/api/stories"])
def test_a_query_string_over_the_limit_is_414_json(client: TestClient, path: str) -> None:
    response = client.get(path, params={"q": "a" * (MAX_QUERY_BYTES + 10)})
    assert response.status_code == 414
    body = response.json()
    assert body["ok"] is False
    assert body["code"] == "OR414"
    assert "Shorten" in body["error"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.slow
def test_a_query_string_just_under_the_limit_is_served(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "a" * (MAX_QUERY_BYTES - 10)})
    assert response.status_code == 200


@pytest.mark.slow
def test_a_long_query_on_a_page_is_an_html_414(client: TestClient) -> None:
    response = client.get("/", params={"q": "<b>" * MAX_QUERY_BYTES})
    assert response.status_code == 414
    assert response.headers["content-type"].startswith("text/html")
    assert "<b>" not in response.text


@pytest.mark.slow
@pytest.mark.parametrize("parameter", ["q", "speaker", "outlet", "kind", "since", "until"])
def test_echoed_search_text_is_escaped(client: TestClient, parameter: str) -> None:
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get("/", params={parameter: payload})
    # kind, since and until refuse the payload (422) and show it in the message, escaped.
    assert response.status_code == (422 if parameter in ("kind", "since", "until") else 200)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("script") is None or all(
        "alert" not in (tag.string or "") for tag in soup.find_all("script")
    )
    assert soup.find("img", attrs={"onerror": True}) is None


# Interpolations in SQL text (run by a connection, or made a statement by ``text()``) that are
# not UPPER_CASE constants, each reviewed: all are built
# from constants (table names, fixed clauses, '?' placeholders, an int version), none from a
# value. A new entry must be reviewed the same way before it is added here.
REVIEWED_INTERPOLATIONS = {
    ("store/_db.py", "table"),
    # Migration steps: frozen statements from store/_schema*.py, an int version.
    ("store/_migrate.py", "version"),
    ("store/_migrate.py", "statement"),
    # Table names from _schema; the module's own listing constants completed with an any_of
    # condition (a column and a parameter name, both constants).
    ("store/_story_index.py", "table"),
    ("store/_story_index.py", "sql.format(any_of(dialect, expression, parameter))"),
    ("store/_search.py", "sql"),
    # Positions: table-name constants, the list test ``any_of`` writes for ``:ids``, clauses
    # of constant text with ``:name`` parameters joined by "AND", and a constant LIMIT tail.
    ("store/_position_queries.py", "clause"),
    ("store/_position_queries.py", "head"),
    ("store/_position_queries.py", "ids"),
    ("store/_position_queries.py", "table"),
    ("store/_position_queries.py", "tail"),
    # Search: the JSON aggregate of a constant column (store/_fulltext.py), a constant tail
    # (which speakers, order, ``:limit``/``:offset``); searches are put together from the
    # store's constants and each database's full-text clauses, and made statements once per
    # text by ``assembled`` (store/_query.py).
    ("store/_search.py", "aliases"),
    ("store/_search.py", "tail"),
    ("store/_query.py", "sql"),
    # A savepoint's name: one of the store's constants, passed by each caller.
    ("store/_connection.py", "name"),
    # The connections pass on the statements the query modules wrote, or the text SQLAlchemy
    # compiled from their Core constructs (store/_query.py).
    ("store/_connection.py", "sql"),
    ("store/_postgres.py", "sql"),
    ("store/_postgres.py", "sql.encode('utf-8')"),
    ("store/_query.py", "found.sql"),
    # Statements of the query layer (SQLAlchemy ``text()``): table and column constants, the
    # list test ``any_of`` writes from a constant expression and parameter name, clauses of
    # constant text joined by "AND", and ``:name`` parameters for every value.
    ("store/_actors.py", "where"),
    ("store/_articles.py", "any_of(dialect, 'id', 'ids')"),
    ("store/_speaker_batch.py", "any_of(dialect, 's.id', 'ids')"),
    ("store/_speaker_batch.py", "any_of(dialect, 's.surname', 'surnames')"),
    ("store/_fidelity.py", "MEMBER_SQL + 'WHERE ' + any_of(dialect, column, 'ids')"),
    (
        "store/_fidelity.py",
        "MEMBER_SQL + 'WHERE qq.quotation_id = :quotation_id ORDER BY a.published IS NULL, "
        "a.published, a.rowid LIMIT :most'",
    ),
    ("store/_fidelity.py", "clause"),
    ("store/_fidelity.py", "keys"),
    ("store/_fidelity.py", "quotations"),
    ("store/_fidelity.py", "quotes"),
    ("store/_fidelity.py", "table"),
    ("store/_query.py", "named"),
    ("store/_query.py", "arrays"),
    ("store/_query.py", "conflict"),
    ("store/_query.py", "name"),
    ("store/_story_queries.py", "OCCURRENCE_SQL"),
    ("store/_story_queries.py", "where"),
}
SQL_CALLS = {
    "execute",
    "executemany",
    "executescript",
    "execute_compiled",
    "execute_compiled_many",
    "execute_verbatim",
}


def _writes_sql(func: ast.expr) -> bool:
    """A call that runs SQL text, or SQLAlchemy's ``text()`` that makes a statement of it."""
    if isinstance(func, ast.Attribute):
        return func.attr in SQL_CALLS or func.attr == "text"
    return isinstance(func, ast.Name) and func.id == "text"


def _interpolations() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and _writes_sql(node.func)):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                continue
            if isinstance(first, ast.JoinedStr):
                for part in first.values:
                    if isinstance(part, ast.FormattedValue):
                        text = ast.unparse(part.value)
                        if not text.replace("_", "").isupper():
                            found.add((relative, text))
            else:
                found.add((relative, ast.unparse(first)))
    return found


def test_sql_interpolates_only_reviewed_constants() -> None:
    found = _interpolations()
    assert {path for path, _ in found} <= {p for p, _ in REVIEWED_INTERPOLATIONS}
    assert all(path.startswith("store/") for path, _ in found)
    assert found <= REVIEWED_INTERPOLATIONS, found - REVIEWED_INTERPOLATIONS


def test_the_server_binds_to_loopback_by_default() -> None:
    import inspect

    import typer.main

    from onrecord.api import app as api_app
    from onrecord.cli import app as cli_app

    assert inspect.signature(api_app.serve).parameters["host"].default == "127.0.0.1"
    command = typer.main.get_command(cli_app).commands["serve"]  # type: ignore[attr-defined]
    host = next(param for param in command.params if param.name == "host")
    assert host.default == "127.0.0.1"
