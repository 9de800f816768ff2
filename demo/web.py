"""The demo news web: four outlets on one local HTTP server, one host name each by path prefix.

Each outlet lives under /<outlet>/ on 127.0.0.1 and serves a homepage, an RSS feed (one also
a sitemap), its article pages with the boilerplate real outlets carry, and robots.txt rules
(the server's /robots.txt names every outlet's sitemap and keeps crawlers out of /cari/).
"""

from __future__ import annotations

import html
import json
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from demo.events import EVENTS, Event


@dataclass(frozen=True)
class Outlet:
    name: str
    title: str
    language: str
    minutes_late: int  # how long after the first report this outlet published
    sitemap: bool = False


DEFAULT_PORT = 8642
OUTLETS = (
    Outlet("kabarharian", "Kabar Harian", "id", 0),
    Outlet("wartakota", "Warta Kota Online", "id", 75, sitemap=True),
    Outlet("suarapagi", "Suara Pagi", "id", 140),
    Outlet("jakartadaily", "Jakarta Daily", "en", 200),
)
LEADS = {
    "kabarharian": "{place}, Kabar Harian - ",
    "wartakota": "WARTAKOTA.ONLINE, {place} — ",
    "suarapagi": "",
}
PLACES = {"asean-menlu": "Jakarta", "banjir-semarang": "Semarang", "suku-bunga-bi": "Jakarta"}


@dataclass(frozen=True)
class Story:
    outlet: Outlet
    event: Event
    slug: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.outlet.name}/berita/{self.published:%Y/%m/%d}/{self.slug}"


def stories(now: datetime) -> list[Story]:
    """Every article of the demo web, as of `now` (dates stay recent whenever it runs)."""
    found = []
    for number, event in enumerate(EVENTS):
        for index, outlet in enumerate(OUTLETS):
            published = (now - timedelta(hours=event.hours_ago)
                         + timedelta(minutes=outlet.minutes_late)).replace(microsecond=0)
            if outlet.language == "en":
                title, paragraphs = event.english_title, event.english
            else:
                rng = random.Random(f"{event.key}/{outlet.name}")
                facts = list(event.facts)
                first, rest = facts[0], facts[1:]
                rng.shuffle(rest)
                picked = [first, *rest[:4 + index % 2]]
                lead = LEADS[outlet.name].format(place=PLACES[event.key])
                paragraphs = (lead + picked[0], *picked[1:])
                title = event.titles[index]
            slug = f"{number + 1:03d}-{event.key}"
            found.append(Story(outlet, event, slug, title, published, tuple(paragraphs)))
    return found


def article_page(story: Story, related: list[Story]) -> str:
    outlet, esc = story.outlet, html.escape
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
          "datePublished": story.published.isoformat(), "inLanguage": outlet.language,
          "author": {"@type": "Person", "name": f"Redaksi {outlet.title}"
                     if outlet.name == "suarapagi" else "Dewi Lestari"},
          "publisher": {"@type": "Organization", "name": outlet.title}}
    body = "\n".join(f"<p>{esc(p)}</p>" for p in story.paragraphs[:2])
    if related:
        body += (f"\n<p class='baca-juga'>Baca juga: <a href='{esc(related[0].path)}'>"
                 f"{esc(related[0].title)}</a></p>\n")
    body += "\n".join(f"<p>{esc(p)}</p>" for p in story.paragraphs[2:])
    more = "".join(f"<li><a href='{esc(r.path)}'>{esc(r.title)}</a></li>" for r in related)
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}"><head><meta charset="utf-8">
<title>{esc(story.title)} - {esc(outlet.title)}</title>
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{esc(outlet.title)}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<header><a href="/{outlet.name}/">{esc(outlet.title)}</a>
<nav><a href="/{outlet.name}/">Beranda</a> · <a href="/{outlet.name}/">Nasional</a> ·
<a href="/{outlet.name}/">Ekonomi</a> · <a href="/{outlet.name}/">Olahraga</a></nav></header>
<div class="ad">ADVERTISEMENT</div>
<article><h1>{esc(story.title)}</h1>
<div class="share">Bagikan: Facebook · Twitter · WhatsApp · Salin tautan</div>
<div class="text">{body}</div></article>
<aside><h3>Berita Lainnya</h3><ul>{more}</ul></aside>
<footer>Hak cipta © 2026 {esc(outlet.title)}. Seluruh hak dilindungi.
<a href="/{outlet.name}/">Pedoman Media Siber</a></footer>
</body></html>"""


class DemoWeb:
    """Serves the demo web on 127.0.0.1 (a free port) from a thread until `stop`."""

    def __init__(self, now: datetime | None = None, port: int = DEFAULT_PORT) -> None:
        # The day's midnight: a rerun the same day serves the same pages (the pipeline then
        # finds them unchanged), and every date is in the past.
        self.now = now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.stories = stories(self.now)
        try:  # the same port each time: the same URLs, so a rerun stores no copies
            self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        except OSError:  # taken: any free port (the articles then get new URLs)
            self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> DemoWeb:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sources_yaml(self) -> str:
        """A sources file for the demo outlets (loopback allowed: the demo web is local)."""
        lines = ["user_agent: \"Liputan demo (+https://github.com/liputan/liputan)\"",
                 "allow_private_addresses: [127.0.0.0/8]",
                 "defaults: {delay: 0, concurrency: 4, max_pages: 50}", "sources:"]
        for outlet in OUTLETS:
            lines += [f"  - name: {outlet.name}",
                      f"    url: {self.base}/{outlet.name}/",
                      f"    language: {outlet.language}",
                      f"    feeds: [{self.base}/{outlet.name}/rss.xml]",
                      f"    article_url_pattern: '/{outlet.name}/berita/\\d{{4}}/'"]
            if outlet.sitemap:
                lines.append(f"    sitemaps: [{self.base}/{outlet.name}/sitemap.xml]")
        return "\n".join(lines) + "\n"

    def reply(self, path: str) -> tuple[int, str, bytes]:
        path = path.split("?", 1)[0]
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /cari/\n"
        for story in self.stories:
            if path == story.path:
                related = [s for s in self.stories
                           if s.outlet == story.outlet and s is not story][:3]
                return 200, "text/html; charset=utf-8", article_page(story, related).encode()
        for outlet in OUTLETS:
            own = [s for s in self.stories if s.outlet == outlet]
            if path == f"/{outlet.name}/rss.xml":
                return 200, "application/rss+xml", self._rss(outlet, own).encode()
            if path == f"/{outlet.name}/sitemap.xml" and outlet.sitemap:
                return 200, "application/xml", self._sitemap(own).encode()
            if path in (f"/{outlet.name}/", f"/{outlet.name}"):
                links = "".join(f"<li><a href='{s.path}'>{html.escape(s.title)}</a></li>"
                                for s in own)
                return 200, "text/html; charset=utf-8", (
                    f"<html><head><title>{outlet.title}</title></head><body>"
                    f"<h1>{outlet.title}</h1><ul>{links}</ul></body></html>").encode()
        return 404, "text/html", b"<html><body><h1>404</h1></body></html>"

    def _rss(self, outlet: Outlet, own: list[Story]) -> str:
        items = "".join(
            f"<item><title>{html.escape(s.title)}</title><link>{self.base}{s.path}</link>"
            f"<pubDate>{format_datetime(s.published)}</pubDate></item>" for s in own)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>{outlet.title}</title><link>{self.base}/{outlet.name}/</link>"
                f"{items}</channel></rss>")

    def _sitemap(self, own: list[Story]) -> str:
        urls = "".join(f"<url><loc>{self.base}{s.path}</loc>"
                       f"<lastmod>{s.published.isoformat()}</lastmod></url>" for s in own)
        return ('<?xml version="1.0" encoding="utf-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = web.reply(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                """Quiet: the pipeline's own log says what was fetched."""

        return Handler
