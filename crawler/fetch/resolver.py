"""The name resolver every crawl connection goes through: it refuses what the policy forbids.

RefuseAddressMiddleware checks a URL before its request is sent, but Scrapy resolves the name
again when it connects, and a name may answer differently the second time (DNS rebinding: a
public address to the check, 127.0.0.1 to the connection). So the connection's own resolution
is checked too: `GuardedResolver` (setting TWISTED_DNS_RESOLVER) hands Twisted only addresses
that `crawler.urls.AddressPolicy` allows, and none at all for a name with any forbidden
address; the connection then fails, and `ConnectRefusalMiddleware` records it as `Refused`
(reason `private_address`). IP literals, redirect targets and robots.txt take the same path.
docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Sequence
from typing import Any

import attr
from scrapy.utils.datatypes import LocalCache
from twisted.internet._resolver import GAIResolver
from twisted.internet.abstract import isIPv6Address
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer

from crawler.urls import AddressPolicy

logger = logging.getLogger(__name__)

__all__ = ["GuardedResolver"]

REFUSED = "private_address"


def _getaddrinfo(*args: Any) -> list:
    # Looked up on every call (GAIResolver binds its default at import time).
    return socket.getaddrinfo(*args)


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:  # Twisted's own resolutions cannot be cancelled either
        raise NotImplementedError


@implementer(IResolutionReceiver)
class _Collector:
    """Receives the real lookup's answer, hands it to the resolver once complete."""

    def __init__(self, done) -> None:
        self.done = done
        self.addresses: list[IAddress] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        pass

    def addressResolved(self, address: IAddress) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.done(self.addresses)


@implementer(IHostnameResolver)
class GuardedResolver:
    """Settings: DNSCACHE_ENABLED, DNSCACHE_SIZE; LIPUTAN_ALLOWED_NETWORKS, but Scrapy builds
    the resolver from its process settings, and Liputan sets that one per crawl (spider
    settings, crawler/fetch/settings.py `for_source`): RefuseAddressMiddleware hands the crawl's
    networks over (`configure`) before its first request leaves. Until then, and for anything
    not configured, only public addresses are allowed.

    Names resolve to IPv4 addresses only, as with Scrapy's default resolver; an IPv6 literal
    resolves to itself. Only allowed answers are cached.
    """

    def __init__(self, reactor: Any, allowed_networks: Sequence[str] = (),
                 cache_size: int = 0, lookup: IHostnameResolver | None = None) -> None:
        self.reactor = reactor
        self.policy = AddressPolicy(allowed_networks)
        self._configured: tuple[str, ...] | None = None
        # The real lookup: getaddrinfo in the reactor's thread pool (`lookup`: tests only).
        self._lookup = lookup or GAIResolver(reactor, getaddrinfo=_getaddrinfo)
        self._cache: LocalCache[tuple[str, frozenset], tuple[IAddress, ...]] | None = (
            LocalCache(cache_size) if cache_size > 0 else None)
        # Host -> reason, for every host whose answer was refused in this process; read by
        # ConnectRefusalMiddleware to tell a refusal from a name that does not resolve.
        self.refused: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        # Scrapy passes its CrawlerProcess here (only .settings is there).
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") \
            else 0
        return cls(reactor, settings.getlist("LIPUTAN_ALLOWED_NETWORKS"), cache_size)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def configure(self, allowed_networks: Sequence[str]) -> bool:
        """Use the crawl's allowed networks; False (policy unchanged) when another crawl in
        this process configured different ones: one resolver serves every crawl of a process."""
        networks = tuple(allowed_networks)
        if self._configured is None:
            self.policy = AddressPolicy(networks)
            self._configured = networks
            if self._cache is not None:
                self._cache.clear()
        return self._configured == networks

    def refusal(self, host: str) -> str | None:
        """Why connections to `host` were refused, or None if they never were."""
        return self.refused.get(_key(host))

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str,
                        portNumber: int = 0,
                        addressTypes: Sequence[type[IAddress]] | None = None,
                        transportSemantics: str = "TCP") -> IHostResolution:
        if addressTypes is None:
            addressTypes = [IPv6Address] if isIPv6Address(hostName) else [IPv4Address]
        key = (_key(hostName), frozenset(addressTypes))
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def deliver(addresses: Sequence[IAddress]) -> None:
            for address in addresses:
                resolutionReceiver.addressResolved(_with_port(address, portNumber))
            resolutionReceiver.resolutionComplete()

        cached = self._cache.get(key) if self._cache is not None else None
        if cached is not None:
            deliver(cached)
            return resolution

        def judge(addresses: list[IAddress]) -> None:
            forbidden = [a.host for a in addresses if not self.policy.allows(a.host)]
            if forbidden:
                # All or nothing, as the check before the request: a name that also
                # answers 127.0.0.1 is not fetched from its public address either.
                self.refused[key[0]] = REFUSED
                logger.info("refused to connect to %s: it resolves to %s", hostName,
                            ", ".join(forbidden))
                deliver([])
                return
            if addresses and self._cache is not None:
                self._cache[key] = tuple(_with_port(a, 0) for a in addresses)
            deliver(addresses)

        self._lookup.resolveHostName(_Collector(judge), hostName, portNumber, addressTypes,
                                     transportSemantics)
        return resolution


def _key(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _with_port(address: IAddress, port: int) -> IAddress:
    return address if getattr(address, "port", port) == port else attr.evolve(address, port=port)
