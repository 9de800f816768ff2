"""The spider's decisions about one discovered URL, and failure reasons, without a crawl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError, IgnoreRequest
from twisted.internet.error import ConnectionLost, ConnectionRefusedError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, _DataLoss

from crawler.config import Config, Source
from crawler.fetch.middlewares import Refused
from crawler.fetch.spiders.discovery import Entry
from crawler.fetch.spiders.failures import classify
from crawler.fetch.spiders.news import NewsSpider
from crawler.fetch.store import Stored

SOURCE = Source(name="kabar", url="https://www.kabar.example/",
                feeds=("https://www.kabar.example/rss",), max_pages=3,
                article_url_pattern=r"/berita/\d+/")
MAY = datetime(2024, 5, 1, tzinfo=UTC)


def spider(**kwargs) -> NewsSpider:
    return NewsSpider(source=SOURCE, config=Config(path=Path("x.yaml"), sources=(SOURCE,)),
                      **kwargs)


def requested(s: NewsSpider, url: str, date: datetime | None = None,
              modified: datetime | None = None) -> list:
    entry = Entry(url, date, modified or date) if date or modified else None
    return list(s.consider(url, "feed", "https://www.kabar.example/rss", entry, depth=1,
                           trusted=True))


def test_since_and_until_cut_by_the_feed_date():
    s = spider(since="2024-05-01", until="2024-05-31")
    assert requested(s, "https://www.kabar.example/berita/1/a", MAY - timedelta(days=1)) == []
    assert requested(s, "https://www.kabar.example/berita/2/b", MAY + timedelta(days=31)) == []
    assert len(requested(s, "https://www.kabar.example/berita/3/c", MAY)) == 1
    assert len(requested(s, "https://www.kabar.example/berita/4/d")) == 1  # undated: kept
    assert s.skipped == {"older_than_since": 1, "newer_than_until": 1}


def test_variants_of_one_url_are_requested_once():
    s = spider()
    first = requested(s, "https://www.kabar.example/berita/1/a?utm_source=rss")
    again = requested(s, "https://WWW.kabar.example/berita/1/a/#komentar")
    assert len(first) == 1 and again == []


def test_other_sites_and_non_article_urls_are_not_requested():
    s = spider()
    assert requested(s, "https://www.other.example/berita/1/a") == []
    assert requested(s, "https://www.kabar.example/tag/politik") == []
    assert len(requested(s, "https://news.kabar.example/berita/9/subdomain")) == 1


def test_stored_article_is_skipped_unless_its_date_is_newer_then_asked_conditionally():
    s = spider()
    url = "https://www.kabar.example/berita/1/a"
    s.history = {url: Stored(MAY, None, '"v1"', "Wed, 01 May 2024 00:00:00 GMT")}
    assert requested(s, url, MAY - timedelta(days=2)) == []
    (request,) = requested(s, url, MAY - timedelta(days=2), modified=MAY + timedelta(hours=1))
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.meta["conditional"] is True


def test_max_pages_bounds_article_requests():
    s = spider()
    urls = [f"https://www.kabar.example/berita/{i}/x" for i in range(5)]
    assert sum(len(requested(s, u)) for u in urls) == 3
    assert s.skipped["max_pages"] == 2


def test_a_redirect_to_a_known_page_is_not_claimed_twice():
    s = spider()
    requested(s, "https://www.kabar.example/berita/1/a")
    assert s.claim("https://www.kabar.example/berita/1/a?utm_medium=x") is False
    assert s.claim("https://www.kabar.example/berita/2/b") is True
    assert s.claim("https://www.kabar.example/berita/2/b") is False


@pytest.mark.parametrize(("error", "reason"), [
    (CannotResolveHostError("x"), "dns"),
    (DownloadTimeoutError("x"), "timeout"),
    (ConnectionRefusedError(), "connection_refused"),
    (ResponseFailed([Failure(ConnectionLost())]), "connection_reset"),
    (ResponseFailed([Failure(_DataLoss())]), "truncated"),
    (Refused("private_address", "http://10.0.0.1/"), "private_address"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("max redirections reached"), "too_many_redirects"),
    (ValueError("surprise"), "download_error"),
])
def test_failures_get_their_reason(error, reason):
    assert classify(Failure(error)) == reason
