"""An article in a language onrecord does not read: stored, flagged, no statements guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from onrecord.lang import is_supported, resources_for, supported_languages
from onrecord.store import Store
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e

PORTUGUESE = (
    "Prefeitura anuncia nova ponte sobre o rio\n"
    "A prefeitura anunciou nesta terça-feira a construção de uma nova ponte sobre o rio, "
    "que deve ficar pronta em dois anos.\n"
    '"Receba as notícias do dia", disse o secretário de obras, Paulo Mendes, aos moradores '
    "reunidos na praça central da cidade.\n"
    "Segundo ele, a obra vai custar cerca de quarenta milhões e criar trezentos empregos.\n"
)
ENGLISH = (
    "Council approves new river bridge\n"
    '"We will build it within two years," the works secretary, Paul Mendes, told residents '
    "gathered in the central square on Tuesday.\n"
    "The bridge is expected to cost about forty million and create three hundred jobs.\n"
)


def test_language_seam_names_english_only() -> None:
    english = resources_for("en")
    assert english is not None
    assert english.spacy_model
    assert english.cue_lexicon.is_file()
    assert supported_languages() == ("en",)
    assert is_supported(None)  # not detected: read as English
    assert is_supported("en-GB")
    assert not is_supported("pt")
    assert not is_supported("../etc")


def test_unsupported_article_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ponte.txt").write_text(PORTUGUESE, encoding="utf-8")
    (folder / "bridge.txt").write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "lang.db"

    result = run_cli(["ingest", str(folder), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 ingested")
    assert "1 in unsupported languages" in result.stdout

    contract = run_cli(["extract", str(folder / "ponte.txt"), "--format", "jsonl"])
    record = json.loads(contract.stdout)
    assert record["language"] == "pt"
    assert record["flags"] == ["unsupported_language"]
    assert record["quotes"] == []
    assert "Receba" in record["text"]
    table = run_cli(["extract", str(folder / "ponte.txt"), "--format", "table"])
    assert "! unsupported_language: language pt" in table.stdout

    with Store.open(db) as store:
        items = {item.article.language: item for item in store.iter_articles()}
    assert items["pt"].article.flags == ("unsupported_language",)
    assert items["pt"].quotes == ()
    assert "unsupported_language" not in items["en"].article.flags
    assert items["en"].quotes

    with TestClient(create_app(Settings(db_path=db))) as client:
        page = BeautifulSoup(client.get(f"/articles/{items['pt'].article.id}").text, "html.parser")
        flag = page.select_one("ul.flags li.flag-unsupported_language")
        assert flag is not None
        assert "not in a supported language" in flag.get_text()
        english = client.get(f"/articles/{items['en'].article.id}").text
        assert "flag-unsupported_language" not in english
        api = client.get(f"/api/articles/{items['pt'].article.id}").json()
        assert api["flags"] == ["unsupported_language"]
