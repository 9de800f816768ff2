"""The news spider: one source, from its feeds, sitemaps and listing pages to its articles.

Every response and every failure becomes a FetchRecord item (stored by
crawler/fetch/pipelines.py). URLs are compared in canonical form, so an article is fetched once
per run whatever path led to it, and one stored by an earlier run again only when a feed or
sitemap dates it newer, then conditionally. docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.config import Config, Source, default_sources_path, load_config, parse_date
from crawler.fetch import settings as liputan_settings
from crawler.fetch.spiders import discovery
from crawler.fetch.spiders.failures import classify
from crawler.fetch.store import FetchRecord, History, Stored
from crawler.urls import Site, canonicalize

logger = logging.getLogger(__name__)

# Response headers worth keeping: validators for conditional requests, and what says how the
# body is to be read or how long it stays fresh.
KEPT_HEADERS = ("content-type", "content-length", "content-language", "etag", "last-modified",
                "cache-control", "expires", "date", "age", "x-cache", "link",
                # Liputan's own: "browser" when the body is the page a browser built from
                # the bytes the server sent (crawler/fetch/browser.py).
                "x-liputan-render")
HTML_TYPES = ("text/html", "application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    name = "news"
    # Everything but redirects reaches the callbacks: failures are recorded, not dropped.
    handle_httpstatus_list: ClassVar[list[int]] = [304, *range(400, 600)]

    def __init__(self, source: Source | str | None = None, config: Config | None = None,
                 sources: str | None = None, since: datetime | str | None = None,
                 until: datetime | str | None = None, max_pages: int | str | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)
        if config is None:
            config = load_config(Path(sources) if sources else default_sources_path())
        if not isinstance(source, Source):
            if source is None:
                raise ValueError("the news spider needs -a source=NAME")
            source = config.source(source)
        self.config = config
        self.source = source
        self.since = _as_date(since, "since") or config.since
        self.until = _as_date(until, "until")
        self.max_pages = int(max_pages) if max_pages else source.max_pages
        self.pattern = source.article_regex
        # the source's hosts: those of its homepage and configured URLs, without "www."
        self.sites = Site([source.url, *source.seed_urls])
        # Filled by FetchStorePipeline.open_spider before the first request.
        # What earlier runs stored, looked up per feed, sitemap or page (store.History).
        self.history: History | dict[str, Stored] = {}
        # Stored pages whose links this run follows from the stored body (FetchStore.replayable)
        # and how to read that body; both set by the pipeline too.
        self.replayable: dict[str, int] = {}
        self.stored_page = lambda fetch_id: None
        self.replayed = 0
        self.replayed_ids: set[int] = set()
        self.run_id: int | None = None
        self.locked = False
        # The configured URLs from the start: a robots.txt, fetched before the first of them,
        # may name a configured sitemap that start() has not yielded yet.
        self.seen: set[str] = {canonicalize(url) for url in source.seed_urls}
        self.discovered: set[str] = set()
        self.articles_requested = 0
        self.sitemaps_requested = 0  # child sitemaps of indexes, against max_sitemaps
        self.seeds_ok = 0
        self.skipped: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.settings.setdict(liputan_settings.for_source(spider.config, spider.source),
                                 priority="spider")
        return spider

    def run_params(self) -> dict:
        return {"sources_file": str(self.config.path), "max_pages": self.max_pages,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None}

    # -- seeds -------------------------------------------------------------------------------
    async def start(self):
        if self.locked:
            return
        for url in self.source.feeds:
            yield self._seed(url, "feed", self.parse_feed)
        for url in self.source.sitemaps:
            yield self._seed(url, "sitemap", self.parse_sitemap)
        for url in self.source.start_urls:
            yield self._seed(url, "listing", self.parse_listing)

    def _seed(self, url: str, kind: str, callback) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.failed, priority=30,
                              meta={"kind": kind, "via": "config", "from": None, "seed": True,
                                    "listing_page": 1})

    def robots_fetched(self, result: Response | Failure) -> Iterator[FetchRecord | scrapy.Request]:
        """A site's robots.txt, fetched by crawler.fetch.middlewares.RobotsTxtMiddleware
        before the first request to the site: its fetch record, and for a site of the source
        the sitemaps its `Sitemap:` lines name, in addition to the configured ones (each
        sitemap once: a configured one stays `config`). They are the site's own current
        list, so a sitemap that moved since the sources file was written is still read."""
        if isinstance(result, Failure):
            yield from self.failed(result)
            return
        record = self.record(result, "robots")
        yield record
        if record.reason is not None or not self.on_site(result.url):
            return
        for url in discovery.robots_sitemaps(result.body, result.url):
            canonical = canonicalize(url)
            if canonical in self.seen or not self.on_site(url):
                continue
            self.seen.add(canonical)
            # A seed like the configured ones: a source whose configured URLs all moved but
            # whose robots.txt sitemap answers still has a working entry point.
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.failed,
                                 priority=30, meta={"kind": "sitemap", "via": "robots",
                                                    "from": result.url, "seed": True})

    # -- callbacks ---------------------------------------------------------------------------
    def parse_feed(self, response: Response):
        record = self.record(response, "feed")
        yield record
        if record.reason is None:
            entries = list(discovery.parse_feed(response.body, response.url))
            self.history.prefetch(entry.url for entry in entries)  # one query per feed
            for entry in entries:
                yield from self.consider(entry.url, "feed", response.url, entry, depth=1,
                                         trusted=True)

    def parse_sitemap(self, response: Response):
        record = self.record(response, "sitemap")
        yield record
        if record.reason is not None:
            return
        body = discovery.sitemap_body(response, self.config.max_download_bytes * 10)
        kind, entries = discovery.parse_sitemap(body or b"", response.url)
        if kind == "index":
            # Newest first: a run's budget of child sitemaps (max_sitemaps) goes to the
            # sitemaps that can hold new articles, not to an archive's years of history.
            oldest = datetime.min.replace(tzinfo=UTC)
            for entry in sorted(entries, key=lambda e: e.date or oldest, reverse=True):
                if self.since and entry.date and entry.date < self.since:
                    self.skipped["sitemap_older_than_since"] += 1
                    continue
                canonical = canonicalize(entry.url)
                if canonical in self.seen or not self.on_site(entry.url):
                    continue
                if self.sitemaps_requested >= self.source.max_sitemaps:
                    self.skipped["max_sitemaps"] += 1
                    continue
                self.sitemaps_requested += 1
                self.seen.add(canonical)
                yield scrapy.Request(entry.url, callback=self.parse_sitemap, errback=self.failed,
                                     priority=20, meta={"kind": "sitemap", "via": "sitemap",
                                                        "from": response.url})
        if kind == "urlset":
            self.history.prefetch(entry.url for entry in entries)
        for entry in entries if kind == "urlset" else ():
            yield from self.consider(entry.url, "sitemap", response.url, entry, depth=1,
                                     trusted=True)

    def parse_listing(self, response: Response):
        record = self.record(response, "listing")
        yield record
        if record.reason is None:
            yield from self.follow_links(discovery.readable(response), "listing", depth=1,
                                         listing=True)

    def parse_article(self, response: Response):
        # Without a URL pattern a candidate is an article only if the page, read as the clean
        # step reads it, says so; a 304, an error page or a body that is no text has nothing
        # to say, so it keeps the kind it was requested as (and cleaning records why).
        page = discovery.readable(response)
        is_article = (self.pattern is not None or response.status != 200 or page is None
                      or discovery.page_is_article(page))
        record = self.record(response, "article" if is_article else "listing")
        yield record
        depth = response.meta.get("liputan_depth", 1)
        if record.reason is None and record.http_status != 304 and depth < self.source.max_depth:
            yield from self.follow_links(page, "link", depth=depth + 1, listing=False)
        elif record.http_status == 304:
            # Not modified: the stored body is the page, and its links may still be pending.
            yield from self.replay(canonicalize(record.url), depth)

    # -- discovery ---------------------------------------------------------------------------
    def follow_links(self, response: TextResponse | None, via: str, *, depth: int,
                     listing: bool):
        """Follow the links of a page read by discovery.readable (None: no text, no links)."""
        if response is None:
            return
        links = list(discovery.page_links(response))
        self.history.prefetch(link.url for link in links if link.url.startswith("http"))
        for link in links:
            if listing and discovery.is_next_page(link, response.url):
                yield from self.next_listing_page(link.url, response)
                continue
            yield from self.consider(link.url, via, response.url, None, depth=depth,
                                     trusted=False)

    def next_listing_page(self, url: str, response: Response):
        page = response.meta.get("listing_page", 1) + 1
        canonical = canonicalize(url)
        if page > self.source.max_listing_pages or canonical in self.seen \
                or not self.on_site(url):
            return
        self.seen.add(canonical)
        yield scrapy.Request(url, callback=self.parse_listing, errback=self.failed, priority=10,
                             meta={"kind": "listing", "via": "listing", "from": response.url,
                                   "listing_page": page})

    def consider(self, url: str, via: str, found_on: str, entry: discovery.Entry | None, *,
                 depth: int, trusted: bool) -> Iterator[scrapy.Request]:
        """Request `url` as an article if it is one of ours, new (or changed) and in range.

        `entry`: the feed or sitemap entry, whose dates say how old the article is and
        whether it changed. `trusted`: found in a feed or sitemap, which list articles; links
        on pages must also look like articles (article_url_pattern, else URL shape)."""
        date = entry.date if entry else None
        modified = entry.modified if entry else None
        if not url.startswith(("http://", "https://")) or not self.on_site(url):
            return
        if self.pattern is not None:
            if not self.pattern.search(url):
                return
        elif not trusted and not discovery.looks_like_article(url):
            return
        if date is not None:
            if self.since and date < self.since:
                self.skipped["older_than_since"] += 1
                return
            if self.until and date > self.until:
                self.skipped["newer_than_until"] += 1
                return
        canonical = canonicalize(url)
        self.discovered.add(canonical)
        if canonical in self.seen:
            return
        stored = self.history.get(canonical)
        if stored is not None and not (modified is not None and modified > stored.fetched_at):
            # Not marked seen: another feed or sitemap may still say that it changed.
            self.skipped["stored"] += 1
            yield from self.replay(canonical, depth)
            return
        if self.articles_requested >= self.max_pages:
            self.skipped["max_pages"] += 1
            return
        self.seen.add(canonical)
        self.articles_requested += 1
        headers = {}
        browser = self.source.render == "browser"
        # Not for a page a browser builds: its HTML is often a shell that never changes (same
        # validators, a 304) while the text its scripts fetch does.
        if stored is not None and stored.reason is None and not browser:
            # The feed says it changed since we stored it: ask, but accept "not modified".
            if stored.etag:
                headers["If-None-Match"] = stored.etag
            if stored.last_modified:
                headers["If-Modified-Since"] = stored.last_modified
        yield scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                             headers=headers, priority=_priority(date),
                             meta={"kind": "article", "via": via, "from": found_on,
                                   "liputan_depth": depth, "conditional": bool(headers),
                                   "listed": date})

    def replay(self, canonical: str, depth: int) -> Iterator[scrapy.Request]:
        """Follow the links of a stored page from its stored body, without a request.

        A rerun does not fetch stored pages again, so it would never see their links: an
        article linked only from a page ("Baca juga") whose fetch the earlier run did not
        complete (killed, crashed, timed out, out of budget) would never be fetched. Only
        pages FetchStore.replayable names are read, each at most once per run, and only
        while links are followed at this depth and the run has budget for articles."""
        if depth >= self.source.max_depth or self.articles_requested >= self.max_pages:
            return
        fetch_id = self.replayable.get(canonical)
        if fetch_id is None or fetch_id in self.replayed_ids:
            return
        self.replayed_ids.add(fetch_id)
        page = self.stored_page(fetch_id)
        if page is None:
            return
        url, content_type, body = page
        headers = {"Content-Type": content_type} if content_type else {}
        response = HtmlResponse(url, body=body, headers=headers)
        self.replayed += 1
        logger.debug("%s: following the links of stored page %s", self.source.name, url)
        yield from self.follow_links(discovery.readable(response), "link", depth=depth + 1,
                                     listing=False)

    def claim(self, url: str) -> bool:
        """A redirect points at `url`: True (and now ours) if this run should follow it."""
        canonical = canonicalize(url)
        if canonical in self.seen:
            return False
        stored = self.history.get(canonical)
        if stored is not None:
            return False
        self.seen.add(canonical)
        return True

    def on_site(self, url: str) -> bool:
        return url in self.sites

    # -- records -----------------------------------------------------------------------------
    def record(self, response: Response, kind: str) -> FetchRecord:
        request = response.request
        meta = response.meta
        status = response.status
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        reason = None
        if status == 304 and meta.get("conditional"):
            pass
        elif not 200 <= status < 300:
            reason = f"http_{status}"
        elif kind in ("article", "listing") and not _is_html(response, content_type):
            reason = "not_html"
        if reason is None and meta.get("seed"):
            self.seeds_ok += 1
        return FetchRecord(
            url=_requested_url(request), kind=kind, discovered_via=meta.get("via", "config"),
            discovered_from=meta.get("from"), fetched_at=datetime.now(UTC),
            final_url=response.url, elapsed_ms=_elapsed(meta), http_status=status,
            reason=reason, content_type=content_type, headers=_kept_headers(response),
            body=response.body if reason is None and status != 304 else None,
            listed_published_at=meta.get("listed"))

    def failed(self, failure: Failure):
        request = failure.request
        meta = request.meta
        response = failure.value.response if failure.check(HttpError) else None
        reason = classify(failure)
        redirected = meta.get("redirect_urls")
        final_url = meta.get("liputan_known_target") or (request.url if redirected else None)
        yield FetchRecord(
            url=_requested_url(request), kind=meta.get("kind", "article"),
            discovered_via=meta.get("via", "config"), discovered_from=meta.get("from"),
            fetched_at=datetime.now(UTC), final_url=final_url, elapsed_ms=_elapsed(meta),
            http_status=response.status if response is not None else None, reason=reason,
            content_type=None, headers=_kept_headers(response) if response is not None else {},
            body=None, listed_published_at=meta.get("listed"))


def _requested_url(request: scrapy.Request) -> str:
    return (request.meta.get("redirect_urls") or [request.url])[0]


def _elapsed(meta: dict) -> int | None:
    latency = meta.get("download_latency")
    return round(latency * 1000) if latency is not None else None


def _kept_headers(response: Response) -> dict:
    kept = {}
    for name in KEPT_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            kept[name] = value.decode("latin-1")
    redirects = response.request.meta.get("redirect_urls") if response.request else None
    if redirects:
        kept["x-liputan-redirects"] = list(redirects)
    return kept


def _is_html(response: Response, content_type: str | None) -> bool:
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
    return isinstance(response, TextResponse) and bool(
        re.search(rb"<html|<!doctype html", response.body[:2048], re.IGNORECASE))


def _priority(date: datetime | None) -> int:
    # Newest first when the feed or sitemap says how new: a bounded run gets the fresh news.
    if date is None:
        return 0
    return max(-9, min(9, int((date - datetime.now(UTC)).days / 30)))


def _as_date(value: datetime | str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    return parse_date(value, name)
