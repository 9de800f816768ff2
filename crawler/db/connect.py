"""Which database to use and how to connect to it, with errors a user can act on.

`--dsn`, else $LIPUTAN_DSN, else the embedded server (crawler/db/embedded.py): README.md,
"Configuration".
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crawler.errors import PRIVILEGE_FIX, READ_ONLY_FIX, UserError

logger = logging.getLogger(__name__)

DSN_ENV = "LIPUTAN_DSN"
# Long enough for a loaded server, short enough that a wrong host fails before the user gives up.
CONNECT_TIMEOUT_S = 10
APPLICATION_NAME = "liputan"


def resolve_dsn(dsn: str | None = None) -> str:
    """`--dsn`, else $LIPUTAN_DSN, else the embedded server (started if needed)."""
    if dsn:
        check_dsn(dsn, origin="--dsn")
        return dsn
    if os.environ.get(DSN_ENV):
        check_dsn(os.environ[DSN_ENV], origin=f"${DSN_ENV}")
        return os.environ[DSN_ENV]
    from crawler.db.embedded import default_dsn

    return default_dsn()


def check_dsn(dsn: str, origin: str = "database DSN") -> None:
    """Refuse a malformed DSN with one line, before any connection is attempted."""
    try:
        conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        # The DSN itself is not echoed: it may hold a password.
        raise UserError(f"malformed {origin}: {_first_line(exc)}") from exc


def describe(dsn: str) -> str:
    """A DSN as it is safe to print: host, port and database, never a password."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "<malformed DSN>"
    host = params.get("host") or "localhost"
    where = host if host.startswith("/") else f"{host}:{params.get('port') or 5432}"
    return f"{params.get('dbname') or params.get('user') or '?'} at {where}"


def connect(dsn: str, *, autocommit: bool = False, **kwargs) -> psycopg.Connection:
    """Open a connection; an unreachable server or refused login is a one-line UserError."""
    check_dsn(dsn)
    kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    kwargs.setdefault("application_name", APPLICATION_NAME)
    try:
        return psycopg.connect(dsn, autocommit=autocommit, **kwargs)
    except psycopg.OperationalError as exc:
        raise UserError(f"cannot connect to database {describe(dsn)}: {_first_line(exc)}") from exc


@contextmanager
def connection(dsn: str, **kwargs) -> Iterator[psycopg.Connection]:
    conn = connect(dsn, **kwargs)
    try:
        yield conn
    finally:
        conn.close()


def require_writable(dsn: str) -> None:
    """Refuse, with one line, a migrated database this connection cannot write to (a replica,
    default_transaction_read_only, a role without the pipeline's grants), before a step
    starts work it could not store. Crawl children would otherwise each fail on their own."""
    with connection(dsn, autocommit=True) as conn:
        read_only, user, may_write = conn.execute(
            "SELECT current_setting('transaction_read_only') = 'on', current_user,"
            " has_table_privilege('liputan.crawl_runs', 'INSERT')").fetchone()
    if read_only:
        raise UserError(f"database {describe(dsn)} is read-only: {READ_ONLY_FIX}")
    if not may_write:
        raise UserError(f"role {user} may not write to database {describe(dsn)} "
                        f"(no INSERT on liputan.crawl_runs): {PRIVILEGE_FIX}")


def with_database(dsn: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return make_conninfo(**params)


def _first_line(exc: BaseException) -> str:
    """libpq spreads one failure over several lines (and a hint); the user gets one."""
    text = " ".join(part.strip() for part in str(exc).split("\n") if part.strip())
    return text.removeprefix("connection failed: ") or type(exc).__name__
