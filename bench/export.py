"""Benchmark of `liputan export`: articles/s and peak memory per format, at two sizes.

    .venv/bin/python -m bench.export [--sizes 10000 50000] [--dsn ADMIN_DSN]

For each size, makes a database on the server (ADMIN_DSN, else $LIPUTAN_TEST_DSN, else an
embedded server in a temporary folder), stores that many synthetic articles the way
bench/load.py does (crawl runs, fetches, cleaned documents, then the real load), then runs
`liputan export` once per format in a fresh process and prints its articles/s and peak RSS
(the process's VmHWM, Linux). Flat memory: the peak at the larger size is about the one at the
smaller size, instead of growing with the number of articles. Databases are dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import store, synthetic_pages
from bench.server import admin_dsn
from crawler.db.scratch import scratch_database
from crawler.load.merge import load

# Runs in the child: one export, then its own peak RSS and seconds as JSON. The peak is
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent through fork
# and exec, so every child would report this process's own peak (its synthetic pages).
CHILD = """
import json, sys, time
from crawler.cli import main
started = time.perf_counter()
status = main(sys.argv[1:])
with open("/proc/self/status") as status_file:
    peak = next(int(line.split()[1]) for line in status_file if line.startswith("VmHWM:"))
print(json.dumps({"status": status, "seconds": time.perf_counter() - started,
                  "max_rss_kb": peak}), file=sys.stderr)
"""
FORMATS = ("jsonl", "csv", "parquet")


def run_export(dsn: str, fmt: str, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, "-q", "--dsn", dsn, "export",
                           "--format", fmt, str(out)],
                          capture_output=True, text=True, check=True)
    lines = done.stderr.strip().splitlines()
    result = json.loads(lines[-1])
    result["articles"] = int(re.search(r"exported (\d+) article", done.stderr).group(1))
    result["mb"] = out.stat().st_size / 1e6
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--dsn", default=os.environ.get("LIPUTAN_TEST_DSN"),
                        help="admin DSN of the server to use (default: $LIPUTAN_TEST_DSN, else "
                        "an embedded server in a temporary folder)")
    args = parser.parse_args(argv)

    rows = []
    with admin_dsn(args.dsn) as admin:
        for size in args.sizes:
            with scratch_database(admin, prefix="liputan_bench") as dsn, \
                    tempfile.TemporaryDirectory(prefix="liputan-export-") as folder:
                started = time.perf_counter()
                store(dsn, synthetic_pages(size))
                load(dsn)
                print(f"{size} pages stored and loaded ({time.perf_counter() - started:.0f}s)",
                      flush=True)
                for fmt in FORMATS:
                    result = run_export(dsn, fmt, Path(folder) / f"articles.{fmt}")
                    rows.append((size, fmt, result))
                    print(f"  {fmt}: {result}", flush=True)

    print(f"\n{'pages':>7} {'format':<8}{'seconds':>9}{'articles/s':>12}{'peak RSS MB':>13}"
          f"{'file MB':>9}")
    for size, fmt, r in rows:
        print(f"{size:>7} {fmt:<8}{r['seconds']:>9.1f}{r['articles'] / r['seconds']:>12.0f}"
              f"{r['max_rss_kb'] / 1024:>13.0f}{r['mb']:>9.0f}")
    print("pages: synthetic pages stored; the load merges re-crawls of a URL, so a little "
          "fewer articles are exported (articles/s counts those)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
