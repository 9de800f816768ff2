"""Liputan's Scrapy downloader middlewares, each one small and switched on by settings.

They refuse non-public addresses (redirects and robots.txt included; checked before the request
here, and again by the resolver the connection goes through, crawler/fetch/resolver.py), obey
robots.txt and hand each robots.txt fetch to the spider to be recorded like any fetch, make
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
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

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


class RobotsTxtMiddleware:
    """Scrapy's RobotsTxtMiddleware, which it replaces (same settings: ROBOTSTXT_OBEY,
    ROBOTSTXT_USER_AGENT, ROBOTSTXT_PARSER; meta `dont_obey_robotstxt`; stats robotstxt/*),
    plus provenance: each site's robots.txt, fetched once before the first request to the site,
    is handed to the spider's `robots_fetched(response or failure)`, whose output (the fetch
    record, requests for the sitemaps it names) goes where a callback's goes: records to the
    item pipelines, requests to the scheduler. So robots.txt is stored as a fetch of kind
    `robots` through the same path as every other fetch, without a second request.

    A robots.txt that cannot be fetched allows everything, as with Scrapy; its failure is
    recorded with its reason. Rules are kept per scheme and host (RFC 9309, 2.3).
    """

    DOWNLOAD_PRIORITY = 1000  # before anything queued: every request of the site waits for it

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.parser_class = load_object(settings.get("ROBOTSTXT_PARSER"))
        self._rules: dict[str, RobotParser | None] = {}
        # Requests of a site whose robots.txt is on its way, each with a Deferred of its own
        # (one Deferred awaited twice hands the second waiter None).
        self._waiting: dict[str, list[Deferred]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or _site(request.url) is None:
            return
        rules = await self.rules_for(request)
        if rules is not None and not rules.allowed(request.url, self.user_agent):
            self.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")

    def allows(self, url: str) -> bool | None:
        """What the rules already fetched for `url`'s site say; None when they are not known
        (never fetched here, or still on their way). For requests made outside Scrapy's
        downloader (the browser's, crawler/fetch/browser.py)."""
        site = _site(url)
        if site is None or site not in self._rules:
            return None
        rules = self._rules[site]
        return True if rules is None else rules.allowed(url, self.user_agent)

    async def rules_for(self, request: Request) -> RobotParser | None:
        site = _site(request.url)
        if site in self._rules:
            return self._rules[site]
        if site in self._waiting:
            waiter: Deferred = Deferred()
            self._waiting[site].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self._waiting[site] = []
        rules = None
        try:
            rules = await self._fetch(site, request)
        finally:
            self._rules[site] = rules
            for waiter in self._waiting.pop(site):
                waiter.callback(rules)
        return rules

    async def _fetch(self, site: str, request: Request) -> RobotParser | None:
        robots = Request(f"{site}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         callback=NO_CALLBACK,
                         meta={"dont_obey_robotstxt": True, "kind": "robots", "via": "robots",
                               "from": request.url})
        self.stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except Exception as exc:  # noqa: BLE001 -- any failure is recorded; the rules allow all
            failure = Failure(exc)
            failure.request = robots
            if not isinstance(exc, IgnoreRequest):
                self.stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            logger.info("%s not fetched (%s): no rules for %s", robots.url, exc, site)
            await self._hand_over(failure)
            return None
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        await self._hand_over(response)
        return build_from_crawler(self.parser_class, self.crawler, response.body)

    async def _hand_over(self, result: Response | Failure) -> None:
        spider = self.crawler.spider
        handler = getattr(spider, "robots_fetched", None)
        if handler is None:
            return
        engine = self.crawler.engine
        try:
            for output in handler(result):
                if isinstance(output, Request):
                    engine.crawl(output)
                else:
                    await engine.scraper.start_itemproc_async(output, response=result)
        except Exception:  # a bug: logged, and the site's requests go on with its rules
            logger.exception("handing over %s failed", getattr(result, "url", result))


def _site(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL: the unit robots.txt rules apply to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


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
        if request.meta.get("dont_redirect") or request.meta.get("kind") == "robots":
            # A robots.txt redirect is always followed: the rules are where it leads.
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        claim = getattr(self.crawler.spider, "claim", None)
        if claim is not None and canonicalize(target) != canonicalize(request.url) \
                and not claim(target):
            request.meta["dont_redirect"] = True
            request.meta["liputan_known_target"] = target
        return response
