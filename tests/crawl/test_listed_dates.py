"""The date a feed or sitemap gives for an article is kept with its fetch (sql/013), and is
the article's publication time when the page itself states none."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from crawler.clean.step import clean
from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.clean.pages import Page, article_html, documents, store
from tests.crawl.support import fetches


def test_a_crawl_keeps_the_date_the_feed_or_sitemap_gives_for_each_article(
        news_web, new_database, tmp_path):
    dsn = new_database()
    crawl(dsn, load_config(news_web.sources_file(tmp_path, sites=["kabarnusa"])))
    rows = [r for r in fetches(dsn, "kabarnusa") if r["kind"] == "article"]
    listed = [r for r in rows if r["discovered_via"] in ("feed", "sitemap")]
    linked = [r for r in rows if r["discovered_via"] == "link"]
    assert listed and all(r["listed_published_at"] is not None for r in listed)
    assert linked and all(r["listed_published_at"] is None for r in linked)


def undated_page() -> str:
    page = article_html("Tanpa tanggal")
    return page.replace('<meta property="article:published_time" '
                        'content="2026-11-02T08:30:00+07:00">', "")


def test_a_page_without_a_date_takes_its_feeds_and_says_so(dsn):
    ids = store(dsn, "tanggal", [Page("undated", undated_page().encode()),
                                 Page("dated", article_html().encode())])
    listed = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE liputan.fetches SET listed_published_at = %s "
                     "WHERE source = 'tanggal'", [listed])
    clean(dsn, sources=["tanggal"], workers=1)
    docs = documents(dsn, "tanggal")
    undated, dated = docs[ids["undated"]], docs[ids["dated"]]
    assert (undated["published_at"], undated["published_at_source"]) == (listed, "feed")
    assert dated["published_at_source"] != "feed"  # the page's own date comes first
    assert dated["published_at"] == datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
