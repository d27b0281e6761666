"""A throw-away PostgreSQL server for the tests: Debian's postgresql binaries on a free port.

``PostgresServer.start`` runs ``initdb`` into a temporary folder and ``pg_ctl start`` on
127.0.0.1 with trust login, without ``fsync`` for the tests' speed (``is_durable=True`` keeps
PostgreSQL's defaults, ``fsync=on`` and ``synchronous_commit=on``, as benchmarks against a
SQLite file in WAL mode with ``synchronous=FULL`` want); ``create_database`` hands each test
a fresh database URL; ``stop`` shuts the server down and removes the folder. Run as root,
the binaries run as the ``postgres`` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from itertools import count
from pathlib import Path
from typing import Final

import psycopg

from tests.ports import free_port

BIN_DIRS: Final = tuple(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
START_TIMEOUT_S: Final = 60


def find_binary(name: str) -> Path | None:
    """The newest installed PostgreSQL's ``name`` (initdb, pg_ctl), or one on PATH."""
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return folder / name
    found = shutil.which(name)
    return Path(found) if found else None


class PostgresServer:
    """One running server; use ``start`` to make one."""

    def __init__(self, root: Path, port: int, user_prefix: list[str]) -> None:
        self.root = root
        self.port = port
        self._user_prefix = user_prefix
        self._names = count(1)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls, *, is_durable: bool = False) -> PostgresServer:
        """Initialise and start a server; with ``is_durable``, every commit is flushed to
        disk (PostgreSQL's defaults), else nothing is (``fsync=off``).

        Raises:
            FileNotFoundError: PostgreSQL is not installed (``apt-get install postgresql``).
            subprocess.CalledProcessError: initdb or pg_ctl failed; the output says why.
        """
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise FileNotFoundError(
                "PostgreSQL's initdb/pg_ctl were not found: install Debian's postgresql package "
                "(apt-get install postgresql); .ci/run does this."
            )
        root = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))
        prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(root, user="postgres")
            prefix = ["runuser", "-u", "postgres", "--"]
        server = cls(root, free_port(), prefix)
        data = root / "data"
        server._run([str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root}"
        if not is_durable:
            options += " -c fsync=off"
        start = ["-o", options, "-l", str(root / "log"), "-w", "-t", str(START_TIMEOUT_S)]
        server._run([str(pg_ctl), "-D", str(data), *start, "start"])
        return server

    def _run(self, command: list[str]) -> None:
        subprocess.run(  # noqa: S603 - fixed binaries and arguments
            [*self._user_prefix, *command], check=True, capture_output=True, text=True
        )

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"onrecord_test_{next(self._names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        pg_ctl = find_binary("pg_ctl")
        if pg_ctl is not None:
            stop = [str(pg_ctl), "-D", str(self.root / "data"), "-m", "fast", "stop"]
            subprocess.run(  # noqa: S603 - fixed binary and arguments
                [*self._user_prefix, *stop],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)
