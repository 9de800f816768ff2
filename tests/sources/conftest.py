"""The portal outlet (tests/newsweb/portal.py) on 127.0.0.1, for `liputan sources` tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.newsweb import NewsWeb
from tests.newsweb.portal import Portal


@pytest.fixture(scope="module")
def portal_server() -> Iterator[NewsWeb]:
    web = NewsWeb([Portal()]).start()
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture
def portal(portal_server: NewsWeb) -> NewsWeb:
    """The portal's web with no request logged yet."""
    portal_server.forget_requests()
    return portal_server
