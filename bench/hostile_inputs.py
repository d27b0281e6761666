"""Write a folder of hostile and good inputs with a manifest of what each must give.

Good items are built from one template with a known speaker and a known statement, so the
statements each must yield are known by construction; bad items are every kind of input a
crawler or a careless export produces (empty, binary, truncated archives, broken JSON lines,
an oversized text). ``manifest.json`` maps each item (path, or ``path:line`` inside JSONL) to
``{"good": true, "speaker": ..., "statement": ...}`` or ``{"good": false, "reason": ...}``,
where ``reason`` is a fragment of the error onrecord must report.

Usage::

    python bench/hostile_inputs.py OUT_DIR [--items 10000] [--good-share 0.1] [--big-mb 50]
        [--ingest]

With ``--ingest`` it then ingests the folder in-process and prints the counts: items tried,
good kept, bad rejected, crashes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIRST = ("Mara", "Tomas", "Ilse", "Jonas", "Ana", "Pieter", "Lena", "Oskar", "Nadia", "Ruben")
LAST = ("Velin", "Okafor", "Brandt", "Petrov", "Ruiz", "Hallin", "Kroll", "Oduya", "Sand", "Lind")
THINGS = ("harbour", "bridge", "rail line", "school", "clinic", "dam", "port", "market")
VERBS = ("reopen", "rebuild", "repair", "inspect", "close", "extend")


@dataclass
class Batch:
    """What the generator wrote: the manifest entries and a count per kind."""

    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, item: str, kind: str, entry: dict[str, Any]) -> None:
        """Record one item under ``kind``."""
        self.items[item] = {"kind": kind, **entry}
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


def good_article(number: int, rng: random.Random) -> tuple[str, str, str]:
    """A tiny article with one direct statement: (text, speaker, statement)."""
    speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    statement = (
        f"We will {rng.choice(VERBS)} the {rng.choice(THINGS)} number {number} before the winter"
    )
    text = (
        f"Council item {number}\n\n"
        f"LINDHAVEN (Tidewire) - {speaker} arrived in Lindhaven on Monday.\n\n"
        f'"{statement}," {speaker} told reporters.\n'
    )
    return text, speaker, statement


def _good(entry_text: str, speaker: str, statement: str) -> dict[str, Any]:
    del entry_text
    return {"good": True, "speaker": speaker, "statement": statement}


def _bad(reason: str) -> dict[str, Any]:
    return {"good": False, "reason": reason}


def _write_good_text(out: Path, number: int, rng: random.Random, batch: Batch) -> None:
    text, speaker, statement = good_article(number, rng)
    path = out / f"good_{number:05d}.txt"
    path.write_text(text, encoding="utf-8")
    batch.add(str(path), "good_text", _good(text, speaker, statement))


def _write_good_variant(out: Path, number: int, rng: random.Random, batch: Batch) -> None:
    # Valid articles with hostile features: the statement must survive them.
    text, speaker, statement = good_article(number, rng)
    variant = number % 7
    if variant == 0:
        path = out / f"future_{number:05d}.txt"
        path.write_text(f"date 2999-01-01\n{text}", encoding="utf-8")
        kind = "good_future_date"
    elif variant == 1:
        path = out / f"nonsense_date_{number:05d}.txt"
        path.write_text(f"date 2024-13-45\n{text}", encoding="utf-8")
        kind = "good_nonsense_date"
    elif variant == 2:
        path = out / f"unclosed_{number:05d}.txt"
        path.write_text(f'{text}\nThe chair added: "and then the meeting ended\n', encoding="utf-8")
        kind = "good_unclosed_quote"
    elif variant == 3:
        path = out / f"latin1_{number:05d}.txt"
        path.write_bytes(f"{text}\nReported by Jos\u00e9 \u00c1lvarez.\n".encode("latin-1"))
        kind = "good_latin1"
    elif variant == 4:
        path = out / f"cp1251_{number:05d}.txt"
        # "Lindhaven -- Council." in Cyrillic, with an em dash cp1251 also has.
        extra = "\n\u041b\u0438\u043d\u0434\u0445\u0430\u0432\u0435\u043d \u2014 "
        extra += "\u0421\u043e\u0432\u0435\u0442.\n"
        path.write_bytes((text + extra).encode("cp1251"))
        kind = "good_cp1251"
    elif variant == 5:
        path = out / f"utf16_{number:05d}.txt"
        path.write_bytes(text.encode("utf-16"))
        kind = "good_utf16_bom"
    else:
        path = out / f"html_{number:05d}.html"
        paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n\n")[1:])
        path.write_text(
            f"<html><head><title>Council item {number}</title></head>"
            f"<body><div><div><article>{paragraphs}</article></div></div>"
            "<p>unclosed <b>bold <i>tags</body>",
            encoding="utf-8",
        )
        kind = "good_malformed_html"
    batch.add(str(path), kind, _good(text, speaker, statement))


def _write_jsonl(out: Path, number: int, rng: random.Random, batch: Batch) -> int:
    """A JSONL file of 10 lines: good records, broken lines, wrong field types."""
    path = out / f"feed_{number:05d}.jsonl"
    lines: list[str] = []
    for line_no in range(1, 11):
        item = f"{path}:{line_no}"
        choice = line_no % 5
        if choice in (1, 3):
            text, speaker, statement = good_article(number * 100 + line_no, rng)
            record = {"text": text, "outlet": "Tidewire"}
            if choice == 3:
                # Unbalanced IPv6 brackets: urlsplit raises on it.
                record["url"] = f"https://[oops/{number}"
            lines.append(json.dumps(record))
            batch.add(item, "good_jsonl", _good(text, speaker, statement))
        elif choice == 2:
            lines.append('{"text": "cut off in the mid')
            batch.add(item, "bad_jsonl_broken", _bad("invalid JSON"))
        elif choice == 4:
            lines.append(json.dumps({"text": 42, "title": "numbers"}))
            batch.add(item, "bad_jsonl_type", _bad("field 'text' should be a string"))
        else:
            lines.append(json.dumps(["not", "an", "object"]))
            batch.add(item, "bad_jsonl_shape", _bad("expected a JSON object"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 10


BadWriter = Callable[[Path, int, random.Random], tuple[Path, str, str]]


def _empty(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"empty_{number:05d}.txt"
    path.write_bytes(b"" if number % 2 else b"  \n\t\n")
    return path, "bad_empty", "the file is empty"


def _binary(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"binary_{number:05d}.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(64)) + b"\x00" * 4)
    return path, "bad_binary", "NUL bytes"


def _image(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"image_{number:05d}.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(32)))
    return path, "bad_image", "PNG image"


def _gzip(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"archive_{number:05d}.txt.gz"
    path.write_bytes(gzip.compress(good_article(number, rng)[0].encode())[:20])
    return path, "bad_truncated_gzip", "gzip archive"


def _warc(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"crawl_{number:05d}.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nHTTP/1.1 200")
    return path, "bad_truncated_warc", "the archive cannot be read from here on"


def _unknown(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"sheet_{number:05d}.xlsx"
    path.write_text("a,b,c\n", encoding="utf-8")
    return path, "bad_unknown_type", "unknown file type"


def _json_wrong(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"record_{number:05d}.json"
    path.write_text(json.dumps({"text": "x", "authors": 7}), encoding="utf-8")
    return path, "bad_json_type", "field 'authors'"


def _json_broken(out: Path, number: int, rng: random.Random) -> tuple[Path, str, str]:
    path = out / f"broken_{number:05d}.json"
    path.write_text('{"text": "Hello', encoding="utf-8")
    return path, "bad_json_broken", "invalid JSON"


BAD_WRITERS: tuple[BadWriter, ...] = (
    _empty,
    _binary,
    _image,
    _gzip,
    _warc,
    _unknown,
    _json_wrong,
    _json_broken,
)


def _write_singles(out: Path, big_mb: int, batch: Batch) -> None:
    # One of each expensive kind: they test the limits, not the throughput.
    huge = out / "huge_text.txt"
    line = "The committee met again and said nothing new about the river. "
    with huge.open("w", encoding="utf-8") as handle:
        for _ in range(big_mb * 1024 * 1024 // len(line) + 1):
            handle.write(line + ("\n" if handle.tell() % 4096 < 70 else ""))
    batch.add(str(huge), "bad_huge_text", _bad("more than the limit"))
    one_line = out / "huge_single_line.txt"
    one_line.write_text("word " * 300_000, encoding="utf-8")
    batch.add(str(one_line), "bad_huge_line", _bad("more than the limit"))
    nested = out / "deeply_nested.html"
    nested.write_text("<html><body>" + "<div>" * 20_000 + "</body></html>", encoding="utf-8")
    batch.add(str(nested), "bad_nested_html", _bad(""))
    no_body = out / "no_body.html"
    no_body.write_text("<html><head><title>Only a title</title></head></html>", encoding="utf-8")
    batch.add(str(no_body), "bad_html_without_body", _bad(""))
    text, speaker, statement = good_article(0, random.Random(7))  # noqa: S311 -- test data, not secrets
    mixed = out / "mixed_encoding.txt"
    # UTF-8 with a stray latin-1 byte and an invalid sequence: decoding must not lose the rest.
    mixed.write_bytes(text.encode("utf-8") + b"\nCaf\xe9 \xc3\x28 na\xc3\xafve \xe2\x82\n")
    batch.add(str(mixed), "good_mixed_encoding", _good(text, speaker, statement))


def generate(out: Path, items: int = 10_000, good_share: float = 0.1, big_mb: int = 50) -> Batch:
    """Write ``items`` inputs (JSONL lines count one each) under ``out`` and its manifest.

    Args:
        out: folder to write to (created).
        items: how many items, roughly; JSONL lines count one each.
        good_share: share of items that are good articles.
        big_mb: size of the one oversized text, in MB.

    Returns:
        The manifest as written to ``out / "manifest.json"``.
    """
    rng = random.Random(13)  # noqa: S311 -- test data, not secrets
    out.mkdir(parents=True, exist_ok=True)
    data = out / "items"
    data.mkdir(exist_ok=True)
    batch = Batch()
    _write_singles(data, big_mb, batch)
    good_target = int(items * good_share)
    number = 0
    while len(batch.items) < items:
        number += 1
        goods = sum(1 for entry in batch.items.values() if entry["good"])
        if goods < good_target:
            if number % 10 == 0:
                _write_jsonl(data, number, rng, batch)
            elif number % 3 == 0:
                _write_good_variant(data, number, rng, batch)
            else:
                _write_good_text(data, number, rng, batch)
            continue
        path, kind, reason = BAD_WRITERS[number % len(BAD_WRITERS)](data, number, rng)
        batch.add(str(path), kind, _bad(reason))
    manifest = {"items": batch.items, "kinds": batch.kinds}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return batch


@dataclass
class Verdict:
    """How one run over a generated folder compares with its manifest."""

    tried: int = 0
    good_kept: int = 0
    good_lost: list[str] = field(default_factory=list)
    bad_rejected: int = 0
    bad_missed: list[str] = field(default_factory=list)
    wrong_reason: list[str] = field(default_factory=list)
    unexpected_errors: list[str] = field(default_factory=list)
    duplicate_errors: list[str] = field(default_factory=list)
    rejects_rows: int = 0


def check(
    manifest: dict[str, Any], errors: list[Any], stored: list[Any], rejects: list[Any]
) -> Verdict:
    """Compare a run's errors, stored articles and rejects rows with the manifest.

    Args:
        manifest: the ``items`` mapping of ``manifest.json``.
        errors: the run's ``IngestError`` values.
        stored: the store's ``ExtractedArticle`` records.
        rejects: the run's ``Reject`` rows.

    Returns:
        The counts and every item that broke a rule.
    """
    verdict = Verdict(tried=len(manifest), rejects_rows=len(rejects))
    by_item: dict[str, list[Any]] = {}
    for error in errors:
        # Errors inside an archive or feed name the record ("crawl.warc#record-1").
        by_item.setdefault(error.item.split("#")[0], []).append(error)
    articles = {item.article.source: item for item in stored}
    for item, entry in manifest.items():
        found = by_item.pop(item, [])
        if entry["good"]:
            kept = articles.get(item)
            has_statement = kept is not None and any(
                entry["statement"] in quote.text
                and quote.speaker is not None
                and quote.speaker.name == entry["speaker"]
                for quote in kept.quotes
            )
            if found or not has_statement:
                verdict.good_lost.append(
                    f"{item}: {[str(e) for e in found] or 'statement missing'}"
                )
            else:
                verdict.good_kept += 1
            continue
        if not found:
            verdict.bad_missed.append(item)
            continue
        if len(found) > 1:
            verdict.duplicate_errors.append(item)
        if entry["reason"] not in str(found[0]):
            verdict.wrong_reason.append(f"{item}: {found[0]}")
            continue
        verdict.bad_rejected += 1
    verdict.unexpected_errors = [str(e) for errs in by_item.values() for e in errs]
    return verdict


def run(out: Path, db: Path, item_timeout_s: float = 60, batch_size: int = 64) -> Verdict:
    """Ingest ``out/items`` into the store ``db`` in-process and check it against the manifest."""
    from onrecord.config import Settings
    from onrecord.extract import load_extractor
    from onrecord.pipeline import extract_paths, store_outcomes
    from onrecord.store import Store

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["items"]
    settings = Settings(batch_size=batch_size, item_timeout_s=item_timeout_s)
    extractor = load_extractor()
    with Store.open(db) as store:
        outcomes = extract_paths([str(out / "items")], extractor, settings)
        summary = store_outcomes(outcomes, store, settings.batch_size)
        stored = list(store.iter_articles())
        rejects = store.rejects(run_id=summary.run_id, limit=len(manifest) + 10)
    return check(manifest, summary.errors, stored, rejects)


def main() -> None:
    """Command line: write the folder and print the count of each kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--good-share", type=float, default=0.1)
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument(
        "--ingest", action="store_true", help="also ingest the folder and check the manifest"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    batch = generate(args.out, args.items, args.good_share, args.big_mb)
    print(f"generated in {time.perf_counter() - started:.1f} s")
    for kind, count in sorted(batch.kinds.items()):
        print(f"{kind:28} {count}")
    print(f"{'total':28} {len(batch.items)}")
    if not args.ingest:
        return
    db = args.out / "hostile.db"
    for stale in args.out.glob("hostile.db*"):
        stale.unlink()
    started = time.perf_counter()
    crashes = 0
    try:
        verdict = run(args.out, db)
    except Exception as exc:  # a crash is what this script counts
        print(f"CRASH: {exc!r}")
        crashes = 1
        verdict = Verdict(tried=len(batch.items))
    elapsed = time.perf_counter() - started
    print(f"ingested in {elapsed:.1f} s")
    print(f"items tried        {verdict.tried}")
    print(
        f"good kept          {verdict.good_kept} of {sum(e['good'] for e in batch.items.values())}"
    )
    print(f"bad rejected       {verdict.bad_rejected}")
    print(f"rejects rows       {verdict.rejects_rows}")
    print(f"good lost          {len(verdict.good_lost)} {verdict.good_lost[:3]}")
    print(f"bad missed         {len(verdict.bad_missed)} {verdict.bad_missed[:3]}")
    print(f"wrong reason       {len(verdict.wrong_reason)} {verdict.wrong_reason[:3]}")
    print(f"unexpected errors  {len(verdict.unexpected_errors)} {verdict.unexpected_errors[:3]}")
    print(f"crashes            {crashes}")


if __name__ == "__main__":
    main()
