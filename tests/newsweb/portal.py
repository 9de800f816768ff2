"""An outlet with a homepage, for `liputan sources discover` and `check`: not in OUTLETS.

The crawl's outlets (outlets.py) have no homepage and old articles; this one is what discovery
starts from on the real web, dated relative to now so that `check` finds it fresh:

- `/`: `<html lang="id">`, `<link rel="alternate">` to an RSS feed (/rss/terbaru.xml) and to a
  robots-disallowed feed (/rahasia/feed.xml), a nav menu of sections (/kanal/nasional, ...,
  /rahasia/dapur: disallowed), tag and author links, article links.
- the usual paths: /feed.xml is an Atom feed found only by trying it; /rss redirects to the
  RSS feed (one feed, two spellings); /sitemap.xml and /index.xml are 404.
- robots.txt: `Sitemap: /sitemap_index.xml` (an index of a gzip sitemap and a Google News
  sitemap), `Disallow: /rahasia/`.
- articles: `/{section}/{yyyy}/{mm}/{dd}/{slug}`, published over the last hours.
- a PDF (/laporan-tahunan.pdf), section and tag pages, /promo: a redirect to a link-local
  address.

Serve it with `NewsWeb([Portal()])`.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.newsweb.content import Article, make_article
from tests.newsweb.outlets import (
    FOOTER,
    LINK_LOCAL_TARGET,
    Outlet,
    Reply,
    _gz,
    _html,
    _iso,
    _jsonld,
    _meta,
    _redirect,
    _xml,
)

SECTIONS = ("nasional", "ekonomi", "olahraga")
ARTICLES = 12
TAGS = ("/tag/pemilu-2024", "/penulis/rina-wulandari", "/topik/banjir-jakarta")


class Portal(Outlet):
    name = "kotaberita"
    site_name = "Kota Berita"
    robots = ("User-agent: *\nDisallow: /rahasia/\nDisallow: /cari\n\n"
              "Sitemap: /sitemap_index.xml\n")

    PDF = "/laporan-tahunan.pdf"
    PROMO = "/promo"  # redirects to a link-local address (cloud metadata)
    SECRET_FEED = "/rahasia/feed.xml"

    def build(self) -> None:
        # Whole minutes: the feeds' RFC 822 dates have no fraction of a second.
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        for i in range(1, ARTICLES + 1):
            section = SECTIONS[i % len(SECTIONS)]
            published = now - timedelta(hours=i)
            path = (f"/{section}/{published:%Y/%m/%d}/"
                    f"berita-kota-nomor-{i}-hari-ini")
            self.add(make_article(f"kota-{i}", path, published, section=section.title()))

    def source_entry(self) -> dict:
        return {"name": self.name, "url": self.url("/"), "language": "id",
                "feeds": [self.url("/rss/terbaru.xml")],
                "sitemaps": [self.url("/sitemap_index.xml")],
                "start_urls": [self.url("/kanal/nasional")],
                "article_url_pattern": r"^https?://[^/]+/[a-z]+/\d{4}/\d{2}/\d{2}/[^/?#]+"}

    def disallowed(self) -> tuple[str, ...]:
        return ("/rahasia/", "/cari")

    def section_of(self, article: Article) -> str:
        return article.path.split("/")[1]

    def special(self, path: str, headers: dict[str, str]) -> Reply | None:
        bare = path.split("?", 1)[0]
        if bare == self.PROMO:
            return _redirect(302, LINK_LOCAL_TARGET)
        if bare == "/rss":
            return _redirect(301, self.url("/rss/terbaru.xml"))
        if bare == self.PDF:
            return Reply(200, {"Content-Type": "application/pdf"},
                         b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
        return None

    def pages(self) -> dict[str, Reply]:
        newest = self.newest()
        pages = {
            "/": _html(self.homepage(newest)),
            "/rss/terbaru.xml": _xml(self.rss(newest[:8]), "application/rss+xml"),
            "/feed.xml": _xml(self.atom([a for a in newest if "/ekonomi/" in a.path]),
                              "application/atom+xml"),
            self.SECRET_FEED: _xml(self.rss(newest), "application/rss+xml"),
            "/sitemap_index.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url('/sitemaps/artikel-1.xml.gz')}</loc></sitemap>"
                f"<sitemap><loc>{self.url('/sitemaps/news.xml')}</loc></sitemap>"
                "</sitemapindex>"),
            "/sitemaps/artikel-1.xml.gz": _gz(self.urlset(newest)),
            "/sitemaps/news.xml": _xml(self.news_sitemap(newest[:6])),
        }
        for section in SECTIONS:
            listed = [a for a in newest if self.section_of(a) == section]
            pages[f"/kanal/{section}"] = _html(self.listing(section, listed))
        for tag in TAGS:
            pages[tag] = _html(self.listing(tag.rsplit("/", 1)[-1], newest[:3]))
        return pages

    # -- pages -------------------------------------------------------------------------------
    def chrome(self, inner: str, head: str) -> str:
        nav = "".join(f'<a href="/kanal/{s}">{s.title()}</a>' for s in SECTIONS)
        nav += '<a href="/rahasia/dapur">Dapur Redaksi</a>'
        return ('<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
                f"{head}</head><body><header><a href=\"/\">{self.site_name}</a>"
                f'<nav class="menu">{nav}</nav></header>{inner}'
                f'<footer><a href="/tentang-kami">Tentang kami</a> '
                f'<a href="{self.PDF}">Laporan tahunan</a> <p>{FOOTER}</p></footer>'
                "</body></html>")

    def homepage(self, newest: list[Article]) -> str:
        head = (f"<title>{self.site_name}</title>"
                '<link rel="alternate" type="application/rss+xml" title="Terbaru" '
                'href="/rss/terbaru.xml">'
                '<link rel="alternate" type="application/rss+xml" title="Internal" '
                f'href="{self.SECRET_FEED}">'
                '<link rel="alternate" hreflang="en" href="/en/">'
                '<meta property="og:type" content="website">')
        cards = "".join(f'<div class="card"><a href="{a.path}">{html.escape(a.title)}</a></div>'
                        for a in newest[:6])
        tags = "".join(f'<a href="{t}">{t.rsplit("/", 1)[-1]}</a> ' for t in TAGS)
        return self.chrome(f'<main><section class="headline">{cards}</section>'
                           f'<aside class="trending">{tags}</aside></main>', head)

    def listing(self, name: str, articles: list[Article]) -> str:
        cards = "".join(f'<div class="card"><h2><a href="{a.path}">{html.escape(a.title)}</a>'
                        f"</h2></div>" for a in articles)
        return self.chrome(f"<main><h1>{html.escape(name)}</h1>{cards}</main>",
                           f"<title>{html.escape(name)} - {self.site_name}</title>")

    def render(self, article: Article) -> str:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        inner = (f"<main><article><h1>{html.escape(article.title)}</h1>"
                 f'<div class="byline">{", ".join(article.authors)}</div>'
                 f"{paragraphs}</article></main>")
        return self.chrome(inner, _meta(self, article) + _jsonld(self, article))

    # -- feeds and sitemaps ------------------------------------------------------------------
    def rss(self, articles: list[Article]) -> str:
        items = "".join(
            f"<item><title>{html.escape(a.title)}</title>"
            f"<link>{html.escape(self.url(a.path))}?utm_source=rss</link>"
            f"<pubDate>{format_datetime(a.published, usegmt=True)}</pubDate></item>"
            for a in articles)
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{self.site_name}</title><link>{self.url('/')}</link>{items}"
                "</channel></rss>")

    def atom(self, articles: list[Article]) -> str:
        entries = "".join(
            f"<entry><title>{html.escape(a.title)}</title>"
            f'<link rel="alternate" href="{html.escape(self.url(a.path))}"/>'
            f"<id>{self.url(a.path)}</id><updated>{_iso(a.lastmod)}</updated>"
            f"<published>{_iso(a.published)}</published></entry>" for a in articles)
        return ('<?xml version="1.0" encoding="utf-8"?>'
                '<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{self.site_name} Ekonomi</title><id>{self.url('/')}</id>{entries}"
                "</feed>")

    def urlset(self, articles: list[Article]) -> str:
        urls = "".join(f"<url><loc>{self.url(a.path)}</loc><lastmod>{_iso(a.lastmod)}"
                       "</lastmod></url>" for a in articles)
        urls += f"<url><loc>{self.url('/tentang-kami')}</loc></url>"
        return ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    def news_sitemap(self, articles: list[Article]) -> str:
        urls = "".join(
            f"<url><loc>{self.url(a.path)}</loc><news:news><news:publication>"
            f"<news:name>{self.site_name}</news:name><news:language>id</news:language>"
            f"</news:publication><news:publication_date>{_iso(a.published)}"
            f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
            "</news:news></url>" for a in articles)
        return ('<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
