"""A database loaded before a migration keeps every article and version after it."""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.db.migrate import default_migrations_dir, upgrade
from crawler.load.merge import load
from tests.load.conftest import Pages
from tests.load.corpus import Corpus

corpus = Corpus(seed=11)

# What the load wrote before sql/007: the current text in articles and in article_versions.
ARTICLE_SQL = """
INSERT INTO liputan.articles (source, canonical_url, url, title, text, text_sha256, word_count,
                              version, first_seen_at, last_seen_at)
VALUES ('kabar', %(url)s, %(url)s, 'Judul', %(text)s, sha256(convert_to(%(text)s, 'UTF8')), 1,
        %(version)s, now(), now())
RETURNING article_id
"""
VERSION_SQL = """
INSERT INTO liputan.article_versions (article_id, version, title, text, text_sha256, word_count,
                                      fetch_id, created_at)
SELECT %s, %s, 'Judul', %s, sha256(convert_to(%s, 'UTF8')), 1, fetch_id, fetched_at
FROM liputan.fetches WHERE fetch_id = %s
"""


def test_texts_stored_twice_before_007_are_stored_once_after_and_load_goes_on(new_database,
                                                                               tmp_path: Path):
    before = tmp_path / "sql"
    before.mkdir()
    for path in sorted(default_migrations_dir().glob("*.sql")):
        if int(path.name[:3]) < 7:
            shutil.copy(path, before)
    dsn = new_database(migrated=False)
    upgrade(dsn, before)
    pages = Pages(dsn)
    try:
        url, other = "https://kabar.example/b/1", "https://kabar.example/b/2"
        old, current, single = corpus.text(), corpus.text(), corpus.text()
        run = pages.run()
        fetches = [pages.fetch(run, url), pages.fetch(run, url), pages.fetch(run, other)]
        article = pages.one(ARTICLE_SQL, {"url": url, "text": current, "version": 2})[0]
        pages.conn.execute(VERSION_SQL, (article, 1, old, old, fetches[0]))
        pages.conn.execute(VERSION_SQL, (article, 2, current, current, fetches[1]))
        lone = pages.one(ARTICLE_SQL, {"url": other, "text": single, "version": 1})[0]
        pages.conn.execute(VERSION_SQL, (lone, 1, single, single, fetches[2]))
        query = ("SELECT article_id, version, text, fetch_id, created_at"
                 " FROM news.article_versions ORDER BY 1, 2")
        versions = pages.all(query)
        assert len(versions) == 3

        upgrade(dsn)

        assert pages.all(query) == versions
        assert pages.all("SELECT article_id, version FROM liputan.article_versions") == [
            (article, 1)]
        assert pages.all("SELECT version_fetch_id FROM liputan.articles ORDER BY 1") == [
            (fetches[1],), (fetches[2],)]

        pages.tick(60)
        newer = corpus.text()
        pages.page(pages.run(), url, newer)
        assert load(dsn).updated == 1
        assert [row[1:3] for row in pages.all(query) if row[0] == article] == [
            (1, old), (2, current), (3, newer)]
    finally:
        pages.close()
