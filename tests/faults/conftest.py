"""Fixtures of the fault suite: hostile sites on loopback addresses, started per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.faults.server import FaultSite


@pytest.fixture
def fault_site() -> Iterator[Callable[[str], FaultSite]]:
    """fault_site(host) -> a started FaultSite on `host` (127.x.y.z), stopped after the test."""
    started: list[FaultSite] = []

    def make(host: str = "127.0.0.1") -> FaultSite:
        site = FaultSite(host).start()
        started.append(site)
        return site

    yield make
    for site in started:
        site.stop()
