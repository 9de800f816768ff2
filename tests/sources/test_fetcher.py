"""The client of `liputan sources` keeps the crawl's limits and records the crawl's reasons."""

from __future__ import annotations

import pytest

from crawler.sources.fetcher import Fetcher, FetchPolicy
from tests.newsweb.outlets import KabarNusa, SuaraPagi, WartaHarian

LOOPBACK = ("127.0.0.0/8",)


def fetcher(**policy: object) -> Fetcher:
    return Fetcher(FetchPolicy(**{"timeout": 1.0, "max_bytes": 1_000_000,
                                  "allowed_networks": LOOPBACK, **policy}))


@pytest.mark.parametrize(("site", "path", "reason"), [
    ("suarapagi", SuaraPagi.OVERSIZED, "too_large"),
    ("wartaharian", WartaHarian.SLOW, "timeout"),
    ("wartaharian", WartaHarian.RESET, "connection_reset"),
    ("wartaharian", WartaHarian.TRUNCATED, "truncated"),
    ("wartaharian", WartaHarian.MISSING, "http_404"),
    ("wartaharian", WartaHarian.SECRET, "robots"),
    ("kabarnusa", KabarNusa.SPONSOR_URL, "private_address"),  # redirect to 169.254.169.254
])
def test_a_failed_fetch_has_the_crawls_reason(news_web, site, path, reason):
    assert fetcher().get(news_web.url(site, path)).reason == reason


def test_a_robots_forbidden_page_is_never_requested(news_web):
    fetcher().get(news_web.url("wartaharian", WartaHarian.SECRET))
    assert news_web.requested_paths("wartaharian") == ["/robots.txt"]


def test_redirects_are_followed_to_the_final_url(news_web):
    fetched = fetcher().get(news_web.url("kabarnusa", KabarNusa.OLD_URL))
    assert fetched.ok and fetched.status == 200
    assert fetched.final_url == news_web.url("kabarnusa",
                                             "/berita/2024/05/13/judul-baru-setelah-ralat")


def test_robots_txt_is_ignored_only_when_the_file_says_so(news_web):
    fetched = fetcher(obey_robots=False).get(news_web.url("wartaharian", WartaHarian.SECRET))
    assert fetched.ok


def test_loopback_is_refused_unless_allowed(news_web):
    url = news_web.url("suarapagi", "/atom.xml")
    assert fetcher(allowed_networks=()).get(url).reason == "private_address"
    assert news_web.requests("suarapagi") == []
    assert Fetcher(FetchPolicy(), extra_networks=LOOPBACK).get(url).ok


def test_robots_txt_sitemap_lines_are_absolute(news_web):
    assert fetcher().robots_sitemaps(news_web.url("kabarnusa", "/")) == [
        news_web.url("kabarnusa", "/sitemap.xml")]
