"""Where a crawl of one source keeps its state: the run, the per-source lock, the fetches.

Fetches are written in batches (COPY, one transaction each), so a killed crawl loses at most
its last batch, which the next run fetches again; `history` tells that run what is stored.
No Scrapy here: crawler/fetch/pipelines.py feeds it. docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg.types.json import Jsonb

from crawler.db.connect import connect
from crawler.urls import canonicalize

logger = logging.getLogger(__name__)

# A batch is written when it holds this many fetches or this many body bytes, or is this old:
# small enough that a kill loses little, large enough that COPY amortises the round trip.
BATCH_ROWS = 200
BATCH_BYTES = 8 * 1024 * 1024
BATCH_SECONDS = 2.0
# Level 6 is zlib's default; measured on news pages it is within 2% of level 9's size.
GZIP_LEVEL = 6
# Failures that will not fix themselves by the next run: not retried until the feed or sitemap
# says the URL changed. Everything else (timeouts, resets, 5xx, robots) is tried again.
PERMANENT_REASONS = ("http_404", "http_410", "not_html", "too_large", "private_address",
                     "bad_url")

COLUMNS = ("crawl_run_id", "source", "url", "canonical_url", "final_url", "kind",
           "discovered_via", "discovered_from", "fetched_at", "elapsed_ms", "http_status",
           "reason", "content_type", "headers", "body_gz", "body_sha256", "body_bytes",
           "warc_file", "warc_offset", "warc_record_id", "listed_published_at")
COPY_FETCHES = f"COPY liputan.fetches ({', '.join(COLUMNS)}) FROM STDIN"
FETCHED_AT = COLUMNS.index("fetched_at")
# liputan.fetches is partitioned by month (sql/015): a batch makes sure its months exist (a
# month without one would land in the default partition, to be moved when it is created).
ADD_MONTHS_SQL = "SELECT liputan.add_fetch_months(%(first)s, %(last)s)"

LOCK_SQL = "SELECT pg_try_advisory_lock(hashtext('liputan.crawl'), hashtext(%(source)s))"
INTERRUPT_SQL = """
UPDATE liputan.crawl_runs
SET status = 'interrupted', finished_at = coalesce(finished_at, now()),
    error = coalesce(error, 'the crawl process ended without finishing (killed or crashed)')
WHERE source = %(source)s AND status = 'running'
RETURNING crawl_run_id
"""
BEGIN_RUN_SQL = """
INSERT INTO liputan.crawl_runs (source, params) VALUES (%(source)s, %(params)s)
RETURNING crawl_run_id
"""
FINISH_RUN_SQL = """
UPDATE liputan.crawl_runs
SET status = %(status)s, finished_at = now(), discovered = %(discovered)s, stats = %(stats)s,
    error = %(error)s
WHERE crawl_run_id = %(run)s
"""
# What is stored already, per canonical URL: the newest successful (or permanently failed)
# article fetch, with the validators a conditional request needs. HISTORY_SQL: the source's
# whole history (what the crawl loaded before; bench/frontier.py's baseline); LOOKUP_SQL: the
# URLs of one feed, sitemap or page (History), so that the crawl's memory does not grow with
# the history (sql/014 indexes final_url for the redirect targets).
_STORED = """
SELECT DISTINCT ON (canonical_url)
       canonical_url, final_url, fetched_at, reason,
       headers->>'etag' AS etag, headers->>'last-modified' AS last_modified
FROM liputan.fetches
WHERE source = %(source)s AND kind = 'article'
  AND (reason IS NULL OR reason = ANY(%(permanent)s))
"""
HISTORY_SQL = _STORED + "ORDER BY canonical_url, fetched_at DESC"
LOOKUP_SQL = (_STORED + "AND (canonical_url = ANY(%(canonical)s) OR final_url = ANY(%(raw)s))\n"
              "ORDER BY canonical_url, fetched_at DESC")
# URLs asked about per query, and answers kept (a run's own URLs are in the spider's `seen`).
LOOKUP_CHUNK = 1000
MAX_REMEMBERED = 100_000
# The last complete run of the source before this one: it ended normally and skipped no
# article for want of budget, so it followed every link of every page it stored or replayed.
LAST_COMPLETE_RUN_SQL = """
SELECT coalesce(max(crawl_run_id), 0) FROM liputan.crawl_runs
WHERE source = %(source)s AND crawl_run_id < %(current)s AND status = 'finished'
  AND coalesce((stats->'skipped'->>'max_pages')::int, 0) = 0
"""
# Pages whose links may not all have been followed: (a) pages linking to an article whose
# fetch failed in a way the next run retries (timeout, reset, 5xx, ...), found by the failed
# fetch's discovered_from.
PENDING_LINKS_SQL = """
SELECT DISTINCT canonical_url, discovered_from FROM liputan.fetches
WHERE source = %(source)s AND kind = 'article' AND discovered_via = 'link'
  AND reason IS NOT NULL AND reason <> ALL(%(settled)s) AND discovered_from IS NOT NULL
"""
# (b) pages stored by a run after the last complete one (killed, crashed, failed, out of
# budget). Newest stored body per canonical URL.
REPLAYABLE_SQL = """
SELECT DISTINCT ON (canonical_url) canonical_url, final_url, fetch_id
FROM liputan.fetches
WHERE source = %(source)s AND kind = 'article' AND reason IS NULL AND body_gz IS NOT NULL
  AND crawl_run_id <> %(current)s
  AND (crawl_run_id > %(after)s OR canonical_url = ANY(%(pages)s) OR final_url = ANY(%(raw)s))
ORDER BY canonical_url, fetched_at DESC
"""
STORED_PAGE_SQL = """
SELECT final_url, content_type, body_gz FROM liputan.fetches WHERE fetch_id = %(fetch_id)s
"""
# Failures that another request would not change: robots says no again, a duplicate redirect
# points at a page that is stored.
SETTLED_REASONS = (*PERMANENT_REASONS, "robots", "duplicate")


@dataclass
class FetchRecord:
    """One fetch attempt, successful or not (reason says why not)."""

    url: str
    kind: str
    discovered_via: str
    fetched_at: datetime
    discovered_from: str | None = None
    final_url: str | None = None
    elapsed_ms: int | None = None
    http_status: int | None = None
    reason: str | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    # a record ingested from a web archive (liputan import-warc): where it is in its WARC
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None
    # the date the feed or sitemap that listed the URL gives for it (sql/013)
    listed_published_at: datetime | None = None


@dataclass(frozen=True)
class Stored:
    """What an earlier run stored for one URL."""

    fetched_at: datetime
    reason: str | None
    etag: str | None
    last_modified: str | None


class SourceLocked(Exception):
    """Another crawl of the same source is running."""


class FetchStore:
    """The database side of one crawl run of one source."""

    def __init__(self, dsn: str, source: str) -> None:
        self.dsn = dsn
        self.source = source
        self.run_id: int | None = None
        self._conn: psycopg.Connection | None = None
        self._rows: list[tuple] = []
        self._bytes = 0
        self._last_flush = time.monotonic()
        self._months: set[tuple[int, int]] = set()  # (year, month) known to have a partition
        self.written = 0
        self.counts: dict[str, int] = {}  # reason (or "ok") -> fetches, for progress and stats

    # -- run lifecycle -----------------------------------------------------------------------
    def begin_run(self, params: dict) -> int:
        """Take the source's lock, mark runs that died as interrupted, open a new run.

        The lock is a session advisory lock: it goes away with this process's connection,
        so a crawl killed with SIGKILL never leaves the source locked.
        """
        self._conn = connect(self.dsn, autocommit=True)
        locked = self._conn.execute(LOCK_SQL, {"source": self.source}).fetchone()[0]
        if not locked:
            self.close()
            raise SourceLocked(self.source)
        # Holding the lock, any 'running' run of this source belongs to a dead process.
        dead = self._conn.execute(INTERRUPT_SQL, {"source": self.source}).fetchall()
        for (run_id,) in dead:
            logger.warning("%s: crawl run %s did not finish; marked interrupted",
                           self.source, run_id)
        self.run_id = self._conn.execute(
            BEGIN_RUN_SQL, {"source": self.source, "params": Jsonb(params)}).fetchone()[0]
        return self.run_id

    def finish_run(self, status: str, *, discovered: int, stats: dict,
                   error: str | None = None) -> None:
        self.flush()
        stats = {**stats, "fetches": dict(self.counts)}
        self._conn.execute(FINISH_RUN_SQL, {"status": status, "discovered": discovered,
                                            "stats": Jsonb(stats), "error": error,
                                            "run": self.run_id})

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- what is stored ----------------------------------------------------------------------
    def history(self) -> dict[str, Stored]:
        """Canonical URL (as requested, and after redirects) -> what is stored for it."""
        known: dict[str, Stored] = {}
        _remember(self._conn.execute(HISTORY_SQL, {
            "source": self.source, "permanent": list(PERMANENT_REASONS)}), known)
        return known

    def lookup(self, urls: Iterable[str]) -> dict[str, Stored]:
        """What is stored for these URLs (raw or canonical), by canonical URL (as requested,
        and after redirects): `history`, for one batch of URLs."""
        raw = sorted(set(urls))
        canonical = sorted({canonicalize(url) for url in raw})
        known: dict[str, Stored] = {}
        for start in range(0, max(len(raw), len(canonical)), LOOKUP_CHUNK):
            _remember(self._conn.execute(LOOKUP_SQL, {
                "source": self.source, "permanent": list(PERMANENT_REASONS),
                "canonical": canonical[start:start + LOOKUP_CHUNK],
                "raw": raw[start:start + LOOKUP_CHUNK]}), known)
        return known

    def replayable(self, history: History | dict[str, Stored]) -> dict[str, int]:
        """Canonical URL -> fetch_id of a stored page whose links a rerun must follow again
        from its stored body, because the run that stored it may not have followed them all:
        it was killed, crashed or ran out of budget before the linked articles were fetched,
        or a linked article's fetch failed and is still not stored. Pages stored by earlier,
        complete runs are left out: their links were followed then, and reading every
        stored body on each run would cost as much as the crawl."""
        after = self._conn.execute(LAST_COMPLETE_RUN_SQL, {"source": self.source,
                                                           "current": self.run_id}).fetchone()[0]
        pending = self._conn.execute(PENDING_LINKS_SQL, {"source": self.source,
                                                         "settled": list(SETTLED_REASONS)})
        pages = {found_on for target, found_on in pending if target not in history}
        rows = self._conn.execute(REPLAYABLE_SQL, {
            "source": self.source, "current": self.run_id, "after": after,
            "pages": sorted({canonicalize(url) for url in pages}), "raw": sorted(pages)})
        replay: dict[str, int] = {}
        for canonical, final_url, fetch_id in rows:
            replay[canonical] = fetch_id
            if final_url:
                replay.setdefault(canonicalize(final_url), fetch_id)
        return replay

    def stored_page(self, fetch_id: int) -> tuple[str, str | None, bytes] | None:
        """(final URL, content type, body) of a stored fetch; None if it has no body."""
        row = self._conn.execute(STORED_PAGE_SQL, {"fetch_id": fetch_id}).fetchone()
        if row is None or row[2] is None:
            return None
        final_url, content_type, body_gz = row
        return final_url, content_type, gzip.decompress(body_gz)

    # -- fetches -----------------------------------------------------------------------------
    def add(self, record: FetchRecord) -> None:
        body = record.body
        body_gz = sha = size = None
        if body is not None:
            size = len(body)
            sha = hashlib.sha256(body).digest()
            body_gz = _gzip(body)
            self._bytes += len(body_gz)
        self._rows.append((
            self.run_id, self.source, record.url, canonicalize(record.url), record.final_url,
            record.kind, record.discovered_via, record.discovered_from, record.fetched_at,
            record.elapsed_ms, record.http_status, record.reason, record.content_type,
            Jsonb(record.headers), body_gz, sha, size, record.warc_file, record.warc_offset,
            record.warc_record_id, record.listed_published_at))
        key = record.reason or "ok"
        self.counts[key] = self.counts.get(key, 0) + 1
        if (len(self._rows) >= BATCH_ROWS or self._bytes >= BATCH_BYTES
                or time.monotonic() - self._last_flush >= BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Write the buffered fetches in one transaction."""
        self._last_flush = time.monotonic()
        if not self._rows:
            return
        rows, self._rows, self._bytes = self._rows, [], 0
        self._add_months([row[FETCHED_AT] for row in rows])
        with self._conn.transaction(), self._conn.cursor() as cur, cur.copy(COPY_FETCHES) as copy:
            for row in rows:
                copy.write_row(row)
        self.written += len(rows)
        logger.debug("%s: stored %d fetches", self.source, len(rows))

    def _add_months(self, fetched: list[datetime]) -> None:
        months = {(t.astimezone(UTC).year, t.astimezone(UTC).month) for t in fetched}
        if months <= self._months:
            return
        created = self._conn.execute(ADD_MONTHS_SQL, {"first": min(fetched),
                                                      "last": max(fetched)}).fetchone()[0]
        if created:
            logger.info("%s: created %d month(s) of liputan.fetches", self.source, created)
        self._months |= months


def _remember(rows: Iterable[tuple], known: dict[str, Stored]) -> None:
    """Rows of _STORED into `known`, by canonical URL and by the redirect's target."""
    for canonical, final_url, fetched_at, reason, etag, last_modified in rows:
        stored = Stored(fetched_at, reason, etag, last_modified)
        known[canonical] = stored
        if final_url:
            known.setdefault(canonicalize(final_url), stored)


class History:
    """What earlier runs stored, asked for one feed, sitemap or page at a time (`prefetch`) and
    remembered up to MAX_REMEMBERED answers: a crawl's memory stays flat however many URLs
    the source has stored (bench/frontier.py), where loading the whole history at start grew
    with it. `get` and `in` take a canonical URL, as the dict `FetchStore.history` did."""

    def __init__(self, store: FetchStore) -> None:
        self.store = store
        self.known: dict[str, Stored | None] = {}
        self.queries = 0

    def prefetch(self, urls: Iterable[str]) -> None:
        """Look up, in one query per LOOKUP_CHUNK, the URLs not asked about yet."""
        wanted = {url for url in urls if canonicalize(url) not in self.known}
        if not wanted:
            return
        if len(self.known) + len(wanted) > MAX_REMEMBERED:
            self.known.clear()
        found = self.store.lookup(wanted)
        self.queries += 1
        for url in wanted:
            canonical = canonicalize(url)
            self.known[canonical] = found.get(canonical)
        for canonical, stored in found.items():  # redirect targets of what was asked
            self.known.setdefault(canonical, stored)

    def get(self, canonical: str) -> Stored | None:
        if canonical not in self.known:
            self.prefetch([canonical])
        return self.known.get(canonical)

    def __contains__(self, canonical: object) -> bool:
        return isinstance(canonical, str) and self.get(canonical) is not None


def _gzip(body: bytes) -> bytes:
    # mtime=0: the same body always gives the same bytes.
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
