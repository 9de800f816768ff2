"""A sitemap index is read newest first, and a run follows at most `max_sitemaps` of its
children: an outlet's archive index (years of monthly sitemaps) cannot make a run unbounded."""

from __future__ import annotations

import psycopg

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches
from tests.crawl.test_robots import urlset
from tests.faults.server import FaultSite, Page, plain_article
from tests.faults.support import sources_file

HOST = "127.0.0.1"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def test_only_the_newest_children_of_an_index_are_followed(new_database, tmp_path):
    dsn = new_database()
    with FaultSite(HOST) as site:
        children = "".join(f"<sitemap><loc>{site.url(f'/peta/{month}.xml')}</loc>"
                           f"<lastmod>{month}-28</lastmod></sitemap>" for month in MONTHS)
        site.route("/peta/index.xml", Page("ok", content_type="application/xml", body=(
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>').encode()))
        for month in MONTHS:
            site.route(f"/peta/{month}.xml", urlset(site, [f"/a/{month}.html"]))
            site.route(f"/a/{month}.html", Page("ok", body=plain_article(month)))
        path = sources_file(tmp_path / "sources.yaml", [
            {"name": "arsip", "url": site.base + "/", "sitemaps": [site.url("/peta/index.xml")],
             "article_url_pattern": "/a/", "max_sitemaps": 3}], allowed=[f"{HOST}/32"])
        result = crawl(dsn, load_config(path))
    assert result.ok, result.summary()
    read = sorted(r["url"].rsplit("/", 1)[1] for r in fetches(dsn, "arsip")
                  if r["kind"] == "sitemap" and r["url"].endswith(("-10.xml", "-11.xml",
                                                                     "-12.xml", "-09.xml")))
    assert read == ["2025-10.xml", "2025-11.xml", "2025-12.xml"]  # the three newest
    with psycopg.connect(dsn) as conn:
        stats = conn.execute("SELECT stats FROM liputan.crawl_runs WHERE source = 'arsip'"
                             ).fetchone()[0]
    assert stats["skipped"]["max_sitemaps"] == 9
