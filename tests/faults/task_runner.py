"""One Airflow task body (crawler/airflow_tasks.py) in a process of its own, as a worker runs
it, so a test can SIGKILL the task mid-way and then run the retry:

    python -m tests.faults.task_runner crawl|clean|load DSN SOURCES_FILE JOBS_JSON

Prints the task's return value (what would go to XCom) as the last line.
"""

from __future__ import annotations

import json
import sys

from crawler import airflow_tasks
from crawler.config import load_config


def run_task(step: str, dsn: str, sources: str, jobs: list[dict]) -> object:
    config = load_config(sources)
    if step == "crawl":
        return [airflow_tasks.crawl_job(job, dsn, config) for job in jobs]
    if step == "clean":
        return airflow_tasks.clean_jobs(jobs, dsn, config)
    if step == "load":
        return airflow_tasks.load_jobs(jobs, dsn)
    raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    step, dsn, sources, jobs = sys.argv[1:5]
    print(json.dumps(run_task(step, dsn, sources, json.loads(jobs)), default=str))
