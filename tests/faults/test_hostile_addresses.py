"""Hostile pages: a redirect or a link to loopback, 10.0.0.0/8, 169.254.169.254 or a name
that resolves to them is never fetched when private addresses are not allowed, and each
redirect is recorded as refused.

The hostile site is on 127.0.0.2, the one private address the sources file allows; a canary
server on 127.0.0.1 (the "internal service" a page would like the crawler to probe) logs any
request that reaches it: there must be none.
"""

from __future__ import annotations

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from crawler.urls import canonicalize
from tests.faults.server import Page, article_html, feed, plain_article
from tests.faults.support import fetch_rows, sources_file


def targets(canary) -> dict[str, tuple[str, set[str]]]:
    """article key -> (where it redirects, the refusal reasons that are right for it)."""
    port = canary.port
    private = {"private_address"}
    return {
        "loopback": (f"http://127.0.0.1:{port}/secret", private),
        "name": (f"http://localhost:{port}/secret", private),
        "hex-ip": (f"http://0x7f000001:{port}/secret", private),
        # Spellings no resolver should be trusted with: refused as a bad URL.
        "decimal-ip": (f"http://2130706433:{port}/secret", {"bad_url", "private_address"}),
        "octal-ip": (f"http://0177.0.0.1:{port}/secret", {"bad_url", "private_address"}),
        "ten": ("http://10.0.0.1/admin", private),
        "metadata": ("http://169.254.169.254/latest/meta-data/", private),
        "carrier-nat": ("http://100.64.0.1/", private),
    }


def test_redirects_and_links_to_private_addresses_are_refused_and_never_fetched(
        fault_site, new_database, tmp_path):
    canary = fault_site("127.0.0.1")
    canary.route("/secret", Page("ok", body=b"internal"))
    site = fault_site("127.0.0.2")
    expected = {}
    for key, (target, reasons) in targets(canary).items():
        site.route(f"/a/{key}.html", Page("redirect", status=302, location=target))
        expected[site.url(f"/a/{key}.html")] = reasons
    # A redirect chain that goes through an allowed page first.
    site.route("/a/hop.html", Page("redirect", status=301, location="/a/hop-2.html"))
    site.route("/a/hop-2.html", Page("redirect", status=307,
                                     location="http://169.254.169.254/latest/user-data"))
    expected[site.url("/a/hop.html")] = {"private_address"}
    # An allowed article whose links point inside: followed links stay on the source's site.
    links = "".join(f'<a href="{target}">baca</a>' for target, _ in targets(canary).values())
    site.route("/a/ok.html", Page("ok", body=article_html(
        "Berita biasa dengan tautan ke dalam", [links, *["Paragraf berita biasa."] * 5],
        escape=False)))
    site.route("/feed.xml", feed(site, [*(p for p in site.routes if p.startswith("/a/")
                                          and p != "/a/hop-2.html")]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "hostile", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/"},
         # A source whose very feed is on a private address: refused before robots.txt.
         {"name": "inside", "url": f"http://localhost:{canary.port}/",
          "feeds": [f"http://localhost:{canary.port}/feed.xml"]}],
        allowed=["127.0.0.2/32"]))
    dsn = new_database()

    result = crawl(dsn, config)

    assert canary.requests == []
    rows = fetch_rows(dsn)
    refused = {r["url"]: r for r in rows if r["source"] == "hostile" and r["url"] in expected}
    assert set(refused) == set(expected)
    for url, row in refused.items():
        assert row["reason"] in expected[url], (url, row["reason"])
        assert row["http_status"] is None and row["body_sha256"] is None
    # The allowed article is stored; its inside links were not requested, not even refused.
    (ok,) = [r for r in rows if r["url"] == site.url("/a/ok.html")]
    assert ok["reason"] is None
    requested = {canonicalize(r["url"]) for r in rows}
    assert not any(canonicalize(t) in requested for t, _ in targets(canary).values())
    # The inside source: its feed refused and recorded, its run failed with a reason.
    inside = [r for r in rows if r["source"] == "inside"]
    assert [(r["kind"], r["reason"]) for r in inside] == [("feed", "private_address")]
    runs = {run.source: run for run in result.runs}
    assert runs["hostile"].status == "finished"
    assert runs["inside"].status == "failed" and runs["inside"].failed == 1


def crawl_redirects(site, targets: dict[str, str], new_database, tmp_path) -> str:
    """Crawl `site` (127.0.0.2, allowed) whose feed lists /a/KEY.html, each redirecting to
    targets[KEY]; returns the database."""
    for key, target in targets.items():
        site.route(f"/a/{key}.html", Page("redirect", status=302, location=target))
    site.route("/feed.xml", feed(site, [f"/a/{key}.html" for key in targets]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "hostile", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/"}], allowed=["127.0.0.2/32"]))
    dsn = new_database()
    crawl(dsn, config)
    return dsn


# Found here: canonicalize() once dropped an IPv6 host's brackets, so such a redirect was
# recorded as download_error instead of refused.


def test_redirects_to_ipv6_loopback_literals_are_recorded_as_refused(fault_site, new_database,
                                                                      tmp_path):
    canary = fault_site("127.0.0.1")
    site = fault_site("127.0.0.2")
    literals = {"ipv6-loopback": f"http://[::1]:{canary.port}/secret",
                "ipv4-mapped": f"http://[::ffff:127.0.0.1]:{canary.port}/secret"}
    dsn = crawl_redirects(site, literals, new_database, tmp_path)

    assert canary.requests == []  # holds even with the bug: the failure is before any request
    reasons = sorted(r["reason"] for r in fetch_rows(dsn) if r["kind"] == "article")
    assert reasons == ["private_address", "private_address"]


def test_private_addresses_are_refused_without_an_allowed_network(fault_site, new_database,
                                                                   tmp_path):
    """allow_private_addresses left out (the default): even the site itself is refused."""
    site = fault_site("127.0.0.2")
    site.route("/a/one.html", Page("ok", body=plain_article("one")))
    site.route("/feed.xml", feed(site, ["/a/one.html"]))
    path = sources_file(tmp_path / "sources.yaml",
                        [{"name": "local", "url": site.base + "/",
                          "feeds": [site.url("/feed.xml")]}], allowed=[])
    text = path.read_text().replace("allow_private_addresses: []\n", "")
    path.write_text(text)
    config = load_config(path)
    assert not config.allow_private_addresses
    dsn = new_database()

    crawl(dsn, config)

    assert site.requests == []
    assert [(r["kind"], r["reason"]) for r in fetch_rows(dsn)] == [("feed", "private_address")]


# Found here: IPv6 addresses that carry a private IPv4 address (IPv4-compatible ::/96, NAT64
# 64:ff9b::/96, 6to4 2002::/16) counted as public; such a redirect got as far as the
# connection (recorded as `dns`) instead of being refused.


def test_redirects_to_ipv6_forms_of_private_ipv4_addresses_are_refused(fault_site,
                                                                       new_database, tmp_path):
    canary = fault_site("127.0.0.1")
    site = fault_site("127.0.0.2")
    port = canary.port
    literals = {"compatible": f"http://[::7f00:1]:{port}/secret",
                "nat64": f"http://[64:ff9b::7f00:1]:{port}/secret",
                "nat64-metadata": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
                "sixtofour": f"http://[2002:7f00:1::1]:{port}/secret",
                "teredo": f"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]:{port}/secret"}
    dsn = crawl_redirects(site, literals, new_database, tmp_path)

    assert canary.requests == []
    rows = {r["url"]: r for r in fetch_rows(dsn) if r["kind"] == "article"}
    assert {url: row["reason"] for url, row in rows.items()} == {
        site.url(f"/a/{key}.html"): "private_address" for key in literals}
    assert {row["final_url"] for row in rows.values()} == set(literals.values())
