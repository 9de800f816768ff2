"""A crawl killed with SIGKILL at random (seeded) moments, then run again: every article is
stored exactly once, nothing that was stored is fetched again, and after clean and load every
article is in news.articles once.

The kill hits `liputan crawl` and its per-source children together (their process group), as
an OOM killer or a lost machine would: no handler runs, the open batch is lost, the runs stay
'running' until the next crawl of the source marks them interrupted.
"""

from __future__ import annotations

import random
import time

import psycopg
import pytest

from crawler.clean.step import clean
from crawler.config import load_config
from crawler.fetch.crawl import crawl
from crawler.load.merge import load
from crawler.urls import canonicalize
from tests.faults.server import Page, article_html, feed, plain_article, plain_paragraphs
from tests.faults.support import (
    article_url_counts,
    fetch_rows,
    kill_group,
    run_cli,
    sources_file,
    start_cli,
    stored_article_fetches,
)

SEEDS = (11, 4242)
KILLS_PER_SEED = 2
SITES = ("kabarnusa", "suarapagi")
# Each answer waits this long while the kills are due, so a crawl lasts long enough.
RESPONSE_DELAY = 0.5


def _runs(dsn: str) -> list[tuple[int, str]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT crawl_run_id, status FROM liputan.crawl_runs"
                            " ORDER BY crawl_run_id").fetchall()


def _fetch_count(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM liputan.fetches").fetchone()[0]


def _kill_during_crawl(dsn: str, sources, rng: random.Random) -> tuple[int, float]:
    """Start a crawl; once it has stored a seeded number of fetches, wait a seeded moment
    more (so some kills land inside a batch write) and SIGKILL it. Returns the two draws."""
    target = _fetch_count(dsn) + rng.randint(1, 10)
    extra = rng.uniform(0.0, 1.0)
    process = start_cli(dsn, "crawl", "--sources", str(sources))
    try:
        deadline = time.monotonic() + 90
        while _fetch_count(dsn) < target and process.poll() is None:
            assert time.monotonic() < deadline, "the crawl stored nothing"
            time.sleep(0.05)
        time.sleep(extra)
        assert process.poll() is None, "the crawl ended before the kill: make it slower"
    finally:
        kill_group(process)
    return target, extra


@pytest.mark.parametrize("seed", SEEDS)
def test_crawl_killed_at_random_moments_then_rerun_stores_every_article_once(
        seed, news_web, new_database, tmp_path):
    rng = random.Random(seed)
    dsn = new_database()
    # One request at a time per site, each answer delayed: the kills land mid-crawl.
    sources = news_web.sources_file(tmp_path, sites=list(SITES),
                                    source_settings={"concurrency": 1},
                                    retries=3)
    for site in SITES:
        news_web.set_delay(site, RESPONSE_DELAY)
    expected = set().union(*(news_web.expected_urls(site) for site in SITES))

    moments = []
    for _ in range(KILLS_PER_SEED):
        moments.append(_kill_during_crawl(dsn, sources, rng))
    partial = stored_article_fetches(dsn)
    assert sum(partial.values()) < len(expected), "the kills must leave work for the rerun"
    for site in SITES:
        news_web.set_delay(site, 0.0)
    finished = run_cli(dsn, "crawl", "--sources", str(sources))

    assert finished.returncode == 0, finished.stderr[-2000:]
    stored = stored_article_fetches(dsn)
    context = f"seed {seed}, killed after {moments}, {sum(partial.values())} stored before"
    # Nothing stored before the kills was fetched again; nothing is missing.
    assert {url: n for url, n in stored.items() if n != 1} == {}, context
    assert set(stored) == expected, context
    # Killed runs are closed as interrupted by the next crawl of their source, not left open.
    statuses = [status for _, status in _runs(dsn)]
    assert "running" not in statuses
    assert statuses.count("interrupted") >= KILLS_PER_SEED
    assert statuses[-len(SITES):] == ["finished"] * len(SITES)

    assert clean(dsn, workers=2).ok
    load(dsn)
    counts = article_url_counts(dsn)
    assert {url: n for url, n in counts.items() if n != 1} == {}, context
    assert set(counts) == expected, context
    assert set(counts) == set(stored)


def test_an_article_linked_only_from_a_stored_page_is_fetched_by_the_next_run(
        fault_site, new_database, tmp_path):
    """Run 1 stores page A; B, linked only from A, times out (transient). Run 2, with B
    answering again, must fetch B: nothing else will ever lead the crawler to it. (Found by
    this suite: reruns did not follow the links of stored pages, so such articles were lost.)"""
    site = fault_site("127.0.0.2")
    site.route("/a/linked.html", Page("slow", body=plain_article("linked")))
    site.route("/a/page.html", Page("ok", body=article_html(
        "Halaman dengan tautan", ['<a href="/a/linked.html">Baca juga</a>',
                                  *plain_paragraphs("page")], escape=False)))
    site.route("/feed.xml", feed(site, ["/a/page.html"]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "links", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/"}], allowed=["127.0.0.2/32"], retries=0))
    dsn = new_database()
    crawl(dsn, config)
    first = {r["url"]: r["reason"] for r in fetch_rows(dsn) if r["kind"] == "article"}
    assert first == {site.url("/a/page.html"): None, site.url("/a/linked.html"): "timeout"}

    site.route("/a/linked.html", Page("ok", body=plain_article("linked")))
    crawl(dsn, config)

    assert stored_article_fetches(dsn)[canonicalize(site.url("/a/linked.html"))] == 1
