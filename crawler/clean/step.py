"""`liputan clean`: stored pages -> liputan.documents, on every core, streamed, crash-proof.

The parent streams page ids to a pool of worker processes; each worker cleans a batch in one
transaction and upserts it, so a rerun changes nothing. A slow, stuck or crashing page is
recorded with its reason and the run goes on. docs/clean.md ("How it runs", "Failures").
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Self
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

from crawler import fingerprint
from crawler.archive.records import read_body
from crawler.article import FIELDS, SQL_TYPES, assignments, column_list
from crawler.clean.extract import EXTRACTOR_VERSION, Extraction, extract
from crawler.clean.page import DocumentRow, SourcePolicy, clean_page, not_article
from crawler.clean.rules import NO_RULES, CleaningRules
from crawler.config import Config
from crawler.db.connect import connect, connection, describe
from crawler.progress import Progress

logger = logging.getLogger(__name__)

__all__ = ["CleanResult", "clean"]

# Pages per batch (one transaction): the round trips of a batch cost ~10 ms, a page ~50-200
# ms to extract, so 16 pages hide them; fewer pages per batch keep the workers busy to the end
# of a short run (the last batch is the one that leaves cores idle) and a retry redoes little.
BATCH_SIZE = 16
# Short runs get smaller batches: up to this many batches per worker.
MIN_BATCHES_PER_WORKER = 8
# Extraction takes 50-200 ms per page here; a page still going after this is pathological.
PAGE_TIMEOUT_S = 30.0
# After the alarm, how long a page may keep its worker before the parent kills it.
HARD_KILL_GRACE_S = 10.0
MAX_BATCH_ATTEMPTS = 3
# A worker silent this long outside any page (waiting on the database: a lock, a lost
# connection) is killed and its batch retried; generous, as a loaded server is slow, not stuck.
DATABASE_STALL_S = 300.0
# A retried batch waits this long for rows another transaction still holds (a killed
# worker's backend may not have noticed yet) instead of skipping them.
RETRY_LOCK_TIMEOUT = "60s"
POLL_S = 0.5

PENDING_CONDITIONS = """
    f.kind = 'article' AND f.reason IS NULL
    AND (f.body_gz IS NOT NULL OR f.warc_file IS NOT NULL)
    AND (%(sources)s::text[] IS NULL OR f.source = ANY(%(sources)s::text[]))
    AND (%(reclean)s OR NOT EXISTS (
        SELECT 1 FROM liputan.documents d
        WHERE d.fetch_id = f.fetch_id AND d.extractor_version = %(version)s))
"""
COUNT_PENDING = "SELECT count(*) FROM liputan.fetches f WHERE" + PENDING_CONDITIONS
SELECT_PENDING = ("SELECT f.fetch_id FROM liputan.fetches f WHERE" + PENDING_CONDITIONS
                  + " ORDER BY f.fetch_id")
LOCK_SKIP = """
    SELECT fetch_id FROM liputan.fetches WHERE fetch_id = ANY(%(ids)s)
    ORDER BY fetch_id FOR NO KEY UPDATE SKIP LOCKED
"""
LOCK_WAIT = """
    SELECT fetch_id FROM liputan.fetches WHERE fetch_id = ANY(%(ids)s)
    ORDER BY fetch_id FOR NO KEY UPDATE
"""
# A new statement after the lock: sees documents a concurrent clean committed meanwhile.
SELECT_BODIES = """
    SELECT f.fetch_id, f.source, coalesce(f.final_url, f.url), f.content_type,
           f.headers ->> 'content-type', f.body_gz, f.body_sha256, f.body_bytes,
           f.warc_file, f.warc_offset, f.listed_published_at, f.discovered_via
    FROM liputan.fetches f
    WHERE f.fetch_id = ANY(%(ids)s) AND (%(reclean)s OR NOT EXISTS (
        SELECT 1 FROM liputan.documents d
        WHERE d.fetch_id = f.fetch_id AND d.extractor_version = %(version)s))
    ORDER BY f.fetch_id
"""
# A liputan.documents row as clean writes it (DocumentRow.COLUMNS), with the load's sketch.
_STAGE_TYPES = {"fetch_id": "int8", "extractor_version": "text", "is_article": "bool",
                "reason": "text", **SQL_TYPES, "text": "text", "text_sha256": "bytea",
                "word_count": "int4"}
STAGE_TYPES = (*(_STAGE_TYPES[name] for name in DocumentRow.COLUMNS), "text")
CREATE_STAGE = sql.SQL("""
    CREATE TEMPORARY TABLE IF NOT EXISTS clean_stage ({columns}, sketch text)
    ON COMMIT DELETE ROWS
""").format(columns=sql.SQL(", ").join(
    sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_STAGE_TYPES[name]))
    for name in DocumentRow.COLUMNS))
COPY_STAGE = "COPY clean_stage FROM STDIN"
# The content of a document: what `liputan load` reads. A change resets loaded_at.
_CONTENT = ("is_article", "reason", *FIELDS, "text_sha256")
# Any change of these is written.
_COMPARED = ("extractor_version", *_CONTENT, "word_count")
UPSERT = sql.SQL("""
    INSERT INTO liputan.documents AS d ({columns}, sketch)
    SELECT {columns}, sketch::integer[]
    FROM clean_stage
    ON CONFLICT (fetch_id) DO UPDATE SET
        cleaned_at = now(), {updates}, sketch = EXCLUDED.sketch,
        loaded_at = CASE WHEN ({old_content}) IS NOT DISTINCT FROM ({new_content})
            THEN d.loaded_at END
    WHERE ({old_compared}) IS DISTINCT FROM ({new_compared})
""").format(columns=column_list(DocumentRow.COLUMNS),
            updates=assignments(DocumentRow.COLUMNS[1:], "excluded"),
            old_content=column_list(_CONTENT, "d"),
            new_content=column_list(_CONTENT, "excluded"),
            old_compared=column_list(_COMPARED, "d"),
            new_compared=column_list(_COMPARED, "excluded"))


@dataclass
class CleanResult:
    database: str
    version: str
    workers: int = 0
    pending: int = 0  # pages found to clean when the run started
    cleaned: int = 0  # pages given a document by this run
    articles: int = 0
    reasons: Counter = field(default_factory=Counter)  # not-article reason -> pages
    changed: int = 0  # documents inserted or changed (the rest were already identical)
    skipped: int = 0  # cleaned meanwhile by a concurrent clean
    failed: int = 0  # pages of batches that failed every attempt: left for the next run
    seconds: float = 0.0
    worker_busy_s: float = 0.0  # wall time workers spent on batches (for benchmarks)
    worker_cpu_s: float = 0.0  # CPU time they got meanwhile: less on a busy machine

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def not_articles(self) -> int:
        return sum(self.reasons.values())

    def summary(self, *, timed: bool = True) -> str:
        """One line; timed=False leaves out the time (liputan run prints each step's own)."""
        if not self.cleaned and not self.failed and not self.skipped:
            return f"nothing to clean (extractor {self.version})"
        reasons = ", ".join(f"{name} {n}" for name, n in self.reasons.most_common())
        took = f" in {self.seconds:.1f}s" if timed else ""
        line = (f"cleaned {self.cleaned} page(s){took} on {self.workers} "
                f"worker(s) (extractor {self.version}): {self.articles} article(s), "
                f"{self.not_articles} not article(s)" + (f" ({reasons})" if reasons else "")
                + f"; {self.changed} document(s) new or changed")
        if self.skipped:
            line += f"; {self.skipped} done by a concurrent clean"
        if self.failed:
            line += f"; {self.failed} FAILED (left for the next run)"
        return line


def clean(dsn: str, config: Config | None = None, *, sources: Sequence[str] | None = None,
          reclean: bool = False, workers: int | None = None, batch_size: int | None = None,
          page_timeout: float = PAGE_TIMEOUT_S,
          extractor: Callable[..., Extraction] | None = None) -> CleanResult:
    """Clean the stored article pages not yet cleaned by EXTRACTOR_VERSION (all with reclean).

    config gives each source's cleaning rules and expected language (without it, general rules
    only); sources: the source names whose pages are cleaned (default all stored pages).
    batch_size (pages per transaction; default: BATCH_SIZE, less on short runs), page_timeout
    and extractor exist for tests and benchmarks.
    """
    started = time.monotonic()
    workers = workers or os.cpu_count() or 1
    result = CleanResult(database=describe(dsn), version=EXTRACTOR_VERSION)
    params = {"sources": list(sources) if sources is not None else None, "reclean": reclean,
              "version": EXTRACTOR_VERSION}
    with connection(dsn) as conn:
        result.pending = conn.execute(COUNT_PENDING, params).fetchone()[0]
        if batch_size is None:  # short runs get smaller batches
            batch_size = max(1, min(BATCH_SIZE, result.pending // (
                workers * MIN_BATCHES_PER_WORKER)))
        result.workers = min(workers, -(-result.pending // batch_size))
        logger.info("clean: %d page(s) to clean on %s (extractor %s%s)%s", result.pending,
                    result.database, EXTRACTOR_VERSION, ", reclean" if reclean else "",
                    f" with {result.workers} worker(s)" if result.workers else "")
        if result.pending:
            known = config.sources if config else ()
            settings = _Settings(dsn=dsn, version=EXTRACTOR_VERSION, reclean=reclean,
                                 rules={s.name: s.clean_rules for s in known},
                                 languages={s.name: s.language for s in known},
                                 zones={s.name: s.zone for s in known},
                                 policies={s.name: SourcePolicy(s.languages, s.min_words)
                                           for s in known},
                                 extractor=extractor or extract, page_timeout=page_timeout)
            with conn.transaction(), conn.cursor(name="liputan_clean_pending") as cursor:
                cursor.execute(SELECT_PENDING, params)
                with _Pool(settings, result.workers) as pool:
                    pool.run(_batches(cursor, batch_size), result, started)
    result.seconds = time.monotonic() - started
    logger.debug("clean: %s", result.summary())  # the caller prints or logs it
    return result


def _batches(cursor: psycopg.Cursor, size: int) -> Iterator[list[int]]:
    while rows := cursor.fetchmany(size):
        yield [row[0] for row in rows]


# ---------------------------------------------------------------------------------------
# The parent's side of the pool.

@dataclass(frozen=True)
class _Settings:
    """What every worker needs; sent once, when it starts."""

    dsn: str
    version: str
    reclean: bool
    rules: dict[str, CleaningRules]
    languages: dict[str, str | None]
    zones: dict[str, ZoneInfo | None]
    policies: dict[str, SourcePolicy]
    extractor: Callable[..., Extraction]
    page_timeout: float


@dataclass
class _Batch:
    number: int
    ids: list[int]
    forced: dict[int, str] = field(default_factory=dict)  # fetch_id -> reason, not extracted
    attempts: int = 0


@dataclass
class _Outcome:
    cleaned: int = 0
    articles: int = 0
    changed: int = 0
    skipped: int = 0
    unreadable: int = 0  # archived bodies whose WARC could not be read: left for a later run
    reasons: Counter = field(default_factory=Counter)
    busy_s: float = 0.0
    cpu_s: float = 0.0


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, settings: _Settings,
                 number: int) -> None:
        self.number = number
        # [fetch_id of the page being cleaned or 0 (the database part of a batch),
        #  time.monotonic() when that page or part started]
        self.progress = context.Array("d", 2, lock=False)
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, name=f"liputan-clean-{number}",
                                       args=(settings, child_end, self.progress), daemon=True)
        self.process.start()
        child_end.close()
        self.batch: _Batch | None = None

    def submit(self, batch: _Batch) -> None:
        self.batch = batch
        self.progress[0], self.progress[1] = 0, time.monotonic()
        self.conn.send(batch)

    def current_page(self) -> tuple[int, float]:
        return int(self.progress[0]), self.progress[1]

    def stop(self, *, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        elif self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool:
    def __init__(self, settings: _Settings, size: int) -> None:
        self.settings = settings
        self.context = _context()
        self.workers = [_Worker(self.context, settings, n) for n in range(size)]
        self.spawned = size

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self.workers:
            worker.stop(kill=exc_info[0] is not None)

    def run(self, batches: Iterator[list[int]], result: CleanResult, started: float) -> None:
        queue: deque[_Batch] = deque()  # retries, served before new batches
        numbers = iter(range(1, 1 << 62))
        progress = Progress("clean", result.pending, logger=logger)
        try:
            self._run(batches, result, started, queue, numbers, progress)
        finally:
            progress.close()

    def _run(self, batches: Iterator[list[int]], result: CleanResult, started: float,
             queue: deque[_Batch], numbers: Iterator[int], progress: Progress) -> None:
        exhausted = False
        while True:
            for index, worker in enumerate(self.workers):
                if worker.batch is not None:
                    continue
                if not queue and not exhausted:
                    ids = next(batches, None)
                    if ids is None:
                        exhausted = True
                    else:
                        queue.append(_Batch(next(numbers), ids))
                if not queue:
                    continue
                if not worker.process.is_alive():  # died between two batches
                    worker = self._replace(worker)
                batch = queue.popleft()
                try:
                    worker.submit(batch)
                except OSError:  # died just now: the next check retries the batch
                    logger.warning("clean: worker %d gone before batch %d", index,
                                   batch.number)
            busy = [w for w in self.workers if w.batch is not None]
            if not busy:
                return
            multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_S)
            for worker in busy:
                self._check(worker, queue, result)
            _report(result, started, progress)

    def _check(self, worker: _Worker, queue: deque[_Batch], result: CleanResult) -> None:
        batch = worker.batch
        assert batch is not None
        message, gone = None, False
        if worker.conn.poll():
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                gone = True
        if message is not None:
            worker.batch = None
            kind, payload = message
            if kind == "done":
                _add(result, payload)
            else:
                self._retry(batch, queue, result, f"failed: {payload}")
            return
        if gone or not worker.process.is_alive():
            fetch_id, _ = worker.current_page()
            self._replace(worker)
            if fetch_id > 0:
                logger.warning("clean: worker died (exit code %s) on fetch %d: recorded as "
                               "extraction_crashed, batch %d retried without it",
                               worker.process.exitcode, fetch_id, batch.number)
                batch.forced[fetch_id] = "extraction_crashed"
                queue.appendleft(batch)
            else:
                self._retry(batch, queue, result,
                            f"worker died (exit code {worker.process.exitcode})")
            return
        fetch_id, since = worker.current_page()
        if fetch_id > 0 and time.monotonic() - since > (
                self.settings.page_timeout + HARD_KILL_GRACE_S):
            logger.warning("clean: fetch %d still running after %.0fs despite the alarm: "
                           "worker killed, page recorded as timeout, batch %d retried",
                           fetch_id, time.monotonic() - since, batch.number)
            self._replace(worker)
            batch.forced[fetch_id] = "timeout"
            queue.appendleft(batch)
        elif fetch_id == 0 and time.monotonic() - since > DATABASE_STALL_S:
            self._replace(worker)
            self._retry(batch, queue, result, f"stalled over {DATABASE_STALL_S:.0f}s "
                        "outside any page (database?): worker killed")

    def _retry(self, batch: _Batch, queue: deque[_Batch], result: CleanResult,
               why: str) -> None:
        batch.attempts += 1
        if batch.attempts >= MAX_BATCH_ATTEMPTS:
            logger.error("clean: batch %d (%d page(s), fetch %d..%d) %s; gave up after %d "
                         "attempts: left for the next run", batch.number, len(batch.ids),
                         batch.ids[0], batch.ids[-1], why, batch.attempts)
            result.failed += len(batch.ids)
            return
        logger.warning("clean: batch %d %s; retrying (attempt %d of %d)", batch.number, why,
                       batch.attempts + 1, MAX_BATCH_ATTEMPTS)
        queue.appendleft(batch)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(kill=True)
        index = self.workers.index(worker)
        self.workers[index] = _Worker(self.context, self.settings, self.spawned)
        self.spawned += 1
        return self.workers[index]


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a clean process that has imported the extractor once,
    # not from a parent holding database connections (and maybe threads).
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crawler.clean.step"])
        return context
    return multiprocessing.get_context("spawn")


def _add(result: CleanResult, outcome: _Outcome) -> None:
    result.cleaned += outcome.cleaned
    result.articles += outcome.articles
    result.changed += outcome.changed
    result.skipped += outcome.skipped
    result.failed += outcome.unreadable
    result.reasons.update(outcome.reasons)
    result.worker_busy_s += outcome.busy_s
    result.worker_cpu_s += outcome.cpu_s


def _report(result: CleanResult, started: float, progress: Progress) -> None:
    elapsed = time.monotonic() - started
    done = result.cleaned + result.skipped + result.failed
    progress.update(done, f"{result.cleaned / max(elapsed, 1e-9):.1f} pages/s, "
                          f"{result.articles} article(s), {result.not_articles} not")


# ---------------------------------------------------------------------------------------
# The worker's side.

class PageTimeout(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` in the extractor
    cannot swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise PageTimeout


def _worker_main(settings: _Settings, conn: multiprocessing.connection.Connection,
                 progress: Sequence[float]) -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers carry on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, _on_alarm)
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    db: psycopg.Connection | None = None
    while True:
        try:
            batch = conn.recv()
        except EOFError:
            break
        if batch is None:
            break
        try:
            if db is None or db.closed or db.broken:
                db = connect(settings.dsn)
                db.execute(CREATE_STAGE)
                db.commit()
            started, cpu = time.monotonic(), time.process_time()
            outcome = _clean_batch(db, batch, settings, progress)
            outcome.busy_s = time.monotonic() - started
            outcome.cpu_s = time.process_time() - cpu
        except Exception as exc:  # noqa: BLE001 -- reported to the parent, which retries
            progress[0] = 0
            if db is not None and not db.closed:
                try:
                    db.rollback()
                except psycopg.Error:
                    db.close()
            conn.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0]))
            continue
        conn.send(("done", outcome))
    if db is not None:
        db.close()


def _clean_batch(db: psycopg.Connection, batch: _Batch, settings: _Settings,
                 progress: Sequence[float]) -> _Outcome:
    outcome = _Outcome()
    with db.transaction():
        if batch.attempts:
            db.execute("SELECT set_config('lock_timeout', %s, true)", [RETRY_LOCK_TIMEOUT])
        lock = LOCK_WAIT if batch.attempts else LOCK_SKIP
        locked = [row[0] for row in db.execute(lock, {"ids": batch.ids})]
        rows = db.execute(SELECT_BODIES, {"ids": locked, "reclean": settings.reclean,
                                          "version": settings.version}).fetchall()
        outcome.skipped = len(batch.ids) - len(rows)
        cleaned = [_clean_one(row, batch, settings, progress) for row in rows]
        # a body whose WARC is gone keeps its document as it is: never a "not article" for it
        documents = [document for document in cleaned if document is not None]
        outcome.unreadable = len(cleaned) - len(documents)
        progress[1] = time.monotonic()
        progress[0] = 0
        with db.cursor() as cursor:
            with cursor.copy(COPY_STAGE) as copy:
                copy.set_types(STAGE_TYPES)
                for document in documents:
                    # The load's near-duplicate sketch, made here on every core (sql/006).
                    sketch = (fingerprint.sketch_literal(document.text)
                              if document.is_article else None)
                    copy.write_row((*document.row(), sketch))
            cursor.execute(UPSERT)
            outcome.changed = cursor.rowcount
    outcome.cleaned = len(documents)
    for document in documents:
        if document.is_article:
            outcome.articles += 1
        else:
            outcome.reasons[document.reason] += 1
    return outcome


def _clean_one(row: tuple, batch: _Batch, settings: _Settings,
               progress: Sequence[float]) -> DocumentRow | None:
    (fetch_id, source, url, content_type, header_type, body_gz, body_sha256, body_bytes,
     warc_file, warc_offset, listed_at, via) = row
    if fetch_id in batch.forced:
        return not_article(fetch_id, settings.version, batch.forced[fetch_id])
    body = None
    if body_gz is None:  # archived and pruned (liputan archive --prune): read from its WARC
        try:
            body = read_body(warc_file, warc_offset)
        except (OSError, ValueError) as exc:
            logger.error("fetch %d: archived body not readable from %s: %s", fetch_id,
                         warc_file, exc)
            return None
    progress[1] = time.monotonic()
    progress[0] = fetch_id
    try:
        signal.setitimer(signal.ITIMER_REAL, settings.page_timeout)
        try:
            return clean_page(
                fetch_id, body_gz, body=body, version=settings.version, url=url,
                content_type=content_type or header_type, body_sha256=body_sha256,
                body_bytes=body_bytes, rules=settings.rules.get(source, NO_RULES),
                language=settings.languages.get(source), timezone=settings.zones.get(source),
                policy=settings.policies.get(source), extractor=settings.extractor,
                listed=(listed_at, via) if listed_at and via in ("feed", "sitemap") else None)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except PageTimeout:  # also when the alarm beat the line that cancels it
        logger.warning("fetch %d: no result after %.0fs: recorded as timeout", fetch_id,
                       settings.page_timeout)
        return not_article(fetch_id, settings.version, "timeout")
