"""Per-item limits on time, shared by the readers (``ingest``) and the stages (``pipeline``).

An interval timer set around one call: a normal item pays two ``setitimer`` and two ``signal``
calls, nothing else. Two clocks:

- ``"cpu"`` (``ITIMER_PROF``, the process's CPU time) for cleaning, parsing and extraction, so
  that whether an item fits its limit depends on the work it needs, not on how busy the
  machine is;
- ``"wall"`` (``ITIMER_REAL``) for reading, where the danger is waiting (a pipe, a stalled
  disk), which costs no CPU time.

The timer works in a process's main thread only (elsewhere the call runs unlimited), and it
interrupts Python code and blocking system calls, not a single C computation, which is stopped
when it returns.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Final, Literal, TypeVar

T = TypeVar("T")
Clock = Literal["cpu", "wall"]
TIMERS: Final = {
    "cpu": (signal.ITIMER_PROF, signal.SIGPROF),
    "wall": (signal.ITIMER_REAL, signal.SIGALRM),
}


class ItemTimeout(BaseException):
    """An item ran past its time limit.

    A ``BaseException``, so that a library's broad ``except Exception`` cannot swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise ItemTimeout


@contextmanager
def time_limit(seconds: float, clock: Clock = "cpu") -> Iterator[None]:
    """Raise ``ItemTimeout`` inside the block once it has used ``seconds`` (0: no limit).

    Args:
        seconds: The limit.
        clock: ``"cpu"`` counts the process's CPU time, ``"wall"`` real time.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    timer, signum = TIMERS[clock]
    previous = signal.signal(signum, _on_alarm)
    signal.setitimer(timer, seconds)
    try:
        yield
    finally:
        signal.setitimer(timer, 0)
        signal.signal(signum, previous)


def limited(seconds: float, call: Callable[..., T], *args: object) -> T | None:
    """``call(*args)``, or ``None`` when it used more than ``seconds`` of CPU time."""
    try:
        with time_limit(seconds):
            return call(*args)
    except ItemTimeout:
        return None
