"""Without the `browser` extra: crawls of `render: html` sources import nothing of it, and a
`render: browser` source fails in one line that says what to install. Runs everywhere: the
crawl children are given a `playwright` that cannot be imported."""

from __future__ import annotations

import os

import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, stored_articles
from tests.faults.server import FaultSite, Page, feed, plain_article
from tests.faults.support import sources_file

HOST = "127.0.0.1"


@pytest.fixture
def without_playwright(tmp_path, monkeypatch):
    """Crawl children (they inherit the environment) find a `playwright` that refuses to be
    imported, installed or not."""
    fake = tmp_path / "no-playwright" / "playwright"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ImportError("playwright is not installed")\n')
    path = os.pathsep.join(filter(None, [str(fake.parent), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)


@pytest.fixture
def site():
    with FaultSite(HOST) as site:
        site.route("/rss.xml", feed(site, ["/a/satu.html"]))
        site.route("/a/satu.html", Page("ok", body=plain_article("satu")))
        yield site


def crawl_one(site: FaultSite, tmp_path, dsn: str, render: str):
    path = sources_file(tmp_path / "sources.yaml",
                        [{"name": "berita", "url": site.base + "/", "render": render,
                          "feeds": [site.url("/rss.xml")], "article_url_pattern": "/a/"}],
                        allowed=[f"{HOST}/32"])
    return crawl(dsn, load_config(path))


def test_an_html_source_is_crawled_without_the_browser_extra(
        without_playwright, site, new_database, tmp_path):
    dsn = new_database()
    result = crawl_one(site, tmp_path, dsn, "html")
    assert result.ok, result.summary()
    assert site.url("/a/satu.html") in stored_articles(fetches(dsn))


def test_a_browser_source_without_the_extra_fails_saying_what_to_install(
        without_playwright, site, new_database, tmp_path):
    dsn = new_database()
    (run,) = crawl_one(site, tmp_path, dsn, "browser").runs
    assert run.status == "failed"
    assert "pip install 'liputan[browser]'" in run.error and "\n" not in run.error
    assert site.requests == [] and fetches(dsn) == []
