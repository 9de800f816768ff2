"""Scrapy settings for Liputan: the defaults `scrapy crawl` reads through scrapy.cfg.

`for_source` derives a source's values from the sources file (its keys: docs/crawl.md).
Liputan's own settings are named LIPUTAN_*; their defaults live here and nowhere else.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from scrapy.settings import default_settings as _scrapy_defaults

from crawler.config import Config, Source

BOT_NAME = "liputan"
SPIDER_MODULES = ["crawler.fetch.spiders"]
NEWSPIDER_MODULE = "crawler.fetch.spiders"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False  # news pages need none; cookies only make fetches unrepeatable
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 60.0
# Articles are deduplicated by canonical URL in the spider (crawler/fetch/spiders/news.py);
# Scrapy's fingerprint filter would silently drop redirect targets instead of recording them.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio tasks for the output of every callback; ours yield one record
# and a few requests, and the default 100 cost a third of the crawl's CPU (bench/crawl.py).
CONCURRENT_ITEMS = 4
AUTOTHROTTLE_MAX_DELAY = 30.0
DOWNLOAD_FAIL_ON_DATALOSS = True  # a truncated page is recorded as 'truncated', not stored
# Every connection resolves its host through this resolver, which refuses addresses that
# LIPUTAN_ALLOWED_NETWORKS does not allow (DNS rebinding: crawler/fetch/resolver.py).
# Scrapy renamed DNS_RESOLVER to TWISTED_DNS_RESOLVER (scrapy#7361); the old name warns.
if hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):
    TWISTED_DNS_RESOLVER = "crawler.fetch.resolver.GuardedResolver"
else:  # pragma: no cover - older Scrapy
    DNS_RESOLVER = "crawler.fetch.resolver.GuardedResolver"

ITEM_PIPELINES = {"crawler.fetch.pipelines.FetchStorePipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100): not even robots.txt is fetched from a refused address.
    "crawler.fetch.middlewares.RefuseAddressMiddleware": 50,
    # Scrapy's, plus each robots.txt fetch recorded as a fetch and its Sitemap lines followed.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.fetch.middlewares.RobotsTxtMiddleware": 100,
    # Below RetryMiddleware (550) and HttpCompressionMiddleware (590): renders the final,
    # decompressed article page of a `render: browser` source (off for the others).
    "crawler.fetch.browser.BrowserRenderMiddleware": 540,
    # After RetryMiddleware (550): sees a refused connection first, so it is not retried.
    "crawler.fetch.middlewares.ConnectRefusalMiddleware": 555,
    "crawler.fetch.middlewares.RetryBackoffMiddleware": 560,
    # After RedirectMiddleware (600) in the response chain: it sees 3xx responses first.
    "crawler.fetch.middlewares.KnownRedirectMiddleware": 650,
}

LIPUTAN_DSN = None  # None: $LIPUTAN_DSN, else the embedded server
LIPUTAN_ALLOWED_NETWORKS: list[str] = []
LIPUTAN_RETRY_BACKOFF = 2.0
LIPUTAN_RETRY_BACKOFF_MAX = 60.0
LIPUTAN_PROGRESS_SECONDS = 10.0

LIPUTAN_RENDER = "html"  # a source's `render`; "browser": crawler/fetch/browser.py renders
LIPUTAN_CHROMIUM = None  # the Chromium executable to render with; None: Playwright's own

# `render: browser`: the Chromium to drive. $LIPUTAN_CHROMIUM, else the first of these on PATH
# (Debian's package is `chromium`), else Playwright's own download (`playwright install
# chromium`).
CHROMIUM_ENV = "LIPUTAN_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")


def for_source(config: Config, source: Source) -> dict[str, object]:
    """Scrapy settings for crawling `source` as `config` says (spider priority)."""
    return {
        "USER_AGENT": config.user_agent,
        "ROBOTSTXT_OBEY": config.obey_robots,
        "ROBOTSTXT_USER_AGENT": config.user_agent,
        "DOWNLOAD_TIMEOUT": config.download_timeout,
        "DNS_TIMEOUT": config.download_timeout,
        "DOWNLOAD_MAXSIZE": config.max_download_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": config.retries,
        "LIPUTAN_RETRY_BACKOFF": config.retry_backoff,
        "LIPUTAN_ALLOWED_NETWORKS": list(config.allowed_private_networks),
        "DOWNLOAD_DELAY": source.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency,
        # One process crawls one source. With Scrapy's default (16), up to 16 requests leave
        # the scheduler and wait in the downloader's per-site queue: there they lose the
        # newest-first order, and a stop (SIGTERM) still fetches every one of them, `delay`
        # apart, before the run can end.
        "CONCURRENT_REQUESTS": source.concurrency,
        "AUTOTHROTTLE_ENABLED": config.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(source.delay, 0.5),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.concurrency),
        **_browser_settings(config, source),
    }


def _browser_settings(config: Config, source: Source) -> dict[str, object]:
    """The renderer's settings: only a `render: browser` source looks for a Chromium."""
    if source.render != "browser":
        return {"LIPUTAN_RENDER": source.render}
    return {"LIPUTAN_RENDER": source.render, "LIPUTAN_CHROMIUM": chromium_executable()}


def chromium_executable() -> str | None:
    """The Chromium a browser source is rendered with; None: Playwright's own, if any."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_problem() -> str | None:
    """What is missing to render `render: browser` sources (one line), or None."""
    try:  # imported only for a browser source's crawl, which needs it anyway
        import playwright.async_api  # noqa: F401
    except ImportError:
        return ("render: browser needs the browser extra: pip install 'liputan[browser]' "
                "(Playwright), and a Chromium (Debian: apt-get install chromium)")
    configured = os.environ.get(CHROMIUM_ENV)
    if configured and not os.access(configured, os.X_OK):
        return f"${CHROMIUM_ENV} is {configured}, which is not an executable file"
    if chromium_executable() is None and not _playwright_chromium():
        return (f"render: browser needs a Chromium: apt-get install chromium (Debian), or set "
                f"${CHROMIUM_ENV} to one, or run `playwright install chromium`")
    return None


def _playwright_chromium() -> bool:
    """A Chromium downloaded by `playwright install` (where Playwright keeps it by default)."""
    folder = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright"
    return any(Path(folder).glob("chromium*"))
