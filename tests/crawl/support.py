"""Reading back what a crawl stored, for the crawl tests."""

from __future__ import annotations

from collections import Counter

import psycopg
from psycopg.rows import dict_row

from crawler.urls import canonicalize


def fetches(dsn: str, source: str | None = None, run: int | None = None) -> list[dict]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT * FROM liputan.fetches WHERE (%(source)s::text IS NULL OR source = %(source)s)"
            " AND (%(run)s::bigint IS NULL OR crawl_run_id = %(run)s) ORDER BY fetch_id",
            {"source": source, "run": run}).fetchall()


def stored_articles(rows: list[dict]) -> Counter:
    """Canonical URL (after redirects) -> successful article fetches with a body."""
    return Counter(canonicalize(r["final_url"]) for r in rows
                   if r["kind"] == "article" and r["reason"] is None and r["http_status"] == 200)


def reasons(rows: list[dict]) -> dict[str, str]:
    """Canonical requested URL -> failure reason."""
    return {canonicalize(r["url"]): r["reason"] for r in rows if r["reason"] is not None}


def runs(dsn: str, source: str | None = None) -> list[dict]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT * FROM news.crawl_runs WHERE %(source)s::text IS NULL OR source = %(source)s"
            " ORDER BY crawl_run_id", {"source": source}).fetchall()
