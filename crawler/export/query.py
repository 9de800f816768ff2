"""What `liputan export` reads: one row per article of news.articles, with its provenance
(news.article_urls, one entry per fetch that led to it) and its story (news.story_articles).

Only the news.* views are read, so a role in liputan_reader may export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql

from crawler.errors import UserError

__all__ = ["COLUMNS", "ExportFilter", "check_filter", "export_query"]

# Every exported column and its kind, in output order; the writers map kinds to their types:
# id/int: whole numbers, text, time: timestamptz, texts: a list of text, fetches: the
# provenance list of FETCH_FIELDS. news.articles.search (a tsvector) is left out: it is an
# index for SQL, not data.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "id"), ("source", "text"), ("url", "text"), ("canonical_url", "text"),
    ("title", "text"), ("authors", "texts"), ("published_at", "time"), ("language", "text"),
    ("word_count", "int"), ("first_seen_at", "time"), ("last_seen_at", "time"),
    ("version", "int"), ("duplicate_of", "id"), ("duplicate_kind", "text"),
    ("site_name", "text"), ("description", "text"), ("image", "text"),
    ("categories", "texts"), ("tags", "texts"), ("published_at_source", "text"),
    ("declared_language", "text"), ("access", "text"), ("origin_outlet", "text"),
    ("origin_url", "text"), ("origin_title", "text"), ("story_id", "id"),
    ("fetches", "fetches"), ("text", "text"),
)
# One provenance entry (a row of news.article_urls) and its kind, as above.
FETCH_FIELDS: tuple[tuple[str, str], ...] = (
    ("url", "text"), ("final_url", "text"), ("fetched_at", "time"), ("http_status", "int"),
    ("discovered_via", "text"), ("discovered_from", "text"), ("crawl_run_id", "id"),
    ("version", "int"), ("outcome", "text"), ("fetch_id", "id"),
)

ARTICLE_COLUMNS = tuple(name for name, _ in COLUMNS if name not in ("story_id", "fetches", "text"))

# The provenance list is built by PostgreSQL per article (one index lookup on
# article_fetches), so the client never holds more than one cursor page of articles.
QUERY = sql.SQL("""
SELECT {columns}, sa.story_id,
       (SELECT coalesce(json_agg(json_build_object({fetch_fields})
                                 ORDER BY u.fetched_at, u.fetch_id), '[]')
        FROM news.article_urls u WHERE u.article_id = a.article_id) AS fetches,
       a.text
FROM news.articles a
LEFT JOIN news.story_articles sa ON sa.article_id = a.article_id
WHERE {conditions}
ORDER BY a.article_id
""")


@dataclass(frozen=True)
class ExportFilter:
    """Which articles: published (else first seen) on or after `since`, from one of
    `sources`, in one of `stories`; an empty tuple means no condition."""

    since: datetime | None = None
    sources: tuple[str, ...] = ()
    stories: tuple[int, ...] = ()


def export_query(selection: ExportFilter) -> tuple[sql.Composed, dict]:
    """The query and its parameters for one selection."""
    conditions = [sql.SQL("true")]
    if selection.since is not None:
        conditions.append(sql.SQL("coalesce(a.published_at, a.first_seen_at) >= %(since)s"))
    if selection.sources:
        conditions.append(sql.SQL("a.source = ANY(%(sources)s)"))
    if selection.stories:
        conditions.append(sql.SQL("sa.story_id = ANY(%(stories)s)"))
    fetch_fields = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier("u", name))
        for name, _ in FETCH_FIELDS)
    query = QUERY.format(columns=sql.SQL(", ").join(sql.Identifier("a", c)
                                                    for c in ARTICLE_COLUMNS),
                         fetch_fields=fetch_fields,
                         conditions=sql.SQL(" AND ").join(conditions))
    params = {"since": selection.since, "sources": list(selection.sources),
              "stories": list(selection.stories)}
    return query, params


def check_filter(conn: psycopg.Connection, selection: ExportFilter) -> None:
    """A source without articles or a story that does not exist is a one-line error naming
    what does exist, rather than an empty file that looks like a successful export."""
    if selection.sources:
        known = {row[0] for row in conn.execute(
            "SELECT DISTINCT source FROM news.articles WHERE source = ANY(%s)",
            (list(selection.sources),))}
        unknown = [name for name in selection.sources if name not in known]
        if unknown:
            have = [row[0] for row in conn.execute(
                "SELECT DISTINCT source FROM news.articles ORDER BY 1 LIMIT 30")]
            listed = ", ".join(have) if have else "none: the database has no articles"
            raise UserError(f"no articles from source {', '.join(map(repr, unknown))} "
                            f"(sources with articles: {listed})")
    if selection.stories:
        known = {row[0] for row in conn.execute(
            "SELECT story_id FROM news.stories WHERE story_id = ANY(%s)",
            (list(selection.stories),))}
        unknown = [str(story) for story in selection.stories if story not in known]
        if unknown:
            raise UserError(f"no story {', '.join(unknown)} (`liputan stories` lists them)")
