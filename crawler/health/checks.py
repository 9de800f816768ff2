"""Did tonight's crawl of each source look like its usual crawls? Say so when it did not.

A source that usually yields articles and yielded none, or whose failure rate jumped, judged
against its own previous finished runs (`Thresholds`); read from the database only, so the
checks can be rerun with the same answer. docs/airflow.md, "When things fail".
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.rows import dict_row

from crawler.db.connect import connection

logger = logging.getLogger(__name__)

__all__ = ["Problem", "RunFigures", "Thresholds", "check_runs", "check_steps", "judge"]


@dataclass(frozen=True)
class Thresholds:
    # Earlier runs looked at: a working week of nightly runs and then some.
    history_runs: int = 7
    # Fewer earlier runs than this and nothing is "usual" yet: a new source is never flagged.
    min_history: int = 3
    # "Usually yields articles": it did in at least this share of the earlier runs.
    usual_share: float = 0.6
    # A failure-rate jump is judged only on runs with this many fetches (on both sides):
    # with 3 fetches one timeout is already 33%.
    min_fetches: int = 10
    # Jump: the rate rose by at least this many points AND at least doubled. Both, so that
    # 1% -> 3% (doubled, tiny) and 50% -> 70% (large, a chronically flaky site) pass quietly.
    failure_rate_rise: float = 0.25
    failure_rate_factor: float = 2.0


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class RunFigures:
    crawl_run_id: int
    source: str
    status: str
    fetches: int
    failures: int
    articles: int
    top_reason: str | None = None

    @property
    def failure_rate(self) -> float:
        return self.failures / self.fetches if self.fetches else 0.0


@dataclass(frozen=True)
class Problem:
    source: str
    crawl_run_id: int
    kind: str          # no_articles | failure_rate | run_failed
    message: str


FIGURES_SQL = """
SELECT r.crawl_run_id, r.source, r.status,
       count(f.fetch_id) AS fetches,
       count(f.fetch_id) FILTER (WHERE f.reason IS NOT NULL) AS failures,
       count(f.fetch_id) FILTER (
           WHERE f.kind = 'article' AND f.reason IS NULL AND coalesce(d.is_article, true)
       ) AS articles,
       mode() WITHIN GROUP (ORDER BY f.reason) FILTER (WHERE f.reason IS NOT NULL) AS top_reason
FROM liputan.crawl_runs r
LEFT JOIN liputan.fetches f ON f.crawl_run_id = r.crawl_run_id
LEFT JOIN liputan.documents d ON d.fetch_id = f.fetch_id
WHERE r.crawl_run_id = ANY(%(ids)s)
GROUP BY r.crawl_run_id, r.source, r.status
"""

# The finished runs of the same source before each checked run, newest first.
HISTORY_SQL = """
SELECT c.crawl_run_id AS checked, h.crawl_run_id AS earlier
FROM liputan.crawl_runs c
CROSS JOIN LATERAL (
    SELECT p.crawl_run_id
    FROM liputan.crawl_runs p
    WHERE p.source = c.source AND p.crawl_run_id < c.crawl_run_id AND p.status = 'finished'
    ORDER BY p.crawl_run_id DESC
    LIMIT %(limit)s
) h
WHERE c.crawl_run_id = ANY(%(ids)s)
"""


def check_runs(dsn: str, crawl_run_ids: Sequence[int],
               thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Problem]:
    """Problems of the given crawl runs, each against its source's earlier finished runs."""
    ids = sorted({int(run_id) for run_id in crawl_run_ids})
    if not ids:
        return []
    with connection(dsn) as conn, conn.cursor(row_factory=dict_row) as cur:
        history: dict[int, list[int]] = {run_id: [] for run_id in ids}
        for row in cur.execute(HISTORY_SQL, {"ids": ids, "limit": thresholds.history_runs}):
            history[row["checked"]].append(row["earlier"])
        wanted = set(ids).union(*history.values())
        figures = {row["crawl_run_id"]: RunFigures(**row)
                   for row in cur.execute(FIGURES_SQL, {"ids": sorted(wanted)})}
    problems: list[Problem] = []
    for run_id in ids:
        if run_id not in figures:
            logger.warning("checks: crawl run %s does not exist", run_id)
            continue
        earlier = [figures[h] for h in history[run_id] if h in figures]
        problems += judge(figures[run_id], earlier, thresholds)
    for problem in problems:
        logger.warning("check failed: %s", problem.message)
    return problems


ARTICLE_PAGES_SQL = """
SELECT count(*) FROM liputan.fetches
WHERE crawl_run_id = ANY(%(ids)s) AND kind = 'article' AND reason IS NULL
"""


def check_steps(dsn: str, crawl_run_ids: Sequence[int], cleaned: Mapping[str, Any] | None,
                loaded: Mapping[str, Any] | None) -> list[str]:
    """What the clean and load steps of a run left undone, from their own figures.

    cleaned / loaded: what the steps returned (None when they did not run); a step that failed
    outright is reported by its task's state, not here.
    """
    problems = []
    if cleaned and cleaned.get("failed"):
        problems.append(f"clean: {cleaned['failed']} page(s) FAILED and left without a "
                        "document (see the clean task's log)")
    if loaded is not None:
        stored = sum(loaded.get(key, 0) for key in ("new", "updated", "unchanged"))
        ids = sorted({int(run_id) for run_id in crawl_run_ids})
        with connection(dsn) as conn:
            pages = conn.execute(ARTICLE_PAGES_SQL, {"ids": ids}).fetchone()[0] if ids else 0
        if pages and not stored:
            problems.append(f"load: {pages} article page(s) fetched but nothing loaded "
                            f"({loaded.get('summary', 'no figures')})")
    for problem in problems:
        logger.warning("check failed: %s", problem)
    return problems


def judge(run: RunFigures, earlier: Sequence[RunFigures],
          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Problem]:
    """What is wrong with `run`, given the same source's earlier finished runs."""
    problems = []
    name = f"source {run.source}"
    if run.status == "failed":
        problems.append(Problem(run.source, run.crawl_run_id, "run_failed",
                                f"{name}: crawl run {run.crawl_run_id} failed"))
    if len(earlier) < thresholds.min_history:
        return problems

    yielding = [r.articles for r in earlier if r.articles > 0]
    if run.articles == 0 and len(yielding) >= thresholds.usual_share * len(earlier):
        problems.append(Problem(
            run.source, run.crawl_run_id, "no_articles",
            f"{name}: no articles in crawl run {run.crawl_run_id} ({run.fetches} fetches, "
            f"{run.failures} failed{_reason(run)}); it yielded articles in {len(yielding)} of "
            f"its previous {len(earlier)} runs, usually {statistics.median(yielding):g}"))

    before_fetches = sum(r.fetches for r in earlier)
    before_failures = sum(r.failures for r in earlier)
    if run.fetches >= thresholds.min_fetches and before_fetches >= thresholds.min_fetches:
        before = before_failures / before_fetches
        now = run.failure_rate
        if (now - before >= thresholds.failure_rate_rise
                and now >= thresholds.failure_rate_factor * before):
            problems.append(Problem(
                run.source, run.crawl_run_id, "failure_rate",
                f"{name}: {now:.0%} of fetches failed in crawl run {run.crawl_run_id} "
                f"({run.failures} of {run.fetches}{_reason(run)}), up from {before:.0%} over "
                f"its previous {len(earlier)} runs"))
    return problems


def _reason(run: RunFigures) -> str:
    return f", mostly {run.top_reason}" if run.top_reason else ""
