"""Extraction on a Dask cluster: RawDocument stream -> ExtractedArticle stream.

``local:N`` starts N worker processes on this machine for the run (a ``LocalCluster``, one
thread each, no dashboard) and stops them at the end; ``tcp://HOST:PORT`` (or ``tls://``) hands
the work to a running ``dask scheduler`` and the ``dask worker`` processes attached to it.

This process (the client) reads the input lazily, cuts it into chunks of
``Settings.batch_size`` items and keeps at most ``CHUNKS_PER_THREAD`` chunks per worker thread
in flight, so memory stays flat however long the stream is. Each worker process builds the
extractor once, by registry name, on its first chunk, keeps it for the rest of its life, and
runs ``pipeline.extract_articles`` on each chunk. Outcomes come back in input order, one per
input item, so a cluster run gives what a single-process run gives; storing stays with the
caller.

On the workers the per-item time limit (``ONRECORD_ITEM_TIMEOUT_S``) is not enforced: Dask runs
tasks outside a process's main thread, where the pipeline's timer cannot be armed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from onrecord._chunks import Item, Outcome, SentItem, SentOutcome, extract_chunk, in_order
from onrecord.config import Settings
from onrecord.errors import ClusterError, ConfigError
from onrecord.extract import EXTRACTOR_NAME

if TYPE_CHECKING:
    from distributed import Client, Future

    from onrecord.extract import Extractor

log = logging.getLogger(__name__)

LOCAL_PREFIX: Final = "local:"
SCHEMES: Final = ("tcp", "tls")
CHUNKS_PER_THREAD: Final = 2
LOCAL_HTTP_ADDRESS: Final = "127.0.0.1:0"
CONNECT_TIMEOUT_S: Final = 10
WORKER_WAIT_S: Final = 60
ADDRESS_HELP: Final = (
    "Give local:N to start N worker processes here, or tcp://HOST:PORT of a running "
    "`dask scheduler`."
)

# One extractor per worker process, built on the process's first chunk and kept: tasks are
# plain functions, and module state is what outlives them in a worker. The lock makes a
# process run one chunk at a time, whatever its thread count: the CRF tagger keeps the last
# sequence between ``tag`` and ``marginal``, so one extractor cannot serve two threads.
_extractors: dict[str, Extractor] = {}
_builds: list[str] = []
_extractor_lock = threading.Lock()


def _extract_on_worker(
    chunk: list[SentItem], settings: Settings, is_cleaning: bool, extractor_name: str
) -> list[SentOutcome]:
    with _extractor_lock:
        extractor = _extractors.get(extractor_name)
        if extractor is None:
            from onrecord.extract import create_extractor

            extractor = _extractors[extractor_name] = create_extractor(extractor_name)
            _builds.append(extractor_name)
            log.info("worker built extractor %s", extractor_name)
        return extract_chunk(chunk, extractor, settings, is_cleaning)


def built_extractors() -> list[str]:
    """The extractors this process built for cluster tasks, one name per build.

    Run on every worker with ``Client.run(built_extractors)`` to see that each built its
    model once.
    """
    return list(_builds)


def local_workers(address: str) -> int | None:
    """The worker count of a ``local:N`` address; ``None`` for a scheduler address.

    Raises:
        ConfigError: The address is neither ``local:N`` with N >= 1 nor
            ``SCHEME://HOST:PORT`` with a scheme Dask speaks over the network.
    """
    if address.startswith(LOCAL_PREFIX):
        count = address.removeprefix(LOCAL_PREFIX)
        if not (count.isascii() and count.isdigit()) or int(count) < 1:
            raise ConfigError(
                f"[{ConfigError.code}] --cluster {address!r}: the worker count after local: "
                "must be a whole number of at least 1, e.g. local:4."
            )
        return int(count)
    if not _is_scheduler_address(address):
        raise ConfigError(
            f"[{ConfigError.code}] --cluster {address!r} is not a cluster address. {ADDRESS_HELP}"
        )
    return None


def _is_scheduler_address(address: str) -> bool:
    try:
        parts = urlsplit(address)
        return parts.scheme in SCHEMES and bool(parts.hostname) and parts.port is not None
    except ValueError:  # a port that is not a number, or out of range
        return False


@contextmanager
def _connected(address: str) -> Iterator[Client]:
    # distributed leaves LocalCluster, Client and Client.nthreads unannotated: hence the
    # no-untyped-call ignores in this module.
    from distributed import Client, LocalCluster

    workers = local_workers(address)
    if workers is not None:
        nanny = logging.getLogger("distributed.nanny")
        with ExitStack() as stack:
            # On leaving, in reverse order: the nanny quieted, the client and the cluster
            # closed, the nanny's level restored.
            stack.callback(nanny.setLevel, nanny.level)
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # Without a dashboard the scheduler still serves health and metrics over
                    # HTTP, on port 8787 unless told otherwise; a free local port keeps two runs
                    # on one machine from meeting there.
                    scheduler_kwargs={"dashboard_address": LOCAL_HTTP_ADDRESS},
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
            # Every result is in by the time the cluster closes: on a busy machine the nanny
            # kills a worker that takes over 4 s to exit, with a warning that asks nothing of
            # the user.
            stack.callback(lambda: nanny.setLevel(max(nanny.getEffectiveLevel(), logging.ERROR)))
            log.info("started a local cluster of %d worker processes", workers)
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ClusterError(
            f"[{ClusterError.code}] cannot reach the Dask scheduler at {address} ({exc}). "
            "Check that `dask scheduler` runs there and that the port is open, or use "
            "--cluster local:N."
        ) from exc
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except TimeoutError as exc:
            raise ClusterError(
                f"[{ClusterError.code}] the Dask scheduler at {address} has no workers after "
                f"{WORKER_WAIT_S} s. Start some with `dask worker {address} --nthreads 1`."
            ) from exc
        log.info("connected to the Dask scheduler at %s", address)
        yield client


def _lost(exc: BaseException) -> ClusterError:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        reason = (
            f"Dask workers died while extracting a chunk ({exc}); they may be out of memory. "
            "Give each worker more memory or lower ONRECORD_BATCH_SIZE."
        )
    else:
        reason = (
            f"the cluster dropped a chunk ({type(exc).__name__}: {exc}); the scheduler may "
            "have stopped. Check it and run the ingest again: stored articles are skipped."
        )
    return ClusterError(f"[{ClusterError.code}] {reason}")


def _result(future: Future[list[SentOutcome]]) -> list[SentOutcome]:
    from distributed import KilledWorker

    try:
        return future.result()
    except (KilledWorker, CancelledError, OSError) as exc:
        raise _lost(exc) from exc


def cluster_extract(
    items: Iterable[Item],
    settings: Settings,
    *,
    address: str,
    is_cleaning: bool = True,
    extractor_name: str = EXTRACTOR_NAME,
) -> Iterator[Outcome]:
    """Send raw documents through clean, extract and resolve on Dask workers, a chunk a task.

    Args:
        items: What ``read_inputs`` gives (raw documents, read errors), taken a chunk at a
            time as chunks go out.
        settings: Sent to the workers with each chunk; ``batch_size`` is the chunk size.
        address: ``local:N`` for N worker processes on this machine, started and stopped
            here, or the address of a running scheduler (``tcp://HOST:PORT``).
        is_cleaning: False keeps each text exactly as read (no junk removal).
        extractor_name: Registered extractor the workers build, once each.

    Returns:
        One ``ExtractedArticle`` or ``IngestError`` per input item, in input order; the
        cluster is reached (or started) when the first outcome is asked for.

    Raises:
        ConfigError: The address is malformed (at once), or no extractor is registered under
            ``extractor_name`` (when the first chunk comes back).
        ClusterError: The scheduler cannot be reached or has no workers, or workers died.
        ExtractError: The extractor cannot be loaded on a worker.
    """
    local_workers(address)  # a malformed address fails here, before any input is read
    return _extract(items, settings, address, is_cleaning, extractor_name)


def _extract(
    items: Iterable[Item], settings: Settings, address: str, is_cleaning: bool, name: str
) -> Iterator[Outcome]:
    with _connected(address) as client:

        def submit(chunk: list[SentItem]) -> Future[list[SentOutcome]]:
            return client.submit(_extract_on_worker, chunk, settings, is_cleaning, name, pure=False)

        def capacity() -> int:
            # Asked after every chunk, so workers that join during a run get work too.
            threads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
            return CHUNKS_PER_THREAD * sum(threads.values())

        yield from in_order(items, settings.batch_size, submit, _result, capacity)
    log.info("extracted on the cluster at %s", address)
