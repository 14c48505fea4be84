"""A throwaway PostgreSQL server for the tests: one cluster per test session, one database per test.

Nothing has to run beforehand. The cluster is ``initdb``-ed into a temporary directory and
started with ``pg_ctl`` on a free port on 127.0.0.1 (and a Unix socket in the same directory),
with durability switched off (it is thrown away); at the end of the session it is stopped and
removed. PostgreSQL refuses to run as root, so as root (CI, this project's machines) the server
runs as the ``postgres`` system user that Debian's ``postgresql`` package creates.

PostgreSQL missing is an error that says how to install it, never a skip: ``make test`` installs
Debian's ``postgresql`` when ``initdb`` is not there.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.playground import free_port

NOT_INSTALLED = (
    "PostgreSQL's server programs (initdb, pg_ctl) were not found: the storage tests run against a "
    "real PostgreSQL. `make test` installs it (apt-get install postgresql); or install it yourself."
)


def find_bindir() -> Path:
    """The directory with ``initdb`` and ``pg_ctl``: ``pg_config --bindir``, else the newest
    ``/usr/lib/postgresql/*/bin`` (Debian keeps the server programs off the ``PATH``)."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            candidates.append(Path(out))

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    ]
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    raise RuntimeError(NOT_INSTALLED)


class PostgresCluster:
    """``start()``, then ``create_database()`` / ``drop_database()`` per test, then ``stop()``."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="rutinebot-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._names = itertools.count(1)
        self._started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # the server will not run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{tail}")
        return result

    def start(self) -> PostgresCluster:
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root, but there is no `postgres` system user to run the test "
                    "server as (Debian's postgresql package creates it)"
                ) from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--no-instructions")  # fmt: skip
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-k {self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        for _ in range(3):  # a free port can be taken between asking and binding
            self.port = free_port()
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                          "-o", f"-p {self.port} {options}", "-w", "-t", "60", "start")  # fmt: skip
                break
            except RuntimeError:
                if "could not bind" not in (self.root / "server.log").read_text(errors="replace"):
                    raise
        else:  # pragma: no cover
            raise RuntimeError("could not start the test PostgreSQL on a free port")
        self._started = True
        return self

    def stop(self) -> None:
        try:
            if self._started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
                self._started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A plain ``postgresql://`` URL, as an operator would set ``DATABASE_URL``."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:  # FORCE: a test that left a connection open still cleans up
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
