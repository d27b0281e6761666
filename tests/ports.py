"""A free TCP port on the loopback interface, for servers the tests start.

Under pytest-xdist each worker takes only ports of its own (the port's block of 100 numbered
modulo the worker count is the worker's number), so two workers never hand out the same port
between probing it and binding their server to it. Blocks, not single numbers: the kernel
may prefer odd or even ports for ``bind`` to port 0.
"""

from __future__ import annotations

import os
import socket

MAX_PROBES = 1000
BLOCK = 100


def _worker() -> tuple[int, int]:
    """This process's xdist worker number and the worker count (0 and 1 outside xdist)."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or "1")
    number = int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0
    return number % max(count, 1), max(count, 1)


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it; another process may take it)."""
    number, count = _worker()
    for _ in range(MAX_PROBES):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if (port // BLOCK) % count == number:
            return port
    raise OSError(f"no free port for test worker {number} of {count} in {MAX_PROBES} probes")
