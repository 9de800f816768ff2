"""Shared fixtures: a real PostgreSQL for every test module, never a mock.

The server is the embedded one (pgserver, in a temporary folder, deleted afterwards) unless
LIPUTAN_TEST_DSN points at a server of yours; in both cases every test module gets databases
of its own, created here and dropped when the module is done.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.db.embedded import EmbeddedServer
from crawler.db.scratch import scratch_database

TEST_DSN_ENV = "LIPUTAN_TEST_DSN"
DATABASE_PREFIX = "liputan_test"
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


@pytest.fixture(scope="module")
def dsn(server_dsn: str) -> Iterator[str]:
    """A migrated database of this test module's own."""
    with scratch_database(server_dsn, prefix=DATABASE_PREFIX) as module_dsn:
        yield module_dsn


@pytest.fixture
def new_database(server_dsn: str) -> Iterator[Callable[..., str]]:
    """Factory for extra databases within one test: new_database(migrated=False)."""
    with ExitStack() as opened:

        def make(*, migrated: bool = True) -> str:
            return opened.enter_context(
                scratch_database(server_dsn, prefix=DATABASE_PREFIX, migrated=migrated))

        yield make


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    """An embedded PostgreSQL of this test's own, for tests that stop or crash the server."""
    server = EmbeddedServer(tmp_path / "pgdata", delete_on_exit=True).start()
    try:
        yield server
    finally:
        server.close()
