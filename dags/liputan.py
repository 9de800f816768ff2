"""Liputan on Airflow: the nightly crawl, and a manual run with parameters.

**liputan_nightly** crawls every source of the sources file for its data interval (articles
published since it began, less `LIPUTAN_LOOKBACK_DAYS`, default 1), one mapped `crawl` task
per source, each crawl in a child process of its own; then `clean`, `load`, `index` (full-text
search vectors) beside `stories`, and `checks`. A source whose site is down fails only its
own `crawl` task (after retries with exponential backoff); the other sources are still
cleaned and loaded, and `checks` fails the run with one line per problem. Schedule: 01:00 Asia/Jakarta by default, as a data-interval
timetable (yesterday 01:00 to today 01:00); change it with `LIPUTAN_NIGHTLY_CRON` and
`LIPUTAN_TIMEZONE`. Rerunning an interval adds nothing new.

**liputan_manual** does the same for chosen `sources` (empty: all), an optional `since`/`until`
window and `max_pages`, or, with `reclean_only`, re-cleans what is stored without fetching.
A bad parameter is refused before anything is fetched, with a message naming it.

**liputan_sources_check** (weekly, Monday 03:00 in `LIPUTAN_TIMEZONE`) fetches every source's
feeds, sitemaps and start URLs once, as `liputan sources check` does, and fails naming each
broken source and why (a moved feed, a pattern that matches nothing, nothing new for a week):
collectors that silently stop are found within a week. It writes nothing to the database.

The Liputan database is the Airflow connection `liputan_db` (e.g. `AIRFLOW_CONN_LIPUTAN_DB`).
This file only wires tasks: what they do is crawler/airflow_tasks.py; parsing it touches
neither a database nor the network nor the sources file.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from airflow.sdk import (
    CronDataIntervalTimetable,
    CronTriggerTimetable,
    Param,
    TriggerRule,
    dag,
    get_current_context,
    task,
)
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from crawler import airflow_tasks as steps
from crawler.errors import UserError

SCHEDULE = steps.nightly_schedule()
DEFAULTS = {"owner": "liputan", **steps.retry_settings()}
# Fixed, in the past, never moved: with catchup=False only the latest interval is run. A run
# for an earlier logical date would have no tasks (Airflow creates none before start_date).
START = datetime(2024, 1, 1, tzinfo=ZoneInfo(SCHEDULE.timezone))
TAGS = ["liputan"]


@contextmanager
def user_errors_fail():
    """A bad parameter or sources file will not get better by retrying: fail at once."""
    try:
        yield
    except UserError as exc:
        raise AirflowFailException(str(exc)) from exc


@task(task_id="plan", retries=0)
def plan_nightly(data_interval_start=None, dag_run=None) -> list[dict]:
    with user_errors_fail():
        if data_interval_start is None:  # triggered without a logical date
            data_interval_start = steps.latest_interval_start(dag_run.run_after)
        config = steps.load_sources()
        dsn = steps.liputan_dsn()
        last = steps.last_successful_crawls(dsn, [source.name for source in config.sources])
        return steps.nightly_plan(data_interval_start, config, last_looked=last)


@task(task_id="plan", retries=0)
def plan_manual(params=None) -> list[dict]:
    with user_errors_fail():
        return steps.manual_plan(dict(params or {}))


@task(map_index_template="{{ source }}", max_active_tis_per_dagrun=steps.crawl_parallelism(),
      execution_timeout=steps.crawl_timeout())
def crawl(job: dict) -> dict:
    get_current_context()["source"] = job["source"]  # names the mapped instance in the UI
    if not job["crawl"]:
        raise AirflowSkipException("re-clean only: nothing is fetched")
    with user_errors_fail():
        return steps.crawl_job(job, steps.liputan_dsn())


# all_done: the sources whose crawl worked are cleaned and loaded even if another one failed.
@task(trigger_rule=TriggerRule.ALL_DONE)
def clean(jobs: list[dict] | None) -> dict:
    if jobs is None:
        raise AirflowSkipException("no plan (the plan task failed): nothing to clean")
    with user_errors_fail():
        return steps.clean_jobs(jobs, steps.liputan_dsn())


@task
def load(jobs: list[dict]) -> dict:
    with user_errors_fail():
        return steps.load_jobs(jobs, steps.liputan_dsn())


@task
def index() -> str:
    with user_errors_fail():
        return steps.index(steps.liputan_dsn())


@task
def stories() -> str:
    with user_errors_fail():
        return steps.stories(steps.liputan_dsn())


# all_done and last: the run's verdict. It fails the run when a crawl or a step failed, or
# when a source's figures are unusual, with one readable line per problem.
@task(trigger_rule=TriggerRule.ALL_DONE, retries=0)
def checks(jobs: list[dict] | None, crawled, cleaned: dict | None, loaded: dict | None,
           ti=None) -> str:
    if jobs is None:
        raise AirflowFailException("nothing was run: the plan task failed (see its log)")
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    # One slice, one request; iterating would probe one past the end and log a 404 as error.
    summaries = list(crawled[:]) if crawled is not None else []
    with user_errors_fail():
        problems = steps.run_checks(jobs, summaries, states, steps.liputan_dsn(),
                                    cleaned=cleaned, loaded=loaded)
    if problems:
        raise AirflowFailException(f"{len(problems)} problem(s): " + "; ".join(problems))
    return steps.stored_line(jobs, summaries, cleaned, loaded)


def pipeline(jobs) -> None:
    crawled = crawl.expand(job=jobs)
    cleaned = clean(jobs)
    crawled >> cleaned
    loaded = load(jobs)
    cleaned >> loaded
    # Search vectors and stories both read what the load wrote, not each other.
    indexed = index()
    storied = stories()
    loaded >> [indexed, storied]
    [indexed, storied] >> checks(jobs, crawled, cleaned, loaded)


@dag(
    dag_id="liputan_nightly",
    schedule=CronDataIntervalTimetable(SCHEDULE.cron, timezone=SCHEDULE.timezone),
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    doc_md=__doc__,
    tags=TAGS,
)
def liputan_nightly():
    pipeline(plan_nightly())


@dag(
    dag_id="liputan_manual",
    schedule=None,
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    doc_md=__doc__,
    tags=TAGS,
    params={
        "sources": Param([], type="array", items={"type": "string"}, uniqueItems=True,
                         title="Sources", description="Names from the sources file; empty: all"),
        "since": Param(None, type=["null", "string"], title="Since",
                       pattern=r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                               r"(Z|[+-]\d{2}:?\d{2})?)?$",
                       description="Articles published from: a date (2024-05-01) or a "
                                   "timestamp (2024-05-01T08:00+07:00); UTC unless an offset"),
        "until": Param(None, type=["null", "string"], title="Until",
                       pattern=r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                               r"(Z|[+-]\d{2}:?\d{2})?)?$",
                       description="Articles published before: a date or timestamp like "
                                   "since, and after it"),
        "max_pages": Param(None, type=["null", "integer"], minimum=1, title="Max pages",
                           description="Articles fetched per source at most: a whole number "
                                       "of at least 1; empty: each source's own max_pages"),
        "reclean_only": Param(False, type="boolean", title="Re-clean only",
                              description="Clean the stored pages again; fetch nothing"),
    },
)
def liputan_manual():
    pipeline(plan_manual())


@dag(
    dag_id="liputan_sources_check",
    schedule=CronTriggerTimetable("0 3 * * 1", timezone=SCHEDULE.timezone),
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "liputan", "retries": 0},
    doc_md=__doc__,
    tags=TAGS,
)
def liputan_sources_check():
    @task(task_id="check_sources")
    def check_sources() -> str:
        with user_errors_fail():
            problems, total = steps.source_problems()
        if problems:
            raise AirflowFailException(f"{len(problems)} of {total} source(s) broken: "
                                       + "; ".join(problems))
        return f"all {total} source(s) work"

    check_sources()


liputan_nightly()
liputan_manual()
liputan_sources_check()
