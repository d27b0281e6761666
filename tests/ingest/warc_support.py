"""Build small web archives with warcio for the WARC reader tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE = (
    "<html><head><title>{title}</title>"
    '<meta property="article:published_time" content="2026-03-11"></head>'
    "<body><nav>Home | World</nav><article><h1>{title}</h1>"
    "<p>Ana Kroll, Veldora's deputy foreign minister, spoke to reporters on Tuesday.</p>"
    "<p>{body}</p></article></body></html>"
)


def page(title: str, body: str = "The river is ours, she said.") -> bytes:
    """A small article page."""
    return PAGE.format(title=title, body=body).encode("utf-8")


def write_response(
    writer: WARCWriter,
    url: str,
    payload: bytes,
    content_type: str,
    status: str = "200 OK",
    extra_headers: Sequence[tuple[str, str]] = (),
) -> None:
    """Write one HTTP response record."""
    headers = StatusAndHeaders(
        status, [("Content-Type", content_type), *extra_headers], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(payload), length=len(payload), http_headers=headers
    )
    writer.write_record(record)


def build_warc(path: Path, *, gzip: bool) -> Path:
    """An archive of 9 records: 3 article pages (one a resource record, one Latin-1), an
    image, a 404 page, a request, a metadata record, a warcinfo record and a redirect."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        asked = b"GET /a HTTP/1.1\r\nHost: tidewire.example\r\n\r\n"
        request = writer.create_warc_record(
            "https://tidewire.example/a", "request", payload=io.BytesIO(asked), length=len(asked)
        )
        writer.write_record(request)
        write_response(
            writer,
            "https://tidewire.example/a",
            page("Kroll rules out monitors"),
            "text/html; charset=utf-8",
        )
        write_response(
            writer, "https://tidewire.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"
        )
        write_response(
            writer,
            "https://tidewire.example/missing",
            page("Not found"),
            "text/html",
            "404 Not Found",
        )
        write_response(writer, "https://tidewire.example/old", b"", "text/html", "301 Moved")
        write_response(
            writer,
            "https://corvelcourier.example/b",
            page("Café talks in Kessavar").decode().encode("latin-1"),
            "text/html; charset=iso-8859-1",
        )
        body = page("Ledger resource page")
        resource = writer.create_warc_record(
            "https://ledger.example/c",
            "resource",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type="text/html",
        )
        writer.write_record(resource)
        note = b"outlinks: none"
        metadata = writer.create_warc_record(
            "https://tidewire.example/a", "metadata", payload=io.BytesIO(note), length=len(note)
        )
        writer.write_record(metadata)
    return path
