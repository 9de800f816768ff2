"""The SQL interface downstream consumers rely on: views, columns, roles, full-text search."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import psycopg
import pytest

# The documented columns of each consumer view (more columns are allowed, never fewer).
VIEW_COLUMNS = {
    "articles": {
        "article_id", "source", "url", "canonical_url", "title", "authors", "published_at",
        "language", "text", "word_count", "first_seen_at", "last_seen_at",
    },
    "article_urls": {
        "article_id", "url", "final_url", "http_status", "fetched_at", "crawl_run_id",
        "discovered_via", "discovered_from",
    },
    "crawl_runs": {
        "crawl_run_id", "source", "started_at", "finished_at", "discovered", "fetched", "failed",
        "failed_by_reason", "articles_new", "articles_updated", "articles_unchanged",
    },
    "article_versions": {"article_id", "version", "text", "created_at"},
}

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def columns_of(conn: psycopg.Connection, schema: str, name: str) -> set[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = %s", (schema, name)).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("view", sorted(VIEW_COLUMNS))
def test_news_view_has_its_documented_columns(dsn, view):
    with psycopg.connect(dsn) as conn:
        assert VIEW_COLUMNS[view] <= columns_of(conn, "news", view)


def test_news_schema_holds_only_views(dsn):
    with psycopg.connect(dsn) as conn:
        kinds = conn.execute(
            "SELECT DISTINCT c.relkind::text FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'news'"
        ).fetchall()
    assert {k for (k,) in kinds} == {"v"}


def insert_article(conn: psycopg.Connection, *, title: str, text: str, language: str,
                   url: str = "https://example.id/a/1") -> tuple[int, int]:
    """The smallest honest chain run -> fetch -> article -> provenance; returns (run, article)."""
    run_id = conn.execute(
        "INSERT INTO liputan.crawl_runs (source) VALUES ('example') RETURNING crawl_run_id"
    ).fetchone()[0]
    fetch_id = conn.execute(
        "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, final_url, kind,"
        " discovered_via, discovered_from, fetched_at, http_status)"
        " VALUES (%s, 'example', %s, %s, %s, 'article', 'feed', 'https://example.id/rss', %s, 200)"
        " RETURNING fetch_id", (run_id, url, url, url, NOW)).fetchone()[0]
    digest = hashlib.sha256(text.encode()).digest()
    article_id = conn.execute(
        "INSERT INTO liputan.articles (source, canonical_url, url, title, language, text,"
        " text_sha256, word_count, first_seen_at, last_seen_at)"
        " VALUES ('example', %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING article_id",
        (url, url, title, language, text, digest, len(text.split()), NOW, NOW)).fetchone()[0]
    conn.execute(
        "INSERT INTO liputan.article_fetches (fetch_id, article_id, version, outcome)"
        " VALUES (%s, %s, 1, 'new')", (fetch_id, article_id))
    return run_id, article_id


def test_provenance_and_run_counts_are_visible_through_the_views(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        run_id, article_id = insert_article(
            conn, title="Menlu bertemu", text="Kedua menteri bertemu di New Delhi.", language="id")
        for reason in ("http_404", "http_404", "timeout"):
            conn.execute(
                "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, kind,"
                " discovered_via, fetched_at, reason) VALUES (%s, 'example', 'u', 'u',"
                " 'article', 'sitemap', %s, %s)", (run_id, NOW, reason))
        run = conn.execute(
            "SELECT fetched, failed, failed_by_reason, articles_new, articles_unchanged"
            " FROM news.crawl_runs WHERE crawl_run_id = %s", (run_id,)).fetchone()
        urls = conn.execute(
            "SELECT url, discovered_via, discovered_from, http_status FROM news.article_urls"
            " WHERE article_id = %s", (article_id,)).fetchall()
    assert run == (1, 3, {"http_404": 2, "timeout": 1}, 1, 0)
    assert urls == [("https://example.id/a/1", "feed", "https://example.id/rss", 200)]


def test_full_text_search_stems_with_the_article_language(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        insert_article(conn, title="Pertemuan para menteri", url="https://example.id/a/1",
                       text="Para menteri luar negeri mengadakan pertemuan.", language="id")
        insert_article(conn, title="Ministers meeting", url="https://example.com/a/2",
                       text="The foreign ministers were meeting in Delhi.", language="en")
        indonesian = conn.execute(
            "SELECT url FROM news.articles"
            " WHERE search @@ websearch_to_tsquery('indonesian', 'pertemuannya')").fetchall()
        english = conn.execute(
            "SELECT url FROM news.articles"
            " WHERE search @@ websearch_to_tsquery('english', 'meetings')").fetchall()
    # "pertemuannya" and "pertemuan" share the stem "temu" only under the Indonesian configuration.
    assert indonesian == [("https://example.id/a/1",)]
    assert english == [("https://example.com/a/2",)]


def test_search_column_is_indexed(dsn):
    with psycopg.connect(dsn) as conn:
        indexdefs = [r[0] for r in conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'liputan'"
            " AND tablename = 'articles'")]
    assert any("gin (search)" in d for d in indexdefs)


class TestReaderRole:
    """liputan_reader reads news.* and nothing else."""

    def as_reader(self, dsn: str) -> psycopg.Connection:
        conn = psycopg.connect(dsn, autocommit=True)
        conn.execute("SET ROLE liputan_reader")
        return conn

    def test_reads_every_news_view(self, dsn):
        with self.as_reader(dsn) as conn:
            for view in VIEW_COLUMNS:
                conn.execute(f"SELECT * FROM news.{view} LIMIT 1").fetchall()

    @pytest.mark.parametrize("table", ["fetches", "crawl_runs", "articles", "schema_migrations"])
    def test_cannot_read_internal_tables(self, dsn, table):
        with self.as_reader(dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT * FROM liputan.{table} LIMIT 1")

    @pytest.mark.parametrize("statement", [
        "INSERT INTO liputan.crawl_runs (source) VALUES ('x')",
        "DELETE FROM news.articles",
        "UPDATE news.articles SET title = 'x'",
        "CREATE TABLE news.mine (x int)",
        "CREATE TEMPORARY TABLE mine (x int)",
        "CREATE TABLE public.mine (x int)",
    ])
    def test_cannot_write_anything(self, dsn, statement):
        with self.as_reader(dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_writer_role_can_run_the_pipeline_tables(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE liputan_writer")
        insert_article(
            conn, title="t", text="some words here", language="en")
        conn.execute("CREATE TEMPORARY TABLE staging (x int)")
        assert conn.execute("SELECT count(*) FROM news.articles").fetchone()[0] == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DROP TABLE liputan.articles")


@pytest.mark.parametrize("statement", [
    "INSERT INTO liputan.schema_migrations (version, name, checksum) VALUES (999, 'x', 'x')",
    "UPDATE liputan.schema_migrations SET checksum = 'x'",
    "DELETE FROM liputan.schema_migrations",
    "TRUNCATE liputan.schema_migrations",
])
def test_writer_role_reads_but_cannot_change_the_migration_record(dsn, statement):
    """Only the owner's `liputan db upgrade` records migrations (sql/008); the pipeline may
    still read them (`liputan db status`, the no-op upgrade `crawl` and `run` begin with)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET ROLE liputan_writer")
        assert conn.execute("SELECT count(*) FROM liputan.schema_migrations").fetchone()[0] >= 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
