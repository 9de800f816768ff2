"""`liputan index`: fill news.articles.search, the full-text search vector, after a load.

A step of its own because the vector costs more CPU than the rest of the load and nothing later
waits for it; until it has run, a new article's `search` is NULL. Batches are filled side by
side, one connection per core, each committed on its own. docs/load.md, "Full-text search".
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from crawler.db.connect import connection
from crawler.errors import UserError

__all__ = ["BATCH_SIZE", "IndexResult", "fill_search", "unindexed"]

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000

# The planner's guesses about the batch could trigger JIT compilation (~1 s per statement).
SESSION_SQL = "SET jit = off"

FILL_SQL = """
UPDATE liputan.articles a
SET search = liputan.article_search(a.language, a.title, a.text)
WHERE a.article_id IN (SELECT article_id FROM liputan.articles
                       WHERE search IS NULL ORDER BY article_id
                       LIMIT %s FOR UPDATE SKIP LOCKED)
"""

UNINDEXED_SQL = "SELECT count(*) FROM liputan.articles WHERE search IS NULL"


@dataclass
class IndexResult:
    filled: int = 0
    seconds: float = 0.0

    def summary(self, *, timed: bool = True) -> str:
        took = f" in {self.seconds:.1f}s" if timed else ""
        return f"{self.filled} article(s) given their search vector{took}"


def fill_search(dsn: str, *, batch_size: int = BATCH_SIZE,
                workers: int | None = None) -> IndexResult:
    """Compute news.articles.search wherever it is NULL (default: one connection per core)."""
    started = time.monotonic()
    workers = max(1, workers or os.cpu_count() or 1)
    try:
        if workers == 1:
            filled = _fill(dsn, batch_size)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="search") as pool:
                filled = sum(pool.map(lambda _: _fill(dsn, batch_size), range(workers)))
    except psycopg.OperationalError as exc:
        detail = " ".join(str(exc).split())
        raise UserError(f"index interrupted: {detail}; run `liputan index` again to finish "
                        "(what was filled is kept)") from exc
    result = IndexResult(filled, time.monotonic() - started)
    logger.debug("index: %s", result.summary())  # the caller prints or logs it
    return result


def _fill(dsn: str, batch_size: int) -> int:
    filled = 0
    with connection(dsn, autocommit=True) as conn:
        conn.execute(SESSION_SQL)
        while True:
            count = conn.execute(FILL_SQL, (batch_size,)).rowcount
            filled += count
            if count < batch_size:
                return filled


def unindexed(dsn: str) -> int:
    """Articles still waiting for their search vector."""
    with connection(dsn) as conn:
        return conn.execute(UNINDEXED_SQL).fetchone()[0]
