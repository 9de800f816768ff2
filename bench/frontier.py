"""Seen-URL checks against a big history: the whole history loaded (FetchStore.history, what
the crawl did before) beside per-batch lookups (store.History, what it does now), same run.

    .venv/bin/python -m bench.frontier [--stored 1000000 5000000] [--discovered 20000]

For each size, stores N article fetches of one source (COPY), then, each approach in a fresh
process: the time to start (load the history) and to check --discovered URLs in batches of 100
(a feed or sitemap page; 1 in 10 stored before), and the process's peak RSS. Prints ms per 1,000
discovered URLs and MB, and the ratios new / old.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import time
from datetime import UTC, datetime

import psycopg

from bench.server import admin_dsn
from crawler.db.scratch import scratch_database
from crawler.fetch.store import FetchStore, History
from crawler.urls import canonicalize

SOURCE = "besar"
BATCH = 100


def url(n: int) -> str:
    return f"https://www.besar.example/berita/{n}/kabar-ke-{n}"


def fill(dsn: str, n: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        run = conn.execute("INSERT INTO liputan.crawl_runs (source, status) VALUES (%s, "
                           "'finished') RETURNING crawl_run_id", [SOURCE]).fetchone()[0]
        now = datetime.now(UTC)
        with conn.cursor() as cur, cur.copy(
                "COPY liputan.fetches (crawl_run_id, source, url, canonical_url, final_url, kind,"
                " discovered_via, fetched_at, http_status) FROM STDIN") as copy:
            for i in range(n):
                u = url(i)
                copy.write_row((run, SOURCE, u, canonicalize(u), u, "article", "feed", now, 200))
        conn.execute("ANALYZE liputan.fetches")


def check(dsn: str, approach: str, stored: int, discovered: int, out) -> None:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store = FetchStore(dsn, SOURCE)
    store._conn = psycopg.connect(dsn, autocommit=True)
    started = time.perf_counter()
    history = store.history() if approach == "old" else History(store)
    start_s = time.perf_counter() - started
    urls = [url(stored - discovered // 10 + i) for i in range(discovered)]  # 10 % stored
    found = 0
    started = time.perf_counter()
    for i in range(0, len(urls), BATCH):
        batch = urls[i:i + BATCH]
        if approach == "new":
            history.prefetch(batch)
        found += sum(history.get(canonicalize(u)) is not None for u in batch)
    check_s = time.perf_counter() - started
    out.put((start_s, check_s, found, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
             base))


def measure(dsn: str, approach: str, stored: int, discovered: int) -> tuple:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=check, args=(dsn, approach, stored, discovered, out))
    process.start()
    result = out.get()
    process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--discovered", type=int, default=20_000)
    parser.add_argument("--dsn", default=os.environ.get("LIPUTAN_TEST_DSN"))
    args = parser.parse_args(argv)
    with admin_dsn(args.dsn) as admin:
        for stored in args.stored:
            with scratch_database(admin, prefix="liputan_bench") as dsn:
                started = time.perf_counter()
                fill(dsn, stored)
                print(f"{stored:,} stored URLs of one source ({time.perf_counter() - started:.0f}s"
                      " to store)", flush=True)
                rows = {}
                for approach in ("old", "new"):
                    start_s, check_s, found, peak, base = measure(dsn, approach, stored,
                                                                  args.discovered)
                    per_k = 1000 * (start_s + check_s) / args.discovered * 1000
                    rows[approach] = (per_k, peak)
                    print(f"  {approach:3}  start {start_s:6.1f}s  check {check_s:5.2f}s  "
                          f"{per_k:8.1f} ms per 1,000 discovered (start included)  "
                          f"peak RSS {peak:6.0f} MB (at start {base:.0f})  {found} stored",
                          flush=True)
                print(f"  new / old: time {rows['new'][0] / rows['old'][0]:.3f}, "
                      f"peak memory {rows['new'][1] / rows['old'][1]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
