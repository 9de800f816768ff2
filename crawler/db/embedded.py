"""The embedded PostgreSQL used when no database is configured (README.md, "Two commands").

pgserver ships PostgreSQL binaries on PyPI, so a fresh machine needs nothing installed by hand.
The server listens on a Unix socket only (no TCP port to collide with), keeps its data under the
Liputan home folder and, started through pgserver, stops once the last process that asked for
it exits, so nothing keeps running after a command finishes.

Several commands may start together on one home (`liputan db status & liputan db status`):
starting, configuring and stopping the server happen under one file lock (LOCK_FILE, next to
the data folder), so the second command waits, then uses the server the first one started,
and whichever ends last stops it.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from crawler.errors import UserError
from crawler.processes import alive

logger = logging.getLogger(__name__)

DATABASE = "liputan"

# PostgreSQL's defaults suit a very small machine. With 128MB of shared buffers a 50,000-article
# load filled them with dirty pages, and the loading backend itself wrote out ~45,000 buffers
# (each after flushing the WAL up to it); with 512MB it wrote none and ran ~10-15% faster
# (bench/load.py, measured). Set once with ALTER SYSTEM, kept in the data folder.
SETTINGS = {"shared_buffers": "512MB", "max_wal_size": "2GB"}
# Next to the data folder (pgdata's parent, the Liputan home for the default server).
LOCK_FILE = "embedded-postgres.lock"


def project_home() -> Path:
    """Where Liputan keeps local state: $LIPUTAN_HOME, else `.liputan/` in the project folder.

    The project folder is the source checkout this package lives in when run from one (so every
    command finds the same database whatever the working directory), otherwise the working
    directory.
    """
    env = os.environ.get("LIPUTAN_HOME")
    if env:
        return Path(env).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "sql").is_dir():
        return checkout / ".liputan"
    return Path.cwd() / ".liputan"


class EmbeddedServer:
    """A PostgreSQL server in a folder of ours, started on demand.

    `stop(mode="immediate")` and `start()` exist for tests that restart the server under load.
    """

    def __init__(self, pgdata: Path, *, keep_running: bool = False, delete_on_exit: bool = False):
        self.pgdata = Path(pgdata)
        if delete_on_exit:
            self._cleanup_mode: str | None = "delete"
        else:
            self._cleanup_mode = None if keep_running else "stop"
        self._server = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this data folder's start/stop lock (blocking until other commands let go)."""
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        with open(self.pgdata.parent / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def start(self) -> EmbeddedServer:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset (normal under cron or as root).
            warnings.simplefilter("ignore")
            import pgserver

        try:
            with self.locked():
                if self._server is None:
                    self._forget_dead_users()
                    self._server = pgserver.get_server(self.pgdata,
                                                       cleanup_mode=self._cleanup_mode)
                with self._server._lock:  # pgserver expects its inter-process lock held here
                    self._server.ensure_postgres_running()
                    # Ours again if an earlier handle of this process was closed.
                    self._server.global_process_id_list.get_and_add(os.getpid())
                self._configure()
        except (OSError, subprocess.SubprocessError) as exc:
            log = self.pgdata / "log"
            raise UserError(
                f"cannot start the embedded PostgreSQL in {self.pgdata}: {exc} (see {log})"
            ) from exc
        return self

    def _users(self) -> list[int]:
        """Processes holding a handle on the server (pgserver's list in the data folder)."""
        return self._server.global_process_id_list.get() if self._server else []

    def _forget_dead_users(self) -> None:
        """Drop processes that died without letting go (SIGKILL) from pgserver's list of
        users, so that the last live one still stops the server."""
        from pgserver.utils import DiskList

        users = DiskList(self.pgdata / ".handle_pids.json")
        living = [pid for pid in users.get() if alive(pid)]
        if living != users.get():
            users.put(living)

    def _configure(self) -> None:
        """Apply SETTINGS where the server differs; restart it at once if no other process
        uses it, else they take effect at its next start (it stops when its last user exits).
        Called with the start/stop lock held: no other command is starting meanwhile."""
        with psycopg.connect(self.uri(), autocommit=True) as conn:
            stale = {name: value for name, value in SETTINGS.items()
                     if conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name)))
                     .fetchone()[0] != value}
            for name, value in stale.items():
                conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(
                    sql.Identifier(name), sql.Literal(value)))
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()").fetchone()[0]
        if stale and not others and self._users() == [os.getpid()]:
            logger.info("restarting the embedded PostgreSQL with %s", stale)
            self.stop()
            with self._server._lock:
                self._server.ensure_postgres_running()

    def uri(self, database: str = "postgres") -> str:
        assert self._server is not None, "start() first"
        return self._server.get_uri(database)

    def ensure_database(self, name: str = DATABASE) -> str:
        """Create `name` if missing and return its connection URI."""
        with psycopg.connect(self.uri(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                logger.info("creating database %s in the embedded server", name)
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.uri(name)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server now; mode "immediate" is a crash-like shutdown (no checkpoint)."""
        from pgserver._commands import pg_ctl

        assert self._server is not None, "start() first"
        pg_ctl(["-w", "-m", mode, "stop"], pgdata=self.pgdata, user=self._server.system_user)

    def close(self) -> None:
        """Give up our handle; the server stops (or is deleted) if no other process holds one."""
        if self._server is not None:
            with self.locked():
                self._server.cleanup()
            self._server = None


def default_dsn() -> str:
    """Start (or reuse) the embedded server under the project home and return its DSN."""
    home = project_home()
    server = EmbeddedServer(home / "pgdata")
    server.start()
    # Let go at exit under the lock (before pgserver's own at-exit hook, which then finds
    # nothing to do): a command starting meanwhile waits, then starts the server afresh.
    atexit.register(server.close)
    _started.append(server)
    with server.locked():  # two first commands must not both create the database
        return server.ensure_database(DATABASE)


_started: list[EmbeddedServer] = []
