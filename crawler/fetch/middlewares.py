"""Liputan's Scrapy downloader middlewares, each one small and switched on by settings.

They refuse non-public addresses (redirects and robots.txt included; checked before the request
here, and again by the resolver the connection goes through, crawler/fetch/resolver.py), make
each retry wait longer (Scrapy retries at once), and stop a redirect to a page already fetched
or stored, so an article is fetched once per run. docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError
from twisted.internet.task import deferLater

from crawler.fetch.resolver import GuardedResolver
from crawler.urls import canonicalize, refuse_reason

logger = logging.getLogger(__name__)


class Refused(IgnoreRequest):
    """A request Liputan will not make; `reason` is what the fetch record says."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"refused ({reason}): {url}")
        self.reason = reason


class RefuseAddressMiddleware:
    """Settings: LIPUTAN_ALLOWED_NETWORKS (list of CIDR; ["0.0.0.0/0", "::/0"] = all).

    The check before the request: early (robots.txt of a refused site is not even requested)
    and with a reason (`bad_url`, `dns`, `private_address`). Its verdict is cached per site and
    the name is resolved again when Scrapy connects, so it cannot be the only check: the
    connection's own resolution is checked by GuardedResolver (crawler/fetch/resolver.py).
    """

    def __init__(self, crawler: Crawler) -> None:
        networks = tuple(crawler.settings.getlist("LIPUTAN_ALLOWED_NETWORKS"))
        self.allow_all = {"0.0.0.0/0", "::/0"} <= set(networks)
        self.networks = networks
        # One answer per host and port: resolving names costs a blocking lookup.
        self._verdicts: dict[str, str | None] = {}
        self._guarded = False
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefuseAddressMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._verdicts:
            self._verdicts[key] = refuse_reason(request.url, allow_private=self.allow_all,
                                                allowed_networks=self.networks)
        reason = self._verdicts[key]
        if reason is not None:
            self.stats.inc_value(f"liputan/refused/{reason}")
            raise Refused(reason, request.url)
        if not self._guarded:
            self._guarded = True
            self._configure_resolver()

    def _configure_resolver(self) -> None:
        """Give the connections' resolver this crawl's networks (it is built before them)."""
        from twisted.internet import reactor  # the one Scrapy installed, imported late

        resolver = getattr(reactor, "nameResolver", None)
        if isinstance(resolver, GuardedResolver):
            if not resolver.configure(self.networks):
                logger.error("another crawl in this process allows other networks: connections "
                             "to %s are refused", ", ".join(self.networks))
        elif not self.allow_all:
            logger.warning("TWISTED_DNS_RESOLVER is not crawler.fetch.resolver.GuardedResolver "
                           "(%r): addresses are checked before each request only, not where "
                           "the connection goes (DNS rebinding)", resolver)


class ConnectRefusalMiddleware:
    """A connection GuardedResolver refused fails as a DNS error; this turns it into
    `Refused` ('private_address': recorded so, counted in liputan/refused/*).

    Sits after RetryMiddleware (550) in the chain (higher priority number), so it sees the
    exception first: a refusal is not retried.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConnectRefusalMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, (CannotResolveHostError, DNSLookupError)):
            return
        from twisted.internet import reactor  # the one Scrapy installed, imported late

        resolver = getattr(reactor, "nameResolver", None)
        host = urlsplit(request.url).hostname
        if not isinstance(resolver, GuardedResolver) or not host:
            return
        reason = resolver.refusal(host)
        if reason is not None:
            self.stats.inc_value(f"liputan/refused/{reason}")
            raise Refused(reason, request.url) from exception


class RetryBackoffMiddleware:
    """Settings: LIPUTAN_RETRY_BACKOFF (seconds before the first retry; doubles each time),
    LIPUTAN_RETRY_BACKOFF_MAX. 0 switches the middleware off."""

    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        base = crawler.settings.getfloat("LIPUTAN_RETRY_BACKOFF")
        if base <= 0:
            raise NotConfigured
        return cls(base, crawler.settings.getfloat("LIPUTAN_RETRY_BACKOFF_MAX"))

    async def process_request(self, request: Request) -> None:
        attempt = request.meta.get("retry_times", 0)
        if attempt and request.meta.get("liputan_backed_off") != attempt:
            request.meta["liputan_backed_off"] = attempt
            delay = min(self.maximum, self.base * 2 ** (attempt - 1))
            logger.debug("backing off %.1fs before retry %d of %s", delay, attempt, request.url)
            from twisted.internet import reactor  # the one Scrapy installed, imported late

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))


class KnownRedirectMiddleware:
    """Stops a redirect whose target the spider already has: the redirect response then
    reaches the spider's errback, which records it as reason 'duplicate'.

    Sits after RedirectMiddleware in the chain (higher priority number), so it sees the 3xx
    response first. The spider decides what is known (`claim(url) -> bool`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownRedirectMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not (300 <= response.status < 400) or b"Location" not in response.headers:
            return response
        if request.meta.get("dont_redirect"):
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        claim = getattr(self.crawler.spider, "claim", None)
        if claim is not None and canonicalize(target) != canonicalize(request.url) \
                and not claim(target):
            request.meta["dont_redirect"] = True
            request.meta["liputan_known_target"] = target
        return response
