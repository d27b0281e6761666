"""Per-item limits on time, shared by the readers (``ingest``) and the stages (``pipeline``).

A ``SIGALRM`` interval timer set around one call: a normal item pays two ``setitimer`` and two
``signal`` calls, nothing else. The timer works in a process's main thread only (elsewhere the
call runs unlimited), and it interrupts Python code and blocking system calls (``open`` of a
FIFO, a ``read`` that waits), not a single C computation, which is stopped when it returns.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

T = TypeVar("T")


class ItemTimeout(BaseException):
    """An item ran past its time limit.

    A ``BaseException``, so that a library's broad ``except Exception`` cannot swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise ItemTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``ItemTimeout`` inside the block once it has run ``seconds`` (0: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limited(seconds: float, call: Callable[..., T], *args: object) -> T | None:
    """``call(*args)``, or ``None`` when it ran past ``seconds``."""
    try:
        with time_limit(seconds):
            return call(*args)
    except ItemTimeout:
        return None
