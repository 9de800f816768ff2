"""Throwaway PostgreSQL databases: created under a unique name, dropped when done.

The one helper the tests (tests/conftest.py and the Airflow and load tests) and the benchmarks
(bench/) share: a new database on a server they administer, migrated to the latest schema or
left empty or copied from a template, whose DSN is handed out and which is dropped afterwards,
even if the connections to it are still open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from crawler.db.connect import with_database
from crawler.db.migrate import upgrade

__all__ = ["scratch_database"]


@contextmanager
def scratch_database(server_dsn: str, *, prefix: str = "liputan_scratch", migrated: bool = True,
                     template: str | None = None) -> Iterator[str]:
    """DSN of a new database `<prefix>_<random>` on the server of `server_dsn`; dropped after.

    migrated: apply every migration first (`crawler.db.migrate.upgrade`); off for an empty
    database, or for an exact copy of `template` (the name of a database on the same server,
    which nobody may be connected to while it is copied).
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
    _execute(server_dsn, create)
    try:
        dsn = with_database(server_dsn, name)
        if migrated:
            upgrade(dsn)
        yield dsn
    finally:
        _execute(server_dsn, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def _execute(server_dsn: str, statement: sql.Composable) -> None:
    """One statement outside a transaction (CREATE and DROP DATABASE need that)."""
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(statement)
