"""A misbehaving web for the fault tests: a real threaded HTTP server on a loopback address.

The fixture news web (tests/newsweb) is a well-behaved outlet with a few planned faults; this
server is hostile on purpose. A site is a table of routes, path -> Page; a Page says how to
answer (an article, a redirect, a reset, a trickle that never ends, a gzip bomb, ...). Every
request is logged, so a test can say that something was never asked for.

    site = FaultSite("127.0.0.2")
    site.route("/feed.xml", feed(site, ["/a/1.html"]))
    site.route("/a/1.html", Page("ok", body=article_html("Judul", ["Paragraf ..."])))
    with site: ...
"""

from __future__ import annotations

import gzip
import html
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from tests.newsweb.content import make_article

__all__ = ["FaultSite", "Page", "article_html", "feed", "plain_article", "plain_paragraphs"]

ROBOTS = b"User-agent: *\nAllow: /\n"
# How long a "slow" page sleeps and a "trickle" page keeps going: longer than the test
# sources' download_timeout (1 s), short enough that the server threads end soon after a test.
SLOW_SECONDS = 3.0
TRICKLE_SECONDS = 6.0
# A gzip bomb: a small compressed body that inflates to this many bytes.
BOMB_BYTES = 64 * 1024 * 1024
# An endless page stops after this much, in case a client never hangs up.
ENDLESS_LIMIT_BYTES = 64 * 1024 * 1024
# How long a page with `after` waits for that path to be asked for: well inside the test
# sources' download_timeout (1 s), so a crawl that never asks for it is only delayed.
AFTER_WAIT_SECONDS = 0.5


@dataclass
class Page:
    """How a path answers.

    behaviour: ok | status (always `status`) | burst (503 for the first `burst` requests,
    then ok) | slow | trickle | reset | truncated | redirect | gzip_bomb | endless
    | huge_declared. `after`: a path; the page is answered once it has been asked for (at
    most AFTER_WAIT_SECONDS later), to fix the order in which a crawl sees two pages.
    """

    behaviour: str = "ok"
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str = ""
    burst: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    after: str = ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 drops connections of concurrent crawls

    def __init__(self, address: tuple[str, int], site: FaultSite) -> None:
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the crawler hanging up on a hostile answer is the point


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        page, count = site._take(self.path)
        try:
            self._answer(page, count)
        except OSError:
            self.close_connection = True  # the crawler hung up (too large, timeout)

    def _answer(self, page: Page | None, count: int) -> None:
        if self.path == "/robots.txt" and page is None:
            return self._send(200, ROBOTS, "text/plain")
        if page is None:
            return self._send(404, b"<html><body>404</body></html>", "text/html")
        kind = page.behaviour
        if page.after:
            self.server.site.wait_for(page.after, AFTER_WAIT_SECONDS)
        if kind == "ok":
            return self._send(page.status, page.body, page.content_type, page.headers)
        if kind == "status":
            return self._send(page.status, b"<html><body>error</body></html>", "text/html")
        if kind == "burst":
            if count <= page.burst:
                return self._send(503, b"<html><body>busy</body></html>", "text/html")
            return self._send(200, page.body, page.content_type)
        if kind == "redirect":
            status = page.status if 300 <= page.status < 400 else 302
            return self._send(status, b"", "text/html", {"Location": page.location})
        if kind == "slow":
            self.server.site.stopping.wait(SLOW_SECONDS)
            return self._send(200, page.body, page.content_type)
        if kind == "reset":
            # SO_LINGER 0: close() sends RST, as a crashed proxy does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if kind == "truncated":
            self._head(200, page.content_type, {"Content-Length": str(len(page.body)),
                                                "Connection": "close"})
            self.wfile.write(page.body[: len(page.body) // 3])
            self.wfile.flush()
            self.close_connection = True
            return None
        if kind == "trickle":
            # Headers at once, then a byte now and then: never done, never silent for long.
            self._head(200, page.content_type, {"Content-Length": str(len(page.body) + 10_000)})
            deadline = time.monotonic() + TRICKLE_SECONDS
            for byte in page.body:
                if time.monotonic() > deadline or self.server.site.stopping.is_set():
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            self.close_connection = True
            return None
        if kind == "gzip_bomb":
            bomb = _bomb()
            return self._send(200, bomb, page.content_type, {"Content-Encoding": "gzip"})
        if kind == "endless":
            self._head(200, page.content_type, {"Transfer-Encoding": "chunked"})
            chunk = b"<p>" + b"tanpa akhir " * 5000 + b"</p>\n"
            sent = 0
            while sent < ENDLESS_LIMIT_BYTES and not self.server.site.stopping.is_set():
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            self.close_connection = True
            return None
        if kind == "huge_declared":
            self._head(200, page.content_type, {"Content-Length": str(500 * 1024 * 1024)})
            self.wfile.write(page.body)
            self.close_connection = True
            return None
        raise ValueError(f"unknown behaviour {kind!r}")

    def _head(self, status: int, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self._head(status, content_type, {**(headers or {}), "Content-Length": str(len(body))})
        self.wfile.write(body)


_BOMB: list[bytes] = []
_BOMB_LOCK = threading.Lock()


def _bomb() -> bytes:
    with _BOMB_LOCK:
        if not _BOMB:
            _BOMB.append(gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9, mtime=0))
        return _BOMB[0]


class FaultSite:
    """One hostile site on `host` (any 127.x.y.z works on Linux), on a free port."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Page] = {}
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._asked = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return self._server.server_address[1]

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, page: Page) -> None:
        if page.behaviour == "gzip_bomb":
            _bomb()  # made now: compressing it takes half a second, past a test's timeout
        self.routes[path] = page

    def _take(self, path: str) -> tuple[Page | None, int]:
        with self._lock:
            self.requests.append(path)
            self._counts[path] = self._counts.get(path, 0) + 1
            self._asked.notify_all()
            return self.routes.get(path), self._counts[path]

    def wait_for(self, path: str, timeout: float) -> bool:
        """Wait until `path` has been asked for (True), at most `timeout` seconds."""
        with self._asked:
            return self._asked.wait_for(
                lambda: path in self._counts or self.stopping.is_set(), timeout)

    def start(self) -> FaultSite:
        self._server = _Server((self.host, 0), self)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name=f"faultsite-{self.host}")
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# Page builders.

def article_html(title: str, paragraphs: list[str], *, head: str = "", attrs: str = "",
                 escape: bool = True) -> bytes:
    """A plain news article page; `escape=False` puts title and paragraphs in as markup."""
    quote = html.escape if escape else (lambda text: text)
    body = "\n".join(f"<p>{quote(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{quote(title)}</title><meta property=\"og:type\" content=\"article\">"
            f"{head}</head><body><article{attrs}><h1>{quote(title)}</h1>{body}</article>"
            f"</body></html>").encode("utf-8", "surrogatepass")


def plain_paragraphs(key: str) -> list[str]:
    """Paragraphs of an ordinary article (the fixture news web's generator, seeded by `key`)."""
    return make_article(key, f"/a/{key}.html", datetime(2024, 5, 1, tzinfo=UTC)).paragraphs


def plain_article(key: str) -> bytes:
    """An ordinary article page (the fixture news web's text generator, seeded by `key`)."""
    article = make_article(key, f"/a/{key}.html", datetime(2024, 5, 1, tzinfo=UTC))
    return article_html(article.title, article.paragraphs)


def feed(site: FaultSite, paths: list[str]) -> Page:
    """An RSS 2.0 feed listing `paths` of `site` (built when called: the site has its port)."""
    items = "".join(f"<item><title>{html.escape(path)}</title>"
                    f"<link>{html.escape(site.url(path))}</link></item>" for path in paths)
    body = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
            f"<title>fault site</title><link>{site.base}/</link>{items}</channel></rss>")
    return Page("ok", body=body.encode(), content_type="application/rss+xml; charset=utf-8")
