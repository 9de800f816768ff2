"""Archiving works on the whole database: each test here gets a database of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.db.scratch import scratch_database
from tests.conftest import DATABASE_PREFIX


@pytest.fixture
def dsn(server_dsn: str) -> Iterator[str]:
    with scratch_database(server_dsn, prefix=DATABASE_PREFIX) as test_dsn:
        yield test_dsn
