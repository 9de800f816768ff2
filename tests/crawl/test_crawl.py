"""One crawl of the whole fixture news web, and what it must have stored.

The news web (tests/newsweb) has three outlets on different templates with feeds, sitemaps,
listings and faults of every kind; the expectations come from the outlets themselves.
"""

from __future__ import annotations

import gzip
import hashlib
import urllib.request
from urllib.parse import urlsplit

import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from crawler.urls import canonicalize
from tests.crawl.support import fetches, reasons, runs, stored_articles

SITES = ["kabarnusa", "wartaharian", "suarapagi"]


@pytest.fixture(scope="module")
def crawled(dsn, news_web_module, tmp_path_factory):
    path = news_web_module.sources_file(tmp_path_factory.mktemp("sources"))
    return crawl(dsn, load_config(path))


@pytest.fixture(scope="module")
def web(news_web_module, crawled):
    return news_web_module


def test_every_source_is_crawled_in_its_own_finished_run(crawled, dsn):
    assert crawled.ok, crawled.summary()
    assert [r.source for r in crawled.runs] == SITES
    assert len({r.crawl_run_id for r in crawled.runs}) == 3
    assert all(r.status == "finished" for r in crawled.runs)
    assert {r["source"]: r["status"] for r in runs(dsn)} == dict.fromkeys(SITES, "finished")


@pytest.mark.parametrize("site", SITES)
def test_every_allowed_article_is_fetched_exactly_once(crawled, web, dsn, site):
    stored = stored_articles(fetches(dsn, site))
    assert set(stored) == web.expected_urls(site)
    assert set(stored.values()) == {1}


@pytest.mark.parametrize("site", SITES)
def test_nothing_robots_txt_disallows_is_requested(crawled, web, site):
    prefixes = web.disallowed_paths(site)
    assert prefixes
    requested = web.requested_paths(site)
    assert "/robots.txt" in requested
    assert not [p for p in requested if p.startswith(prefixes)]


@pytest.mark.parametrize("site", SITES)
def test_every_failure_is_recorded_with_its_reason(crawled, web, dsn, site):
    recorded = reasons(fetches(dsn, site))
    expected = web.expected_failures(site)
    assert {url: recorded.get(url) for url in expected} == expected


def test_a_500_is_retried_and_the_page_stored(crawled, web, dsn):
    path = "/berita/2024/05/03/kabar-nusa-3"
    assert web.requested_paths("kabarnusa").count(path) == 2
    rows = [r for r in fetches(dsn, "kabarnusa") if urlsplit(r["url"]).path == path]
    assert [(r["http_status"], r["reason"]) for r in rows] == [(200, None)]


def test_redirect_chain_is_stored_with_requested_and_final_url(crawled, web, dsn):
    rows = [r for r in fetches(dsn, "kabarnusa") if "judul-" in r["url"]]
    assert len(rows) == 1
    row = rows[0]
    assert urlsplit(row["url"]).path == "/berita/2024/05/13/judul-lama-sebelum-ralat"
    assert row["final_url"] == web.url("kabarnusa", "/berita/2024/05/13/judul-baru-setelah-ralat")
    assert row["http_status"] == 200 and row["reason"] is None
    assert len(row["headers"]["x-liputan-redirects"]) == 2


def test_redirect_to_a_link_local_address_is_refused(crawled, dsn):
    rows = [r for r in fetches(dsn, "kabarnusa") if r["url"].endswith("/tautan-sponsor")]
    assert [(r["reason"], r["final_url"]) for r in rows] == [
        ("private_address", "http://169.254.169.254/latest/meta-data/")]


def test_bodies_are_stored_gzipped_with_size_and_hash(crawled, dsn):
    rows = [r for r in fetches(dsn) if r["reason"] is None]
    assert rows
    for row in rows:
        body = gzip.decompress(row["body_gz"])
        assert hashlib.sha256(body).digest() == row["body_sha256"]
        assert len(body) == row["body_bytes"]
    assert all(r["body_gz"] is None for r in fetches(dsn) if r["reason"] is not None)


def test_windows_1252_page_is_stored_byte_for_byte(crawled, web, dsn):
    url = web.url("kabarnusa", "/berita/2024/05/05/kabar-nusa-5")
    with urllib.request.urlopen(url) as response:
        served = response.read()
    rows = [r for r in fetches(dsn, "kabarnusa") if canonicalize(r["url"]) == url]
    assert [gzip.decompress(r["body_gz"]) for r in rows] == [served]
    assert rows[0]["content_type"] == "text/html"


def test_every_fetch_says_how_and_where_its_url_was_found(crawled, web, dsn):
    rows = fetches(dsn)
    for row in rows:
        if row["discovered_via"] == "config":
            assert row["kind"] in ("feed", "sitemap", "listing") and row["discovered_from"] is None
        else:
            assert row["discovered_from"], row
    articles = [r for r in rows if r["kind"] == "article"]
    assert {r["discovered_via"] for r in articles} == {"feed", "sitemap", "listing", "link"}
    only_by_link = [r for r in articles if canonicalize(r["url"]).endswith("/hanya-dari-baca-juga")]
    assert [(r["discovered_via"], r["discovered_from"]) for r in only_by_link] == [
        ("link", web.url("kabarnusa", "/berita/2024/05/02/kabar-nusa-2"))]
    sitemap_children = {r["url"] for r in rows if r["kind"] == "sitemap"
                        and r["discovered_via"] == "sitemap"}
    assert web.url("kabarnusa", "/sitemaps/berita-2024.xml.gz") in sitemap_children


def test_fetches_keep_status_time_and_the_useful_headers(crawled, dsn):
    articles = [r for r in fetches(dsn) if r["kind"] == "article" and r["reason"] is None]
    for row in articles:
        assert row["http_status"] == 200 and row["fetched_at"] is not None
        assert row["elapsed_ms"] is not None and row["elapsed_ms"] >= 0
        assert {"etag", "last-modified", "content-type"} <= set(row["headers"])


def test_nothing_outside_the_source_is_fetched(crawled, web, dsn):
    for row in fetches(dsn):
        assert urlsplit(row["url"]).netloc == urlsplit(web.base_url(row["source"])).netloc
    # Each outlet links to the others' ports and to a partner site on port 9: none followed.
    assert not [r for r in fetches(dsn) if ":9/" in r["url"]]


def test_pages_of_a_patternless_source_are_judged_by_their_signals(crawled, web, dsn):
    rows = fetches(dsn, "suarapagi")
    kinds = {urlsplit(r["url"]).path: r["kind"] for r in rows}
    assert kinds["/nasional/indeks-berita-hari-ini-2024"] == "listing"
    requested = web.requested_paths("suarapagi")
    assert not [p for p in requested if p.startswith(("/tag/", "/tentang-kami", "/akun/"))]


def test_run_rows_count_what_happened(crawled, web, dsn):
    for run in runs(dsn):
        rows = fetches(dsn, run=run["crawl_run_id"])
        assert run["fetched"] == sum(1 for r in rows if r["reason"] is None)
        assert run["failed"] == sum(1 for r in rows if r["reason"] is not None)
        assert run["discovered"] >= len(web.expected_urls(run["source"]))
        assert run["finished_at"] is not None
