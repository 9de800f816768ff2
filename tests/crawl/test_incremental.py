"""Reruns: stored articles are not fetched again unless their feed or sitemap says they
changed, and then only with a conditional request."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, reasons, stored_articles


def article_requests(web, site):
    # The index page whose URL looks like an article's is a listing: read again every run.
    return [r for r in web.requests(site)
            if r.path.startswith(("/nasional/", "/read/", "/berita/"))
            and r.path != "/nasional/indeks-berita-hari-ini-2024"]


def test_rerun_fetches_no_stored_article_and_retries_only_transient_failures(
        news_web, new_database, tmp_path):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=["wartaharian", "suarapagi"]))
    first = crawl(dsn, config)
    assert first.ok
    news_web.forget_requests()

    second = crawl(dsn, config)

    assert second.ok
    for run in second.runs:
        rows = fetches(dsn, run=run.crawl_run_id)
        assert stored_articles(rows) == {}, run.source
    # Permanent failures (404, PDF, too large) wait for a changed date; transient ones
    # (timeout, reset, truncated) are tried again; robots is checked again without a request.
    again = reasons(fetches(dsn, "wartaharian", run=second.runs[0].crawl_run_id))
    assert sorted(again.values()) == ["connection_reset", "robots", "timeout", "truncated"]
    assert article_requests(news_web, "suarapagi") == []
    # Feeds, sitemaps and listings are read again: that is how new articles are found.
    assert "/atom.xml" in news_web.requested_paths("suarapagi")


def test_article_changed_in_feed_is_fetched_again_conditionally(news_web, new_database,
                                                               tmp_path):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=["suarapagi"]))
    crawl(dsn, config)
    newest = max(news_web.expected_articles("suarapagi"), key=lambda a: a.published_at)

    # Updated without a change of text: the conditional request gets "304 Not Modified".
    news_web.update_article("suarapagi", newest.url, change_text=False)
    news_web.forget_requests()
    unchanged = crawl(dsn, config).runs[0]
    rows = [r for r in fetches(dsn, run=unchanged.crawl_run_id) if r["kind"] == "article"]
    assert [(r["http_status"], r["reason"], r["body_gz"]) for r in rows] == [(304, None, None)]
    (request,) = article_requests(news_web, "suarapagi")
    assert "if-none-match" in request.headers

    # Updated with a new text: fetched again, stored with its new body.
    news_web.update_article("suarapagi", newest.url, change_text=True)
    changed = crawl(dsn, config).runs[0]
    rows = [r for r in fetches(dsn, run=changed.crawl_run_id) if r["kind"] == "article"]
    assert [(r["http_status"], r["reason"]) for r in rows] == [(200, None)]
    assert b"Pembaruan 1" in gzip.decompress(rows[0]["body_gz"])
    assert changed.fetched >= 1 and unchanged.status == changed.status == "finished"


def test_since_skips_articles_dated_earlier_by_feed_or_sitemap(news_web, new_database, tmp_path):
    dsn = new_database()
    since = datetime(2024, 1, 1, tzinfo=UTC)
    config = load_config(news_web.sources_file(tmp_path, sites=["kabarnusa", "suarapagi"]))
    result = crawl(dsn, config, since=since)
    assert result.ok
    for site in ("kabarnusa", "suarapagi"):
        expected = news_web.expected_urls(site, since=since)
        assert expected < news_web.expected_urls(site)  # the fixture has older articles
        assert set(stored_articles(fetches(dsn, site))) == expected


def test_max_pages_bounds_the_article_requests_of_a_run(news_web, new_database, tmp_path):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=["kabarnusa"], max_pages=3))
    result = crawl(dsn, config)
    articles = [r for r in fetches(dsn) if r["kind"] == "article"]
    assert len(articles) == 3
    assert result.runs[0].status == "finished"
    # The next run goes on with the articles this one left.
    crawl(dsn, config)
    assert len(stored_articles(fetches(dsn))) == len(set(stored_articles(fetches(dsn))))
    assert len([r for r in fetches(dsn) if r["kind"] == "article"]) == 6
