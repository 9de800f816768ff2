"""`liputan status`: the last crawl runs and each source's health, as plain-text tables.

Read only, from news.crawl_runs and the liputan tables behind the other views (articles,
documents waiting to load, rejections). What it shows: docs/load.md, "Status".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawler.db.connect import connection

__all__ = ["Status", "status"]

logger = logging.getLogger(__name__)

RUNS_SQL = """
SELECT crawl_run_id, source, started_at, finished_at, status, discovered, fetched, failed,
       articles_new, articles_updated, articles_unchanged, articles_duplicate
FROM news.crawl_runs
ORDER BY started_at DESC, crawl_run_id DESC
LIMIT %(runs)s
"""

# Per source, over the window [now - days, now]: runs, fetch failures, articles first seen.
HEALTH_SQL = """
WITH sources AS (
    SELECT source FROM liputan.crawl_runs UNION SELECT source FROM liputan.articles
),
window_runs AS (
    SELECT * FROM news.crawl_runs
    WHERE started_at >= %(now)s - make_interval(days => %(days)s) AND started_at <= %(now)s
),
reasons AS (
    SELECT r.source, x.key AS reason, sum(x.value::bigint) AS n
    FROM window_runs r, jsonb_each_text(r.failed_by_reason) x
    GROUP BY r.source, x.key
)
SELECT s.source,
       last.started_at, last.status,
       (SELECT count(*) FROM window_runs w WHERE w.source = s.source) AS runs,
       (SELECT coalesce(sum(fetched), 0)::bigint FROM window_runs w WHERE w.source = s.source),
       (SELECT coalesce(sum(failed), 0)::bigint FROM window_runs w WHERE w.source = s.source),
       (SELECT reason FROM reasons x WHERE x.source = s.source
        ORDER BY n DESC, reason LIMIT 1) AS top_reason,
       (SELECT count(*) FROM liputan.articles a WHERE a.source = s.source
          AND a.first_seen_at >= %(now)s - make_interval(days => %(days)s)
          AND a.first_seen_at <= %(now)s) AS recent_articles,
       (SELECT count(*) FROM liputan.articles a WHERE a.source = s.source) AS articles,
       (SELECT count(*) FROM liputan.documents d JOIN liputan.fetches f USING (fetch_id)
        WHERE f.source = s.source AND d.loaded_at IS NULL AND d.is_article) AS to_load
FROM sources s
LEFT JOIN LATERAL (
    SELECT started_at, status FROM liputan.crawl_runs r WHERE r.source = s.source
    ORDER BY started_at DESC LIMIT 1
) last ON true
ORDER BY s.source
"""

TOTALS_SQL = """
SELECT (SELECT count(*) FROM liputan.articles),
       (SELECT count(*) FROM liputan.articles WHERE duplicate_of IS NOT NULL),
       (SELECT count(*) FROM liputan.documents WHERE loaded_at IS NULL AND is_article),
       (SELECT count(*) FROM liputan.load_rejections),
       (SELECT count(*) FROM liputan.articles WHERE search IS NULL)
"""


@dataclass
class Status:
    now: datetime
    days: int
    runs: list[tuple]
    health: list[tuple]
    totals: tuple

    def render(self) -> str:
        lines = [f"Last {len(self.runs)} crawl run(s)"]
        lines += _table(
            ("run", "source", "started (UTC)", "took", "status", "found", "fetched", "failed",
             "new", "upd", "same", "dup"),
            [(r[0], r[1], _when(r[2]), _took(r[2], r[3]), r[4], *r[5:]) for r in self.runs])
        lines += ["", f"Sources, last {self.days} day(s) to {_when(self.now)}"]
        lines += _table(
            ("source", "last run", "status", "runs", "fetched", "failed", "fail %",
             "top failure", "articles/day", "articles", "to load"),
            [(h[0], _when(h[1]), h[2] or "-", h[3], h[4], h[5], _percent(h[5], h[4] + h[5]),
              h[6] or "-", f"{h[7] / self.days:.1f}", h[8], h[9]) for h in self.health])
        articles, duplicates, pending, rejected, unsearched = self.totals
        summary = (f"{articles} article(s), {duplicates} duplicate(s); {pending} document(s) "
                   f"waiting to load, {rejected} rejected (news.load_rejections), "
                   f"{unsearched} waiting for their search vector (liputan index)")
        lines += ["", summary]
        return "\n".join(lines)


def status(dsn: str, *, runs: int = 10, days: int = 7, now: datetime | None = None) -> Status:
    now = now or datetime.now(UTC)
    params = {"runs": runs, "days": days, "now": now}
    with connection(dsn) as conn:
        return Status(now=now, days=days,
                      runs=conn.execute(RUNS_SQL, params).fetchall(),
                      health=conn.execute(HEALTH_SQL, params).fetchall(),
                      totals=conn.execute(TOTALS_SQL).fetchone())


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _took(started: datetime, finished: datetime | None) -> str:
    if finished is None:
        return "-"
    seconds = int((finished - started) / timedelta(seconds=1))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _table(headers: Sequence[str], rows: Sequence[Sequence]) -> list[str]:
    """Columns padded to their widest cell; numbers right-aligned, text left-aligned."""
    if not rows:
        return ["  (none)"]
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  " + "  ".join(v.rjust(w) if num else v.ljust(w)
                                for v, w, num in zip(values, widths, numeric)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]
