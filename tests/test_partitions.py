"""liputan.fetches by month (sql/015): an existing database upgrades with every row kept, the
references to fetch_id hold as foreign keys did, and a fetch of any month can be written."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from crawler.db.migrate import default_migrations_dir, upgrade
from crawler.fetch.store import FetchRecord, FetchStore

PARTITIONED = 15  # sql/015_fetches_by_month.sql

FETCH_SQL = (
    "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, kind,"
    " discovered_via, fetched_at, http_status, reason, body_gz)"
    " VALUES (%(run)s, 'example', %(url)s, %(url)s, 'article', 'feed', %(at)s, %(status)s,"
    " %(reason)s, %(body)s) RETURNING fetch_id")
DOCUMENT_SQL = (
    "INSERT INTO liputan.documents (fetch_id, extractor_version, is_article, reason, title, text)"
    " VALUES (%s, 'v1', %s, %s, %s, 'Isi berita.')")
ARTICLE_SQL = (
    "INSERT INTO liputan.articles (source, canonical_url, url, title, language, text,"
    " text_sha256, word_count, first_seen_at, last_seen_at)"
    " VALUES ('example', %(url)s, %(url)s, 'Judul', 'id', 'Isi berita.', '\\x00', 2, %(at)s,"
    " %(at)s) RETURNING article_id")

# What consumers see of the fetches, before and after the upgrade.
VIEWS_SQL = {
    "skipped_pages": "SELECT fetch_id, url, fetched_at, stage, reason, title"
                     " FROM news.skipped_pages ORDER BY fetch_id",
    "article_urls": "SELECT article_id, url, fetched_at, fetch_id FROM news.article_urls"
                    " ORDER BY fetch_id",
    "crawl_runs": "SELECT crawl_run_id, fetched, failed, failed_by_reason, articles_new"
                  " FROM news.crawl_runs ORDER BY crawl_run_id",
}


def migrations_before_partitions(tmp_path: Path) -> Path:
    folder = tmp_path / "sql"
    folder.mkdir()
    for path in default_migrations_dir().glob("*.sql"):
        if int(path.name[:3]) < PARTITIONED:
            shutil.copy(path, folder)
    return folder


def months_of(conn: psycopg.Connection) -> dict[int, str]:
    return dict(conn.execute("SELECT fetch_id, tableoid::regclass::text FROM liputan.fetches"))


def fill(conn: psycopg.Connection) -> dict[str, int]:
    """Fetches over three months and a year before: an article with its provenance, a page
    cleaned as not an article, a failed fetch, a page not cleaned yet."""
    run = conn.execute("INSERT INTO liputan.crawl_runs (source) VALUES ('example')"
                       " RETURNING crawl_run_id").fetchone()[0]

    def fetch(url: str, at: datetime, status: int | None = 200, reason: str | None = None) -> int:
        return conn.execute(FETCH_SQL, {"run": run, "url": url, "at": at, "status": status,
                                        "reason": reason, "body": b"\x1f\x8b"}).fetchone()[0]

    ids = {
        "article": fetch("https://example.id/a", datetime(2026, 10, 31, 23, 59, tzinfo=UTC)),
        "listing": fetch("https://example.id/b", datetime(2026, 11, 1, 0, 0, tzinfo=UTC)),
        "failed": fetch("https://example.id/c", datetime(2026, 11, 15, tzinfo=UTC), 404,
                        "http_404"),
        "old": fetch("https://example.id/d", datetime(2025, 3, 4, tzinfo=UTC)),
    }
    conn.execute(DOCUMENT_SQL, (ids["article"], True, None, "Judul"))
    conn.execute(DOCUMENT_SQL, (ids["listing"], False, "listing", "Indeks"))
    article = conn.execute(ARTICLE_SQL, {"url": "https://example.id/a",
                                         "at": datetime(2026, 11, 1, tzinfo=UTC)}).fetchone()[0]
    conn.execute("INSERT INTO liputan.article_fetches (fetch_id, article_id, version, outcome)"
                 " VALUES (%s, %s, 1, 'new')", (ids["article"], article))
    conn.execute("INSERT INTO liputan.article_versions (article_id, version, title, text,"
                 " text_sha256, word_count, fetch_id, created_at) VALUES (%s, 1, 'Judul',"
                 " 'Isi berita.', '\\x00', 2, %s, now())", (article, ids["article"]))
    return ids


@pytest.fixture
def upgraded(new_database, tmp_path) -> tuple[str, dict[str, int], dict[str, list]]:
    """A database filled at migration 014, then upgraded: (dsn, fetch ids, views before)."""
    dsn = new_database(migrated=False)
    upgrade(dsn, migrations_before_partitions(tmp_path))
    with psycopg.connect(dsn) as conn:
        ids = fill(conn)
    with psycopg.connect(dsn) as conn:
        before = {name: conn.execute(sql).fetchall() for name, sql in VIEWS_SQL.items()}
    upgrade(dsn, default_migrations_dir())
    return dsn, ids, before


def test_upgrade_keeps_every_fetch_in_its_month_and_what_the_views_show(upgraded):
    dsn, ids, before = upgraded
    with psycopg.connect(dsn) as conn:
        after = {name: conn.execute(sql).fetchall() for name, sql in VIEWS_SQL.items()}
        where = months_of(conn)
        kind = conn.execute("SELECT relkind FROM pg_class WHERE oid = 'liputan.fetches'::regclass"
                            ).fetchone()[0]
    assert kind == "p"
    assert after == before
    assert len(before["skipped_pages"]) == 3 and len(before["article_urls"]) == 1
    assert where == {ids["article"]: "liputan.fetches_y2026m10",
                     ids["listing"]: "liputan.fetches_y2026m11",
                     ids["failed"]: "liputan.fetches_y2026m11",
                     ids["old"]: "liputan.fetches_y2025m03"}


def test_new_fetch_ids_continue_after_the_upgraded_ones(upgraded):
    dsn, ids, _ = upgraded
    with psycopg.connect(dsn) as conn:
        run = conn.execute("SELECT max(crawl_run_id) FROM liputan.crawl_runs").fetchone()[0]
        new = conn.execute(FETCH_SQL, {"run": run, "url": "https://example.id/e", "status": 200,
                                       "at": datetime(2026, 11, 20, tzinfo=UTC), "reason": None,
                                       "body": None}).fetchone()[0]
    assert new == max(ids.values()) + 1


class TestReferencesToFetches:
    """What the foreign keys to liputan.fetches did, the triggers of sql/015 do."""

    def test_a_row_naming_a_fetch_that_does_not_exist_is_refused(self, upgraded):
        dsn, ids, _ = upgraded
        missing = max(ids.values()) + 100
        with psycopg.connect(dsn) as conn:
            with pytest.raises(psycopg.errors.ForeignKeyViolation, match="documents"):
                conn.execute(DOCUMENT_SQL, (missing, True, None, "x"))
            conn.rollback()
            with pytest.raises(psycopg.errors.ForeignKeyViolation, match=str(missing)):
                conn.execute("UPDATE liputan.articles SET version_fetch_id = %s", (missing,))
            conn.rollback()
            with pytest.raises(psycopg.errors.ForeignKeyViolation):
                conn.execute("INSERT INTO liputan.load_rejections (fetch_id, reason)"
                             " VALUES (%s, 'x')", (missing,))

    def test_an_update_that_keeps_the_fetch_passes(self, upgraded):
        dsn, _, _ = upgraded
        with psycopg.connect(dsn) as conn:
            conn.execute("UPDATE liputan.documents SET loaded_at = now()")
            assert conn.execute("SELECT count(*) FROM liputan.documents WHERE loaded_at IS NOT"
                                " NULL").fetchone()[0] == 2

    def test_deleting_a_fetch_deletes_its_document(self, upgraded):
        dsn, ids, _ = upgraded
        with psycopg.connect(dsn) as conn:
            conn.execute("DELETE FROM liputan.fetches WHERE fetch_id = %s", (ids["listing"],))
            left = conn.execute("SELECT count(*) FROM liputan.documents WHERE fetch_id = %s",
                                (ids["listing"],)).fetchone()[0]
        assert left == 0

    def test_deleting_a_fetch_an_article_names_is_refused(self, upgraded):
        dsn, ids, _ = upgraded
        with psycopg.connect(dsn) as conn, \
                pytest.raises(psycopg.errors.ForeignKeyViolation, match="still referenced"):
            conn.execute("DELETE FROM liputan.fetches WHERE fetch_id = %s",
                             (ids["article"],))

    def test_a_fetch_moved_to_another_month_keeps_its_document(self, upgraded):
        dsn, ids, _ = upgraded
        with psycopg.connect(dsn) as conn:
            conn.execute("UPDATE liputan.fetches SET fetched_at = '2026-10-02' WHERE fetch_id = %s",
                         (ids["listing"],))
            where = months_of(conn)[ids["listing"]]
            kept = conn.execute("SELECT count(*) FROM liputan.documents WHERE fetch_id = %s",
                                (ids["listing"],)).fetchone()[0]
        assert (where, kept) == ("liputan.fetches_y2026m10", 1)

    def test_a_fetch_id_never_changes(self, upgraded):
        dsn, _, _ = upgraded
        with psycopg.connect(dsn) as conn, \
                pytest.raises(psycopg.errors.ForeignKeyViolation, match="does not change"):
            conn.execute("UPDATE liputan.fetches SET fetch_id = fetch_id + 1000")


def test_a_month_without_a_partition_is_held_then_moved_with_its_document(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE liputan_writer")  # what the pipeline runs as
        ids = fill(conn)
        held = months_of(conn)
        created = conn.execute("SELECT liputan.add_fetch_months('2026-10-01', '2026-11-30')"
                               ).fetchone()[0]
        moved = months_of(conn)
        documents = conn.execute("SELECT count(*) FROM liputan.documents").fetchone()[0]
    assert held[ids["article"]] == held[ids["listing"]] == "liputan.fetches_default"
    assert created == 2
    assert moved[ids["article"]] == "liputan.fetches_y2026m10"
    assert moved[ids["listing"]] == moved[ids["failed"]] == "liputan.fetches_y2026m11"
    assert moved[ids["old"]] == "liputan.fetches_default"
    assert documents == 2


def test_the_crawl_writes_each_fetch_into_its_month(new_database):
    dsn = new_database()
    store = FetchStore(dsn, "example")
    store.begin_run({})
    try:
        for at in (datetime(2031, 1, 31, 23, 0, tzinfo=UTC), datetime(2031, 2, 1, 1, 0, tzinfo=UTC)):
            store.add(FetchRecord(url=f"https://example.id/{at:%m}", kind="article",
                                  discovered_via="feed", fetched_at=at, http_status=200,
                                  body=b"<html></html>"))
        store.flush()
    finally:
        store.close()
    with psycopg.connect(dsn) as conn:
        assert sorted(months_of(conn).values()) == ["liputan.fetches_y2031m01",
                                                     "liputan.fetches_y2031m02"]
