"""Extraction in worker processes gives what one process gives, in the same order."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord._chunks import pack_error, unpack_error
from onrecord.config import Settings
from onrecord.errors import ConfigError, IngestError, UnsupportedInput
from onrecord.ingest import read_inputs
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.workers import parallel_extract

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.mark.parametrize("kind", [IngestError, UnsupportedInput])
def test_errors_survive_the_trip_between_processes(kind: type[IngestError]) -> None:
    error = kind("a.pdf", "this is a PDF", "Convert it.")
    back = unpack_error(pickle.loads(pickle.dumps(pack_error(error))))  # noqa: S301 - our own bytes
    assert type(back) is kind
    assert (back.item, back.reason, str(back)) == (error.item, error.reason, str(error))


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="--jobs"):
        list(parallel_extract([], Settings(), jobs=0))


def _key(outcome: ExtractedArticle | IngestError) -> tuple[str, ...]:
    if isinstance(outcome, IngestError):
        return ("error", str(outcome))
    return (outcome.article.source, *(q.text for q in outcome.quotes))


@pytest.mark.slow
def test_two_workers_match_one_process() -> None:
    paths = [str(p) for p in sorted(DEMO.iterdir())[:7]]
    settings = replace(Settings(), batch_size=2)
    bad = RawDocument(source="empty.txt", content="   ", media_type="text")
    items = [*read_inputs(paths), bad, IngestError("gone.txt", "no such file")]
    one = [_key(o) for o in parallel_extract(items, settings, jobs=1)]
    two = [_key(o) for o in parallel_extract(items, settings, jobs=2)]
    assert one == two
    assert len(two) == len(items)
    assert [key[0] for key in two[-2:]] == ["error", "error"]
    assert [key[0] for key in two[:-2]] == [str(p) for p in paths]


@pytest.mark.slow
def test_an_unknown_extractor_name_is_a_config_error() -> None:
    items = [RawDocument(source="a.txt", content="Kroll said no.", media_type="text")]
    with pytest.raises(ConfigError):
        list(parallel_extract(items, Settings(), jobs=2, extractor_name="quotes.nope.v0"))
