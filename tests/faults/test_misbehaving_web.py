"""A web that misbehaves at random (seeded): the crawl ends within its limits and every
failure is recorded once, with the reason that names what went wrong.

Each seed draws a different mix and order of faults (every kind at least once); the hostile
site lives on 127.0.0.2 and is the only private address the sources file allows.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.faults.server import Page, article_html, plain_article, plain_paragraphs
from tests.faults.support import fetch_rows, sources_file

SEEDS = (7, 1913)
MAX_LISTING_PAGES = 3
MAX_DEPTH = 2
# Each page of the endless listing links this many articles (none of them routed: 404).
LINKS_PER_LISTING = 3


def _article(key: str) -> bytes:
    return plain_article(f"fault-{key}")


# kind -> (page for article `key`, the reason the crawl must record; None = stored)
FAULTS = {
    "ok": (lambda key: Page("ok", body=_article(key)), None),
    "burst_then_ok": (lambda key: Page("burst", body=_article(key), burst=1), None),
    "burst_long": (lambda key: Page("burst", body=_article(key), burst=10), "http_503"),
    "server_error": (lambda key: Page("status", status=500), "http_500"),
    "not_found": (lambda key: Page("status", status=404), "http_404"),
    "slow": (lambda key: Page("slow", body=_article(key)), "timeout"),
    "trickle": (lambda key: Page("trickle", body=_article(key)), "timeout"),
    "reset": (lambda key: Page("reset"), "connection_reset"),
    "truncated": (lambda key: Page("truncated", body=_article(key)), "truncated"),
    "wrong_type": (lambda key: Page("ok", body=_article(key), content_type="image/jpeg"),
                   "not_html"),
    "endless": (lambda key: Page("endless"), "too_large"),
    "huge_declared": (lambda key: Page("huge_declared", body=b"<html>"), "too_large"),
}
# Faults whose reason is checked separately (test_gzip_bomb_is_recorded_as_too_large).
GZIP_BOMB = (lambda key: Page("gzip_bomb"), "too_large")


def plan(seed: int, size: int = 16) -> list[tuple[str, str]]:
    """(article key, fault kind): every kind once, the rest drawn at random, shuffled."""
    rng = random.Random(seed)
    kinds = list(FAULTS) + [rng.choice(list(FAULTS)) for _ in range(size - len(FAULTS))]
    rng.shuffle(kinds)
    return [(f"s{seed}-{n}", kind) for n, kind in enumerate(kinds)]


def build(site, seed: int, *, faults: dict = FAULTS) -> dict[str, str | None]:
    """Route the seed's plan on `site`; returns article URL -> expected reason."""
    expected = {}
    for key, kind in plan(seed):
        make, reason = faults[kind]
        path = f"/a/{key}.html"
        site.route(path, make(key))
        expected[site.url(path)] = reason
    # A redirect loop, a redirect chain longer than any client follows.
    site.route("/a/loop-a.html", Page("redirect", location="/a/loop-b.html"))
    site.route("/a/loop-b.html", Page("redirect", location="/a/loop-a.html"))
    for n in range(40):
        site.route(f"/a/chain-{n}.html", Page("redirect", location=f"/a/chain-{n + 1}.html"))
    # An endless listing: every page links to the next one, and to new articles.
    for n in range(1, 60):
        links = "".join(f'<a href="/a/listed-{n}-{k}.html">Berita {n}-{k}</a>'
                        for k in range(LINKS_PER_LISTING))
        body = (f'<html><body>{links}<a rel="next" href="/list/{n + 1}">Berikutnya</a>'
                "</body></html>").encode()
        site.route(f"/list/{n}", Page("ok", body=body))
    return expected


def feed_paths(site) -> list[str]:
    return [path for path in site.routes if path.startswith("/a/s")] + [
        "/a/loop-a.html", "/a/chain-0.html"]


def listed_paths() -> list[str]:
    """The articles the listing pages within MAX_LISTING_PAGES link to."""
    return [f"/a/listed-{n}-{k}.html" for n in range(1, MAX_LISTING_PAGES + 1)
            for k in range(LINKS_PER_LISTING)]


@pytest.mark.parametrize("seed", SEEDS)
def test_misbehaving_web_ends_within_limits_and_records_each_failure_once(
        seed, fault_site, new_database, tmp_path):
    from tests.faults.server import feed

    site = fault_site("127.0.0.2")
    expected = build(site, seed)
    # The feed is answered once the last listing page is asked for: the listing's articles
    # take their share of the budget first, the order that left the chain out of it.
    site.route("/feed.xml", replace(feed(site, feed_paths(site)),
                                    after=f"/list/{MAX_LISTING_PAGES}"))
    listed = [site.url(path) for path in listed_paths()]
    # Room for every article the crawl can find: the planned ones, the loop, the chain and
    # the listed ones. The listing and the feed race for the budget (either may be parsed
    # first), so a smaller one leaves out whichever came last: the chain, some runs.
    max_pages = len(expected) + 2 + len(listed)
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "hostile", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "start_urls": [site.url("/list/1")], "article_url_pattern": r"/a/",
          "max_pages": max_pages, "max_listing_pages": MAX_LISTING_PAGES,
          "max_depth": MAX_DEPTH}],
        allowed=["127.0.0.2/32"], retries=3))
    dsn = new_database()

    result = crawl(dsn, config)

    (run,) = result.runs
    assert run.status == "finished", run.line()
    rows = fetch_rows(dsn)
    by_url: dict[str, list[dict]] = {}
    for row in rows:
        by_url.setdefault(row["url"], []).append(row)
    # Every planned article: exactly one record, with the reason its fault calls for.
    got = {url: [r["reason"] for r in by_url.get(url, [])] for url in expected}
    assert got == {url: [reason] for url, reason in expected.items()}, f"seed {seed}"
    # The loop and the overlong chain end, each recorded once, with a reason.
    assert [r["reason"] for r in by_url[site.url("/a/chain-0.html")]] == ["too_many_redirects"]
    assert [r["reason"] for r in by_url[site.url("/a/loop-a.html")]] in (
        ["duplicate"], ["too_many_redirects"])
    # Limits: listing pages (and so listed articles), article requests, and no reason
    # outside the known words.
    listings = [r for r in rows if r["url"].startswith(site.url("/list/"))]
    assert len(listings) == MAX_LISTING_PAGES
    assert {url: [r["reason"] for r in by_url.get(url, [])] for url in listed} == {
        url: ["http_404"] for url in listed}
    assert not [path for path in site.requests if path.startswith(
        (f"/list/{MAX_LISTING_PAGES + 1}", f"/a/listed-{MAX_LISTING_PAGES + 1}-"))]
    articles = [r for r in rows if r["kind"] == "article"]
    assert len(articles) == max_pages
    assert {r["reason"] for r in rows} <= {None, "duplicate", *(
        reason for _, reason in FAULTS.values()), "too_many_redirects"}
    assert run.failed == sum(1 for r in rows if r["reason"] is not None)


def test_gzip_bomb_is_recorded_as_too_large(fault_site, new_database, tmp_path):
    from tests.faults.server import feed

    site = fault_site("127.0.0.2")
    site.route("/a/bomb.html", GZIP_BOMB[0]("bomb"))
    site.route("/feed.xml", feed(site, ["/a/bomb.html"]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "bomb", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/"}], allowed=["127.0.0.2/32"]))
    dsn = new_database()

    result = crawl(dsn, config)

    assert result.runs[0].status == "finished"
    (row,) = [r for r in fetch_rows(dsn) if r["kind"] == "article"]
    assert row["body_sha256"] is None  # never stored, whatever the reason word
    assert row["reason"] == "too_large"


# A page in UTF-8 declaring UTF-16, and where it links to.
WRONG_CHARSET_LINKED = "/berita/warga-menyambut-jembatan-baru-di-dago.html"


def _declaring(key: str, charset: str) -> bytes:
    """An article in UTF-8 whose <meta charset> names `charset`."""
    title = f"Kopi dari café “Dago” laris, kata {key}"
    return article_html(title, [*plain_paragraphs(key), "Kopi dari café “Dago” laris."]).replace(
        b'<meta charset="utf-8">', f'<meta charset="{charset}">'.encode())


def test_pages_declaring_a_wrong_charset_are_read_as_the_clean_step_reads_them(
        fault_site, new_database, tmp_path):
    """Without an article URL pattern the spider tells articles by what the page says; it must
    read the page as the clean step does, or an article in UTF-8 declaring UTF-16 is noise: a
    "listing" with no reason, never cleaned, whose links are never followed. A body that is
    no text at all is kept as the article it was asked for, so cleaning records why."""
    from crawler.clean.step import clean
    from tests.clean.pages import documents
    from tests.faults.server import feed

    site = fault_site("127.0.0.2")
    pages = {
        "/berita/meta-utf-16": Page("ok", body=_declaring("meta", "utf-16").replace(
            b"</article>", f'<a href="{WRONG_CHARSET_LINKED}">Baca juga</a></article>'.encode()),
            content_type="text/html"),
        "/berita/header-utf-16": Page("ok", body=_declaring("header", "utf-8"),
                                      content_type="text/html; charset=utf-16"),
        "/berita/noise": Page("ok", body=random.Random(3).randbytes(20_000),
                              content_type="text/html"),
    }
    for path, page in pages.items():
        site.route(path, page)
    site.route(WRONG_CHARSET_LINKED, Page("ok", body=_declaring("linked", "utf-8")))
    site.route("/feed.xml", feed(site, list(pages)))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "charset", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "max_depth": 2}], allowed=["127.0.0.2/32"]))
    dsn = new_database()

    assert crawl(dsn, config).runs[0].status == "finished"
    result = clean(dsn, config, sources=["charset"], workers=1)

    rows = {r["url"].removeprefix(site.base): r for r in fetch_rows(dsn)}
    paths = [*pages, WRONG_CHARSET_LINKED]
    assert {path: rows[path]["kind"] if path in rows else "never fetched" for path in paths} == (
        dict.fromkeys(paths, "article"))
    assert result.ok and result.failed == 0
    docs = documents(dsn, "charset")
    by_path = {path: docs[rows[path]["fetch_id"]] for path in paths}
    for path in ("/berita/meta-utf-16", "/berita/header-utf-16", WRONG_CHARSET_LINKED):
        doc = by_path[path]
        assert doc["is_article"], (path, doc["reason"])
        assert "Kopi dari café “Dago” laris." in doc["text"] and "\ufffd" not in doc["text"]
    assert not by_path["/berita/noise"]["is_article"]
    assert by_path["/berita/noise"]["reason"] == "not_text"
