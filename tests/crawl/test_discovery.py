"""Feeds, sitemaps, links and page signals, read from bytes (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse

from crawler.fetch.spiders.discovery import (
    is_next_page,
    looks_like_article,
    page_is_article,
    page_links,
    parse_feed,
    parse_sitemap,
)

BASE = "https://kabar.example/"


def test_rss2_items_give_link_and_date():
    body = (b"<rss version='2.0'><channel><item><title>A</title>"
            b"<link>https://kabar.example/berita/1/a</link>"
            b"<pubDate>Wed, 01 May 2024 08:30:00 +0700</pubDate></item></channel></rss>")
    (entry,) = parse_feed(body, BASE)
    assert entry.url == "https://kabar.example/berita/1/a"
    assert entry.date == datetime(2024, 5, 1, 1, 30, tzinfo=UTC)


def test_rss1_items_and_atom_entries_are_read():
    rdf = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b'<item rdf:about="https://kabar.example/b"><link>https://kabar.example/b</link>'
           b"<dc:date>2024-05-02T10:00:00Z</dc:date></item></rdf:RDF>")
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            b'<link rel="enclosure" href="https://kabar.example/c.jpg"/>'
            b'<link rel="alternate" href="/c"/><updated>2024-05-04T00:00:00Z</updated>'
            b"<published>2024-05-03T00:00:00Z</published></entry></feed>")
    assert [e.url for e in parse_feed(rdf, BASE)] == ["https://kabar.example/b"]
    (entry,) = parse_feed(atom, BASE)
    assert entry.url == "https://kabar.example/c"
    assert (entry.date.day, entry.modified.day) == (3, 4)


def test_sitemap_index_urlset_and_news_sitemap():
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
             b"<loc>https://kabar.example/s1.xml.gz</loc></sitemap></sitemapindex>")
    news = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
            b"<loc>https://kabar.example/d</loc><lastmod>2024-06-01</lastmod><news:news>"
            b"<news:publication_date>2024-05-05T05:00:00+07:00</news:publication_date>"
            b"</news:news></url></urlset>")
    assert parse_sitemap(index, BASE) == ("index", parse_sitemap(index, BASE)[1])
    assert [e.url for e in parse_sitemap(index, BASE)[1]] == ["https://kabar.example/s1.xml.gz"]
    kind, (entry,) = parse_sitemap(news, BASE)
    assert kind == "urlset"
    assert entry.date == datetime(2024, 5, 4, 22, 0, tzinfo=UTC)  # publication date
    assert entry.modified == datetime(2024, 6, 1, tzinfo=UTC)  # lastmod


@pytest.mark.parametrize("body", [b"", b"<html><body>not xml</body></html>", b"\x00\x01garbage"])
def test_things_that_are_not_feeds_or_sitemaps_give_nothing(body):
    assert parse_feed(body, BASE) == []
    assert parse_sitemap(body, BASE) == ("", [])


@pytest.mark.parametrize(("url", "expected"), [
    ("https://x.id/nasional/banjir-rob-di-pesisir-utara-30011", True),
    ("https://x.id/read/2024/05/01/123456/judul", True),
    ("https://x.id/tag/politik-dalam-negeri-kita", False),
    ("https://x.id/tentang-kami", False),
    ("https://x.id/nasional", False),
    ("https://x.id/foto/galeri-banjir-di-kota-tua", False),
    ("https://x.id/img/banjir-rob-di-pesisir.jpg", False),
])
def test_article_urls_are_recognised_by_shape(url, expected):
    assert looks_like_article(url) is expected


def html(body: str, url: str = "https://x.id/terbaru") -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8")


def test_pagination_links_are_told_from_article_links():
    page = html('<a href="/a-b-c-d">Judul</a><a rel="next" href="/terbaru/2">2</a>'
                '<a href="/terbaru/3">3</a><a href="/olahraga/2">2</a>'
                '<a href="/x">Berikutnya</a><a href="javascript:void(0)">x</a>')
    links = page_links(page)
    nexts = [link.url for link in links if is_next_page(link, page.url)]
    assert nexts == ["https://x.id/terbaru/2", "https://x.id/terbaru/3", "https://x.id/x"]
    assert "javascript:void(0)" not in [link.url for link in links]


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta property="og:type" content="article">', True),
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle"}]}</script>', True),
    ('<meta property="og:type" content="website">', False),
    ('<script type="application/ld+json">{broken</script>', False),
])
def test_page_signals_say_whether_a_page_is_an_article(head, expected):
    assert page_is_article(html(f"<html><head>{head}</head><body></body></html>")) is expected
