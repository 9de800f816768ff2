"""pytest fixtures for the fixture news web (registered in tests/conftest.py).

- `news_web`: the news web, reset for this test (no requests logged, every site up, no edits).
- `news_web_module`: the same, reset once for a whole module, for modules that crawl once and
  assert many things. Do not mix the two in one module: `news_web` resets what the module set.
The servers themselves start once per session; resets are cheap.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.newsweb.server import NewsWeb


@pytest.fixture(scope="session")
def news_web_server() -> Iterator[NewsWeb]:
    web = NewsWeb().start()
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture
def news_web(news_web_server: NewsWeb) -> NewsWeb:
    news_web_server.reset()
    return news_web_server


@pytest.fixture(scope="module")
def news_web_module(news_web_server: NewsWeb) -> NewsWeb:
    news_web_server.reset()
    return news_web_server
