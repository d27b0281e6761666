"""The per-item time limit: a slow item becomes one error, the rest of the batch is kept, and
no timer is left behind."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from onrecord import pipeline
from onrecord.config import Settings
from onrecord.errors import IngestError
from onrecord.extract import Extractor
from onrecord.models import ExtractedArticle, RawDocument

# Inside the statement, so that cleaning keeps it.
SLOW = "bridge number 5 soon"


def _spin(seconds: float) -> None:
    # Busy Python code, as a runaway regex or parser loop would be; not one long C call. It
    # spins on CPU time, the clock the limit counts, however busy the machine is.
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _docs(count: int) -> list[RawDocument]:
    return [
        RawDocument(
            source=f"item{i}",
            content=(
                f"Item {i}\n\nLINDHAVEN (Tidewire) - Mara Velin arrived on Monday.\n\n"
                f'"We will open the bridge number {i} soon," Mara Velin told reporters.'
            ),
            media_type="text",
        )
        for i in range(count)
    ]


@pytest.fixture(autouse=True)
def _warm(extractor: Extractor) -> None:
    # The first article of a process pays for lazy imports and model loads; the limits below
    # are tight, so that cost is paid before they start.
    list(pipeline.extract_articles(_docs(1), extractor, Settings(item_timeout_s=0)))


def _run(extractor: Extractor, docs: list[RawDocument], limit_s: float) -> list[Any]:
    settings = Settings(batch_size=4, item_timeout_s=limit_s)
    return list(pipeline.extract_articles(docs, extractor, settings))


def _assert_one_timeout(outcomes: list[Any], stage: str, limit_s: float) -> None:
    errors = [o for o in outcomes if isinstance(o, IngestError)]
    kept = [o for o in outcomes if isinstance(o, ExtractedArticle)]
    assert [e.item for e in errors] == ["item5"]
    assert f"{stage} took longer than {limit_s:g} s" in str(errors[0])
    assert sorted(k.article.source for k in kept) == sorted(f"item{i}" for i in range(8) if i != 5)
    assert all(any("bridge number" in q.text for q in k.quotes) for k in kept)
    for signum, timer in (
        (signal.SIGALRM, signal.ITIMER_REAL),
        (signal.SIGPROF, signal.ITIMER_PROF),
    ):
        assert signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler, None)
        assert signal.getitimer(timer) == (0.0, 0.0)


@pytest.mark.slow
def test_slow_cleaning_rejects_only_that_item(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.clean_document  # type: ignore[attr-defined]

    def slow_clean(raw: RawDocument, *, is_cleaning: bool = True) -> Any:
        if SLOW in raw.content:
            _spin(5)
        return real(raw, is_cleaning=is_cleaning)

    monkeypatch.setattr(pipeline, "clean_document", slow_clean)
    # CPU time, the clock the limit counts: the slow item's 5 s spin was cut short.
    started = time.process_time()
    outcomes = _run(extractor, _docs(8), 1)
    assert time.process_time() - started < 4.5
    _assert_one_timeout(outcomes, "cleaning", 1)


@pytest.mark.slow
def test_slow_extraction_rejects_only_that_item(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.resolve_quotes  # type: ignore[attr-defined]

    def slow_resolve(article: Any, doc: Any, attributions: Any) -> Any:
        if SLOW in article.text:
            _spin(5)
        return real(article, doc, attributions)

    monkeypatch.setattr(pipeline, "resolve_quotes", slow_resolve)
    _assert_one_timeout(_run(extractor, _docs(8), 1), "extraction", 1)


class _SlowNlp:
    """Wraps the spaCy pipeline; a text holding SLOW takes 5 s to parse."""

    def __init__(self, nlp: Any) -> None:
        self._nlp = nlp

    def pipe(self, texts: Iterable[str]) -> Iterator[Any]:
        for text in texts:
            yield self(text)

    def __call__(self, text: str) -> Any:
        if SLOW in text:
            _spin(5)
        return self._nlp(text)


class _SlowExtractor:
    def __init__(self, extractor: Extractor) -> None:
        self.nlp = _SlowNlp(extractor.nlp)
        self.attributions = extractor.attributions


@pytest.mark.slow
def test_slow_parse_falls_back_to_one_article_at_a_time(extractor: Extractor) -> None:
    slow: Any = _SlowExtractor(extractor)
    _assert_one_timeout(_run(slow, _docs(8), 1), "parsing", 1)


@pytest.mark.slow
def test_a_zero_limit_turns_the_timer_off(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[float] = []
    monkeypatch.setattr(signal, "setitimer", lambda *args: calls.append(args[1]))
    outcomes = _run(extractor, _docs(3), 0)
    assert all(isinstance(o, ExtractedArticle) for o in outcomes)
    assert calls == []


@pytest.mark.slow
def test_a_bug_met_on_one_item_costs_only_that_item(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.clean_document  # type: ignore[attr-defined]

    def broken_clean(raw: RawDocument, *, is_cleaning: bool = True) -> Any:
        if SLOW in raw.content:
            raise ValueError("Invalid IPv6 URL")
        return real(raw, is_cleaning=is_cleaning)

    monkeypatch.setattr(pipeline, "clean_document", broken_clean)
    outcomes = _run(extractor, _docs(8), 5)
    errors = [o for o in outcomes if isinstance(o, IngestError)]
    assert [e.item for e in errors] == ["item5"]
    assert "cleaning failed unexpectedly (ValueError: Invalid IPv6 URL)" in str(errors[0])
    assert len([o for o in outcomes if isinstance(o, ExtractedArticle)]) == 7


def test_a_malformed_url_names_no_outlet_instead_of_failing() -> None:
    from onrecord.clean._meta import outlet_from_url, url_host

    assert url_host("https://[oops/a") == ""
    assert outlet_from_url("https://[oops/a") is None


@pytest.mark.slow
def test_the_limit_counts_work_not_waiting(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A starved machine makes an item wait without working: that must not reject it.
    real = pipeline.clean_document  # type: ignore[attr-defined]

    def waiting_clean(raw: RawDocument, *, is_cleaning: bool = True) -> Any:
        if SLOW in raw.content:
            time.sleep(2)
        return real(raw, is_cleaning=is_cleaning)

    monkeypatch.setattr(pipeline, "clean_document", waiting_clean)
    outcomes = _run(extractor, _docs(8), 1)
    assert all(isinstance(o, ExtractedArticle) for o in outcomes)
    assert len(outcomes) == 8
