"""Score body text and published dates on the held-out pages of the real-page corpus.

Body: word 4-gram shingles, scored as the article-extraction benchmark scores them
(``onrecord.evaluation.bodies``): the mean precision and the mean recall over pages and their
harmonic mean ``f1``; ``mean_page_f1``, the mean of each page's own F1, is printed beside it.

* text mode: onrecord cleans the page's visible text (``visible_text``: menus, links and
  footers included) given as a plain-text article; the reference is trafilatura's body, on
  pages where it has 50 words or more and where at least half of its shingles are in the
  visible text (a body that trafilatura takes from hidden markup cannot be scraped);
* HTML mode: onrecord cleans the page itself; the reference is the expected article text the
  package ships for the page, and trafilatura alone is scored against the same reference.

Dates: on pages whose URL carries a date, onrecord's published day against it (exact, within
one day).

``--cross-validate K`` scores text mode on the training pages only, each page cleaned by a line
classifier trained on the other folds (``fold_of``): the figure to tune the cleaning on, since
the held-out pages are only reported. ``--package NAME`` (repeatable) scores only the pages of
those packages (a page's id starts with its package), so that a grown corpus can still be
compared on the pages it had before; training always uses every training page.

    python eval/pages/score.py [--pages build/pages] [--all] [--json] [--cross-validate 4]
        [--package newspaper4k --package trafilatura --package htmldate]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from onrecord import clean
from onrecord.clean import clean_document
from onrecord.clean._dates import url_date
from onrecord.clean.train_lines import (
    Page,
    fit,
    fold_of,
    is_held_out,
    label_lines,
    load_pages,
    page_examples,
    shingles,
    trafilatura_body,
    visible_text,
)
from onrecord.errors import IngestError
from onrecord.evaluation.bodies import BodyScores
from onrecord.models import Article, RawDocument


def body_of(article: Article) -> str:
    """The article text without its title blocks."""
    kept = [article.text[b.start : b.end] for b in article.blocks if b.kind != "title"]
    return "\n".join(kept) if article.blocks else article.text


def clean_body(
    source: str, content: str, media: str, url: str | None
) -> tuple[str, tuple[str, ...]]:
    fields = {"url": url} if url else {}
    try:
        article = clean_document(RawDocument(source, content, media, fields))  # type: ignore[arg-type]
    except IngestError:
        return "", ("rejected",)
    return body_of(article), article.flags


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=Path, default=Path("build/pages"))
    parser.add_argument("--all", action="store_true", help="score every page, not only held-out")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="one line per page")
    parser.add_argument(
        "--oracle-lines",
        action="store_true",
        help="text mode with each line's training label in place of the classifier's judgement "
        "(what the rest of the cleaning can reach with a perfect line classifier)",
    )
    parser.add_argument(
        "--cross-validate",
        type=int,
        metavar="K",
        help="text mode on the training pages, each by a classifier trained on the other K-1 folds",
    )
    parser.add_argument(
        "--package",
        action="append",
        metavar="NAME",
        help="score only the pages of this package (repeatable; default: every page)",
    )
    args = parser.parse_args(argv)
    packages = frozenset(args.package or ())
    if args.cross_validate:
        summary = cross_validate(load_pages(args.pages), args.cross_validate, packages).summary()
        print(
            json.dumps(summary, indent=1) if args.json else f"cross-validated text mode: {summary}"
        )
        return 0
    manifest = {
        row["id"]: row
        for row in map(json.loads, (args.pages / "manifest.jsonl").read_text().splitlines())
    }
    text_mode, html_mode, traf_mode = BodyScores(), BodyScores(), BodyScores()
    dates = Counter[str]()
    vanished: list[str] = []
    not_visible: list[str] = []
    pages = [
        page
        for page in load_pages(args.pages)
        if (args.all or is_held_out(page.id)) and _is_from(page.id, packages)
    ]
    for page in pages:
        row = manifest[page.id]
        reference = trafilatura_body(page.html, page.url)
        html_body, html_flags = clean_body(page.id, page.html, "html", page.url)
        scraped = visible_text(page.html)
        if reference and len(reference.split()) >= 50 and _coverage(scraped, reference) < 0.5:
            not_visible.append(page.id)
        elif reference and len(reference.split()) >= 50:
            if args.oracle_lines:
                clean.load_line_model = lambda reference=reference: _OracleLines(reference)  # type: ignore[assignment,attr-defined]
            f1 = text_mode.add(clean_body(page.id, scraped, "text", None)[0], reference).f1
            if args.verbose:
                print(f"text {f1:.3f} {page.id}", file=sys.stderr)
            # A body that lost most of trafilatura's words without a flag saying so.
            is_flagged = {"empty_body", "tiny_body"} & set(html_flags)
            if len(html_body.split()) < 0.2 * len(reference.split()) and not is_flagged:
                vanished.append(page.id)
        if row.get("gold_text"):
            gold = (args.pages / row["gold_text"]).read_text(encoding="utf-8", errors="replace")
            if gold.strip():
                f1 = html_mode.add(html_body, gold).f1
                traf_f1 = traf_mode.add(reference, gold).f1
                if args.verbose:
                    print(f"html {f1:.3f} traf {traf_f1:.3f} {page.id}", file=sys.stderr)
        expected = url_date(page.url) if page.url else None
        if expected is not None:
            dates["pages"] += 1
            found = _published(page.id, page.html, page.url)
            if found == expected:
                dates["exact"] += 1
            if found is not None and abs((found - expected).days) <= 1:
                dates["within_one_day"] += 1
            if args.verbose and found != expected:
                print(f"date {found} != {expected} {page.id}", file=sys.stderr)
    n = dates["pages"] or 1
    report = {
        "pages": len(pages),
        "text_mode_vs_trafilatura": text_mode.summary(),
        "text_mode_reference_not_visible": not_visible,
        "html_mode_vs_gold": html_mode.summary(),
        "trafilatura_alone_vs_gold": traf_mode.summary(),
        "html_bodies_silently_vanished": vanished,
        "dates": {
            "pages_with_url_date": dates["pages"],
            "exact": round(dates["exact"] / n, 3),
            "within_one_day": round(dates["within_one_day"] / n, 3),
        },
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


def cross_validate(
    pages: list[Page], folds: int, packages: frozenset[str] = frozenset()
) -> BodyScores:
    """Text mode on the training pages, each cleaned by a model that never saw its fold.

    Every training page is trained on; only those of ``packages`` (all when empty) are scored.
    """
    training = [page for page in pages if not is_held_out(page.id)]
    examples = {page.id: page_examples(page) for page in training}
    scores = BodyScores()
    for fold in range(folds):
        rest = [examples[page.id] for page in training if fold_of(page.id, folds) != fold]
        model = fit(np.vstack([x for x, _ in rest]), np.concatenate([y for _, y in rest]))
        clean.load_line_model = lambda model=model: model  # type: ignore[assignment,attr-defined]
        for page in training:
            if fold_of(page.id, folds) != fold or not _is_from(page.id, packages):
                continue
            reference = trafilatura_body(page.html, page.url)
            scraped = visible_text(page.html)
            if len(reference.split()) >= 50 and _coverage(scraped, reference) >= 0.5:
                scores.add(clean_body(page.id, scraped, "text", None)[0], reference)
    return scores


@dataclass(frozen=True, slots=True)
class _OracleLines:
    """Stands in for the line classifier: a line is body exactly when its training label says so."""

    reference: str

    def probabilities(self, lines: list[str]) -> list[float]:
        return [1.0 if is_body else 0.0 for is_body in label_lines(lines, self.reference)]


def _is_from(page_id: str, packages: frozenset[str]) -> bool:
    """Whether a page comes from one of the packages (every page when none is named)."""
    return not packages or page_id.split("/", 1)[0] in packages


def _coverage(scraped: str, reference: str) -> float:
    """The share of the reference's shingles that the scraped text holds at all."""
    visible = set(shingles(scraped))
    wanted = shingles(reference)
    return sum(gram in visible for gram in wanted) / max(len(wanted), 1)


def _published(source: str, html: str, url: str | None) -> date | None:
    try:
        article = clean_document(RawDocument(source, html, "html", {"url": url} if url else {}))
    except IngestError:
        return None
    return article.published


if __name__ == "__main__":
    raise SystemExit(main())
