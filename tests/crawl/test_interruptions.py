"""A crawl killed mid-run, stopped, run twice at once, or pointed at a dead site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, reasons, runs, stored_articles

SITE = "suarapagi"


def start_cli_crawl(dsn: str, sources) -> subprocess.Popen:
    """`liputan crawl` in its own process group, so a test can kill it and its children."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--dsn", dsn, "-q", "crawl", "--sources",
         str(sources)], start_new_session=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def stored_count(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM liputan.fetches WHERE kind = 'article'"
                            " AND reason IS NULL").fetchone()[0]


def slow_sources(web, tmp_path):
    # One page at a time, 0.4 s apart (Scrapy's download delay: with a delay of 0 Scrapy 2.19
    # starts queued requests of one domain together despite the concurrency setting).
    # Stores are batched every two seconds, so the first batch lands with most of the
    # articles still to fetch.
    return web.sources_file(tmp_path, sites=[SITE],
                            source_settings={"concurrency": 1, "delay": 0.4})


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_crawl_and_rerun_store_every_article_once_without_refetching(
        news_web, new_database, tmp_path, how):
    dsn = new_database()
    sources = slow_sources(news_web, tmp_path)
    process = start_cli_crawl(dsn, sources)
    wait_for(lambda: stored_count(dsn) >= 2)
    requested = len(news_web.requests(SITE))
    os.killpg(process.pid, how)
    process.wait(60)
    # A stop fetches no more than the source's concurrency (1) already handed to the
    # downloader, and one request may leave while the signal is on its way.
    assert len(news_web.requests(SITE)) - requested <= 2
    first = fetches(dsn)
    # SIGTERM closes the run cleanly; after SIGKILL it stays 'running' until the next run.
    before = [r["status"] for r in runs(dsn, SITE)]
    assert before == (["running"] if how == signal.SIGKILL else ["interrupted"])
    stored_before = set(stored_articles(first))
    assert 2 <= len(stored_before) < len(news_web.expected_urls(SITE))
    news_web.forget_requests()
    (tmp_path / "fast").mkdir()
    fast = news_web.sources_file(tmp_path / "fast", sites=[SITE])

    rerun = crawl(dsn, load_config(fast))

    assert rerun.ok
    everything = stored_articles(fetches(dsn))
    assert set(everything) == news_web.expected_urls(SITE)
    assert set(everything.values()) == {1}  # no duplicates, across both runs
    refetched = [r.path for r in news_web.requests(SITE)
                 if any(url.endswith(r.path.split("?")[0]) for url in stored_before)]
    assert refetched == []
    statuses = [r["status"] for r in runs(dsn, SITE)]
    assert statuses == ["interrupted", "finished"]


def test_two_crawls_of_one_source_do_not_overlap(news_web, new_database, tmp_path):
    dsn = new_database()
    sources = slow_sources(news_web, tmp_path)
    process = start_cli_crawl(dsn, sources)
    wait_for(lambda: any(r["status"] == "running" for r in runs(dsn, SITE)))

    second = crawl(dsn, load_config(sources))

    assert [(r.source, r.status, r.crawl_run_id) for r in second.runs] == [(SITE, "locked", None)]
    assert "already being crawled" in second.summary()
    assert process.poll() is None  # the first crawl goes on, untouched
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)
    assert [r["status"] for r in runs(dsn, SITE)] == ["interrupted"]


def test_a_stop_while_the_spider_opens_interrupts_the_run(news_web, new_database, tmp_path):
    """SIGTERM in the moment the run has appeared but the spider is still opening (reading
    what earlier runs stored): Scrapy alone drops such a stop, and the crawl ran to its end
    as 'finished' (one `liputan run` in ten in CI)."""
    dsn = new_database()
    sources = slow_sources(news_web, tmp_path)
    with psycopg.connect(dsn) as holder:
        # the opening spider reads liputan.fetches once its run is recorded: it waits here
        holder.execute("LOCK TABLE liputan.fetches IN ACCESS EXCLUSIVE MODE")
        process = start_cli_crawl(dsn, sources)
        # the table itself: news.crawl_runs counts the fetches, and would wait too
        wait_for(lambda: _run_statuses(dsn) == ["running"])
        os.killpg(process.pid, signal.SIGTERM)
        time.sleep(1.0)  # the stop is handled while the spider still waits
    process.wait(60)
    assert [r["status"] for r in runs(dsn, SITE)] == ["interrupted"]
    assert len(news_web.requests(SITE)) <= 2


def _run_statuses(dsn: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        return [status for (status,) in conn.execute(
            "SELECT status FROM liputan.crawl_runs WHERE source = %s ORDER BY crawl_run_id",
            (SITE,))]


def test_a_site_that_is_down_fails_its_run_and_not_the_others(news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path, sites=[SITE], down=["wartaharian"])

    result = crawl(dsn, load_config(sources))

    assert not result.ok
    by_source = {r.source: r for r in result.runs}
    assert by_source[SITE].status == "finished"
    down = by_source["wartaharian"]
    assert down.status == "failed" and down.fetched == 0
    assert "no feed, sitemap or listing page" in down.error
    assert set(reasons(fetches(dsn, "wartaharian")).values()) == {"connection_refused"}
    assert "failed: wartaharian (connection_refused " in result.summary()


def test_private_addresses_are_refused_unless_allowed(news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path, sites=[SITE], allow_private_addresses=False)

    result = crawl(dsn, load_config(sources))

    assert news_web.requests(SITE) == []  # not even robots.txt
    rows = fetches(dsn)
    assert {(r["kind"], r["reason"]) for r in rows} == {
        ("feed", "private_address"), ("sitemap", "private_address"),
        ("listing", "private_address")}
    assert result.runs[0].status == "failed"


def child_pids(marker: str) -> list[int]:
    """Processes whose command line runs one source's crawl with `marker` in it."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    command = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "crawler.fetch.crawl" in command and marker in command:
                pids.append(int(entry))
    return pids


def test_a_child_killed_under_a_living_parent_is_reported_interrupted(news_web, new_database,
                                                                      tmp_path):
    dsn = new_database()
    sources = slow_sources(news_web, tmp_path)
    process = start_cli_crawl(dsn, sources)
    wait_for(lambda: any(r["status"] == "running" for r in runs(dsn, SITE)))
    (child,) = child_pids(str(sources))
    os.kill(child, signal.SIGKILL)

    out, _ = process.communicate(timeout=60)

    assert process.returncode == 1
    assert f"{SITE}: interrupted" in out and "exited with -9" in out
    assert [(r["status"], r["error"]) for r in runs(dsn, SITE)] == [
        ("interrupted", "crawl process exited with -9")]
