"""Recent stories and their outlets, read from the news.* views, as a table for people.

What `liputan stories` prints: docs/stories.md, "Commands".
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crawler.db.connect import connection

logger = logging.getLogger(__name__)

__all__ = ["StoryRow", "recent_stories", "render"]

RECENT = """
SELECT s.story_id, s.title, s.first_published_at, s.last_published_at, s.article_count,
       s.source_count,
       (SELECT array_agg(DISTINCT sa.source ORDER BY sa.source)
        FROM news.story_articles sa WHERE sa.story_id = s.story_id) AS sources
FROM news.stories s
WHERE s.last_published_at > %(since)s AND s.first_published_at <= %(until)s
  AND s.source_count >= %(min_sources)s
ORDER BY s.source_count DESC, s.article_count DESC, s.last_published_at DESC, s.story_id
LIMIT %(limit)s
"""


@dataclass(frozen=True)
class StoryRow:
    story_id: int
    title: str | None
    first_published_at: datetime
    last_published_at: datetime
    article_count: int
    source_count: int
    sources: tuple[str, ...]


def recent_stories(dsn: str, *, until: datetime, days: float = 7, min_sources: int = 1,
                   limit: int = 50) -> list[StoryRow]:
    """Stories with an article in (until - days, until], most outlets first."""
    params = {"since": until - timedelta(days=days), "until": until,
              "min_sources": min_sources, "limit": limit}
    with connection(dsn) as conn:
        rows = conn.execute(RECENT, params).fetchall()
    return [StoryRow(*row[:6], tuple(row[6] or ())) for row in rows]


def render(rows: list[StoryRow], width: int = 100) -> str:
    """One line per story (id, first article's time in UTC, articles, outlets, title), then
    the names of its outlets, indented, on the lines below."""
    if not rows:
        return "no stories in that period"
    head = f"{'story':>7}  {'first (UTC)':<16}  {'arts':>4}  {'outlets':>7}  title"
    lines = [head, "-" * width]
    indent = " " * 9
    for row in rows:
        title = textwrap.shorten(row.title or "(untitled)", width=max(20, width - 43),
                                 placeholder="...")
        first = row.first_published_at.astimezone(UTC)
        lines.append(f"{row.story_id:>7}  {first:%Y-%m-%d %H:%M}  {row.article_count:>4}  "
                     f"{row.source_count:>7}  {title}")
        lines.extend(textwrap.wrap(", ".join(row.sources), width=width,
                                   initial_indent=indent, subsequent_indent=indent))
    return "\n".join(lines)
