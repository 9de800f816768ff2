"""liputan.fetches by month (sql/015) beside the unpartitioned table (sql/ up to 014), same run.

    .venv/bin/python -m bench.partitions [--months 12] [--per-month 25000] [--body-kb 4]
                                         [--by-month-first]

Each layout gets a new database (migrations up to 014, or all of them) and the same fetches:
--per-month article fetches a month over --months months up to now, each with a --body-kb
body (incompressible bytes: stored out of line, as a page's gzip is). Then, per layout:

  store     COPY of all the rows (and, by month, asking for the months first, as the crawl does);
  lookup    what a crawl asks per feed or sitemap page (FetchStore.lookup, 100 URLs, 1 in 10
            stored), ms per 1,000 URLs: by month it is one index probe per month;
  recent    SELECT count(*) FROM news.skipped_pages WHERE fetched_at > now() - 1 day (the
            audit of the last night's run), median of 5;
  prune     what `liputan archive --prune` does to the oldest month (body_gz set to NULL),
            then VACUUM of what holds that month (the table, or the month's partition), and
            the bytes the database gives back.

Prints figures and the ratios by month / unpartitioned.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bench.server import admin_dsn
from crawler.db.migrate import default_migrations_dir, upgrade
from crawler.db.scratch import scratch_database
from crawler.fetch.store import FetchStore

PARTITIONED = 15
SOURCES = ("satu", "dua", "tiga", "empat", "lima")
LOOKUPS = 20_000

SIZE_SQL = """
SELECT coalesce(sum(pg_total_relation_size(relid)), 0)
FROM pg_partition_tree('liputan.fetches') WHERE isleaf OR level = 0
"""


def url(source: str, n: int) -> str:
    return f"https://www.{source}.example/berita/{n}/kabar-ke-{n}"


def migrations(layout: str, folder: Path) -> Path:
    if layout == "by month":
        return default_migrations_dir()
    folder.mkdir()
    for path in default_migrations_dir().glob("*.sql"):
        if int(path.name[:3]) < PARTITIONED:
            shutil.copy(path, folder)
    return folder


def month_starts(months: int, now: datetime) -> list[datetime]:
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = [first]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    return sorted(starts)


def store(dsn: str, layout: str, starts: list[datetime], per_month: int, body: bytes,
          now: datetime) -> float:
    rng = random.Random(7)
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        runs = {s: conn.execute("INSERT INTO liputan.crawl_runs (source, status) VALUES (%s,"
                                " 'finished') RETURNING crawl_run_id", [s]).fetchone()[0]
                for s in SOURCES}
        if layout == "by month":
            conn.execute("SELECT liputan.add_fetch_months(%s, %s)", (starts[0], now))
        n = 0
        for start in starts:
            span = (min(now, start + timedelta(days=28)) - start).total_seconds()
            with conn.transaction(), conn.cursor() as cur, cur.copy(
                    "COPY liputan.fetches (crawl_run_id, source, url, canonical_url, final_url,"
                    " kind, discovered_via, fetched_at, http_status, body_gz) FROM STDIN") as copy:
                for _ in range(per_month):
                    source = SOURCES[n % len(SOURCES)]
                    u = url(source, n)
                    at = start + timedelta(seconds=rng.random() * span)
                    copy.write_row((runs[source], source, u, u, u, "article", "feed", at, 200,
                                    body))
                    n += 1
        conn.execute("ANALYZE")
    return time.perf_counter() - started


def lookup(dsn: str, total: int) -> float:
    fetch_store = FetchStore(dsn, SOURCES[0])
    fetch_store._conn = psycopg.connect(dsn, autocommit=True)
    # URLs of source 0 are every len(SOURCES)-th number; 1 in 10 asked for is stored.
    stored = [url(SOURCES[0], n) for n in range(0, total, len(SOURCES))]
    rng = random.Random(3)
    asked = [rng.choice(stored) if i % 10 == 0 else url(SOURCES[0], total + i)
             for i in range(LOOKUPS)]
    started = time.perf_counter()
    found = 0
    for i in range(0, LOOKUPS, 100):
        found += len(fetch_store.lookup(asked[i:i + 100]))
    elapsed = time.perf_counter() - started
    fetch_store.close()
    assert found >= LOOKUPS // 10 * 0.9, found  # the stored ones were found
    return 1000 * elapsed / LOOKUPS * 1000


def recent(dsn: str) -> float:
    times = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(5):
            started = time.perf_counter()
            conn.execute("SELECT count(*) FROM news.skipped_pages"
                         " WHERE fetched_at > now() - interval '1 day'").fetchone()
            times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def prune(dsn: str, layout: str, start: datetime) -> tuple[float, float, int, int]:
    end = (start + timedelta(days=32)).replace(day=1)
    target = (f"liputan.fetches_y{start:%Y}m{start:%m}" if layout == "by month"
              else "liputan.fetches")
    with psycopg.connect(dsn, autocommit=True) as conn:
        before = conn.execute(SIZE_SQL).fetchone()[0]
        started = time.perf_counter()
        pruned = conn.execute("UPDATE liputan.fetches SET body_gz = NULL"
                              " WHERE fetched_at >= %s AND fetched_at < %s",
                              (start, end)).rowcount
        update_s = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(f"VACUUM {target}")  # a fixed table name of this benchmark
        vacuum_s = time.perf_counter() - started
        after = conn.execute(SIZE_SQL).fetchone()[0]
    return update_s, vacuum_s, pruned, before - after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-month", type=int, default=25_000)
    parser.add_argument("--body-kb", type=int, default=4)
    parser.add_argument("--by-month-first", action="store_true",
                        help="measure the partitioned layout first (the first one may meet a "
                             "colder cache)")
    parser.add_argument("--dsn", default=os.environ.get("LIPUTAN_TEST_DSN"))
    args = parser.parse_args(argv)
    layouts = ["unpartitioned", "by month"]
    if args.by_month_first:
        layouts.reverse()
    now = datetime.now(UTC)
    starts = month_starts(args.months, now)
    body = random.Random(1).randbytes(args.body_kb * 1024)
    total = args.months * args.per_month
    print(f"{total:,} fetches over {args.months} months, {args.body_kb} KB bodies", flush=True)
    results: dict[str, dict[str, float]] = {}
    with admin_dsn(args.dsn) as admin, tempfile.TemporaryDirectory() as tmp:
        for layout in layouts:
            with scratch_database(admin, prefix="liputan_bench", migrated=False) as dsn:
                upgrade(dsn, migrations(layout, Path(tmp) / layout.replace(" ", "_")))
                r = results[layout] = {}
                r["store"] = store(dsn, layout, starts, args.per_month, body, now)
                r["lookup"] = lookup(dsn, total)
                r["recent"] = recent(dsn)
                update_s, vacuum_s, pruned, freed = prune(dsn, layout, starts[0])
                r["prune"] = update_s + vacuum_s
                print(f"  {layout:13}  store {total / r['store']:8,.0f} rows/s"
                      f"  lookup {r['lookup']:6.1f} ms per 1,000 URLs"
                      f"  recent {r['recent']:7.1f} ms"
                      f"  prune oldest month ({pruned:,} bodies) {update_s:5.2f}s + VACUUM"
                      f" {vacuum_s:5.2f}s, {freed / 2**20:,.0f} MB given back", flush=True)
    old, new = results["unpartitioned"], results["by month"]
    print("  by month / unpartitioned (time): "
          + ", ".join(f"{key} {new[key] / old[key]:.2f}" for key in old), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
