"""Extraction in chunks, shared by the process pool (``workers``) and the cluster (``cluster``).

Input items travel in chunks of ``Settings.batch_size``; a chunk comes back as one outcome per
item, in item order (``extract_chunk``). ``in_order`` cuts a lazy stream into chunks, keeps a
bounded number of them in flight wherever they run, and yields the outcomes in input order
whatever order the chunks finish in.

Errors cross a process boundary as plain values: ``IngestError`` takes more arguments than the
message pickle would hand back, so a chunk carries (class, item, reason, message) and the
receiving side rebuilds the error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Final, TypeVar

from onrecord.config import Settings
from onrecord.errors import IngestError
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.pipeline import extract_articles

if TYPE_CHECKING:
    from onrecord.extract import Extractor

# spaCy parses a chunk in batches of this many articles: measured on 300-word articles, 16
# and 64 run at the same speed, but a process peaks at 380 MB with 16 and 640 MB with 64.
PARSE_BATCH: Final = 16

Item = RawDocument | IngestError
Outcome = ExtractedArticle | IngestError
Pending = TypeVar("Pending")


@dataclass(frozen=True, slots=True)
class SentError:
    """An ``IngestError`` as plain values, so that it pickles."""

    kind: type[IngestError]
    item: str
    reason: str
    message: str


SentItem = RawDocument | SentError
SentOutcome = ExtractedArticle | SentError


def pack_error(error: IngestError) -> SentError:
    """The values that rebuild ``error`` on the other side of a process boundary."""
    return SentError(type(error), error.item, error.reason, str(error))


def unpack_error(sent: SentError) -> IngestError:
    """The error ``pack_error`` packed: same class, item, reason and message."""
    error = sent.kind.__new__(sent.kind)
    Exception.__init__(error, sent.message)
    error.item = sent.item
    error.reason = sent.reason
    return error


def _send(item: Item) -> SentItem:
    return pack_error(item) if isinstance(item, IngestError) else item


def _receive(item: SentItem) -> Item:
    return unpack_error(item) if isinstance(item, SentError) else item


def _source(item: Item) -> str:
    return item.item if isinstance(item, IngestError) else item.source


def extract_in_order(
    items: list[Item], extractor: Extractor, settings: Settings, is_cleaning: bool
) -> list[Outcome]:
    """Run ``extract_articles`` on one chunk; one outcome per item, in item order."""
    # extract_articles yields one outcome per input item but puts a batch's errors first;
    # matching sources puts each outcome back at its item's place. Two items with the same
    # source may swap, which no reader of the output can tell apart.
    parse = replace(settings, batch_size=min(settings.batch_size, PARSE_BATCH))
    outcomes = list(extract_articles(items, extractor, parse, is_cleaning=is_cleaning))
    errors = deque(o for o in outcomes if isinstance(o, IngestError))
    articles = deque(o for o in outcomes if not isinstance(o, IngestError))
    ordered: list[Outcome] = []
    for item in items:
        source = _source(item)
        if errors and errors[0].item == source:
            ordered.append(errors.popleft())
        elif articles and articles[0].article.source == source:
            ordered.append(articles.popleft())
    ordered.extend(errors)
    ordered.extend(articles)
    return ordered


def extract_chunk(
    chunk: list[SentItem], extractor: Extractor, settings: Settings, is_cleaning: bool
) -> list[SentOutcome]:
    """``extract_in_order`` on a chunk as it travels between processes, errors packed."""
    outcomes = extract_in_order(
        [_receive(item) for item in chunk], extractor, settings, is_cleaning
    )
    return [pack_error(o) if isinstance(o, IngestError) else o for o in outcomes]


def in_order(
    items: Iterable[Item],
    chunk_size: int,
    submit: Callable[[list[SentItem]], Pending],
    wait: Callable[[Pending], list[SentOutcome]],
    capacity: Callable[[], int],
) -> Iterator[Outcome]:
    """Send ``items`` off in chunks and yield their outcomes in input order.

    Args:
        items: Raw documents and read errors; read lazily, a chunk at a time.
        chunk_size: Items per chunk.
        submit: Starts the extraction of one chunk and returns a handle on it.
        wait: Blocks until a handle's chunk is done and returns its outcomes.
        capacity: Most chunks in flight; asked again after each chunk, so it may grow or shrink.

    Yields:
        One outcome per input item, in input order.
    """
    iterator = iter(items)
    in_flight: deque[Pending] = deque()

    def fill() -> bool:
        limit = max(1, capacity())
        while len(in_flight) < limit:
            chunk = [_send(item) for item in islice(iterator, chunk_size)]
            if not chunk:
                return False
            in_flight.append(submit(chunk))
        return True

    is_reading = fill()
    while in_flight:
        done = wait(in_flight.popleft())
        if is_reading:
            is_reading = fill()
        for outcome in done:
            yield unpack_error(outcome) if isinstance(outcome, SentError) else outcome
