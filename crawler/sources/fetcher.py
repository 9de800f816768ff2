"""A small synchronous HTTP client for `liputan sources`: one page at a time, politely.

`liputan sources discover` and `check` fetch a few dozen URLs by hand, where starting a Scrapy
crawl (a child process, a reactor) would be slower than the fetches. They keep the crawl's
rules all the same: robots.txt (Protego, as Scrapy reads it), the sources file's User-Agent,
its size and time limits, and the private-address guard, applied where each connection (the
first and every redirect) resolves its host, so a name that answers differently the second
time (DNS rebinding) is refused too. Only the standard library: no new dependency.
"""

from __future__ import annotations

import http.client
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy.utils.gz import gunzip

from crawler.config import DEFAULT_USER_AGENT, Config
from crawler.fetch.spiders.discovery import robots_sitemaps
from crawler.urls import AddressPolicy

logger = logging.getLogger(__name__)

__all__ = ["FetchPolicy", "Fetched", "Fetcher", "gunzip_limited"]

# Redirects followed per URL: Scrapy's REDIRECT_MAX_TIMES is 20, but a feed or homepage that
# needs more than a handful is misconfigured, and each hop is a request to the site.
MAX_REDIRECTS = 5
READ_CHUNK = 64 * 1024
# A robots.txt is a few kB; Google reads at most 500 KiB of one.
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """How to fetch: the crawl-wide settings of a sources file (or its defaults)."""

    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 30.0
    allowed_networks: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> FetchPolicy:
        return cls(config.user_agent, config.obey_robots, config.max_download_bytes,
                   config.download_timeout, config.allowed_private_networks)


@dataclass
class Fetched:
    """One URL fetched (or not): `reason` is None for a 200 answer, else a word as the crawl
    stores in liputan.fetches.reason (http_404, robots, dns, timeout, private_address, ...)."""

    url: str
    final_url: str
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    reason: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def mime(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


class _Refused(Exception):
    """A request this client will not make (reason: private_address, robots, bad_url)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _guarded_connection(policy: AddressPolicy):
    """socket.create_connection, refusing a host with any address the policy forbids."""

    def connect(address: tuple[str, int], timeout: object = socket._GLOBAL_DEFAULT_TIMEOUT,
                source_address: object = None) -> socket.socket:
        host, port = address
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise _Refused("dns") from exc
        addresses = [info[4][0] for info in infos]
        # All or nothing, as the crawl's resolver: a name that also answers 127.0.0.1 is not
        # fetched from its public address either.
        if not addresses or not all(policy.allows(a) for a in addresses):
            raise _Refused("private_address")
        error: OSError | None = None
        for info in infos:
            family, kind, proto, _, target = info
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(target)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"cannot connect to {host}")

    return connect


def _connection_class(base: type[http.client.HTTPConnection], policy: AddressPolicy) -> type:
    class Guarded(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = _guarded_connection(policy)

    return Guarded


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        self.connection = _connection_class(http.client.HTTPConnection, policy)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        self.connection = _connection_class(http.client.HTTPSConnection, policy)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows http(s) redirects only, each target checked against robots.txt first."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, fetcher: Fetcher) -> None:
        super().__init__()
        self.fetcher = fetcher

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urljoin(req.full_url, newurl)
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise _Refused("bad_url")
        if not self.fetcher.robots_allow(target):
            raise _Refused("robots")
        return super().redirect_request(req, fp, code, msg, headers, target)


class Fetcher:
    """Fetches URLs one at a time under a FetchPolicy; robots.txt is read once per site."""

    def __init__(self, policy: FetchPolicy | None = None, *,
                 extra_networks: Sequence[str] = ()) -> None:
        self.policy = policy or FetchPolicy()
        networks = tuple(self.policy.allowed_networks) + tuple(extra_networks)
        self.address_policy = AddressPolicy(networks)
        self._robots_bodies: dict[str, bytes] = {}  # robots.txt URL -> body
        self._robots: dict[str, Protego | None] = {}
        self._opener = urllib.request.OpenerDirector()
        for handler in (_HTTPHandler(self.address_policy), _HTTPSHandler(self.address_policy),
                        urllib.request.HTTPDefaultErrorHandler(), _RedirectHandler(self),
                        urllib.request.HTTPErrorProcessor()):
            self._opener.add_handler(handler)
        self.requests = 0  # every request made, robots.txt included (for the summary)

    # -- robots.txt --------------------------------------------------------------------------
    def _robots_txt(self, url: str) -> tuple[str, bytes]:
        """(robots.txt URL, its body) of `url`'s site, fetched once; b"" when unreadable."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme.lower()}://{parts.netloc.lower()}/robots.txt"
        if robots_url not in self._robots_bodies:
            fetched = self._get(robots_url, MAX_ROBOTS_BYTES)
            # As Scrapy: a robots.txt that cannot be read (404, 5xx, down) forbids nothing.
            self._robots_bodies[robots_url] = fetched.body if fetched.ok else b""
        return robots_url, self._robots_bodies[robots_url]

    def robots(self, url: str) -> Protego | None:
        """The parsed robots.txt of `url`'s site; None when it has none (everything allowed)."""
        robots_url, body = self._robots_txt(url)
        if robots_url not in self._robots:
            text = body.decode("utf-8", "replace")
            self._robots[robots_url] = Protego.parse(text) if text.strip() else None
        return self._robots[robots_url]

    def robots_allow(self, url: str) -> bool:
        if not self.policy.obey_robots:
            return True
        robots = self.robots(url)
        return robots is None or robots.can_fetch(url, self.policy.user_agent)

    def robots_sitemaps(self, url: str) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of `url`'s site, absolute, read as the
        crawl reads them (crawler.fetch.spiders.discovery.robots_sitemaps)."""
        robots_url, body = self._robots_txt(url)
        return robots_sitemaps(body, robots_url)

    # -- pages -------------------------------------------------------------------------------
    def get(self, url: str) -> Fetched:
        """Fetch `url` as the crawl would: robots.txt first, then the page."""
        if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname:
            return Fetched(url, url, reason="bad_url")
        try:
            if not self.robots_allow(url):
                return Fetched(url, url, reason="robots")
        except _Refused as refused:  # robots.txt itself unreachable for this reason
            return Fetched(url, url, reason=refused.reason)
        return self._get(url, self.policy.max_bytes)

    def _get(self, url: str, max_bytes: int) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        started = time.monotonic()
        self.requests += 1
        try:
            response = self._opener.open(request, timeout=self.policy.timeout)
        except urllib.error.HTTPError as error:  # an answer all the same: keep its status
            with error:
                return self._read(url, error, error.code, started, max_bytes)
        except _Refused as refused:
            return Fetched(url, url, reason=refused.reason)
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            return Fetched(url, url, reason=_reason(exc))
        with response:
            return self._read(url, response, response.status, started, max_bytes)

    def _read(self, url: str, response, status: int, started: float,
              max_bytes: int) -> Fetched:
        headers = {k.lower(): v for k, v in response.headers.items()}
        result = Fetched(url, response.geturl() or url, status, headers.get("content-type", ""),
                         headers=headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            result.reason = "too_large"
            return result
        chunks, size = [], 0
        try:
            while chunk := response.read(READ_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    result.reason = "too_large"
                    return result
                if time.monotonic() - started > self.policy.timeout:
                    # A server dripping bytes never trips the socket timeout.
                    result.reason = "timeout"
                    return result
                chunks.append(chunk)
        except (OSError, http.client.HTTPException) as exc:
            result.reason = _reason(exc)
            return result
        if declared.isdigit() and size < int(declared):
            # http.client ends a short body quietly; the crawl records it (and stores none).
            result.reason = "truncated"
            return result
        body = b"".join(chunks)
        if headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
            body = gunzip_limited(body, max_bytes)
            if body is None:
                result.reason = "too_large"
                return result
        result.body = body
        if status != 200:
            result.reason = f"http_{status}"
        return result


def gunzip_limited(body: bytes, limit: int) -> bytes | None:
    """A gzip body (Content-Encoding or a .gz file) inflated up to `limit` bytes; None when
    it is broken or inflates past the limit (a gzip bomb). Scrapy's own gunzip, as the crawl.
    A body that is not gzip is returned as it is."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        return gunzip(body, max_size=limit)
    except (OSError, EOFError, ValueError):
        return None


def _reason(exc: BaseException) -> str:
    """The crawl's reason word for a failed request."""
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(cause, _Refused):
        return cause.reason
    if isinstance(cause, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(cause, socket.gaierror):
        return "dns"
    if isinstance(cause, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(cause, ConnectionResetError | http.client.RemoteDisconnected):
        return "connection_reset"
    if isinstance(cause, http.client.IncompleteRead):
        return "truncated"
    if isinstance(exc, urllib.error.URLError) and "redirect" in str(exc).lower():
        return "too_many_redirects"
    return "download_error"
