"""The outlets of the fixture news web: three sites on three templates, each with its own faults.

Every outlet knows what it serves (`route`), which articles a correct crawl must fetch
(`expected`), and which URLs must fail and why (`failures`). The faults are spread over the
outlets so that each template meets some of them:

- kabarnusa (portal template, RSS 2.0, sitemap index -> gzip sitemap + Google News sitemap,
  `?page=N` listings): a 500 that succeeds on retry, a windows-1252 page without charset, a
  redirect chain, a robots-disallowed section, a 404 in the sitemap, a redirect to a link-local
  address, an article only linked by "Baca juga", an article from 2019 (for `since`).
- wartaharian (classic template, RSS 1.0, plain sitemap, `/indeks/page/N` listings): a timeout,
  a reset connection, a truncated body, a PDF, a 404 in the listing, a disallowed article.
- suarapagi (modern template with JSON-LD, no URL pattern, Atom, sitemap index + gzip + news
  sitemap, `/terbaru/N` listings): an oversized page, non-article pages whose URLs look like
  articles, an article found only on listing page 2.
The same article is reachable by several spellings everywhere (utm parameters, trailing slash,
fragment, feed + sitemap + listing).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from tests.newsweb.content import Article, make_article

SLOW_SECONDS = 4.0  # the timeout page answers after this; test sources use download_timeout 1
OVERSIZED_BYTES = 1_500_000  # test sources use max_download_bytes 1_000_000
LINK_LOCAL_TARGET = "http://169.254.169.254/latest/meta-data/"


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    behaviour: str | None = None  # None | "reset" | "truncate" | "sleep"
    sleep: float = 0.0


def _html(body: str, *, charset: str = "utf-8") -> Reply:
    content_type = "text/html" if charset is None else f"text/html; charset={charset}"
    return Reply(200, {"Content-Type": content_type}, body.encode(charset or "utf-8"))


def _xml(body: str, content_type: str = "application/xml") -> Reply:
    return Reply(200, {"Content-Type": f"{content_type}; charset=utf-8"}, body.encode())


def _gz(body: str) -> Reply:
    return Reply(200, {"Content-Type": "application/x-gzip"}, gzip.compress(body.encode(), mtime=0))


def _redirect(status: int, location: str) -> Reply:
    return Reply(status, {"Location": location, "Content-Type": "text/html"},
                 b"<html><body>Moved</body></html>")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(day: int, month: int = 5, year: int = 2024, hour: int = 8) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=UTC)


class Outlet:
    """A news site: its articles, its pages, its faults. Subclasses fill in the template."""

    name = ""
    site_name = ""
    robots = ""

    def __init__(self) -> None:
        self.base = ""  # http://127.0.0.1:PORT, set by the server
        self.articles: dict[str, Article] = {}  # path -> article
        self.fail_toggle: dict[str, int] = {}
        self.hidden: set[str] = set()  # paths never linked as "related"
        self.unpublished: dict[str, Article] = {}  # path -> article, see NewsWeb.publish_until
        self.build()

    # -- what subclasses provide -------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def pages(self) -> dict[str, Reply]:
        """Every non-article page (feeds, sitemaps, listings), rendered now."""
        raise NotImplementedError

    def render(self, article: Article) -> str:
        raise NotImplementedError

    def special(self, path: str, headers: dict[str, str]) -> Reply | None:
        """Faulty URLs; None when `path` is not one."""
        return None

    def source_entry(self) -> dict:
        raise NotImplementedError

    def failures(self) -> dict[str, str]:
        """path -> the reason the crawl must record for it."""
        return {}

    def disallowed(self) -> tuple[str, ...]:
        """Path prefixes robots.txt forbids."""
        return ()

    def since_only(self, since: datetime | None) -> list[Article]:
        return [a for a in self.reachable() if since is None or a.published >= since]

    def reachable(self) -> list[Article]:
        return list(self.articles.values())

    # -- shared behaviour --------------------------------------------------------------------
    def add(self, article: Article) -> Article:
        self.articles[article.path] = article
        return article

    def url(self, path: str) -> str:
        return self.base + path

    def newest(self) -> list[Article]:
        return sorted(self.articles.values(), key=lambda a: a.published, reverse=True)

    def etag(self, body: bytes) -> str:
        return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    def route(self, path: str, headers: dict[str, str]) -> Reply:
        if path == "/robots.txt":
            return Reply(200, {"Content-Type": "text/plain"}, self.robots.encode())
        reply = self.special(path, headers)
        if reply is not None:
            return reply
        page = self.pages().get(path)
        if page is not None:
            return page
        bare = path.split("?", 1)[0].split("#", 1)[0]
        article = self.articles.get(bare) or self.articles.get(bare.rstrip("/"))
        if article is None:
            return Reply(404, {"Content-Type": "text/html; charset=utf-8"},
                         b"<html><body><h1>404 Halaman tidak ditemukan</h1></body></html>")
        return self.article_reply(article, headers)

    def article_reply(self, article: Article, headers: dict[str, str],
                      charset: str | None = "utf-8") -> Reply:
        body = self.render(article).encode(charset or "cp1252")
        etag = self.etag(body)
        last_modified = format_datetime(article.modified.astimezone(UTC), usegmt=True)
        common = {"ETag": etag, "Last-Modified": last_modified}
        if _not_modified(headers, etag, article.modified):
            return Reply(304, common, b"")
        content_type = "text/html" if charset is None else f"text/html; charset={charset}"
        return Reply(200, {"Content-Type": content_type, **common}, body)

    def fails_once(self, path: str, headers: dict[str, str]) -> Reply:
        """500 on the first request since the news web was reset, the page on every later one.

        Only the first: when requests alternated, one stray request in between (a stale
        connection, a straggler of an earlier crawl) gave the retry a second 500 now and then.
        """
        count = self.fail_toggle.get(path, 0)
        self.fail_toggle[path] = count + 1
        if count == 0:
            return Reply(500, {"Content-Type": "text/html"}, b"<h1>500 Internal Server Error</h1>")
        return self.article_reply(self.articles[path], headers)

    def related(self, article: Article, count: int = 3) -> list[Article]:
        """Newest other articles, except those that must stay reachable one way only."""
        others = [a for a in self.newest() if a.path != article.path and a.path not in self.hidden]
        return others[:count]


def _not_modified(headers: dict[str, str], etag: str, lastmod: datetime) -> bool:
    if "if-none-match" in headers:
        return etag in [t.strip() for t in headers["if-none-match"].split(",")]
    if "if-modified-since" in headers:
        try:
            since = parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return lastmod.replace(microsecond=0) <= since
    return False


# ---------------------------------------------------------------------------------------------
# Boilerplate every template carries: the extractor must keep none of it.

MENU = ["Beranda", "Nasional", "Ekonomi", "Olahraga", "Hiburan", "Teknologi", "Indeks"]
SHARE = "Bagikan: Facebook Twitter WhatsApp Salin tautan"
FOOTER = "Hak cipta dilindungi undang-undang. Dilarang mengutip tanpa izin redaksi."


def boilerplate(outlet: Outlet) -> list[str]:
    return [SHARE, FOOTER, "Berita Terkait", f"Redaksi {outlet.site_name}"]


def _jsonld(outlet: Outlet, article: Article) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": _iso(article.published), "dateModified": _iso(article.modified),
            "author": [{"@type": "Person", "name": a} for a in article.authors],
            "publisher": {"@type": "Organization", "name": outlet.site_name},
            "mainEntityOfPage": outlet.url(article.path)}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _meta(outlet: Outlet, article: Article, og_type: str = "article") -> str:
    e = html.escape
    return (f'<title>{e(article.title)} - {outlet.site_name}</title>\n'
            f'<link rel="canonical" href="{outlet.url(article.path)}">\n'
            f'<meta property="og:type" content="{og_type}">\n'
            f'<meta property="og:title" content="{e(article.title)}">\n'
            f'<meta property="og:site_name" content="{outlet.site_name}">\n'
            f'<meta property="article:published_time" content="{_iso(article.published)}">\n'
            f'<meta name="author" content="{e(", ".join(article.authors))}">\n')


# ---------------------------------------------------------------------------------------------
class KabarNusa(Outlet):
    name = "kabarnusa"
    site_name = "KabarNusa"
    robots = ("User-agent: *\nDisallow: /premium/\nDisallow: /cari\n\n"
              "Sitemap: /sitemap.xml\n")

    def build(self) -> None:
        for i in range(1, 12):
            self.add(make_article(f"kabar-{i}", f"/berita/2024/05/{i:02d}/kabar-nusa-{i}",
                                  _day(i)))
        self.add(make_article("kabar-baca-juga", "/berita/2024/05/12/hanya-dari-baca-juga",
                              _day(12)))
        self.add(make_article("kabar-judul-baru", "/berita/2024/05/13/judul-baru-setelah-ralat",
                              _day(13)))
        self.add(make_article("kabar-lama", "/berita/2019/01/15/arsip-banjir-2019",
                              _day(15, 1, 2019)))
        self.premium = make_article("kabar-premium", "/premium/2024/05/14/analisis-eksklusif",
                                    _day(14))
        self.fail_once_path = "/berita/2024/05/03/kabar-nusa-3"
        self.cp1252_path = "/berita/2024/05/05/kabar-nusa-5"
        # Characters whose windows-1252 bytes are not valid UTF-8.
        self.articles[self.cp1252_path].paragraphs[0] += (
            " \u201cKami siap,\u201d kata Kepala Dinas \u2013 Andr\u00e9 Siregar \u2013 "
            "kepada wartawan\u2026")
        self.hidden = {self.BACA_JUGA_PATH, "/berita/2024/05/13/judul-baru-setelah-ralat",
                       "/berita/2019/01/15/arsip-banjir-2019"}

    OLD_URL = "/berita/2024/05/13/judul-lama-sebelum-ralat"
    HOP_URL = "/r/13"
    GONE_URL = "/berita/2024/05/20/berita-sudah-dihapus"
    SPONSOR_URL = "/berita/2024/05/21/tautan-sponsor"
    BACA_JUGA_PATH = "/berita/2024/05/12/hanya-dari-baca-juga"

    def source_entry(self) -> dict:
        return {"name": self.name, "url": self.url("/"), "language": "id",
                "feeds": [self.url("/rss/terkini.xml")], "sitemaps": [self.url("/sitemap.xml")],
                "start_urls": [self.url("/kanal/nasional")],
                "article_url_pattern": r"/(berita|premium)/\d{4}/\d{2}/\d{2}/",
                "clean": {"drop_selectors": ["div.baca-juga", "div.share-bar"],
                          "drop_patterns": ["^Baca juga: .*$"]}}

    def failures(self) -> dict[str, str]:
        return {self.premium.path: "robots", self.GONE_URL: "http_404",
                self.SPONSOR_URL: "private_address"}

    def disallowed(self) -> tuple[str, ...]:
        return ("/premium/", "/cari")

    def special(self, path: str, headers: dict[str, str]) -> Reply | None:
        bare = path.split("?", 1)[0]
        if bare == self.OLD_URL:
            return _redirect(301, self.url(self.HOP_URL))
        if bare == self.HOP_URL:
            return _redirect(302, self.url("/berita/2024/05/13/judul-baru-setelah-ralat"))
        if bare == self.SPONSOR_URL:
            return _redirect(302, LINK_LOCAL_TARGET)
        if bare == self.fail_once_path:
            return self.fails_once(bare, headers)
        if bare == self.premium.path:
            return self.article_reply(self.premium, {})
        return None

    def article_reply(self, article: Article, headers: dict[str, str],
                      charset: str | None = "utf-8") -> Reply:
        if article.path == self.cp1252_path:
            charset = None
        return super().article_reply(article, headers, charset)

    def _listed(self) -> list[Article]:
        return [a for a in self.newest() if a.path not in self.hidden]

    def pages(self) -> dict[str, Reply]:
        listed = self._listed()
        items = []
        for a in listed[:8]:
            items.append((self.url(a.path) + "?utm_source=rss&utm_medium=feed", a.title,
                          a.published))
        items.append((self.url(self.premium.path), self.premium.title, self.premium.published))
        items.append((self.url(self.OLD_URL) + "?utm_source=rss", "Judul lama", _day(13)))
        rss = "".join(
            f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
            f"<guid isPermaLink=\"false\">{hashlib.md5(u.encode()).hexdigest()}</guid>"
            f"<pubDate>{format_datetime(d, usegmt=True)}</pubDate>"
            f"<description>Ringkasan berita.</description></item>" for u, t, d in items)
        feed = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{self.site_name} Terkini</title><link>{self.url('/')}</link>"
                f"<description>Berita terkini</description>{rss}</channel></rss>")
        sitemap_urls = [a for a in self.newest()
                        if a.path not in (self.BACA_JUGA_PATH,
                                          "/berita/2024/05/13/judul-baru-setelah-ralat")]
        urlset = "".join(f"<url><loc>{self.url(a.path)}</loc><lastmod>{_iso(a.lastmod)}</lastmod>"
                         "</url>" for a in sitemap_urls)
        urlset += f"<url><loc>{self.url(self.GONE_URL)}</loc><lastmod>2024-05-20</lastmod></url>"
        news = "".join(
            f"<url><loc>{self.url(a.path)}</loc><news:news><news:publication>"
            f"<news:name>{self.site_name}</news:name><news:language>id</news:language>"
            f"</news:publication><news:publication_date>{_iso(a.published)}"
            f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
            f"</news:news></url>" for a in listed[:6])
        pages = {
            "/rss/terkini.xml": _xml(feed, "application/rss+xml"),
            "/sitemap.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url('/sitemaps/berita-2024.xml.gz')}</loc></sitemap>"
                f"<sitemap><loc>{self.url('/sitemaps/news.xml')}</loc></sitemap>"
                "</sitemapindex>"),
            "/sitemaps/berita-2024.xml.gz": _gz(
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>'),
            "/sitemaps/news.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"{news}</urlset>"),
        }
        per_page = 4
        chunks = [listed[i:i + per_page] for i in range(0, len(listed), per_page)]
        for number, chunk in enumerate(chunks, start=1):
            path = "/kanal/nasional" if number == 1 else f"/kanal/nasional?page={number}"
            extra = []
            if number == 1:
                extra.append((self.SPONSOR_URL, "Promo spesial"))
            if number == 2:
                extra.append((self.OLD_URL, "Judul lama"))
                extra.append((chunk[0].path + "/#komentar", "Komentar"))
            nxt = (f"/kanal/nasional?page={number + 1}" if number < len(chunks) else None)
            pages[path] = _html(self.listing(chunk, extra, nxt, number))
        return pages

    def chrome(self, inner: str, title: str) -> str:
        menu = "".join(f'<li><a href="/kanal/{m.lower()}">{m}</a></li>' for m in MENU)
        return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
                f"{title}</head><body>"
                f'<header class="site-header"><a class="logo" href="/">{self.site_name}</a>'
                f'<nav class="menu"><ul>{menu}</ul></nav>'
                f'<form action="/cari"><input name="q"></form></header>'
                f"{inner}"
                f'<footer class="site-footer"><p>Redaksi {self.site_name} | '
                f'<a href="/pedoman-media-siber">Pedoman Media Siber</a> | '
                f'<a href="http://127.0.0.1:9/mitra">Mitra kami</a></p>'
                f"<p>\u00a9 2024 {self.site_name}. {FOOTER}</p></footer></body></html>")

    def listing(self, chunk: list[Article], extra: list[tuple[str, str]], nxt: str | None,
                number: int) -> str:
        cards = "".join(
            f'<div class="card"><h2><a href="{a.path}">{html.escape(a.title)}</a></h2>'
            f"<span class=\"date\">{a.published:%d/%m/%Y}</span></div>" for a in chunk)
        cards += "".join(f'<div class="card"><a href="{p}">{t}</a></div>' for p, t in extra)
        pager = f'<a rel="next" class="next" href="{nxt}">Berikutnya</a>' if nxt else ""
        return self.chrome(f'<main class="listing"><h1>Nasional - halaman {number}</h1>'
                           f"{cards}<div class=\"pager\">{pager}</div></main>",
                           f"<title>Nasional - {self.site_name}</title>")

    def render(self, article: Article) -> str:
        related = self.related(article)
        paragraphs = [f"<p>{html.escape(p)}</p>" for p in article.paragraphs]
        baca = (self.BACA_JUGA_PATH if article.path == "/berita/2024/05/02/kabar-nusa-2"
                else related[0].path)
        paragraphs.insert(2, f'<div class="baca-juga"><p>Baca juga: <a href="{baca}#komentar">'
                             f"{html.escape(self.title_of(baca))}</a></p></div>")
        share = f'<div class="share-bar">{SHARE}</div>'
        items = "".join(f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>'
                        for a in related)
        inner = (f'<main><article class="post"><div class="breadcrumb">Beranda &rsaquo; '
                 f"{article.section}</div><h1 class=\"post-title\">{html.escape(article.title)}"
                 f'</h1><div class="byline">Oleh {", ".join(article.authors)} &middot; '
                 f"{article.published:%d %B %Y %H:%M} WIB</div>{share}"
                 f'<div class="post-body">{"".join(paragraphs)}</div>{share}'
                 f'<div class="tags">Tag: {", ".join(article.tags)}</div></article>'
                 f'<aside class="related"><h3>Berita Terkait</h3><ul>{items}</ul></aside></main>')
        page = self.chrome(inner, _meta(self, article))
        if article.path == self.cp1252_path:
            page = page.replace('<meta charset="utf-8">', "")
        return page

    def title_of(self, path: str) -> str:
        return self.articles[path].title if path in self.articles else path


# ---------------------------------------------------------------------------------------------
class WartaHarian(Outlet):
    name = "wartaharian"
    site_name = "Warta Harian"
    robots = "User-agent: *\nDisallow: /read/8001/\nDisallow: /internal/\n"

    SLOW = "/read/7001/berita-yang-lambat-sekali.html"
    RESET = "/read/7002/koneksi-terputus-di-tengah.html"
    TRUNCATED = "/read/7003/berita-yang-terpotong.html"
    PDF = "/read/7004/laporan-tahunan-2023.pdf"
    MISSING = "/read/7005/halaman-tidak-ada.html"
    SECRET = "/read/8001/dokumen-rahasia.html"

    def build(self) -> None:
        for i in range(1, 11):
            ident = 5000 + i
            self.add(make_article(f"warta-{i}", f"/read/{ident}/warta-harian-berita-{i}.html",
                                  _day(i, 6), section="Politik", paragraphs=5))
        self.secret = make_article("warta-rahasia", self.SECRET, _day(11, 6))
        self.truncated = make_article("warta-terpotong", self.TRUNCATED, _day(12, 6),
                                      paragraphs=30)

    def source_entry(self) -> dict:
        return {"name": self.name, "url": self.url("/"), "language": "id",
                "feeds": [self.url("/feed/rdf")], "sitemaps": [self.url("/sitemap-berita.xml")],
                "start_urls": [self.url("/indeks/page/1")],
                "article_url_pattern": r"/read/\d+/"}

    def failures(self) -> dict[str, str]:
        return {self.SLOW: "timeout", self.RESET: "connection_reset",
                self.TRUNCATED: "truncated", self.PDF: "not_html", self.MISSING: "http_404",
                self.SECRET: "robots"}

    def disallowed(self) -> tuple[str, ...]:
        return ("/read/8001/", "/internal/")

    def special(self, path: str, headers: dict[str, str]) -> Reply | None:
        bare = path.split("?", 1)[0]
        if bare == self.SLOW:
            return Reply(behaviour="sleep", sleep=SLOW_SECONDS,
                         headers={"Content-Type": "text/html; charset=utf-8"},
                         body=b"<html><body>terlambat</body></html>")
        if bare == self.RESET:
            return Reply(behaviour="reset")
        if bare == self.TRUNCATED:
            reply = self.article_reply(self.truncated, {})
            reply.behaviour = "truncate"
            return reply
        if bare == self.PDF:
            return Reply(200, {"Content-Type": "application/pdf"},
                         b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
        if bare == self.SECRET:
            return self.article_reply(self.secret, {})
        return None

    def pages(self) -> dict[str, Reply]:
        newest = self.newest()
        rdf_items = [(self.url(a.path), a) for a in newest[:6]]
        rdf_items.append((self.url(self.SECRET), self.secret))
        rdf = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{self.url("/feed/rdf")}"><title>{self.site_name}</title>'
            f"<link>{self.url('/')}</link><description>Berita</description><items><rdf:Seq>"
            + "".join(f'<rdf:li rdf:resource="{html.escape(u)}"/>' for u, _ in rdf_items)
            + "</rdf:Seq></items></channel>"
            + "".join(f'<item rdf:about="{html.escape(u)}"><title>{html.escape(a.title)}</title>'
                      f"<link>{html.escape(u)}?utm_source=rdf&amp;utm_campaign=x</link>"
                      f"<dc:date>{_iso(a.published)}</dc:date></item>" for u, a in rdf_items)
            + "</rdf:RDF>")
        sitemap = ("".join(f"<url><loc>{self.url(a.path)}</loc>"
                           f"<lastmod>{a.lastmod:%Y-%m-%d}</lastmod></url>" for a in newest)
                   + f"<url><loc>{self.url(self.TRUNCATED)}</loc></url>")
        pages = {
            "/feed/rdf": _xml(rdf, "application/rdf+xml"),
            "/sitemap-berita.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>'),
        }
        faulty = [(self.SLOW, "Berita lambat"), (self.RESET, "Koneksi"),
                  (self.PDF, "Laporan tahunan (PDF)"), (self.MISSING, "Berita hilang")]
        per_page = 4
        chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
        for number, chunk in enumerate(chunks, start=1):
            links = [(a.path + "/", a.title) for a in chunk]
            if number == 2:
                links += faulty
            pages[f"/indeks/page/{number}"] = _html(
                self.listing(links, number, len(chunks)), charset="utf-8")
        return pages

    def chrome(self, inner: str, head: str) -> str:
        menu = " | ".join(f'<a href="/kategori/{m.lower()}">{m}</a>' for m in MENU)
        return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                f"{head}</head><body><table width=\"100%\"><tr><td class=\"top\">"
                f"<b>{self.site_name}</b> &mdash; {menu}</td></tr><tr><td>{inner}</td></tr>"
                f'<tr><td class="bottom">Redaksi {self.site_name} &middot; '
                f'<a href="/internal/login">Login redaksi</a><br>{FOOTER}</td></tr></table>'
                "</body></html>")

    def listing(self, links: list[tuple[str, str]], number: int, pages: int) -> str:
        rows = "".join(f'<tr><td><a href="{p}">{html.escape(t)}</a></td></tr>' for p, t in links)
        nav = "".join(f'<a href="/indeks/page/{n}">{n}</a> ' for n in range(1, pages + 1))
        if number < pages:
            nav += f'<a href="/indeks/page/{number + 1}">&rsaquo;</a>'
        return self.chrome(f"<h2>Indeks Berita</h2><table>{rows}</table><p>{nav}</p>",
                           f"<title>Indeks - {self.site_name}</title>")

    def render(self, article: Article) -> str:
        related = self.related(article, 4)
        body = "<br><br>".join(html.escape(p) for p in article.paragraphs)
        more = "".join(f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in related)
        inner = (f'<div class="judul"><h1>{html.escape(article.title)}</h1></div>'
                 f'<div class="tanggal">{article.published:%A, %d %B %Y}</div>'
                 f'<div class="penulis">Reporter: {", ".join(article.authors)}</div>'
                 f'<div class="share">{SHARE}</div>'
                 f'<div class="isi">{body}<br><br><b>Baca juga:</b> <a href="{related[0].path}">'
                 f"{html.escape(related[0].title)}</a></div>"
                 f'<div class="lainnya"><b>Berita Terkait</b><ul>{more}</ul></div>')
        return self.chrome(inner, _meta(self, article))


# ---------------------------------------------------------------------------------------------
class SuaraPagi(Outlet):
    name = "suarapagi"
    site_name = "Suara Pagi"
    robots = "User-agent: *\nDisallow: /akun/\nAllow: /\n"

    OVERSIZED = "/nasional/laporan-khusus-sangat-panjang-sekali-39999"
    INDEX_LIKE = "/nasional/indeks-berita-hari-ini-2024"  # looks like an article, is not one

    def build(self) -> None:
        for i in range(1, 11):
            ident = 30000 + i
            self.add(make_article(f"suara-{i}", f"/nasional/suara-pagi-kabar-nomor-{i}-{ident}",
                                  _day(i, 7, hour=6), section="Nasional", paragraphs=7))
        self.add(make_article("suara-arsip", "/nasional/arsip-pemilu-tahun-lalu-29001",
                              _day(3, 3, 2020)))
        self.oversized = make_article("suara-besar", self.OVERSIZED, _day(11, 7))
        # The oldest 2024 article is on listing page 2 only.
        self.hidden = {"/nasional/suara-pagi-kabar-nomor-1-30001",
                       "/nasional/arsip-pemilu-tahun-lalu-29001"}

    def source_entry(self) -> dict:
        return {"name": self.name, "url": self.url("/"), "language": "id",
                "feeds": [self.url("/atom.xml")],
                "sitemaps": [self.url("/sitemap_index.xml"), self.url("/news-sitemap.xml")],
                "start_urls": [self.url("/terbaru")]}

    def failures(self) -> dict[str, str]:
        return {self.OVERSIZED: "too_large"}

    def disallowed(self) -> tuple[str, ...]:
        return ("/akun/",)

    def special(self, path: str, headers: dict[str, str]) -> Reply | None:
        bare = path.split("?", 1)[0]
        if bare == self.OVERSIZED:
            reply = self.article_reply(self.oversized, {})
            padding = b"<!-- " + b"x" * OVERSIZED_BYTES + b" -->"
            reply.body = reply.body.replace(b"</body>", padding + b"</body>")
            return reply
        if bare == self.INDEX_LIKE:
            return _html(self.chrome("<h1>Indeks berita hari ini</h1>" + "".join(
                f'<a href="{a.path}">{html.escape(a.title)}</a>' for a in self.newest()[:3]),
                "<title>Indeks</title><meta property=\"og:type\" content=\"website\">"))
        return None

    def pages(self) -> dict[str, Reply]:
        newest = [a for a in self.newest() if a.published.year >= 2024]
        entries = "".join(
            f"<entry><title>{html.escape(a.title)}</title>"
            f'<link rel="alternate" type="text/html" '
            f'href="{html.escape(self.url(a.path))}?utm_source=atom&amp;utm_medium=feed"/>'
            f"<id>{self.url(a.path)}</id><updated>{_iso(a.lastmod)}</updated>"
            f"<published>{_iso(a.published)}</published></entry>" for a in newest[:5])
        atom = ('<?xml version="1.0" encoding="utf-8"?>'
                '<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{self.site_name}</title><link href=\"{self.url('/')}\"/>"
                f"<updated>{_iso(newest[0].lastmod)}</updated><id>{self.url('/')}</id>"
                f"{entries}</feed>")
        in_sitemap = [a for a in self.newest() if a.path != newest[-1].path]
        urlset = "".join(f"<url><loc>{self.url(a.path)}/</loc><lastmod>{_iso(a.lastmod)}"
                         "</lastmod></url>" for a in in_sitemap)
        urlset += f"<url><loc>{self.url(self.OVERSIZED)}</loc></url>"
        news = "".join(
            f"<url><loc>{self.url(a.path)}#top</loc><news:news><news:publication>"
            f"<news:name>{self.site_name}</news:name><news:language>id</news:language>"
            f"</news:publication><news:publication_date>{a.published:%Y-%m-%dT%H:%M:%S+00:00}"
            f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
            "</news:news></url>" for a in newest[:4])
        pages = {
            "/atom.xml": _xml(atom, "application/atom+xml"),
            "/sitemap_index.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url('/sitemap-posts-1.xml.gz')}</loc>"
                f"<lastmod>2024-07-11</lastmod></sitemap></sitemapindex>"),
            "/sitemap-posts-1.xml.gz": _gz(
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>'),
            "/news-sitemap.xml": _xml(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"{news}</urlset>"),
        }
        half = (len(newest) + 1) // 2
        first = newest[:half]
        second = newest[half:]
        pages["/terbaru"] = _html(self.listing(first, "/terbaru/2", 1, extra=True))
        pages["/terbaru/2"] = _html(self.listing(second, None, 2))
        return pages

    def chrome(self, inner: str, head: str) -> str:
        menu = "".join(f'<a class="nav-link" href="/{m.lower()}">{m}</a>' for m in MENU)
        return ('<!doctype html><html lang="id"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width">'
                f'{head}</head><body><div id="app"><div class="topbar">{menu}'
                '<a href="/akun/masuk">Masuk</a></div>'
                f'<div class="container">{inner}</div>'
                f'<div class="footer"><a href="/tentang-kami">Tentang Kami</a> '
                f'<a href="/tag/politik-dalam-negeri">#politik-dalam-negeri</a> '
                f"<span>Redaksi {self.site_name}</span> <span>{FOOTER}</span></div></div>"
                "</body></html>")

    def listing(self, chunk: list[Article], nxt: str | None, number: int,
                extra: bool = False) -> str:
        cards = "".join(
            f'<a class="item" href="{self.url(a.path)}?utm_source=homepage">'
            f"<h3>{html.escape(a.title)}</h3></a>" for a in chunk)
        if extra:
            cards += (f'<a class="item" href="{self.INDEX_LIKE}"><h3>Indeks hari ini</h3></a>'
                      f'<a class="item" href="{self.OVERSIZED}"><h3>Laporan khusus</h3></a>')
        pager = f'<link rel="next" href="{nxt}"><a href="{nxt}">Selanjutnya</a>' if nxt else ""
        return self.chrome(f'<section class="latest"><h2>Terbaru {number}</h2>{cards}</section>'
                           f"{pager}", '<title>Terbaru</title><meta property="og:type" '
                           'content="website">')

    def render(self, article: Article) -> str:
        related = self.related(article, 2)
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        recs = "".join(f'<div class="rec"><a href="{a.path}">{html.escape(a.title)}</a></div>'
                       for a in related)
        inner = (f'<div class="article-header"><span class="kanal">{article.section}</span>'
                 f"<h1>{html.escape(article.title)}</h1>"
                 f'<div class="meta">{", ".join(article.authors)} | '
                 f"{article.published:%d/%m/%Y, %H:%M} WIB</div></div>"
                 f'<div class="socials">{SHARE}</div>'
                 f'<div class="article-content">{paragraphs}'
                 f'<div class="inline-rec">Baca juga: <a href="{related[0].path}">'
                 f"{html.escape(related[0].title)}</a></div></div>"
                 f'<div class="recommendation"><h4>Berita Terkait</h4>{recs}</div>')
        return self.chrome(inner, _meta(self, article) + _jsonld(self, article))


OUTLETS = (KabarNusa, WartaHarian, SuaraPagi)


# ---------------------------------------------------------------------------------------------
class Generated(Outlet):
    """A large plain site for benchmarks: N articles, a sitemap index, no faults."""

    name = "generated"
    site_name = "Generated"
    robots = "User-agent: *\nAllow: /\n"
    CHUNK = 1000

    def __init__(self, pages: int = 5000) -> None:
        self.count = pages
        super().__init__()

    def build(self) -> None:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        for i in range(self.count):
            self.add(make_article(f"gen-{i}", f"/artikel/{i}/berita-ke-{i}",
                                  start + timedelta(minutes=i), paragraphs=6))
        self._pages: dict[str, Reply] | None = None
        self._rendered: dict[str, str] = {}

    def source_entry(self) -> dict:
        return {"name": self.name, "url": self.url("/"), "language": "id",
                "sitemaps": [self.url("/sitemap.xml")], "article_url_pattern": r"/artikel/\d+/"}

    def pages(self) -> dict[str, Reply]:
        if self._pages is None:
            articles = list(self.articles.values())
            chunks = [articles[i:i + self.CHUNK] for i in range(0, len(articles), self.CHUNK)]
            index = "".join(f"<sitemap><loc>{self.url(f'/sitemap-{n}.xml.gz')}</loc></sitemap>"
                            for n in range(len(chunks)))
            self._pages = {"/sitemap.xml": _xml(
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{index}</sitemapindex>")}
            for n, chunk in enumerate(chunks):
                urls = "".join(f"<url><loc>{self.url(a.path)}</loc></url>" for a in chunk)
                self._pages[f"/sitemap-{n}.xml.gz"] = _gz(
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        return self._pages

    def render(self, article: Article) -> str:
        # Rendered once: the benchmark measures the crawler, not this server.
        if article.path not in self._rendered:
            self._rendered[article.path] = self._render(article)
        return self._rendered[article.path]

    def _render(self, article: Article) -> str:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        return (f"<!doctype html><html><head><meta charset=\"utf-8\">{_meta(self, article)}"
                f"</head><body><nav>{' '.join(MENU)}</nav><article><h1>"
                f"{html.escape(article.title)}</h1>{paragraphs}</article>"
                f"<footer>{FOOTER}</footer></body></html>")
