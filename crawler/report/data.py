"""What the coverage report shows, read from the news.* views for one window of days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from crawler.db.connect import connection, describe
from crawler.stories.report import StoryRow, recent_stories

__all__ = ["ArticlePoint", "ReportData", "SourceHealth", "gather"]

STORY_ARTICLES_SQL = """
SELECT story_id, source, published_at, title, url
FROM news.story_articles
WHERE story_id = ANY(%(stories)s)
ORDER BY story_id, published_at, article_id
"""
SOURCES_SQL = """
SELECT source FROM news.crawl_runs
UNION SELECT source FROM news.articles
ORDER BY 1
"""
# Articles first seen per day (UTC): what the crawl brought in, whatever their publication date.
PER_DAY_SQL = """
SELECT source, (first_seen_at AT TIME ZONE 'UTC')::date AS day, count(*)
FROM news.articles
WHERE first_seen_at > %(since)s AND first_seen_at <= %(until)s
GROUP BY 1, 2
"""
# Pages not stored, by stage and reason: failed fetches of any kind (a feed that fails on DNS
# leaves no article page behind to count) from the runs of the window, then article pages
# fetched in the window that clean or load did not store (news.skipped_pages, sql/009: its
# fetch stage is left out, the runs already count those).
SKIPPED_SQL = """
SELECT source, stage, reason, sum(n)::bigint
FROM (SELECT r.source, 'fetch' AS stage, x.key AS reason, x.value::bigint AS n
      FROM news.crawl_runs r, jsonb_each_text(r.failed_by_reason) x
      WHERE r.started_at > %(since)s AND r.started_at <= %(until)s
      UNION ALL
      SELECT source, stage, reason, 1
      FROM news.skipped_pages
      WHERE fetched_at > %(since)s AND fetched_at <= %(until)s AND stage <> 'fetch') pages
GROUP BY 1, 2, 3
ORDER BY 1, 4 DESC, 2, 3
"""
RUNS_SQL = """
SELECT source, started_at, status, fetched, failed
FROM news.crawl_runs
WHERE started_at > %(since)s AND started_at <= %(until)s
ORDER BY source, started_at, crawl_run_id
"""


@dataclass(frozen=True)
class ArticlePoint:
    """One article of a story on its timeline."""

    source: str
    published_at: datetime
    title: str | None
    url: str


@dataclass
class SourceHealth:
    source: str
    per_day: dict[date, int] = field(default_factory=dict)
    # (stage, reason, pages), most pages first
    skipped: list[tuple[str, str, int]] = field(default_factory=list)
    # (started_at, status, fetched, failed), oldest first
    runs: list[tuple[datetime, str, int, int]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(self.per_day.values())


@dataclass
class ReportData:
    database: str
    until: datetime
    days: int
    min_sources: int
    stories: list[StoryRow]
    timelines: dict[int, list[ArticlePoint]]
    sources: list[SourceHealth]

    @property
    def day_list(self) -> list[date]:
        """Every day of the window, oldest first (days without articles included)."""
        last = self.until.date()
        return [last - timedelta(days=n) for n in range(self.days - 1, -1, -1)]


def gather(dsn: str, *, until: datetime, days: int = 7, stories: int = 20,
           min_sources: int = 2) -> ReportData:
    """Stories with an article in the `days` days to `until` (most outlets first, at most
    `stories`), and every source's health over the same days."""
    rows = recent_stories(dsn, until=until, days=days, min_sources=min_sources, limit=stories)
    params = {"since": until - timedelta(days=days), "until": until,
              "stories": [row.story_id for row in rows]}
    timelines: dict[int, list[ArticlePoint]] = {}
    with connection(dsn) as conn:
        for story_id, *point in conn.execute(STORY_ARTICLES_SQL, params):
            timelines.setdefault(story_id, []).append(ArticlePoint(*point))
        health = {name: SourceHealth(name) for (name,) in conn.execute(SOURCES_SQL)}
        for source, day, count in conn.execute(PER_DAY_SQL, params):
            health[source].per_day[day] = count
        for source, stage, reason, count in conn.execute(SKIPPED_SQL, params):
            health.setdefault(source, SourceHealth(source)).skipped.append((stage, reason, count))
        for source, *run in conn.execute(RUNS_SQL, params):
            health[source].runs.append(tuple(run))
    return ReportData(database=describe(dsn), until=until, days=days, min_sources=min_sources,
                      stories=rows, timelines=timelines,
                      sources=sorted(health.values(), key=lambda h: h.source))
