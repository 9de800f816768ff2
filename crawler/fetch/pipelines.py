"""FetchStorePipeline: every FetchRecord the spider yields goes to PostgreSQL, in batches.

It also owns the run: at open it takes the source's lock, marks dead runs interrupted, opens
a crawl run and hands the spider what earlier runs stored (`spider.history`); at close it
writes the last batch and the run's status and stats. docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import logging
import time

import psycopg
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from crawler.fetch.store import FetchRecord, FetchStore, History, SourceLocked

logger = logging.getLogger(__name__)

# Scrapy's close reasons -> crawl run status. SIGTERM/SIGINT close with "shutdown".
STATUS_BY_REASON = {"finished": "finished", "shutdown": "interrupted",
                    "closespider_timeout": "finished", "closespider_pagecount": "finished",
                    "closespider_itemcount": "finished"}
STATS_KEYS = ("downloader/request_count", "downloader/response_count", "retry/count",
              "robotstxt/forbidden", "elapsed_time_seconds", "item_scraped_count",
              "response_received_count")
# Every counter of these families: what the renderer did (crawler/fetch/browser.py).
STATS_PREFIXES = ("liputan/browser/",)


class FetchStorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.dsn = crawler.settings.get("LIPUTAN_DSN")
        self.progress_seconds = crawler.settings.getfloat("LIPUTAN_PROGRESS_SECONDS")
        self.store: FetchStore | None = None
        self.error: str | None = None
        self._last_progress = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchStorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        from crawler.db.connect import resolve_dsn

        spider = self.crawler.spider
        store = FetchStore(self.dsn or resolve_dsn(None), spider.source.name)
        try:
            spider.run_id = store.begin_run(spider.run_params())
        except SourceLocked:
            spider.locked = True
            logger.warning("%s: another crawl of this source is running; not starting",
                           spider.source.name)
            raise CloseSpider("locked") from None
        except psycopg.Error as exc:
            # No run could be recorded (a read-only database, a role without the writer's
            # grants): the parent must hear why, not "exited with 0".
            from crawler.errors import database_problem

            spider.start_error = database_problem(exc) or " ".join(str(exc).split())
            logger.error("%s: cannot start the crawl: %s", spider.source.name,
                         spider.start_error)
            raise CloseSpider("failed") from None
        self.store = store
        spider.history = History(store)
        spider.replayable = store.replayable(spider.history)
        spider.stored_page = store.stored_page
        logger.debug("%s: crawl run %s started (%d pages whose links are to be followed "
                     "again)", spider.source.name, spider.run_id,
                    len(set(spider.replayable.values())))

    def process_item(self, item: FetchRecord) -> FetchRecord:
        if self.store is None or self.error is not None:
            return item
        try:
            self.store.add(item)
        except psycopg.Error as exc:
            # Fetches that cannot be stored are worthless: stop and say so, never swallow it.
            self.error = f"storing fetches failed: {' '.join(str(exc).split())}"
            logger.error("%s: %s", self.store.source, self.error)
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_failed"))
            return item
        if time.monotonic() - self._last_progress >= self.progress_seconds:
            self._last_progress = time.monotonic()
            logger.info("%s: %s", self.store.source, self.progress())
        # The body is stored; keeping it in the item only costs memory in Scrapy's logs.
        item.body = None
        return item

    def progress(self) -> str:
        counts = dict(self.store.counts)
        ok = counts.pop("ok", 0)
        failed = sum(counts.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        spider = self.crawler.spider
        return (f"{ok} fetched, {failed} failed{f' ({detail})' if detail else ''}, "
                f"{spider.articles_requested} article requests, {self.store.written} stored")

    def close_spider(self) -> None:
        if self.store is not None and self.error is None:
            try:
                self.store.flush()
            except psycopg.Error as exc:
                self.error = f"storing fetches failed: {' '.join(str(exc).split())}"

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.store is None:
            return
        status = "failed" if self.error else STATUS_BY_REASON.get(reason, "failed")
        error = self.error
        if status == "finished" and spider.seeds_ok == 0:
            # Not one feed, sitemap or listing page answered: the source is down or moved.
            status = "failed"
            error = "no feed, sitemap or listing page could be fetched"
        elif status != "finished" and error is None:
            error = f"closed: {reason}"
        stats = {key: value for key, value in self.crawler.stats.get_stats().items()
                 if key in STATS_KEYS or key.startswith(STATS_PREFIXES)}
        stats["skipped"] = dict(spider.skipped)
        stats["articles_requested"] = spider.articles_requested
        stats["replayed"] = spider.replayed
        stats["close_reason"] = reason
        spider.status = status
        try:
            self.store.finish_run(status, discovered=len(spider.discovered), stats=stats,
                                  error=error)
            logger.debug("%s: crawl run %s %s: %s", self.store.source, self.store.run_id, status,
                         self.progress())
        except psycopg.Error as exc:
            logger.error("%s: could not close crawl run %s: %s", self.store.source,
                         self.store.run_id, exc)
            spider.status = "failed"
        finally:
            self.store.close()
