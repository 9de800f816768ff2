"""Article pages built by JavaScript: rendered by a headless Chromium (Playwright).

For a source with `render: browser`, `BrowserRenderMiddleware` renders each article page
after Scrapy has fetched it like any other page: the document request is a plain request, so
robots.txt, the address checks (before the request and where the connection is made, DNS
rebinding included), redirects, retries, `delay`, `concurrency`, `download_timeout` and
`max_download_bytes` apply to it unchanged, and it is fetched once. The browser is handed that
response (it does not fetch the document again) and runs the page's scripts; the stored body is
the page as the browser has built it (the DOM serialised, UTF-8), marked by the header
`x-liputan-render: browser` in the fetch row. Feeds, sitemaps, listings and robots.txt are not
rendered, nor are pages of `render: html` sources.

Every request the page makes itself (scripts, XHR/fetch, and each of their redirect hops) is
checked by `BrowserGuard` first: only the resource types a page needs to build its text, no
address `allow_private_addresses` forbids, nothing robots.txt forbids on a site whose rules the
crawl has. The whole render is bounded by `download_timeout`, the rendered page by
`max_download_bytes`.

Why not scrapy-playwright's download handler: the browser then fetches the document itself,
and Playwright's request interception does not see redirect hops (the handler is called for
the first URL of a redirect chain only), so its abort predicate cannot stop a redirect to a
forbidden address: with scrapy-playwright 0.0.48 and Playwright 1.65, an article redirecting
to another loopback address not allowed was fetched from it. Here the document's hops are
Scrapy's, and the page's own requests are fetched hop by hop (`_Router`).

Playwright is imported only when a browser source renders its first page: a crawl without
browser sources needs neither the `browser` extra nor a Chromium. docs/crawl.md, "Pages built
by JavaScript".
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response

from crawler.fetch.middlewares import RobotsTxtMiddleware
from crawler.urls import refuse_reason

logger = logging.getLogger(__name__)

__all__ = ["BrowserGuard", "BrowserRenderMiddleware", "RenderFailed"]

RENDER_HEADER = "x-liputan-render"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a page needs, besides its document, to write its text: its scripts and the data they
# fetch. Images, fonts, style sheets, media, beacons and frames are not requested: the text
# does not depend on them (page.content() is the main frame's), and each is one more request
# to the site (politeness) or to a third party. Nor is any navigation after the document: the
# page stored is the one Scrapy fetched.
NEEDED_RESOURCES = frozenset({"script", "xhr", "fetch"})
# URLs a page loads without the network.
LOCAL_SCHEMES = ("data:", "blob:", "about:")
# After the load event, how long to wait for the page's network to go quiet (no request for
# 500 ms: Playwright's "networkidle"), for text fetched by XHR after load. A bound, not a
# tuning: a page that polls forever is kept as built by then.
NETWORK_IDLE_SECONDS = 3.0
# Starting Chromium took 0.8 s here (Debian's chromium 156, /tmp/pwtest.py); a machine under
# load may take many times that, a browser that does not start in this long will not.
LAUNCH_TIMEOUT_SECONDS = 60.0
# Redirect hops a page's own request may take, each checked (Chromium's limit is 20).
MAX_SUBRESOURCE_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RenderFailed(Exception):
    """The browser could not render a fetched page; `reason` is the fetch row's."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class BrowserGuard:
    """Which of a page's own requests may leave (`reason(url, resource_type)`)."""

    def __init__(self, crawler: Crawler) -> None:
        networks = tuple(crawler.settings.getlist("LIPUTAN_ALLOWED_NETWORKS"))
        self.crawler = crawler
        self.networks = networks
        self.allow_all = {"0.0.0.0/0", "::/0"} <= set(networks)
        # One verdict per scheme://host:port, as RefuseAddressMiddleware's: a lookup blocks.
        self._verdicts: dict[str, str | None] = {}
        self._robots: RobotsTxtMiddleware | None | bool = False  # False: not looked up yet

    async def reason(self, url: str, resource_type: str) -> str | None:
        """Why the browser must not request `url`, or None."""
        if resource_type not in NEEDED_RESOURCES:
            return "not_needed"
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._verdicts:
            self._verdicts[key] = await asyncio.to_thread(
                refuse_reason, url, allow_private=self.allow_all,
                allowed_networks=self.networks)
        if self._verdicts[key] is not None:
            return self._verdicts[key]
        robots = self._robots_middleware()
        if robots is not None and robots.allows(url) is False:
            return "robots"
        return None

    def _robots_middleware(self) -> RobotsTxtMiddleware | None:
        if self._robots is False:
            middlewares = self.crawler.engine.downloader.middleware.middlewares
            found = [m for m in middlewares if isinstance(m, RobotsTxtMiddleware)]
            self._robots = found[0] if found else None
        return self._robots


class BrowserRenderMiddleware:
    """Settings: LIPUTAN_RENDER ("browser" switches it on; the source's `render`),
    LIPUTAN_CHROMIUM (the executable; None: Playwright's own), DOWNLOAD_TIMEOUT,
    DOWNLOAD_MAXSIZE, USER_AGENT. Renders 200 HTML responses of requests of kind `article`.

    Sits below RetryMiddleware (550) and HttpCompressionMiddleware (590) in the chain (a
    lower priority number), so it sees the final, decompressed response of the document.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if settings.get("LIPUTAN_RENDER") != "browser":
            raise NotConfigured
        self.stats = crawler.stats
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        self.maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self.browser = Browser(settings.get("LIPUTAN_CHROMIUM"), settings.get("USER_AGENT"),
                               BrowserGuard(crawler), crawler.stats)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserRenderMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def spider_closed(self) -> None:
        await self.browser.close()

    async def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("kind") != "article" or response.status != 200 \
                or not _is_html(response):
            return response
        # Starting Chromium (once, about a second) is not the page's time.
        try:
            await asyncio.wait_for(self.browser.started(), LAUNCH_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise RenderFailed("render_failed", f"Chromium did not start in "
                               f"{LAUNCH_TIMEOUT_SECONDS:g} s") from exc
        started = time.monotonic()
        try:
            html = await asyncio.wait_for(self.browser.render(response), self.timeout)
        except TimeoutError as exc:
            raise DownloadTimeoutError(
                f"rendering {response.url} took more than {self.timeout:g} s") from exc
        body = html.encode("utf-8", "surrogatepass")
        if self.maxsize and len(body) > self.maxsize:
            # The words of Scrapy's own limit, which failures.classify reads as too_large.
            raise IgnoreRequest(f"rendered page larger than DOWNLOAD_MAXSIZE "
                                f"({len(body)} > {self.maxsize} bytes): {response.url}")
        self.stats.inc_value("liputan/browser/rendered")
        self.stats.inc_value("liputan/browser/render_ms", round(1000 * (time.monotonic() - started)))
        headers = response.headers.copy()
        headers["Content-Type"] = "text/html; charset=utf-8"  # what the body now is
        headers.pop("Content-Length", None)
        headers[RENDER_HEADER] = "browser"
        return response.replace(cls=HtmlResponse, body=body, headers=headers, encoding="utf-8")


class Browser:
    """One headless Chromium per crawl, started on the first page to render."""

    def __init__(self, executable: str | None, user_agent: str | None, guard: BrowserGuard,
                 stats: Any) -> None:
        self.executable = executable
        self.user_agent = user_agent
        self.guard = guard
        self.stats = stats
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    async def render(self, response: Response) -> str:
        """The page `response` holds, as the browser builds it from that body."""
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeoutError

        browser = await self.started()
        # A context (cookies, storage) per page, as Scrapy keeps no cookies: what one page
        # sets cannot change how the next is built. Service workers' requests would bypass
        # the page's request interception.
        context = await browser.new_context(user_agent=self.user_agent,
                                            service_workers="block", accept_downloads=False)
        page = await context.new_page()
        try:
            await page.route("**", _Router(response, self.guard, self.stats).handle)
            await page.goto(response.url, wait_until="load")
            await _settle(page)
            return await page.content()
        except PlaywrightTimeoutError as exc:
            raise TimeoutError(str(exc)) from exc
        except PlaywrightError as exc:
            raise RenderFailed("render_failed", f"{response.url}: {exc.message}") from exc
        finally:
            await context.close()

    async def started(self) -> Any:
        """The browser; Chromium started (again, if it died) when need be."""
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            await self.close()
            try:
                from playwright.async_api import async_playwright
            except ImportError as exc:
                raise RenderFailed("render_failed", "render: browser needs the browser extra "
                                   "(pip install 'liputan[browser]')") from exc
            from playwright.async_api import Error as PlaywrightError

            self._playwright = await async_playwright().start()
            options: dict[str, Any] = {"headless": True}
            if self.executable:
                options["executable_path"] = self.executable
            try:
                self._browser = await self._playwright.chromium.launch(**options)
            except PlaywrightError as exc:
                await self.close()
                first_line = (exc.message or str(exc)).strip().splitlines()[0]
                raise RenderFailed("render_failed",
                                   f"Chromium did not start: {first_line}") from exc
            logger.info("browser: Chromium %s started", self._browser.version)
            self.stats.inc_value("liputan/browser/started")
            return self._browser

    async def close(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            await browser.close()
        if playwright is not None:
            await playwright.stop()


class _Router:
    """The route handler of one page: the document from Scrapy's response, every other
    request checked by the guard, redirect hops included (followed here, one at a time)."""

    def __init__(self, response: Response, guard: BrowserGuard, stats: Any) -> None:
        self.response = response
        self.guard = guard
        self.stats = stats
        self.document_served = False

    async def handle(self, route: Any, request: Any) -> None:
        url = request.url
        if request.is_navigation_request():
            if self.document_served or request.frame.parent_frame is not None:
                self.stats.inc_value("liputan/browser/refused/not_needed")
                await route.abort("blockedbyclient")
                return
            self.document_served = True
            await route.fulfill(status=200, headers=_str_headers(self.response),
                                body=self.response.body)
            return
        if url.startswith(LOCAL_SCHEMES):
            await route.continue_()
            return
        reason = await self._refusal(url, request.resource_type)
        if reason is not None:
            await route.abort("blockedbyclient")
            return
        await self._fetch_hop_by_hop(route, request)

    async def _fetch_hop_by_hop(self, route: Any, request: Any) -> None:
        """Fetch with redirects followed here: Chromium would follow them unseen."""
        from playwright.async_api import Error as PlaywrightError

        url = request.url
        for _ in range(MAX_SUBRESOURCE_REDIRECTS + 1):
            try:
                fetched = await route.fetch(url=url, max_redirects=0)
            except PlaywrightError:
                await route.abort("failed")
                return
            location = fetched.headers.get("location")
            if fetched.status not in REDIRECT_STATUSES or not location:
                await route.fulfill(response=fetched)
                return
            url = urljoin(url, location)
            if await self._refusal(url, request.resource_type) is not None:
                await route.abort("blockedbyclient")
                return
        await route.abort("failed")  # too many redirects

    async def _refusal(self, url: str, resource_type: str) -> str | None:
        reason = await self.guard.reason(url, resource_type)
        if reason is not None:
            self.stats.inc_value(f"liputan/browser/refused/{reason}")
            if reason != "not_needed":
                logger.info("browser: refused %s (%s) on %s", url, reason, self.response.url)
        return reason


def _str_headers(response: Response) -> dict[str, str]:
    headers = {}
    for name in (b"Content-Type", b"Content-Language"):
        value = response.headers.get(name)
        if value is not None:
            headers[name.decode()] = value.decode("latin-1")
    return headers


def _is_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


async def _settle(page: Any) -> None:
    """Wait for the page's network to go quiet, at most NETWORK_IDLE_SECONDS."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    try:
        await page.wait_for_load_state("networkidle", timeout=NETWORK_IDLE_SECONDS * 1000)
    except PlaywrightTimeoutError:
        pass  # still busy (polling, analytics): the page as built so far
