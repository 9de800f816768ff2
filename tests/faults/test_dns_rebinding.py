"""DNS rebinding: a name that answers an allowed address to the safety check and a forbidden one
to the connection must not get anything fetched from the forbidden address.

No real DNS here: the crawl's child processes start with a `sitecustomize` (written per test,
found through PYTHONPATH) that makes the operating system's name lookup (socket.getaddrinfo,
socket.gethostbyname) answer `rebind.test` with 127.0.0.2 the first time and 127.0.0.1 every
time after. Everything above that boundary is the product as shipped: settings, middlewares,
the resolver Scrapy connects through. The sources file allows only 127.0.0.2/32; the server
behind 127.0.0.1 (the "internal service") logs every request, and must see none.
"""

from __future__ import annotations

import os

import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.faults.server import Page, feed, plain_article
from tests.faults.support import fetch_rows, sources_file

NAME = "rebind.test"
FIRST, THEN = "127.0.0.2", "127.0.0.1"

SITECUSTOMIZE = '''
"""Test-only: {name} answers {first} to the first lookup, {then} to every later one."""
import socket
import threading

_real_getaddrinfo = socket.getaddrinfo
_real_gethostbyname = socket.gethostbyname
_lock = threading.Lock()
_asked = []


def _answer(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host.lower().rstrip(".") != {name!r}:
        return None
    with _lock:
        _asked.append(host)
        return {first!r} if len(_asked) == 1 else {then!r}


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    answer = _answer(host)
    if answer is not None and family == socket.AF_INET6:
        raise socket.gaierror(socket.EAI_NONAME, "no IPv6 address")
    return _real_getaddrinfo(answer or host, port, family, type, proto, flags)


def gethostbyname(host):
    return _real_gethostbyname(_answer(host) or host)


socket.getaddrinfo = getaddrinfo
socket.gethostbyname = gethostbyname
'''


@pytest.fixture
def rebinding_dns(tmp_path, monkeypatch) -> str:
    """Crawl children started from now on see `rebind.test` rebind; returns the name."""
    folder = tmp_path / "rebinding-dns"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        SITECUSTOMIZE.format(name=NAME, first=FIRST, then=THEN), encoding="utf-8")
    path = [str(folder), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    return NAME


def internal_service(fault_site, name: str):
    """The server on 127.0.0.1 a rebinding name points the crawler at: a news site of its own,
    whose feed and pages name it by the rebinding name."""
    canary = fault_site(THEN)
    base = f"http://{name}:{canary.port}"
    canary.route("/secret", Page("ok", body=plain_article("secret")))
    canary.route("/a/internal.html", Page("ok", body=plain_article("internal")))
    items = f"<item><title>x</title><link>{base}/a/internal.html</link></item>"
    canary.route("/feed.xml", Page("ok", content_type="application/rss+xml", body=(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{base}/</link>{items}</channel></rss>").encode()))
    return canary, base


def test_a_source_whose_name_rebinds_to_a_forbidden_address_is_never_fetched(
        fault_site, new_database, tmp_path, rebinding_dns):
    canary, base = internal_service(fault_site, rebinding_dns)
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "rebound", "url": base + "/", "feeds": [base + "/feed.xml"],
          "article_url_pattern": r"/a/"}],
        allowed=[f"{FIRST}/32"]))
    dsn = new_database()

    result = crawl(dsn, config)

    assert canary.requests == []  # not robots.txt, not the feed, no page
    assert [(r["kind"], r["url"], r["reason"], r["http_status"], r["body_sha256"])
            for r in fetch_rows(dsn)] == [
        ("robots", base + "/robots.txt", "private_address", None, None),  # recorded, not fetched
        ("feed", base + "/feed.xml", "private_address", None, None)]
    (run,) = result.runs
    assert run.status == "failed" and run.failed_by_reason == {"private_address": 2}


def test_a_redirect_to_a_name_that_rebinds_is_refused_and_the_run_goes_on(
        fault_site, new_database, tmp_path, rebinding_dns):
    canary, base = internal_service(fault_site, rebinding_dns)
    site = fault_site(FIRST)
    site.route("/a/one.html", Page("ok", body=plain_article("one")))
    site.route("/a/away.html", Page("redirect", status=302, location=base + "/secret"))
    site.route("/a/two.html", Page("ok", body=plain_article("two")))
    site.route("/feed.xml", feed(site, ["/a/one.html", "/a/away.html", "/a/two.html"]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "hostile", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/"}],
        allowed=[f"{FIRST}/32"]))
    dsn = new_database()

    result = crawl(dsn, config)

    assert canary.requests == []
    rows = {r["url"]: r for r in fetch_rows(dsn) if r["kind"] == "article"}
    assert set(rows) == {site.url(p) for p in ("/a/one.html", "/a/away.html", "/a/two.html")}
    away = rows[site.url("/a/away.html")]
    assert (away["reason"], away["final_url"], away["http_status"], away["body_sha256"]) == (
        "private_address", base + "/secret", None, None)
    for path in ("/a/one.html", "/a/two.html"):
        assert rows[site.url(path)]["reason"] is None
        assert rows[site.url(path)]["http_status"] == 200
    (run,) = result.runs
    # the feed, the site's robots.txt and two articles
    assert run.status == "finished" and run.fetched == 4
