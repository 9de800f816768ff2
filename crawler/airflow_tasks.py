"""What the Airflow tasks in dags/liputan.py do, with no Airflow import at module level.

The DAG file only wires tasks; every decision lives here so it can be read, tested and reused
without a scheduler: plan -> crawl (one mapped task per source) -> clean -> load -> index and
stories -> checks. The settings read from the environment are in docs/airflow.md ("Settings").
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.errors import UserError

logger = logging.getLogger(__name__)

SOURCES_ENV = "LIPUTAN_SOURCES"
CRON_ENV = "LIPUTAN_NIGHTLY_CRON"
TIMEZONE_ENV = "LIPUTAN_TIMEZONE"
RETRIES_ENV = "LIPUTAN_RETRIES"
RETRY_DELAY_ENV = "LIPUTAN_RETRY_DELAY"
PARALLELISM_ENV = "LIPUTAN_CRAWL_PARALLELISM"
CRAWL_TIMEOUT_ENV = "LIPUTAN_CRAWL_TIMEOUT"
CONN_ID_ENV = "LIPUTAN_CONN_ID"
LOOKBACK_ENV = "LIPUTAN_LOOKBACK_DAYS"

DEFAULT_CRON = "0 1 * * *"
DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_RETRIES = 2
DEFAULT_RETRY_DELAY_S = 300
# Backoff doubles the delay per try; a site down for hours is tomorrow's run's business.
MAX_RETRY_DELAY = timedelta(hours=1)
DEFAULT_PARALLELISM = 4
# A source's nightly crawl takes minutes; two hours means it hangs, and holds a worker slot.
DEFAULT_CRAWL_TIMEOUT_S = 2 * 60 * 60
DEFAULT_CONN_ID = "liputan_db"
# An article published just before 01:00 may reach its feed after the run has looked: the
# next night looks one day further back, and loading it twice changes nothing.
DEFAULT_LOOKBACK_DAYS = 1

# The manual DAG's params, in the order the trigger form shows them.
MANUAL_PARAMS = ("sources", "since", "until", "max_pages", "reclean_only")

# Connection extras that are libpq parameters; anything else (a hook's own options) is ignored.
LIBPQ_EXTRAS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "options", "application_name",
                "connect_timeout", "target_session_attrs", "gssencmode")


class CrawlFailed(Exception):
    """A source's crawl did not work (its site down, every fetch failed): retry, then fail."""


# ---------------------------------------------------------------------------------------------
# Settings read when the DAG file is parsed.

@dataclass(frozen=True)
class Schedule:
    cron: str
    timezone: str


def nightly_schedule(environ: Mapping[str, str] = os.environ) -> Schedule:
    """The nightly cron and time zone; a bad value is a UserError naming the variable."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from croniter import croniter

    cron = environ.get(CRON_ENV, "").strip() or DEFAULT_CRON
    zone = environ.get(TIMEZONE_ENV, "").strip() or DEFAULT_TIMEZONE
    if not croniter.is_valid(cron):
        raise UserError(f"${CRON_ENV}: {cron!r} is not a cron expression like {DEFAULT_CRON!r}")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"${TIMEZONE_ENV}: {zone!r} is not a time zone like "
                        f"{DEFAULT_TIMEZONE!r}") from None
    return Schedule(cron, zone)


def retry_settings(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """default_args for every task: retries with exponential backoff."""
    retries = _env_int(environ, RETRIES_ENV, DEFAULT_RETRIES, minimum=0)
    delay = _env_int(environ, RETRY_DELAY_ENV, DEFAULT_RETRY_DELAY_S, minimum=1)
    return {
        "retries": retries,
        "retry_delay": timedelta(seconds=delay),
        "retry_exponential_backoff": True,
        "max_retry_delay": max(MAX_RETRY_DELAY, timedelta(seconds=delay)),
    }


def lookback(environ: Mapping[str, str] = os.environ) -> timedelta:
    return timedelta(days=_env_int(environ, LOOKBACK_ENV, DEFAULT_LOOKBACK_DAYS, minimum=0))


def crawl_timeout(environ: Mapping[str, str] = os.environ) -> timedelta:
    return timedelta(seconds=_env_int(environ, CRAWL_TIMEOUT_ENV, DEFAULT_CRAWL_TIMEOUT_S,
                                      minimum=1))


def crawl_parallelism(environ: Mapping[str, str] = os.environ) -> int:
    return _env_int(environ, PARALLELISM_ENV, DEFAULT_PARALLELISM, minimum=1)


def _env_int(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UserError(f"${name}: {raw!r} is not a whole number") from None
    if value < minimum:
        raise UserError(f"${name}: {value} is less than {minimum}")
    return value


def sources_path(environ: Mapping[str, str] = os.environ) -> Path:
    """$LIPUTAN_SOURCES, else the sources file shipped with Liputan."""
    if environ.get(SOURCES_ENV, "").strip():
        return Path(environ[SOURCES_ENV].strip())
    from crawler.config import default_sources_path

    return default_sources_path()


def load_sources():
    """The validated sources file (crawler.config.Config)."""
    from crawler.config import load_config

    return load_config(sources_path())


# ---------------------------------------------------------------------------------------------
# The database, through an Airflow connection.

def liputan_dsn(conn_id: str | None = None) -> str:
    """The libpq DSN of Airflow connection `liputan_db` (e.g. from $AIRFLOW_CONN_LIPUTAN_DB)."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    conn_id = conn_id or os.environ.get(CONN_ID_ENV, "").strip() or DEFAULT_CONN_ID
    try:
        conn = Connection.get(conn_id)
    except AirflowNotFoundException:
        raise UserError(f"Airflow connection {conn_id!r} is not defined: set "
                        f"$AIRFLOW_CONN_{conn_id.upper()} or add it under Admin > Connections") \
            from None
    return dsn_from_connection(conn)


def dsn_from_connection(conn: Any) -> str:
    """host/port/schema/login/password (+ libpq extras) of an Airflow connection as a DSN."""
    from psycopg.conninfo import make_conninfo

    params: dict[str, Any] = {
        "host": conn.host or None,
        "port": conn.port or None,
        # Airflow's postgres connections keep the database name in `schema`.
        "dbname": conn.schema or None,
        "user": conn.login or None,
        "password": conn.password or None,
    }
    extra = conn.extra_dejson if getattr(conn, "extra", None) else {}
    params.update({key: extra[key] for key in LIBPQ_EXTRAS if extra.get(key) is not None})
    return make_conninfo(**{key: value for key, value in params.items() if value is not None})


# ---------------------------------------------------------------------------------------------
# Planning: which sources, which window, what to do. Jobs are dicts so they fit XCom.

@dataclass(frozen=True)
class CrawlJob:
    source: str
    since: str | None = None      # ISO timestamps: XCom carries JSON
    until: str | None = None
    max_pages: int | None = None
    crawl: bool = True            # False: re-clean only, nothing is fetched
    reclean: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CrawlJob:
        return cls(**data)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def nightly_plan(interval_start: datetime | None, config=None,
                 look_back: timedelta | None = None,
                 last_looked: Mapping[str, datetime] | None = None) -> list[dict]:
    """Every source, articles published since the data interval began (less the lookback), or
    since the source's last successful crawl (`last_looked`) began if that is earlier.

    The second: with catchup off, a scheduler that was down for nights runs only the latest
    interval, and the articles published meanwhile must not be skipped. No `until`: what
    appeared since the interval ended is tomorrow's too, and loading it twice changes nothing.
    """
    if interval_start is None:
        raise UserError("the nightly run needs a data interval (a cron data-interval timetable)")
    config = config or load_sources()
    back = lookback() if look_back is None else look_back
    last_looked = last_looked or {}
    jobs = []
    for source in config.sources:
        since = min(interval_start, last_looked.get(source.name, interval_start)) - back
        jobs.append(CrawlJob(source.name, since.isoformat()).as_dict())
    return jobs


# Open-ended crawls (no `until`) that finished: a source's articles published since such a
# crawl began are the ones a nightly run may not have seen yet.
LAST_LOOKED_SQL = """
SELECT source, max(started_at) FROM liputan.crawl_runs
WHERE source = ANY(%(sources)s) AND status = 'finished' AND params ->> 'until' IS NULL
GROUP BY source
"""


def last_successful_crawls(dsn: str, names: Sequence[str]) -> dict[str, datetime]:
    """When each source's last finished open-ended crawl began (sources never crawled: none)."""
    import psycopg

    from crawler.db.connect import connection

    try:
        with connection(dsn) as conn:
            return dict(conn.execute(LAST_LOOKED_SQL, {"sources": list(names)}).fetchall())
    except psycopg.errors.UndefinedTable:
        raise UserError("the Liputan database has no liputan.crawl_runs: run "
                        "`liputan db upgrade` on it first") from None


def latest_interval_start(run_after: datetime, schedule: Schedule | None = None) -> datetime:
    """Start of the latest whole nightly interval before `run_after`: what a run triggered
    without a logical date (`airflow dags trigger liputan_nightly`) takes."""
    from zoneinfo import ZoneInfo

    from croniter import croniter

    schedule = schedule or nightly_schedule()
    ticks = croniter(schedule.cron, run_after.astimezone(ZoneInfo(schedule.timezone))
                     + timedelta(seconds=1))  # a tick at run_after itself ends an interval
    ticks.get_prev(datetime)  # the interval's end
    return ticks.get_prev(datetime)


def manual_plan(params: Mapping[str, Any], config=None) -> list[dict]:
    """Validated jobs from the manual DAG's params; a bad one is a UserError naming it."""
    from crawler.config import parse_date

    config = config or load_sources()
    unknown = sorted(set(params) - set(MANUAL_PARAMS))
    if unknown:
        raise UserError(f"param {unknown[0]!r}: unknown (expected {', '.join(MANUAL_PARAMS)})")
    names = params.get("sources") or []
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise UserError("param 'sources': expected a list of source names")
    known = {source.name for source in config.sources}
    missing = [name for name in names if name not in known]
    if missing:
        raise UserError(f"param 'sources': no source named {', '.join(map(repr, missing))} in "
                        f"{config.path} (known: {', '.join(sorted(known))})")
    since = until = None
    if params.get("since"):
        since = parse_date(params["since"], "param 'since'")
    if params.get("until"):
        until = parse_date(params["until"], "param 'until'")
    if since and until and until <= since:
        raise UserError(f"param 'until': {until.isoformat()} is not after since "
                        f"({since.isoformat()})")
    max_pages = params.get("max_pages")
    if max_pages is not None and (isinstance(max_pages, bool) or not isinstance(max_pages, int)
                                  or max_pages < 1):
        raise UserError(f"param 'max_pages': {max_pages!r} is not a whole number of at least 1")
    reclean = params.get("reclean_only", False)
    if not isinstance(reclean, bool):
        raise UserError(f"param 'reclean_only': {reclean!r} is not true or false")
    return [CrawlJob(source.name,
                     since.isoformat() if since else None,
                     until.isoformat() if until else None,
                     max_pages, crawl=not reclean, reclean=reclean).as_dict()
            for source in config.select(names)]


def source_problems(config=None) -> tuple[list[str], int]:
    """(one line per broken source, how many were checked): `liputan sources check`'s verdict."""
    from crawler.sources.check import broken_sources

    config = config or load_sources()
    broken = broken_sources(config)
    return ([f"{name}: {'; '.join(reasons)}" for name, reasons in broken.items()],
            len(config.sources))


def job_sources(jobs: Iterable[Mapping[str, Any]]) -> list[str]:
    return [job["source"] for job in jobs]


# ---------------------------------------------------------------------------------------------
# The steps.

def crawl_job(job: Mapping[str, Any], dsn: str, config=None) -> dict[str, Any]:
    """Crawl one source (crawler.fetch.crawl runs it in a child process); CrawlFailed if it failed.

    Returns the small summary that goes to XCom: source, crawl_run_id, status, fetched, failed.
    """
    from crawler.fetch.crawl import crawl

    plan = CrawlJob.from_dict(job)
    config = config or load_sources()
    result = crawl(dsn, config, sources=[plan.source],
                   since=_timestamp(plan.since), until=_timestamp(plan.until),
                   max_pages=plan.max_pages)
    logger.info("crawl %s: %s", plan.source, result.summary())
    runs = [run for run in result.runs if run.source == plan.source]
    if not runs:
        raise CrawlFailed(f"source {plan.source}: the crawl recorded no run "
                          f"({result.summary()})")
    run = runs[-1]
    summary = {"source": run.source, "crawl_run_id": run.crawl_run_id, "status": run.status,
               "fetched": run.fetched, "failed": run.failed}
    if not result.ok or run.status != "finished":
        # "locked": another crawl of this source is running; a retry later may find it done.
        which = f"crawl run {run.crawl_run_id}" if run.crawl_run_id else "crawl"
        error = getattr(run, "error", None)
        raise CrawlFailed(f"source {plan.source}: {which} {run.status} ({run.fetched} fetched, "
                          f"{run.failed} failed){f': {error}' if error else ''}")
    if run.fetched == 0 and run.failed > 0:
        # Every request failed: the site is down or refusing us, whatever the run says.
        raise CrawlFailed(f"source {plan.source}: all {run.failed} fetches of crawl run "
                          f"{run.crawl_run_id} failed")
    return summary


def clean_jobs(jobs: Sequence[Mapping[str, Any]], dsn: str, config=None) -> dict[str, Any]:
    """Clean what the crawl stored for these sources (everything again when re-cleaning).

    In a child process (crawler.clean.child): a task process may not start clean's pool.
    Returns the figures checks reads (XCom).
    """
    from crawler.clean.child import clean_in_child

    config = config or load_sources()
    sources = config.select(job_sources(jobs))
    result = clean_in_child(dsn, config, sources=[source.name for source in sources],
                            reclean=any(job.get("reclean") for job in jobs))
    logger.info("clean: %s", result.summary())
    return {"summary": result.summary(), "cleaned": result.cleaned,
            "articles": result.articles, "not_articles": result.not_articles,
            "failed": result.failed}


def load_jobs(jobs: Sequence[Mapping[str, Any]], dsn: str) -> dict[str, Any]:
    """Load the cleaned documents of these sources; returns the figures checks reads (XCom)."""
    from crawler.load.merge import load

    result = load(dsn, sources=job_sources(jobs))
    return {"summary": result.summary(), "new": result.new, "updated": result.updated,
            "unchanged": result.unchanged, "duplicate": result.duplicate,
            "rejected": result.rejected}


def index(dsn: str) -> str:
    from crawler.load.search_index import fill_search

    return fill_search(dsn).summary()


def stories(dsn: str) -> str:
    from crawler.stories.assign import update_stories

    return update_stories(dsn).summary()


def run_checks(jobs: Sequence[Mapping[str, Any]], crawled: Iterable[Mapping[str, Any]],
               task_states: Mapping[str, str], dsn: str,
               cleaned: Mapping[str, Any] | None = None,
               loaded: Mapping[str, Any] | None = None) -> list[str]:
    """Everything wrong with this run, one readable line each; [] when all is as usual.

    cleaned / loaded: what the clean and load tasks returned (None if they did not run).
    """
    from crawler.health.checks import check_runs, check_steps

    problems = task_problems(jobs, task_states)
    run_ids = [item["crawl_run_id"] for item in crawled if item and item.get("crawl_run_id")]
    problems += [problem.message for problem in check_runs(dsn, run_ids)]
    problems += check_steps(dsn, run_ids, cleaned, loaded)
    return problems


def stored_line(jobs: Sequence[Mapping[str, Any]], crawled: Sequence[Mapping[str, Any]],
                cleaned: Mapping[str, Any] | None, loaded: Mapping[str, Any] | None) -> str:
    """A green run's verdict: what it fetched and stored."""
    fetched = sum(item.get("fetched", 0) for item in crawled if item)
    line = (f"{len(crawled)} crawl run(s) of {len(jobs)} source(s) checked: as usual; "
            f"{fetched} page(s) fetched")
    if cleaned:
        line += f"; clean: {cleaned['articles']} article(s), {cleaned['not_articles']} not"
    if loaded:
        line += (f"; load: {loaded['new']} new, {loaded['updated']} updated, "
                 f"{loaded['unchanged']} unchanged, {loaded['duplicate']} duplicate")
    return line


# Task ids of the pipeline after the crawl, in order; checks reports those that did not succeed.
STEP_TASKS = ("clean", "load", "index", "stories")


def task_problems(jobs: Sequence[Mapping[str, Any]], states: Mapping[str, str]) -> list[str]:
    """Tasks of this DAG run that did not succeed; `states` as Airflow gives them:
    task id -> state, with mapped instances as `crawl_<map index>`."""
    problems = []
    for index, job in enumerate(jobs):
        state = states.get(f"crawl_{index}")
        if job.get("crawl", True) and state != "success":
            problems.append(f"source {job['source']}: crawl task crawl[{index}] {state or 'missing'}"
                            " (see its log)")
    for task_id in STEP_TASKS:
        state = states.get(task_id)
        if state not in ("success", None):
            problems.append(f"task {task_id} {state}")
    return problems


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
