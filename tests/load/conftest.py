"""Rows a crawl and a clean would have left behind, inserted directly: the load's input."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


class Pages:
    """Inserts crawl runs, fetches and cleaned documents into one test database."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.clock = T0

    def close(self) -> None:
        self.conn.close()

    def tick(self, minutes: int = 1) -> datetime:
        self.clock += timedelta(minutes=minutes)
        return self.clock

    def run(self, source: str = "kabar") -> int:
        return self.conn.execute(
            "INSERT INTO liputan.crawl_runs (source, started_at, status) VALUES (%s, %s, 'finished')"
            " RETURNING crawl_run_id", (source, self.clock)).fetchone()[0]

    def fetch(self, run_id: int, url: str, *, source: str = "kabar", canonical: str | None = None,
              final_url: str | None = None, http_status: int = 200, reason: str | None = None,
              fetched_at: datetime | None = None) -> int:
        from crawler.urls import canonicalize

        return self.conn.execute(
            "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, final_url,"
            " kind, discovered_via, discovered_from, fetched_at, http_status, reason)"
            " VALUES (%s, %s, %s, %s, %s, 'article', 'feed', %s, %s, %s, %s) RETURNING fetch_id",
            (run_id, source, url, canonical or canonicalize(url), final_url or url,
             f"https://{source}.example/rss", fetched_at or self.tick(), http_status, reason),
        ).fetchone()[0]

    def document(self, fetch_id: int, text: str | None, *, title: str = "Judul",
                 canonical_url: str | None = None, language: str = "id",
                 is_article: bool = True, sketch: bool = True) -> None:
        """As the clean step stores it; sketch=False: as stored before sql/006 (no sketch)."""
        from crawler.fingerprint import sketch_literal

        digest = hashlib.sha256(text.encode()).digest() if text is not None else None
        self.conn.execute(
            "INSERT INTO liputan.documents (fetch_id, extractor_version, is_article, reason,"
            " title, language, canonical_url, text, text_sha256, word_count, sketch)"
            " VALUES (%s, 'test', %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (fetch_id) DO UPDATE SET text = EXCLUDED.text, title = EXCLUDED.title,"
            " text_sha256 = EXCLUDED.text_sha256, word_count = EXCLUDED.word_count,"
            " sketch = EXCLUDED.sketch, cleaned_at = clock_timestamp(), loaded_at = NULL",
            (fetch_id, is_article, None if is_article else "not_article", title, language,
             canonical_url, text, digest, len(text.split()) if text else 0,
             sketch_literal(text) if sketch and is_article else None))

    def page(self, run_id: int, url: str, text: str, *, source: str = "kabar",
             title: str = "Judul", canonical_url: str | None = None, language: str = "id",
             fetched_at: datetime | None = None, sketch: bool = True) -> int:
        fetch_id = self.fetch(run_id, url, source=source, fetched_at=fetched_at)
        self.document(fetch_id, text, title=title, canonical_url=canonical_url,
                      language=language, sketch=sketch)
        return fetch_id

    def one(self, query: str, params: tuple = ()) -> tuple:
        return self.conn.execute(query, params).fetchone()

    def all(self, query: str, params: tuple = ()) -> list[tuple]:
        return self.conn.execute(query, params).fetchall()


@pytest.fixture
def pages(new_database) -> Pages:
    feeder = Pages(new_database())
    yield feeder
    feeder.close()
