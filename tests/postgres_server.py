"""A throwaway PostgreSQL server for the test session: initdb in a temp dir, a free loopback port, stopped at the end.

Debian's `postgresql` package (installed by `make postgresql`) provides the binaries under
/usr/lib/postgresql/<version>/bin. The server refuses to run as root, so as root it runs as Debian's
`postgres` user in a directory handed to that user. Without the binaries the PostgreSQL tests are skipped
on a developer's machine and fail under CI=true; a server that does not start always fails, with its log.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SERVER_USER = "postgres"  # created by Debian's package; postgres will not run as root
ROLE = "hub"
START_TIMEOUT_S = 60


@dataclass
class PostgresServer:
    """A running server: where it lives and how to reach it."""

    bin_dir: Path
    root: Path
    port: int
    run_as: pwd.struct_passwd | None
    _names: Iterator[int] = field(default_factory=itertools.count)
    _shared: str | None = None

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "hub") -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_schema(self) -> str:
        """The URL of a new empty schema (first on its search_path) in one shared database: cheaper than a
        database per store, so property tests can open one per example."""
        import psycopg

        if self._shared is None:
            self._shared = self.create_database("stores")
        name = f"s_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self._shared, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self._shared}?options=-csearch_path%3D{name}"

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_bin_dir() -> Path | None:
    """The newest installed server's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(server: PostgresServer, *command: str | Path) -> subprocess.CompletedProcess[str]:
    user = server.run_as
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        cwd=server.root,
        user=user.pw_uid if user else None,
        group=user.pw_gid if user else None,
        env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    )


def _fail(what: str, done: subprocess.CompletedProcess[str], log: Path) -> None:
    server_log = log.read_text(errors="replace") if log.exists() else "(no server log)"
    shutil.rmtree(log.parent, ignore_errors=True)
    pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n--- server log ---\n{server_log}")


def start_server() -> PostgresServer:
    """initdb + pg_ctl start on a free port, the unix socket in the same temp dir."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL is not installed (run `make postgresql`: Debian's postgresql package)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    run_as = pwd.getpwnam(SERVER_USER) if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="hub-postgres-"))
    if run_as:
        os.chown(root, run_as.pw_uid, run_as.pw_gid)
    server = PostgresServer(bin_dir, root, free_port(), run_as)
    done = _run(server, bin_dir / "initdb", "-D", root / "data", "-U", ROLE, "-A", "trust", "-E", "UTF8", "--no-sync")
    if done.returncode:
        _fail("initdb", done, server.log)
    # fsync off: the tests kill clients, never this server, so its durability is not what they check.
    options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    done = _run(server, bin_dir / "pg_ctl", "-D", root / "data", "-l", server.log, "-o", options, "-w", "start")
    if done.returncode:
        _fail("pg_ctl start", done, server.log)
    return server


def stop_server(server: PostgresServer) -> None:
    _run(server, server.bin_dir / "pg_ctl", "-D", server.root / "data", "-m", "immediate", "-w", "stop")
    shutil.rmtree(server.root, ignore_errors=True)


RUNNING: list[PostgresServer] = []  # the session's server, started by the first test that needs it


def shared_server() -> PostgresServer:
    """The session's server, started on first use (by a fixture or a store factory) and stopped at exit."""
    if not RUNNING:
        server = start_server()
        RUNNING.append(server)
        atexit.register(_stop_shared)
    return RUNNING[0]


def _stop_shared() -> None:
    while RUNNING:
        stop_server(RUNNING.pop())


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway server for the whole test session."""
    yield shared_server()
    _stop_shared()


def migrated_database() -> str:
    """A new store (a schema of the session server's shared database), migrated to the current schema."""
    from hub_app.store import migrate

    url = shared_server().create_schema()
    migrate(url, ())
    return url


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a database created for this test session."""
    return postgres_server.create_database("session")


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh empty database for one test, dropped after it."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)
