"""Reaching the database from outside Liputan: psql on it, and the embedded server kept up.

`liputan sql` runs PostgreSQL's own client, psql: the machine's (on PATH) if there is one,
else the one pgserver ships with the embedded server, so it always exists where Liputan runs.
`liputan db serve` keeps the embedded server up for other tools: the server itself listens on
a Unix socket only (crawler/db/embedded.py), which psql, psycopg and pandas can use but JDBC
tools (DBeaver, Metabase) cannot, so a small proxy forwards a TCP port on 127.0.0.1 to it.
README.md, "Reaching the data".
"""

from __future__ import annotations

import logging
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crawler.errors import UserError

__all__ = [
    "READER_ROLE",
    "SocketProxy",
    "find_psql",
    "jdbc_url",
    "psql_command",
    "psql_error",
    "run_psql",
    "serve_lines",
    "socket_path",
    "tcp_dsn",
    "wait_for_stop",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

READER_ROLE = "liputan_reader"  # sql/001: reads the news.* views and nothing else
# psql's own default port; a Unix socket is named after the port the server would use.
DEFAULT_PG_PORT = 5432
# psql turns a SELECT into a cursor and prints it this many rows at a time: a -c --csv of a
# million articles then takes a bounded amount of memory instead of the whole result.
CSV_FETCH_COUNT = 1000
# One chunk of a proxied connection: PostgreSQL's own socket buffers are of this order.
PROXY_CHUNK = 64 * 1024


def find_psql() -> str:
    """The machine's psql if on PATH (its readline, its ~/.psqlrc), else pgserver's."""
    found = shutil.which("psql")
    if found:
        return found
    try:
        from pgserver._commands import POSTGRES_BIN_PATH as shipped
    except ImportError:
        shipped = None
    if shipped is not None and (shipped / "psql").is_file():
        return str(shipped / "psql")
    raise UserError("no psql found: install PostgreSQL's client (Debian: apt-get install "
                    "postgresql-client) or `pip install pgserver`, which ships one")


def psql_command(psql: str, dsn: str, *, query: str | None = None, csv: bool = False) -> list[str]:
    """The psql argument list: interactive, or one query (-c) printed aligned or as CSV.

    A query runs with -X (no ~/.psqlrc: its output is for scripts) and stops at the first
    error; the DSN goes through -d so that a URI and a key=value string both work, without
    its password (psql_environment passes that: a command line is visible to `ps`)."""
    params = conninfo_to_dict(dsn)
    params.pop("password", None)
    command = [psql, "-d", make_conninfo(**params)]
    if query is None:
        return command
    command += ["-X", "-v", "ON_ERROR_STOP=1", "-c", query]
    if csv:
        command += ["--csv", "-v", f"FETCH_COUNT={CSV_FETCH_COUNT}"]
    return command


def psql_environment(dsn: str, *, reader: bool) -> dict[str, str]:
    """The environment psql runs in: the DSN's password, if any; with `reader`, its session
    takes the reader role."""
    env = dict(os.environ)
    password = conninfo_to_dict(dsn).get("password")
    if password:
        env["PGPASSWORD"] = password
    if reader:
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c role={READER_ROLE}".strip()
    return env


def run_psql(command: Sequence[str], dsn: str, *, reader: bool = False,
             interactive: bool) -> int:
    """Run psql and return its exit status.

    Interactive: psql owns the terminal; Ctrl-C cancels its query and must not end us (we
    hold the embedded server it talks to), so SIGINT is ignored here until it exits.
    One query: its error, which psql spreads over several lines (LINE 1:, a caret), is one
    line (UserError); the result goes straight to stdout, never through our memory."""
    env = psql_environment(dsn, reader=reader)
    if interactive:
        process = subprocess.Popen(command, env=env)
        previous = signal.signal(signal.SIGINT, _ignore)
        try:
            return _until_done(process, process.wait)
        finally:
            signal.signal(signal.SIGINT, previous)
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    _, errors = _until_done(process, process.communicate)
    message = errors.decode(errors="replace")
    if process.returncode != 0:
        raise UserError(f"psql: {psql_error(message)}")
    sys.stderr.write(message)  # NOTICEs and WARNINGs of a query that worked
    return 0


def _ignore(signum: int, frame: object) -> None:
    """A Python-level no-op, not SIG_IGN: a disposition of SIG_IGN would reach psql too."""


def _until_done(process: subprocess.Popen, wait: Callable[[], T]) -> T:
    """wait(), and psql stopped with us if we are interrupted (Ctrl-C with -c, or SIGTERM:
    crawler.cli.Terminated)."""
    try:
        return wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        raise


def psql_error(stderr: str) -> str:
    """psql's error as one line: its ERROR/FATAL line(s), without LINE n: and the caret."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    keep = [line for line in lines
            if not line.startswith(("LINE ", "^")) and line.strip("^ ")]
    text = " ".join(keep).removeprefix("psql:")
    return " ".join(text.split()) or "failed"


# ------------------------------------------------------------------------------------------
# `liputan db serve`


def socket_path(dsn: str) -> Path:
    """The Unix socket file a socket DSN (host=/dir) points at."""
    params = conninfo_to_dict(dsn)
    port = params.get("port") or DEFAULT_PG_PORT
    return Path(params["host"]) / f".s.PGSQL.{port}"


def tcp_dsn(dsn: str, host: str, port: int) -> str:
    """The same database and user reached over TCP at host:port, as a URI."""
    user, dbname = _user_and_database(dsn)
    return f"postgresql://{user}@{host}:{port}/{dbname}"


def jdbc_url(dsn: str, host: str, port: int) -> str:
    """The same, as JDBC tools (DBeaver, Metabase) take it: the user is a parameter."""
    user, dbname = _user_and_database(dsn)
    return f"jdbc:postgresql://{host}:{port}/{dbname}?user={user}"


def _user_and_database(dsn: str) -> tuple[str, str]:
    params = conninfo_to_dict(dsn)
    user = params.get("user") or "postgres"
    return user, params.get("dbname") or user


def serve_lines(dsn: str, proxy: SocketProxy | None) -> list[str]:
    """What `liputan db serve` prints: each way in, and which tools take it."""
    lines = ["Serving the embedded PostgreSQL until Ctrl-C:"]
    if proxy is not None:
        url = tcp_dsn(dsn, proxy.host, proxy.port)
        sqlalchemy = url.replace("postgresql://", "postgresql+psycopg://", 1)
        lines += [f"  {url}",
                  f"      psql, psycopg, pandas (SQLAlchemy: {sqlalchemy})",
                  f"  {jdbc_url(dsn, proxy.host, proxy.port)}",
                  "      DBeaver, Metabase and other JDBC tools",
                  "  (no password: anyone on this machine can connect while this runs)"]
    lines += [f"  {dsn}", "      the Unix socket: psql, psycopg, pandas on this machine"]
    return lines


class SocketProxy:
    """Forwards TCP connections on host:port to a Unix socket, one thread per connection.

    PostgreSQL sees each forwarded connection as local (the embedded server trusts those),
    so whoever reaches host:port logs in without a password: host is 127.0.0.1 only.
    """

    def __init__(self, target: Path, host: str = "127.0.0.1", port: int = 0):
        self.target = target
        self._listener = socket.create_server((host, port), reuse_port=False)
        self.host, self.port = self._listener.getsockname()[:2]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="db-serve-proxy", daemon=True)

    def start(self) -> SocketProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        try:
            # close() alone does not wake a thread blocked in accept() on Linux; shutdown does
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed: stop() was called
            threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        try:
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(str(self.target))
        except OSError as exc:
            logger.warning("db serve: cannot reach %s: %s", self.target, exc)
            client.close()
            return
        with client, server, selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, server)
            selector.register(server, selectors.EVENT_READ, client)
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=1):
                    try:
                        chunk = key.fileobj.recv(PROXY_CHUNK)
                        if not chunk:
                            return  # one side hung up: so does the other
                        key.data.sendall(chunk)
                    except OSError:
                        return


def wait_for_stop() -> None:
    """Block until Ctrl-C or SIGTERM (both raise KeyboardInterrupt through crawler.cli)."""
    while True:
        signal.pause() if hasattr(signal, "pause") else threading.Event().wait(3600)
