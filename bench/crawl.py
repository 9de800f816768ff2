"""Crawl benchmark: the full Liputan crawl-and-store path against a bare Scrapy crawl.

Both crawl the same generated fixture site (tests/newsweb, one outlet of N article pages
listed in a sitemap index of gzip sitemaps) on 127.0.0.1 with politeness off (no delay, no
AutoThrottle, no robots.txt), each in its own process, in the same run:

- liputan: `python -m crawler.fetch.crawl` (the child `liputan crawl` starts per source): the news
  spider, canonical-URL bookkeeping, fetch records, gzip + sha256 of every body, batched COPY
  into liputan.fetches of a scratch database;
- bare: Scrapy's own SitemapSpider with a callback that does nothing (no storage).

Printed: pages/s of each (pages / time inside Scrapy, and / wall time of the process), their
ratio, and each process's peak resident memory (VmHWM), for every size asked; the two
crawlers alternate `--repeat` times and each one's best is printed.

    .venv/bin/python bench/crawl.py                      # 2000 and 10000 pages
    .venv/bin/python bench/crawl.py --pages 5000 --dsn postgresql://...

The database is $LIPUTAN_DSN, --dsn, else the embedded server; a scratch database is created
on it and dropped afterwards. Figures vary with the machine's load: run on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from crawler.db.connect import resolve_dsn
from crawler.db.scratch import scratch_database
from tests.newsweb.server import generated_web

CONCURRENCY = 16


def run_measured(command: list[str], env: dict) -> tuple[float, int, str]:
    """Run `command`; (wall seconds, peak RSS in KiB, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _vm_hwm(process.pid))
        time.sleep(0.05)
    wall = time.monotonic() - started
    out = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"{command[2]} failed with exit status {process.returncode}")
    return wall, peak, out


def _vm_hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return 0


def bench(pages: int, server_dsn: str, repeat: int) -> dict:
    with generated_web(pages) as web, tempfile.TemporaryDirectory() as tmp:
        sources = web.sources_file(
            Path(tmp), max_pages=pages + 10, obey_robots=False, autothrottle=False,
            download_timeout=30.0, source_settings={"delay": 0.0, "concurrency": CONCURRENCY})
        env = {**os.environ, "PYTHONPATH": str(PROJECT)}
        sitemap = web.url("generated", "/sitemap.xml")

        best: dict = {}
        # Alternate the two, `repeat` times each, and keep each one's best: on a shared
        # machine the load changes between runs more than the crawlers differ.
        for _ in range(repeat):
            bare_wall, bare_peak, bare_out = run_measured(
                [sys.executable, __file__, "--bare-child", sitemap], env)
            bare_stats = json.loads(bare_out.strip().splitlines()[-1])
            if bare_stats["pages"] != pages:
                raise SystemExit(f"incomplete bare crawl: {bare_stats['pages']} of {pages}")
            _keep_best(best, "bare", pages / bare_stats["elapsed"], pages / bare_wall,
                       bare_peak)
            with scratch_database(server_dsn, prefix="liputan_bench") as dsn:
                env["LIPUTAN_DSN"] = dsn
                full_wall, full_peak, _ = run_measured(
                    [sys.executable, "-m", "crawler.fetch.crawl", "--sources", str(sources),
                     "--source", "generated"], env)
                with psycopg.connect(dsn) as conn:
                    stored, = conn.execute(
                        "SELECT count(*) FROM liputan.fetches WHERE kind = 'article'"
                        " AND reason IS NULL").fetchone()
                    stats, = conn.execute("SELECT stats FROM liputan.crawl_runs").fetchone()
            if stored != pages:
                raise SystemExit(f"incomplete liputan crawl: stored {stored} of {pages}")
            _keep_best(best, "liputan", pages / stats["elapsed_time_seconds"],
                       pages / full_wall, full_peak)
    return {"pages": pages, **best}


def _keep_best(best: dict, name: str, rate: float, wall_rate: float, peak_kib: int) -> None:
    best[f"{name}_rate"] = max(best.get(f"{name}_rate", 0.0), rate)
    best[f"{name}_wall_rate"] = max(best.get(f"{name}_wall_rate", 0.0), wall_rate)
    best[f"{name}_peak_mib"] = max(best.get(f"{name}_peak_mib", 0.0), peak_kib / 1024)


def bare_child(sitemap_url: str) -> None:
    """The baseline: Scrapy's SitemapSpider fetching every page, storing nothing."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    class Bare(SitemapSpider):
        name = "bare"
        sitemap_urls = [sitemap_url]  # noqa: RUF012 - Scrapy's class attribute API

        pages = 0

        def parse(self, response):
            type(self).pages += 1

    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
        # As Liputan sets it (crawler/fetch/settings.py): the default 100 slows Scrapy itself.
        "CONCURRENT_ITEMS": 4})
    crawler = process.create_crawler(Bare)
    result = {}

    def closed(spider, reason):
        # As Scrapy's CoreStats computes elapsed_time_seconds (which it sets after us).
        started = crawler.stats.get_value("start_time")
        result["elapsed"] = (datetime.now(UTC) - started).total_seconds()
        result["pages"] = Bare.pages

    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    if "pages" not in result:
        raise SystemExit("bare crawl did not close")
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, action="append",
                        help="site size (repeatable; default 2000 and 10000)")
    parser.add_argument("--dsn", help="PostgreSQL server (default $LIPUTAN_DSN or embedded)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each crawler per size; the best is printed (default 2)")
    parser.add_argument("--bare-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        bare_child(args.bare_child)
        return
    server_dsn = resolve_dsn(args.dsn)
    print(f"crawl benchmark: concurrency {CONCURRENCY}, politeness off, one outlet on "
          f"127.0.0.1 (machine load now: {os.getloadavg()[0]:.1f})")
    print(f"{'pages':>6} {'liputan p/s':>12} {'bare p/s':>9} {'ratio':>6} "
          f"{'(wall: liputan':>15} {'bare':>6} {'ratio)':>7} {'peak MiB liputan':>17} {'bare':>6}")
    for pages in args.pages or [2000, 10000]:
        r = bench(pages, server_dsn, args.repeat)
        print(f"{r['pages']:>6} {r['liputan_rate']:>12.0f} {r['bare_rate']:>9.0f} "
              f"{r['liputan_rate'] / r['bare_rate']:>6.2f} {r['liputan_wall_rate']:>15.0f} "
              f"{r['bare_wall_rate']:>6.0f} {r['liputan_wall_rate'] / r['bare_wall_rate']:>7.2f}"
              f" {r['liputan_peak_mib']:>17.0f} {r['bare_peak_mib']:>6.0f}", flush=True)


if __name__ == "__main__":
    main()
