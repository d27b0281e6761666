"""Extraction on a Dask cluster gives what one process gives, in the same order."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord import cluster
from onrecord._chunks import SentError, SentItem, SentOutcome, in_order, pack_error
from onrecord.cli import app
from onrecord.config import Settings
from onrecord.errors import ClusterError, ConfigError, IngestError, UnsupportedInput
from onrecord.extract import EXTRACTOR_NAME
from onrecord.ingest import read_inputs
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.workers import parallel_extract
from tests.e2e.conftest import DEMO, DEMO_CONFIG, run_cli, store_contents
from tests.ports import free_port

Item = RawDocument | IngestError


def _doc(name: str) -> RawDocument:
    return RawDocument(source=name, content=f"{name} said no.", media_type="text")


def _mixed(count: int) -> list[Item]:
    """Documents with a read error at every third place, of two error classes."""
    items: list[Item] = []
    for i in range(count):
        if i % 3 == 2:
            kind = UnsupportedInput if i % 2 else IngestError
            items.append(kind(f"bad-{i}.pdf", f"reason {i}", "Fix it."))
        else:
            items.append(_doc(f"doc-{i}.txt"))
    return items


def _fake_extract(chunk: list[SentItem]) -> list[SentOutcome]:
    """What a worker would send back, as bytes in between: a document becomes an error too."""
    received: list[SentItem] = pickle.loads(pickle.dumps(chunk))  # noqa: S301 - our own bytes
    sent: list[SentOutcome] = [
        item if isinstance(item, SentError) else pack_error(IngestError(item.source, "seen"))
        for item in received
    ]
    back: list[SentOutcome] = pickle.loads(pickle.dumps(sent))  # noqa: S301 - our own bytes
    return back


class _FakeCluster:
    """Runs chunks when asked for their result, and counts what is in flight."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most_in_flight = 0
        self.chunk_sizes: list[int] = []

    def submit(self, chunk: list[SentItem]) -> list[SentItem]:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.chunk_sizes.append(len(chunk))
        return chunk

    def wait(self, chunk: list[SentItem]) -> list[SentOutcome]:
        self.in_flight -= 1
        return _fake_extract(chunk)


def test_chunks_come_back_in_input_order_with_errors_in_place() -> None:
    items = _mixed(23)
    fake = _FakeCluster()
    outcomes = list(in_order(items, 4, fake.submit, fake.wait, lambda: 3))
    assert [o.item for o in outcomes if isinstance(o, IngestError)] == [
        i.item if isinstance(i, IngestError) else i.source for i in items
    ]
    assert fake.chunk_sizes == [4, 4, 4, 4, 4, 3]
    assert fake.most_in_flight == 3


@pytest.mark.parametrize("kind", [IngestError, UnsupportedInput])
def test_error_items_travel_and_come_back_whole(kind: type[IngestError]) -> None:
    error = kind("a.pdf", "this is a PDF", "Convert it.")
    fake = _FakeCluster()
    (back,) = in_order([error], 8, fake.submit, fake.wait, lambda: 1)
    assert isinstance(back, IngestError)
    assert type(back) is kind
    assert (back.item, back.reason, str(back)) == (error.item, error.reason, str(error))


def test_the_input_is_read_only_as_far_as_the_chunks_in_flight() -> None:
    read = 0

    def stream() -> Iterator[Item]:
        nonlocal read
        for i in range(1000):
            read += 1
            yield _doc(f"doc-{i}.txt")

    fake = _FakeCluster()
    outcomes = in_order(stream(), 10, fake.submit, fake.wait, lambda: 2)
    next(outcomes)
    # Two chunks went out, the first came back and a third went out in its place.
    assert read == 3 * 10
    assert sum(1 for _ in outcomes) == 999


@pytest.mark.parametrize(
    ("address", "workers"),
    [("local:1", 1), ("local:16", 16), ("tcp://10.0.0.5:8786", None), ("tls://sched:8786", None)],
)
def test_good_addresses(address: str, workers: int | None) -> None:
    assert cluster.local_workers(address) == workers


@pytest.mark.parametrize(
    "address",
    ["local:0", "local:", "local:-2", "local:two", "local:²", "sched:8786", "http://sched:8786",
     "tcp://sched", "tcp://:8786", "tcp://sched:port", "tcp://sched:99999", ""],
)  # fmt: skip
def test_a_bad_address_is_a_config_error_before_any_input_is_read(address: str) -> None:
    def unread() -> Iterator[Item]:
        raise AssertionError("the input was read")
        yield  # pragma: no cover

    with pytest.raises(ConfigError, match="--cluster"):
        cluster.cluster_extract(unread(), Settings(), address=address)


def test_an_unreachable_scheduler_is_a_cluster_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterError, match="dask scheduler") as caught:
        list(cluster.cluster_extract([_doc("a.txt")], Settings(), address=address))
    assert caught.value.code == "OR160"
    assert address in str(caught.value)


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_cluster_and_jobs_together_are_refused(command: str, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    args = [command, str(DEMO), "--cluster", "local:2", "--jobs", "2"]
    result = CliRunner().invoke(app, [*args, "--db", str(db)] if command == "ingest" else args)
    assert isinstance(result.exception, ConfigError)
    assert "--cluster" in str(result.exception)
    assert "--jobs" in str(result.exception)
    assert not db.exists()


def test_every_cli_reader_offers_the_cluster_option() -> None:
    for command in ("ingest", "extract"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert "--cluster" in result.output


@pytest.fixture(scope="module")
def scheduler_address() -> Iterator[str]:
    """The address of a scheduler with two worker processes, as a remote cluster would have."""
    from distributed import LocalCluster

    # The scheduler runs in this process; its INFO lines would reach whatever handler an
    # earlier CLI test left on the root logger. Held at WARNING, as the CLI holds it.
    dask_log = logging.getLogger("distributed")
    level = dask_log.level
    dask_log.setLevel(logging.WARNING)
    try:
        with LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": cluster.LOCAL_HTTP_ADDRESS},
        ) as running:
            yield running.scheduler_address
    finally:
        dask_log.setLevel(level)


def _key(outcome: ExtractedArticle | IngestError) -> tuple[str, ...]:
    if isinstance(outcome, IngestError):
        return ("error", str(outcome))
    return (outcome.article.source, *(f"{q.start}:{q.end}:{q.speaker}" for q in outcome.quotes))


@pytest.mark.slow
def test_a_scheduler_address_matches_one_process(scheduler_address: str) -> None:
    from distributed import Client

    paths = [str(p) for p in sorted(DEMO.iterdir())[:7]]
    settings = replace(Settings(), batch_size=2)
    bad = RawDocument(source="empty.txt", content="   ", media_type="text")
    items = [*read_inputs(paths), bad, IngestError("gone.txt", "no such file")]
    one = [_key(o) for o in parallel_extract(items, settings, jobs=1)]
    first = [_key(o) for o in cluster.cluster_extract(items, settings, address=scheduler_address)]
    again = [_key(o) for o in cluster.cluster_extract(items, settings, address=scheduler_address)]
    assert first == again == one
    assert [key[0] for key in first[-2:]] == ["error", "error"]
    with Client(scheduler_address) as client:  # type: ignore[no-untyped-call]
        built = client.run(cluster.built_extractors)
    # Ten chunks over two runs, and no worker built the extractor more than once.
    assert [EXTRACTOR_NAME] in built.values()
    assert all(names in ([], [EXTRACTOR_NAME]) for names in built.values())


@pytest.mark.slow
def test_an_unknown_extractor_on_the_cluster_is_a_config_error(scheduler_address: str) -> None:
    outcomes = cluster.cluster_extract(
        [_doc("a.txt")], Settings(), address=scheduler_address, extractor_name="quotes.nope.v0"
    )
    with pytest.raises(ConfigError, match=r"quotes\.nope\.v0"):
        list(outcomes)


@pytest.mark.e2e
@pytest.mark.slow
def test_cli_ingest_on_a_local_cluster_stores_what_one_process_stores(tmp_path: Path) -> None:
    single, spread = tmp_path / "single.db", tmp_path / "cluster.db"
    config = ["--config", str(DEMO_CONFIG)]
    one = run_cli([*config, "ingest", str(DEMO), "--db", str(single)])
    assert one.returncode == 0, one.stderr
    two = run_cli([*config, "ingest", "--cluster", "local:2", str(DEMO), "--db", str(spread)])
    assert two.returncode == 0, two.stderr
    assert two.stdout == one.stdout.replace(str(single), str(spread))
    assert "distributed" not in two.stderr
    expected, got = store_contents(single), store_contents(spread)
    assert got["stats"] == expected["stats"]
    quotes = got["quotes"]
    assert isinstance(quotes, list)
    assert len(quotes) > 50
    for name in expected:
        assert got[name] == expected[name], name
