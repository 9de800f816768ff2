"""Airflow: a task killed mid-way and retried gives the same result as one clean run.

tests/airflow runs whole DAGs with dag.test(), which executes every task inside one process:
killing a task there kills the run. So this test runs the DAG's task bodies
(crawler/airflow_tasks.py: crawl_job, clean_jobs, load_jobs) the way a worker does, each in a
process of its own (tests/faults/task_runner.py), SIGKILLs each task at a seeded moment, runs
the retry, and compares the database with one fault-free run of the same tasks.

A second case kills only the task process and leaves its crawl child running (a worker
killed by Airflow's timeout, the crawl orphaned): the retry meets the source's lock and fails
without touching anything; the next retry, after the orphan is done, completes the work.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from crawler import airflow_tasks
from crawler.airflow_tasks import CrawlFailed, CrawlJob
from crawler.config import load_config
from tests.faults.support import HANG_GUARD_SECONDS, kill_group
from tests.faults.test_database_restart import differences, snapshot

SEED = 31
SITE = "kabarnusa"
RESPONSE_DELAY = 0.4
ROOT = Path(__file__).resolve().parents[2]


def start_task(step: str, dsn: str, sources: Path, jobs: list[dict]) -> subprocess.Popen:
    # Output to a file, not a pipe: an orphaned crawl child must not keep our reader waiting.
    log = (sources.parent / f"task-{step}.log").open("a")
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.faults.task_runner", step, dsn, str(sources),
             json.dumps(jobs)], cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _count(dsn: str, query: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(query).fetchone()[0]


def kill_when(process: subprocess.Popen, dsn: str, query: str, target: int, *,
              whole_group: bool = True) -> bool:
    """SIGKILL the task once `query` counts `target`; False if it had finished first."""
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while _count(dsn, query) < target and process.poll() is None:
        assert time.monotonic() < deadline, "the task made no progress"
        time.sleep(0.02)
    alive = process.poll() is None
    if whole_group:
        kill_group(process)
    else:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return alive


def clean_run(dsn: str, config, jobs: list[dict]) -> None:
    for job in jobs:
        airflow_tasks.crawl_job(job, dsn, config)
    airflow_tasks.clean_jobs(jobs, dsn, config)
    airflow_tasks.load_jobs(jobs, dsn)


@pytest.fixture
def setup(news_web, new_database, tmp_path):
    # retries=3: a stale keep-alive connection must not use up the 500-once page's retry.
    sources = news_web.sources_file(tmp_path, sites=[SITE], source_settings={"concurrency": 1},
                                    retries=3)
    config = load_config(sources)
    jobs = [CrawlJob(SITE).as_dict()]
    reference = new_database()
    clean_run(reference, config, jobs)
    return sources, config, jobs, snapshot(reference)


def test_each_task_killed_then_retried_gives_what_one_clean_run_gives(setup, news_web,
                                                                      new_database):
    sources, config, jobs, expected = setup
    rng = random.Random(SEED)
    dsn = new_database()

    news_web.set_delay(SITE, RESPONSE_DELAY)
    task = start_task("crawl", dsn, sources, jobs)
    assert kill_when(task, dsn, "SELECT count(*) FROM liputan.fetches", rng.randint(1, 15))
    news_web.set_delay(SITE, 0.0)
    (summary,) = [airflow_tasks.crawl_job(job, dsn, config) for job in jobs]  # the retry
    assert summary["status"] == "finished"

    task = start_task("clean", dsn, sources, jobs)
    kill_when(task, dsn, "SELECT count(*) FROM liputan.documents", rng.randint(1, 8))
    airflow_tasks.clean_jobs(jobs, dsn, config)

    task = start_task("load", dsn, sources, jobs)
    kill_when(task, dsn, "SELECT count(*) FROM liputan.article_fetches", rng.randint(0, 5))
    airflow_tasks.load_jobs(jobs, dsn)

    got = snapshot(dsn)
    assert got == expected, differences(got, expected)


def test_retry_while_the_killed_tasks_crawl_still_runs_fails_cleanly_then_succeeds(
        setup, news_web, new_database):
    sources, config, jobs, expected = setup
    dsn = new_database()

    # Slow enough that the orphan is still crawling when the retry starts.
    news_web.set_delay(SITE, 2 * RESPONSE_DELAY)
    task = start_task("crawl", dsn, sources, jobs)
    # Only the task process dies; its crawl child (a process group of the task's) lives on.
    group = task.pid
    assert kill_when(task, dsn, "SELECT count(*) FROM liputan.fetches", 1, whole_group=False)
    try:
        with pytest.raises(CrawlFailed, match="locked"):
            airflow_tasks.crawl_job(jobs[0], dsn, config)
        news_web.set_delay(SITE, 0.0)
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while _count(dsn, "SELECT count(*) FROM liputan.crawl_runs WHERE status = 'running'"):
            assert time.monotonic() < deadline, "the orphaned crawl never finished"
            time.sleep(0.1)
    finally:
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
    summary = airflow_tasks.crawl_job(jobs[0], dsn, config)
    assert summary["status"] == "finished"
    airflow_tasks.clean_jobs(jobs, dsn, config)
    airflow_tasks.load_jobs(jobs, dsn)

    got = snapshot(dsn)
    assert got == expected, differences(got, expected)
