"""The fixture news web serves what the crawl tests rely on (checked with plain urllib)."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def test_every_expected_article_is_served_with_its_title(news_web):
    for site in news_web.sites():
        for article in news_web.expected_articles(site):
            for _attempt in range(2):  # one of them fails once on purpose
                try:
                    status, _, body = get(article.url)
                    break
                except urllib.error.HTTPError as exc:
                    assert exc.code == 500
            assert status == 200
            assert article.title.encode("cp1252") in body or article.title.encode() in body


def test_conditional_request_gets_304_until_the_article_changes(news_web):
    article = news_web.expected_articles("suarapagi")[0]
    _, headers, _ = get(article.url)
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(article.url, {"If-None-Match": headers["ETag"]})
    assert caught.value.code == 304
    news_web.update_article("suarapagi", article.url)
    status, _, body = get(article.url, {"If-None-Match": headers["ETag"]})
    assert status == 200 and b"Pembaruan 1" in body


def test_windows_1252_page_has_no_charset_anywhere(news_web):
    url = news_web.url("kabarnusa", "/berita/2024/05/05/kabar-nusa-5")
    _, headers, body = get(url)
    assert headers["Content-Type"] == "text/html"
    assert b"charset" not in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_gzip_sitemap_and_requests_are_logged(news_web):
    _, headers, body = get(news_web.url("suarapagi", "/sitemap-posts-1.xml.gz"))
    assert headers["Content-Type"] == "application/x-gzip"
    assert b"<urlset" in gzip.decompress(body)
    assert news_web.requested_paths("suarapagi") == ["/sitemap-posts-1.xml.gz"]
    assert news_web.requested_paths("kabarnusa") == []


def test_a_site_that_is_down_refuses_connections_and_comes_back(news_web):
    url = news_web.url("wartaharian", "/robots.txt")
    news_web.set_down("wartaharian")
    with pytest.raises(urllib.error.URLError):
        get(url)
    news_web.set_down("wartaharian", False)
    assert get(url)[0] == 200


def test_articles_published_after_the_sites_clock_are_not_served_yet(news_web):
    moment = datetime(2024, 7, 5, tzinfo=UTC)
    later = [a for a in news_web.expected_articles("suarapagi") if a.published_at > moment]
    assert later
    news_web.publish_until("suarapagi", moment)
    assert all(a.published_at <= moment for a in news_web.expected_articles("suarapagi"))
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(later[0].url)
    assert caught.value.code == 404
    _, _, sitemap = get(news_web.url("suarapagi", "/sitemap-posts-1.xml.gz"))
    assert later[0].url.encode() not in gzip.decompress(sitemap)
    news_web.publish_until("suarapagi", None)
    assert get(later[0].url)[0] == 200
    _, _, sitemap = get(news_web.url("suarapagi", "/sitemap-posts-1.xml.gz"))
    assert later[0].url.encode() in gzip.decompress(sitemap)
