"""Shared fixtures: a real PostgreSQL for every test module, never a mock.

The server is the embedded one (pgserver, in a temporary folder, deleted afterwards) unless
LIPUTAN_TEST_DSN points at a server of yours; in both cases every test module gets databases
of its own, created here and dropped when the module is done.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from crawler.db.connect import with_database
from crawler.db.embedded import EmbeddedServer
from crawler.db.migrate import upgrade

TEST_DSN_ENV = "LIPUTAN_TEST_DSN"
pytest_plugins = ["tests.newsweb.fixtures"]


@pytest.fixture(scope="session")
def server_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Admin DSN of the PostgreSQL server the tests use (a maintenance database on it)."""
    if os.environ.get(TEST_DSN_ENV):
        yield os.environ[TEST_DSN_ENV]
        return
    server = EmbeddedServer(tmp_path_factory.mktemp("postgres") / "pgdata", delete_on_exit=True)
    server.start()
    try:
        yield server.uri("postgres")
    finally:
        server.close()


@contextmanager
def temporary_database(server_dsn: str, *, migrated: bool = True) -> Iterator[str]:
    """A new database on the test server, migrated to the latest schema; dropped afterwards."""
    name = f"liputan_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = with_database(server_dsn, name)
    try:
        if migrated:
            upgrade(dsn)
        yield dsn
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def dsn(server_dsn: str) -> Iterator[str]:
    """A migrated database of this test module's own."""
    with temporary_database(server_dsn) as module_dsn:
        yield module_dsn


@pytest.fixture
def new_database(server_dsn: str) -> Iterator[Callable[..., str]]:
    """Factory for extra databases within one test: new_database(migrated=False)."""
    opened: list = []

    def make(*, migrated: bool = True) -> str:
        manager = temporary_database(server_dsn, migrated=migrated)
        opened.append(manager)
        return manager.__enter__()

    yield make
    for manager in reversed(opened):
        manager.__exit__(None, None, None)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    """An embedded PostgreSQL of this test's own, for tests that stop or crash the server."""
    server = EmbeddedServer(tmp_path / "pgdata", delete_on_exit=True).start()
    try:
        yield server
    finally:
        server.close()
