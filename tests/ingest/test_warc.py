"""Web archives: HTML pages come out as documents, everything else is skipped and counted."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from warc_support import build_warc, page, write_response
from warcio.warcwriter import WARCWriter

from onrecord.clean import clean_document
from onrecord.errors import IngestError, UnsupportedInput
from onrecord.ingest._warc import WarcStats, is_warc, read_warc
from onrecord.models import RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "warc"


@pytest.fixture(params=[False, True], ids=["warc", "warc.gz"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    is_gzip = bool(request.param)
    name = "crawl.warc.gz" if is_gzip else "crawl.warc"
    return Path(build_warc(tmp_path / name, gzip=is_gzip))


def test_html_records_become_documents_and_the_rest_is_counted(archive: Path) -> None:
    stats = WarcStats()
    items = list(read_warc(archive, stats))
    assert all(isinstance(item, RawDocument) for item in items)
    docs = [item for item in items if isinstance(item, RawDocument)]
    assert [d.fields["url"] for d in docs] == [
        "https://tidewire.example/a",
        "https://corvelcourier.example/b",
        "https://ledger.example/c",
    ]
    assert [d.source for d in docs] == [f"{archive}#record-{n}" for n in (3, 7, 8)]
    assert all(d.media_type == "html" and "crawled" in d.fields for d in docs)
    assert "published" not in docs[0].fields
    assert "Café talks" in docs[1].content
    assert stats == WarcStats(records=9, articles=3, skipped_non_html=1, skipped_other=5, broken=0)


def test_a_record_cleans_into_an_article(archive: Path) -> None:
    first = next(item for item in read_warc(archive) if isinstance(item, RawDocument))
    article = clean_document(first)
    assert article.title == "Kroll rules out monitors"
    assert article.url == "https://tidewire.example/a"
    assert "Ana Kroll" in article.text


def test_truncated_gzip_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    whole = build_warc(tmp_path / "whole.warc.gz", gzip=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: int(len(whole) * 0.75)])
    stats = WarcStats()
    items = list(read_warc(cut, stats))
    docs = [item for item in items if isinstance(item, RawDocument)]
    errors = [item for item in items if isinstance(item, IngestError)]
    assert len(docs) >= 1
    assert len(errors) == 1
    assert items[-1] is errors[0]
    assert "#record-" in errors[0].item
    assert stats.broken == 1


@pytest.mark.parametrize("fraction", [0.3, 0.45, 0.5, 0.6, 0.75, 0.9, 0.99])
def test_any_cut_of_a_gzip_archive_ends_in_one_error(tmp_path: Path, fraction: float) -> None:
    whole = build_warc(tmp_path / "whole.warc.gz", gzip=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: int(len(whole) * fraction)])
    items = list(read_warc(cut))
    assert isinstance(items[-1], IngestError)
    assert sum(isinstance(item, IngestError) for item in items) == 1


def test_truncated_plain_warc_reports_the_cut_record(tmp_path: Path) -> None:
    whole = build_warc(tmp_path / "whole.warc", gzip=False).read_bytes()
    marker = whole.index(b"Ledger resource page")
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: marker + 10])
    items = list(read_warc(cut))
    assert sum(isinstance(item, RawDocument) for item in items) == 2
    errors = [item for item in items if isinstance(item, IngestError)]
    assert errors
    assert errors[0].item.endswith("#record-8")
    assert "cut short" in errors[0].reason


def test_garbage_and_missing_files_are_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not an archive\n" * 20)
    [error] = list(read_warc(garbage))
    assert isinstance(error, UnsupportedInput)
    assert "not a web archive" in error.reason
    [missing] = list(read_warc(tmp_path / "nope.warc"))
    assert isinstance(missing, IngestError)
    assert "cannot read" in missing.reason


def test_committed_fixture_reads() -> None:
    items = list(read_warc(FIXTURES / "sample.warc.gz"))
    assert sum(isinstance(item, RawDocument) for item in items) == 3
    assert not any(isinstance(item, IngestError) for item in items)


def test_sniffing(tmp_path: Path) -> None:
    plain = build_warc(tmp_path / "a.bin", gzip=False)
    packed = tmp_path / "b.bin"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    other = tmp_path / "c.gz"
    with gzip.open(other, "wb") as target:
        target.write(b"just text")
    assert is_warc(plain, plain.read_bytes()[:8])
    assert is_warc(packed, packed.read_bytes()[:8])
    assert not is_warc(other, other.read_bytes()[:8])
    assert is_warc(Path("x.warc.gz"), b"")
    assert not is_warc(Path("x.txt"), b"hello")


def test_a_page_that_inflates_past_the_cap_is_stopped_and_the_next_is_read(
    tmp_path: Path,
) -> None:
    # A gzip Content-Encoding whose page inflates to 2 MB from a few KB.
    inflating = gzip.compress(b"<html><body>" + b"<p>The river rose.</p>" * 100_000)
    path = tmp_path / "bomb.warc"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        write_response(
            writer,
            "https://tidewire.example/bomb",
            inflating,
            "text/html",
            extra_headers=[("Content-Encoding", "gzip")],
        )
        write_response(
            writer, "https://tidewire.example/a", page("Kroll rules out monitors"), "text/html"
        )
    items = list(read_warc(path, max_bytes=100_000))
    assert len(inflating) < 100_000
    assert isinstance(items[0], IngestError)
    assert items[0].item == f"{path}#record-1"
    assert "more than the limit of 100,000 bytes once decoded" in items[0].reason
    assert isinstance(items[1], RawDocument)
    assert "Kroll rules out monitors" in items[1].content
    assert len(items) == 2
