"""Airflow benchmark: one nightly run of the fixture news web under the CeleryExecutor (Redis,
two workers) against the LocalExecutor, to see the mapped crawl tasks overlap.

Both run the same `liputan_nightly` interval through a real Airflow (api-server, scheduler,
dag-processor and, for Celery, `airflow celery worker` processes: tests/airflow/live.py) with
its metadata in a scratch database, over a news web of N plain sites on 127.0.0.1 (tests/newsweb)
that answer every request after a delay, so that each crawl takes a few seconds.

Printed, per executor: each crawl task's wall time (start to end, from its task instance) and
where it ran, side by side; the crawl phase's span (first crawl start to last crawl end); the
sum of the crawl times over that span (how many ran at once, on average); and the run's span.

    .venv/bin/python bench/airflow.py                       # 4 sites, 40 pages, 0.3 s
    .venv/bin/python bench/airflow.py --sites 6 --delay 0.5 --dsn postgresql://...

The database is $LIPUTAN_DSN, --dsn, else the embedded server; scratch databases are created on
it and dropped afterwards. The Redis database used is an empty one of 8..15, flushed after.
Figures vary with the machine's load: run on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from crawler.db.connect import resolve_dsn
from crawler.db.scratch import scratch_database
from tests.airflow.conftest import base_environment, sqlalchemy_url
from tests.airflow.live import LiveAirflow, PlainOutlet, redis_reachable
from tests.newsweb.server import NewsWeb

LOGICAL_DATE = "2024-07-10T01:00:00+07:00"
# The plain sites publish from March 2024: a lookback of 200 days from July reaches them all.
SETTINGS = {"LIPUTAN_LOOKBACK_DAYS": "200", "LIPUTAN_RETRIES": "0"}
EXECUTORS = ("LocalExecutor", "CeleryExecutor")


def run_nightly(executor: str, server_dsn: str, web: NewsWeb, folder: Path,
                workers: int) -> dict:
    """One nightly run under `executor`: its state, span and crawl task instances."""
    home = folder / executor
    home.mkdir()
    with scratch_database(server_dsn, prefix="airflow_bench", migrated=False) as metadata, \
            scratch_database(server_dsn, prefix="liputan_bench") as dsn:
        url = sqlalchemy_url(metadata)
        env = base_environment(home, AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=url)
        subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env, cwd=home,
                       check=True, capture_output=True, timeout=300)
        live = LiveAirflow(home / "airflow", url, liputan_dsn=dsn,
                           sources=web.sources_file(home), executor=executor,
                           workers=workers, settings=SETTINGS)
        with live:
            run = live.wait(live.trigger("liputan_nightly", logical_date=LOGICAL_DATE))
            if run.state != "success":
                raise SystemExit(f"{executor}: the run {run.state}\n{live.describe(run)}")
            crawls = [ti for ti in live.task_instances(run) if ti["task_id"] == "crawl"]
    return {"run": run, "crawls": {ti["rendered_map_index"]: ti for ti in crawls}}


def _span(items: list[dict], start: str = "start_date", end: str = "end_date") -> float:
    first = min(datetime.fromisoformat(item[start]) for item in items)
    last = max(datetime.fromisoformat(item[end]) for item in items)
    return (last - first).total_seconds()


def _wall(ti: dict) -> float:
    return (datetime.fromisoformat(ti["end_date"])
            - datetime.fromisoformat(ti["start_date"])).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=4, help="plain sites (default 4)")
    parser.add_argument("--pages", type=int, default=40, help="articles per site (default 40)")
    parser.add_argument("--delay", type=float, default=0.3,
                        help="seconds every answer waits (default 0.3)")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (default 2)")
    parser.add_argument("--dsn", help="PostgreSQL server (default $LIPUTAN_DSN or embedded)")
    args = parser.parse_args()
    if not redis_reachable():
        raise SystemExit("no Redis at 127.0.0.1:6379: the CeleryExecutor needs it")
    server_dsn = resolve_dsn(args.dsn)
    sites = [f"situs{n}" for n in range(1, args.sites + 1)]
    web = NewsWeb([PlainOutlet(name, args.pages) for name in sites])
    print(f"airflow benchmark: {args.sites} sites x {args.pages} articles, {args.delay}s per "
          f"answer, crawl concurrency 4 per site; Celery: {args.workers} workers x 2 "
          f"(machine load now: {os.getloadavg()[0]:.1f})", flush=True)
    results = {}
    with web, tempfile.TemporaryDirectory(prefix="bench-airflow-") as tmp:
        for site in sites:
            web.set_delay(site, args.delay)
        for executor in EXECUTORS:
            results[executor] = run_nightly(executor, server_dsn, web, Path(tmp), args.workers)
            print(f"  {executor}: done", flush=True)

    local, celery = (results[name] for name in EXECUTORS)
    print(f"{'crawl task':<12} {'Local s':>8} {'Celery s':>9} {'on':>4}")
    for site in sites:
        print(f"{site:<12} {_wall(local['crawls'][site]):>8.1f} "
              f"{_wall(celery['crawls'][site]):>9.1f} {celery['crawls'][site]['hostname']:>4}")
    rows = []
    for name in EXECUTORS:
        crawls = list(results[name]["crawls"].values())
        span = _span(crawls)
        rows.append((name, span, sum(map(_wall, crawls)) / span,
                     _span([results[name]["run"].data])))
    print(f"{'':<15} {'crawl span s':>12} {'crawls at once':>15} {'run span s':>11}")
    for name, span, at_once, run_span in rows:
        print(f"{name:<15} {span:>12.1f} {at_once:>15.2f} {run_span:>11.1f}")
    print(f"crawl span Celery / Local: {rows[1][1] / rows[0][1]:.2f}; "
          f"run span Celery / Local: {rows[1][3] / rows[0][3]:.2f}")


if __name__ == "__main__":
    main()
