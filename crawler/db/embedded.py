"""The embedded PostgreSQL used when no database is configured (README.md, "Two commands").

pgserver ships PostgreSQL binaries on PyPI, so a fresh machine needs nothing installed by hand.
The server listens on a Unix socket only (no TCP port to collide with), keeps its data under the
Liputan home folder and, started through pgserver, stops once the last process that asked for
it exits, so nothing keeps running after a command finishes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from crawler.errors import UserError

logger = logging.getLogger(__name__)

DATABASE = "liputan"

# PostgreSQL's defaults suit a very small machine. With 128MB of shared buffers a 50,000-article
# load filled them with dirty pages, and the loading backend itself wrote out ~45,000 buffers
# (each after flushing the WAL up to it); with 512MB it wrote none and ran ~10-15% faster
# (bench/load.py, measured). Set once with ALTER SYSTEM, kept in the data folder.
SETTINGS = {"shared_buffers": "512MB", "max_wal_size": "2GB"}


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

    def start(self) -> EmbeddedServer:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset (normal under cron or as root).
            warnings.simplefilter("ignore")
            import pgserver

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        try:
            if self._server is None:
                self._server = pgserver.get_server(self.pgdata, cleanup_mode=self._cleanup_mode)
            else:
                with self._server._lock:  # pgserver expects its inter-process lock held here
                    self._server.ensure_postgres_running()
            self._configure()
        except (OSError, subprocess.SubprocessError) as exc:
            log = self.pgdata / "log"
            raise UserError(
                f"cannot start the embedded PostgreSQL in {self.pgdata}: {exc} (see {log})"
            ) from exc
        return self

    def _configure(self) -> None:
        """Apply SETTINGS where the server differs; restart it at once if no one else uses it,
        else they take effect at its next start (it stops when its last user exits)."""
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
        if stale and not others:
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
            self._server.cleanup()
            self._server = None


def default_dsn() -> str:
    """Start (or reuse) the embedded server under the project home and return its DSN."""
    home = project_home()
    server = EmbeddedServer(home / "pgdata")
    server.start()
    # Keep a reference so pgserver's at-exit cleanup, not garbage collection, decides shutdown.
    _started.append(server)
    return server.ensure_database(DATABASE)


_started: list[EmbeddedServer] = []
