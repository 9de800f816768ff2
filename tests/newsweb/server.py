"""The fixture news web: each outlet served by its own threaded HTTP server on 127.0.0.1.

One port per outlet, so the crawler sees several sites (own robots.txt, own download slot) as it
would on the internet. Everything the crawler asks for is logged, so tests can say what was
requested and what never was (robots-disallowed paths, other outlets, link-local addresses).
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

import yaml

from crawler.urls import canonicalize
from tests.newsweb.content import revised
from tests.newsweb.outlets import OUTLETS, Generated, Outlet, boilerplate

# Test crawls must be quick: a timeout is a second, one retry, no politeness delay.
TEST_SETTINGS = {
    "user_agent": "Liputan-test/0.1 (+https://github.com/liputan/liputan)",
    "obey_robots": True,
    "max_download_bytes": 1_000_000,
    "download_timeout": 1.0,
    "retries": 1,
    "retry_backoff": 0.1,
    "autothrottle": False,
    # Loopback only: a redirect to a link-local address (cloud metadata) is still refused.
    "allow_private_addresses": ["127.0.0.0/8"],
}
TEST_SOURCE_DEFAULTS = {"delay": 0.0, "concurrency": 4, "max_pages": 1000}


@dataclass(frozen=True)
class RequestRecord:
    path: str
    headers: dict[str, str]
    at: datetime


@dataclass(frozen=True)
class ExpectedArticle:
    """What a correct crawl and clean must produce for one article of the news web."""

    site: str
    url: str
    canonical_url: str
    title: str
    text: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    published_at: datetime
    language: str
    boilerplate: tuple[str, ...] = field(default_factory=tuple)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's backlog of 5 drops connections when several crawls open them at once on a
    # busy machine; the dropped SYN is retried by the kernel only after a second, past the test
    # download_timeout, and a test-sized retry budget is gone without the server seeing a thing.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], web: NewsWeb, outlet: Outlet) -> None:
        self.web = web
        self.outlet = outlet
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a crawler hanging up mid-answer is expected here, not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log is NewsWeb.requests; stderr noise helps nobody

    def do_GET(self) -> None:
        web, outlet = self.server.web, self.server.outlet
        headers = {k.lower(): v for k, v in self.headers.items()}
        web._record(outlet.name, self.path, headers)
        delay = web.delays.get(outlet.name, 0.0)
        if delay:
            web.stopping.wait(delay)
        with web.lock:
            reply = outlet.route(self.path, headers)
        if reply.behaviour == "reset":
            # SO_LINGER 0: close() sends RST instead of FIN, as a crashed proxy does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            self.wfile = _Discard()
            return
        if reply.behaviour == "sleep":
            web.stopping.wait(reply.sleep)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        # One request per connection: a keep-alive connection this server is closing can take a
        # request with it unanswered, which spends one of the crawl's (test-sized) retries and
        # made the "500, then OK" page flaky. Reuse is not what these tests are about.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if reply.behaviour == "truncate":
            self.wfile.write(reply.body[: len(reply.body) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            # The crawler hung up (too large, timeout): that is its right.
            self.close_connection = True


class _Discard:
    closed = False

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class NewsWeb:
    """Several outlets on 127.0.0.1; see tests/newsweb/outlets.py for what each one serves."""

    def __init__(self, outlets: list[Outlet] | None = None) -> None:
        self.outlets: dict[str, Outlet] = {o.name: o for o in (outlets or [c() for c in OUTLETS])}
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.delays: dict[str, float] = {}
        self._log: dict[str, list[RequestRecord]] = {name: [] for name in self.outlets}
        self._servers: dict[str, _Server] = {}
        self._ports: dict[str, int] = {}
        self._threads: dict[str, threading.Thread] = {}

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> NewsWeb:
        for name in self.outlets:
            self._serve(name)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for name in list(self._servers):
            self._shutdown(name)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, name: str) -> None:
        outlet = self.outlets[name]
        server = _Server(("127.0.0.1", self._ports.get(name, 0)), self, outlet)
        self._ports[name] = server.server_address[1]
        outlet.base = f"http://127.0.0.1:{self._ports[name]}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"newsweb-{name}", daemon=True)
        thread.start()
        self._servers[name], self._threads[name] = server, thread

    def _shutdown(self, name: str) -> None:
        server = self._servers.pop(name, None)
        if server is not None:
            server.shutdown()
            server.server_close()
            self._threads.pop(name).join(timeout=5)

    def reset(self) -> None:
        """Forget requests, delays, downtime and edits: what a fresh test expects."""
        self.stopping.clear()
        with self.lock:
            for name in self.outlets:
                self._log[name] = []
                if name not in self._servers:
                    self._serve(name)
            self.delays.clear()
            fresh = {o.name: o for o in (type(o)() for o in self.outlets.values()
                                         if type(o) in OUTLETS)}
            for name, outlet in fresh.items():
                outlet.base = self.outlets[name].base
                self.outlets[name] = outlet
                self._servers[name].outlet = outlet

    # -- what tests control ------------------------------------------------------------------
    def sites(self) -> list[str]:
        return list(self.outlets)

    def base_url(self, site: str) -> str:
        return self.outlets[site].base

    def url(self, site: str, path: str) -> str:
        return self.outlets[site].url(path)

    def set_down(self, site: str, down: bool = True) -> None:
        """Down: nothing listens on the outlet's port (connection refused); up: serving again."""
        if down:
            self._shutdown(site)
        elif site not in self._servers:
            self._serve(site)

    def set_delay(self, site: str, seconds: float) -> None:
        """Every answer of `site` waits this long first (for killing a crawl mid-run)."""
        self.delays[site] = seconds

    def publish_until(self, site: str, moment: datetime | None) -> None:
        """`site` has published only its articles of up to `moment` (None: all of them): the
        later ones are in no feed, sitemap or listing, and their pages answer 404."""
        outlet = self.outlets[site]
        with self.lock:
            outlet.articles.update(outlet.unpublished)
            outlet.unpublished.clear()
            if moment is not None:
                for path, article in list(outlet.articles.items()):
                    if article.published > moment:
                        outlet.unpublished[path] = outlet.articles.pop(path)

    def update_article(self, site: str, url: str, *, change_text: bool = True) -> None:
        """The outlet updates an article now: its lastmod moves (feeds, sitemaps, headers);
        with change_text the page changes too, otherwise a conditional request gets a 304."""
        outlet = self.outlets[site]
        path = urlsplit(url).path if url.startswith("http") else url
        with self.lock:
            article = outlet.articles[path]
            if change_text:
                revised(article)
            # Whole seconds (HTTP dates have no fraction), rounded up: strictly after any
            # fetch made before this call.
            article.lastmod = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
            if change_text:
                article.modified = article.lastmod

    def sources_file(self, tmp_path: Path, sites: list[str] | tuple[str, ...] | None = None,
                     down: tuple[str, ...] | list[str] = (), max_pages: int | None = None,
                     source_settings: dict | None = None, **settings: object) -> Path:
        """A sources YAML crawling `sites` (default all) of this news web, quick test settings;
        sites in `down` are included but not answering. `source_settings` overrides keys of
        every source (e.g. {"concurrency": 1}); extra keyword arguments override the
        crawl-wide settings (e.g. since="2024-01-01", obey_robots=False)."""
        names = list(sites) if sites else self.sites()
        for site in down:
            if site not in names:
                names.append(site)
            self.set_down(site, True)
        sources = []
        for name in names:
            entry = self.outlets[name].source_entry()
            for key, value in TEST_SOURCE_DEFAULTS.items():
                entry.setdefault(key, value)
            if max_pages is not None:
                entry["max_pages"] = max_pages
            entry.update(source_settings or {})
            sources.append(entry)
        data = {**TEST_SETTINGS, **settings, "sources": sources}
        path = Path(tmp_path) / "newsweb-sources.yaml"
        path.write_text("# Generated by tests/newsweb for the fixture news web on 127.0.0.1.\n"
                        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        return path

    # -- what tests assert -------------------------------------------------------------------
    def expected_articles(self, site: str, since: datetime | None = None) -> list[ExpectedArticle]:
        """Every article a correct crawl of `site` stores (one each), oldest ones cut by since."""
        outlet = self.outlets[site]
        with self.lock:
            return [ExpectedArticle(
                site=site, url=outlet.url(a.path), canonical_url=canonicalize(outlet.url(a.path)),
                title=a.title, text=a.text, paragraphs=tuple(a.paragraphs),
                authors=tuple(a.authors), published_at=a.published, language="id",
                boilerplate=tuple(boilerplate(outlet)))
                for a in outlet.since_only(since)]

    def expected_urls(self, site: str, since: datetime | None = None) -> set[str]:
        """Canonical URLs of expected_articles(site, since)."""
        return {a.canonical_url for a in self.expected_articles(site, since)}

    def expected_failures(self, site: str) -> dict[str, str]:
        """Canonical URL -> the reason a crawl of `site` must record for it."""
        outlet = self.outlets[site]
        return {canonicalize(outlet.url(path)): reason for path, reason in
                outlet.failures().items()}

    def disallowed_paths(self, site: str) -> tuple[str, ...]:
        return self.outlets[site].disallowed()

    def requests(self, site: str) -> list[RequestRecord]:
        """Every request `site` received since the test began, in order."""
        with self.lock:
            return list(self._log[site])

    def forget_requests(self) -> None:
        with self.lock:
            for name in self.outlets:
                self._log[name] = []

    def requested_paths(self, site: str) -> list[str]:
        return [r.path for r in self.requests(site)]

    def _record(self, site: str, path: str, headers: dict[str, str]) -> None:
        with self.lock:
            self._log[site].append(RequestRecord(path, headers, datetime.now(UTC)))


def generated_web(pages: int) -> NewsWeb:
    """A news web of one large fault-free outlet, for benchmarks."""
    return NewsWeb([Generated(pages)])
