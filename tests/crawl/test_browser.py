"""`render: browser`: article pages built by JavaScript are fetched with a headless Chromium,
under the limits and guards of plain fetches (docs/crawl.md, "Pages built by JavaScript").

Runs where the `browser` extra (scrapy-playwright) and a Chromium are installed; skipped, with
what is missing, elsewhere.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import psycopg
import pytest

from crawler.clean.extract import extract
from crawler.config import load_config
from crawler.fetch.crawl import crawl
from crawler.fetch.settings import browser_problem
from tests.crawl.support import fetches, reasons
from tests.faults.server import FaultSite, Page, feed, plain_paragraphs
from tests.faults.support import sources_file

pytest.importorskip("playwright.async_api", reason="the browser extra is not installed: "
                                                   "pip install '.[browser]'")
if browser_problem() is not None:
    pytest.skip(browser_problem(), allow_module_level=True)

HOST = "127.0.0.1"
OUTSIDE = "127.0.0.3"  # not among the allowed networks: a private address to the crawl
ROBOTS = b"User-agent: *\nDisallow: /api-tertutup/\n"
# The fault sources' one second bounds a plain fetch on loopback; download_timeout also bounds
# a render, which opens a page and waits for the network to go quiet (at least 0.5 s,
# crawler/fetch/browser.py), so these sources get the bound of a real site.
SETTINGS = {"download_timeout": 15.0}


def js_article(title: str, paragraphs: list[str], *, extra: str = "") -> bytes:
    """A page whose article text is nowhere in its HTML: a script writes it, from the
    paragraphs reversed character by character."""
    hidden = json.dumps([p[::-1] for p in paragraphs])
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article"></head><body>'
            f'<article><h1>{title}</h1><div id="isi">Memuat...</div></article>'
            f"<script>document.getElementById('isi').innerHTML = {hidden}"
            ".map(p => '<p>' + p.split('').reverse().join('') + '</p>').join('');</script>"
            f"{extra}</body></html>").encode()


def xhr_article(title: str) -> bytes:
    """A page that fetches its text after the load event (a JSON API, at an address that
    redirects), as many do."""
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article"></head><body>'
            f'<article><h1>{title}</h1><div id="isi"></div></article><script>'
            "window.addEventListener('load', () => fetch('/api/lama.json').then(r => r.json())"
            ".then(ps => { document.getElementById('isi').innerHTML ="
            " ps.map(p => '<p>' + p + '</p>').join(''); }));"
            "</script></body></html>").encode()


@pytest.fixture(scope="module")
def outside() -> Iterator[FaultSite]:
    with FaultSite(OUTSIDE) as site:
        site.route("/pelacak.js", Page("ok", body=b"window.dilacak = true;",
                                       content_type="application/javascript"))
        yield site


@pytest.fixture(scope="module")
def web(outside) -> Iterator[tuple[FaultSite, FaultSite]]:
    with FaultSite(HOST) as js, FaultSite(HOST) as plain:
        js.route("/robots.txt", Page("ok", body=ROBOTS, content_type="text/plain"))
        extra = (f'<img src="/gambar/foto.jpg"><script src="{outside.url("/pelacak.js")}">'
                 '</script><script src="/skrip/pindah.js"></script>'
                 "<script>fetch('/api-tertutup/data.json')</script>")
        js.route("/skrip/pindah.js", Page("redirect", status=302,
                                          location=outside.url("/pelacak.js")))
        js.route("/api/lama.json", Page("redirect", status=301, location="/api/isi.json"))
        js.route("/a/ditulis-skrip.html", Page("ok", body=js_article(
            "Ditulis oleh skrip", plain_paragraphs("skrip"), extra=extra)))
        js.route("/a/dari-api.html", Page("ok", body=xhr_article("Dari API")))
        js.route("/api/isi.json", Page("ok", body=json.dumps(plain_paragraphs("api")).encode(),
                                       content_type="application/json"))
        js.route("/api-tertutup/data.json", Page("ok", body=b"{}",
                                                 content_type="application/json"))
        js.route("/gambar/foto.jpg", Page("ok", body=b"\xff\xd8", content_type="image/jpeg"))
        js.route("/a/hilang.html", Page("status", status=404))
        js.route("/rss.xml", feed(js, ["/a/ditulis-skrip.html", "/a/dari-api.html",
                                       "/a/hilang.html"]))
        plain.route("/a/ditulis-skrip.html", Page("ok", body=js_article(
            "Halaman biasa", plain_paragraphs("biasa"))))
        plain.route("/rss.xml", feed(plain, ["/a/ditulis-skrip.html"]))
        yield js, plain


@pytest.fixture(scope="module")
def crawled(dsn, web, tmp_path_factory):
    js, plain = web
    path = sources_file(
        tmp_path_factory.mktemp("browser") / "sources.yaml",
        [{"name": "jsnews", "url": js.base + "/", "feeds": [js.url("/rss.xml")],
          "article_url_pattern": "/a/", "render": "browser"},
         {"name": "htmlnews", "url": plain.base + "/", "feeds": [plain.url("/rss.xml")],
          "article_url_pattern": "/a/"}],
        allowed=[f"{HOST}/32"], **SETTINGS)
    result = crawl(dsn, load_config(path))
    assert result.ok, result.summary()
    return {name: {r["url"]: r for r in fetches(dsn, name)} for name in ("jsnews", "htmlnews")}


@pytest.fixture(scope="module")
def stats(dsn, crawled) -> dict[str, dict]:
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute("SELECT source, stats FROM liputan.crawl_runs").fetchall())


def body(row: dict) -> str:
    return gzip.decompress(row["body_gz"]).decode("utf-8")


def test_a_page_written_by_javascript_is_stored_as_the_browser_built_it(crawled, web):
    js, _ = web
    row = crawled["jsnews"][js.url("/a/ditulis-skrip.html")]
    assert (row["kind"], row["http_status"], row["reason"]) == ("article", 200, None)
    assert row["headers"]["x-liputan-render"] == "browser"
    paragraphs = plain_paragraphs("skrip")
    assert all(p in body(row) for p in paragraphs)
    article = extract(body(row), row["final_url"])
    assert article.is_article and article.title == "Ditulis oleh skrip"
    assert article.text.split("\n") == paragraphs


def test_text_a_page_fetches_after_loading_is_waited_for(crawled, web):
    js, _ = web
    row = crawled["jsnews"][js.url("/a/dari-api.html")]
    assert extract(body(row), row["final_url"]).text.split("\n") == plain_paragraphs("api")


def test_a_page_of_an_html_source_is_stored_as_sent_not_rendered(crawled, web, stats):
    _, plain = web
    assert stats["jsnews"]["liputan/browser/rendered"] == 2
    assert not [key for key in stats["htmlnews"] if key.startswith("liputan/browser/")]
    row = crawled["htmlnews"][plain.url("/a/ditulis-skrip.html")]
    assert gzip.decompress(row["body_gz"]) == plain.routes["/a/ditulis-skrip.html"].body
    assert "x-liputan-render" not in row["headers"]
    assert not any(p in body(row) for p in plain_paragraphs("biasa"))


def test_feeds_and_robots_txt_of_a_browser_source_are_plain_fetches(crawled, web):
    js, _ = web
    for url in (js.url("/rss.xml"), js.url("/robots.txt")):
        assert "x-liputan-render" not in crawled["jsnews"][url]["headers"]
    assert js.requests.count("/robots.txt") == 1


def test_the_browser_does_not_reach_a_forbidden_address_nor_redirect_there(
        crawled, web, outside, stats):
    js, _ = web
    assert "/skrip/pindah.js" in js.requests  # asked for, and its redirect not followed
    assert outside.requests == []
    # Both refused by the guard: the script's address, and the redirect hop to it (which
    # Chromium would follow without showing it to the page's request interception).
    assert stats["jsnews"]["liputan/browser/refused/private_address"] == 2


def test_the_browser_obeys_robots_txt_and_skips_what_the_text_does_not_need(crawled, web):
    js, _ = web
    assert "/api-tertutup/data.json" not in js.requests
    assert "/gambar/foto.jpg" not in js.requests


def test_a_browser_fetch_that_fails_is_recorded_with_its_reason(crawled, web):
    js, _ = web
    assert reasons(list(crawled["jsnews"].values()))[js.url("/a/hilang.html")] == "http_404"


def test_a_page_that_redirects_to_a_forbidden_address_is_refused_before_any_browser(
        new_database, tmp_path, outside):
    with FaultSite(HOST) as site:
        site.route("/a/pindah.html", Page("redirect", status=302,
                                          location=outside.url("/pelacak.js")))
        site.route("/rss.xml", feed(site, ["/a/pindah.html"]))
        path = sources_file(tmp_path / "sources.yaml",
                            [{"name": "jsredirect", "url": site.base + "/",
                              "feeds": [site.url("/rss.xml")], "article_url_pattern": "/a/",
                              "render": "browser"}],
                            allowed=[f"{HOST}/32"], **SETTINGS)
        dsn = new_database()
        crawl(dsn, load_config(path))
    (row,) = [r for r in fetches(dsn) if r["kind"] == "article"]
    assert (row["reason"], row["final_url"], row["body_gz"]) == (
        "private_address", outside.url("/pelacak.js"), None)
    assert outside.requests == []


def test_a_browser_that_does_not_start_fails_each_page_with_a_reason(
        new_database, tmp_path, monkeypatch):
    monkeypatch.setenv("LIPUTAN_CHROMIUM", "/bin/true")  # an executable, not a browser
    with FaultSite(HOST) as site:
        site.route("/a/satu.html", Page("ok", body=js_article("Satu", ["Paragraf satu."])))
        site.route("/rss.xml", feed(site, ["/a/satu.html"]))
        path = sources_file(tmp_path / "sources.yaml",
                            [{"name": "nobrowser", "url": site.base + "/",
                              "feeds": [site.url("/rss.xml")], "article_url_pattern": "/a/",
                              "render": "browser"}],
                            allowed=[f"{HOST}/32"], **SETTINGS)
        dsn = new_database()
        result = crawl(dsn, load_config(path))
    assert result.runs[0].status == "finished"  # its feed answered; the page is recorded
    assert reasons(fetches(dsn)) == {site.url("/a/satu.html"): "render_failed"}
