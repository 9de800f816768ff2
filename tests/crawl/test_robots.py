"""robots.txt is a fetch like any other: recorded once per site, obeyed, and its `Sitemap:`
lines lead to articles (docs/crawl.md, "Behaviour")."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, reasons, stored_articles
from tests.faults.server import FaultSite, Page, feed, plain_article
from tests.faults.support import sources_file

HOST = "127.0.0.1"
ROBOTS = ("User-agent: *\nDisallow: /rahasia/\n\n"
          "Sitemap: {base}/peta/dari-robots.xml\n"
          "sitemap: /peta/dikonfigurasi.xml\n"  # relative, and also in the sources file
          "Sitemap: http://example.invalid/peta-orang-lain.xml\n")


def urlset(site: FaultSite, paths: list[str]) -> Page:
    urls = "".join(f"<url><loc>{site.url(path)}</loc></url>" for path in paths)
    body = ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    return Page("ok", body=body.encode(), content_type="application/xml")


@pytest.fixture(scope="module")
def site() -> Iterator[FaultSite]:
    with FaultSite(HOST) as site:
        site.route("/robots.txt", Page("ok", body=ROBOTS.format(base=site.base).encode(),
                                       content_type="text/plain"))
        site.route("/rss.xml", feed(site, ["/a/dari-feed.html", "/rahasia/a/tertutup.html"]))
        site.route("/peta/dari-robots.xml", urlset(site, ["/a/hanya-di-peta-robots.html"]))
        site.route("/peta/dikonfigurasi.xml", urlset(site, ["/a/di-peta-konfigurasi.html"]))
        for key in ("dari-feed", "hanya-di-peta-robots", "di-peta-konfigurasi"):
            site.route(f"/a/{key}.html", Page("ok", body=plain_article(key)))
        site.route("/rahasia/a/tertutup.html", Page("ok", body=plain_article("tertutup")))
        yield site


@pytest.fixture(scope="module")
def crawled(dsn, site, tmp_path_factory):
    path = sources_file(
        tmp_path_factory.mktemp("robots") / "sources.yaml",
        [{"name": "robotsite", "url": site.base + "/", "feeds": [site.url("/rss.xml")],
          "sitemaps": [site.url("/peta/dikonfigurasi.xml")], "article_url_pattern": "/a/"}],
        allowed=[f"{HOST}/32"])
    result = crawl(dsn, load_config(path))
    assert result.ok, result.summary()
    return fetches(dsn, "robotsite")


def test_a_robots_txt_sitemap_line_leads_to_its_articles(crawled, site):
    sitemap = [r for r in crawled if r["url"] == site.url("/peta/dari-robots.xml")]
    assert [(r["kind"], r["discovered_via"], r["discovered_from"], r["reason"])
            for r in sitemap] == [("sitemap", "robots", site.url("/robots.txt"), None)]
    article = [r for r in crawled if r["url"] == site.url("/a/hanya-di-peta-robots.html")]
    assert [(r["kind"], r["discovered_via"], r["discovered_from"], r["reason"])
            for r in article] == [("article", "sitemap", site.url("/peta/dari-robots.xml"), None)]


def test_a_sitemap_both_configured_and_in_robots_txt_is_fetched_once_as_configured(
        crawled, site):
    rows = [r for r in crawled if r["url"] == site.url("/peta/dikonfigurasi.xml")]
    assert [(r["discovered_via"], r["discovered_from"]) for r in rows] == [("config", None)]
    assert site.requests.count("/peta/dikonfigurasi.xml") == 1
    assert site.url("/a/di-peta-konfigurasi.html") in stored_articles(crawled)


def test_a_robots_txt_sitemap_on_another_site_is_not_fetched(crawled):
    assert not [r for r in crawled if "example.invalid" in r["url"]]


def test_robots_txt_is_fetched_once_and_stored_as_a_fetch_of_kind_robots(crawled, site):
    assert site.requests.count("/robots.txt") == 1
    (row,) = [r for r in crawled if r["kind"] == "robots"]
    served = ROBOTS.format(base=site.base).encode()
    assert (row["url"], row["final_url"], row["http_status"], row["reason"]) == (
        site.url("/robots.txt"), site.url("/robots.txt"), 200, None)
    assert gzip.decompress(row["body_gz"]) == served and row["body_bytes"] == len(served)
    assert row["content_type"] == "text/plain" and row["headers"]["content-type"] == "text/plain"
    assert row["fetched_at"] is not None and row["elapsed_ms"] is not None
    # Fetched for the first request to the site, and said so.
    assert row["discovered_via"] == "robots"
    first = min((r for r in crawled if r["kind"] != "robots"), key=lambda r: r["fetched_at"])
    assert row["fetched_at"] <= first["fetched_at"]
    assert urlsplit(row["discovered_from"]).netloc == urlsplit(site.base).netloc


def test_a_disallowed_url_is_recorded_and_never_requested(crawled, site):
    url = site.url("/rahasia/a/tertutup.html")
    assert reasons(crawled)[url] == "robots"
    assert "/rahasia/a/tertutup.html" not in site.requests
    assert site.url("/a/dari-feed.html") in stored_articles(crawled)


@pytest.mark.parametrize(("answer", "reason"), [
    (Page("status", status=404), "http_404"),
    (Page("reset"), "connection_reset"),
])
def test_a_robots_txt_that_fails_is_recorded_with_its_reason_and_allows_all(
        new_database, tmp_path, answer, reason):
    with FaultSite(HOST) as site:
        site.route("/robots.txt", answer)
        site.route("/rss.xml", feed(site, ["/a/satu.html"]))
        site.route("/a/satu.html", Page("ok", body=plain_article("satu")))
        path = sources_file(tmp_path / "sources.yaml",
                            [{"name": "norobots", "url": site.base + "/",
                              "feeds": [site.url("/rss.xml")], "article_url_pattern": "/a/"}],
                            allowed=[f"{HOST}/32"])
        dsn = new_database()
        result = crawl(dsn, load_config(path))
    rows = fetches(dsn)
    assert result.ok, result.summary()
    robots = [(r["kind"], r["url"], r["reason"], r["body_gz"]) for r in rows
              if r["kind"] == "robots"]
    assert robots == [("robots", site.url("/robots.txt"), reason, None)]
    assert site.url("/a/satu.html") in stored_articles(rows)
