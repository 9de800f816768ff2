"""The nightly DAG under Airflow with the CeleryExecutor, as a user runs it on several machines:
api-server, scheduler and dag-processor, Redis as the broker, two `airflow celery worker`
processes (w1, w2; each reports its name as the task instances' hostname, as two machines
would), started once for the module by tests/airflow/live.py. The news web is four sites: the
three fixture outlets and a plain one of many pages.

Specification, as seen from Airflow's REST API and from the Liputan database:
- a nightly run over four sources lands every expected article, and its mapped crawl tasks ran
  on both workers;
- a worker killed outright (SIGKILL to it and every process it started, as when its machine
  dies) while it runs a crawl: the crawl is retried on the other worker, the run still goes
  green, and what it stored equals what a fault-free run stores: the same articles with the
  same texts, each once, with one version and one `new` fetch; no fetched page left uncleaned;
  the killed crawl's run marked interrupted, none left running.

The scheduler notices the dead worker's tasks after AIRFLOW__SCHEDULER__
TASK_INSTANCE_HEARTBEAT_TIMEOUT, lowered here from 300 s to 20 s. Skipped when Redis does not
answer at 127.0.0.1:6379.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.airflow.live import (
    REDIS_URL,
    AirflowError,
    LiveAirflow,
    PlainOutlet,
    Run,
    by_source,
    crawl_runs,
    recreate_database,
    redis_reachable,
    stored_articles,
)
from tests.newsweb.outlets import OUTLETS
from tests.newsweb.server import NewsWeb

pytestmark = pytest.mark.skipif(not redis_reachable(),
                                reason=f"no Redis answering at {REDIS_URL} (the broker)")

# Nightly runs of two successive intervals (see test_live_local.py); with a lookback of 200
# days both reach every fixture article of 2024 and none of 2019 and 2020.
LOOKBACK_DAYS = 200
FAULT_FREE_DATE = "2024-07-10T01:00:00+07:00"
FAULT_FREE_SINCE = datetime(2024, 7, 8, 18, tzinfo=UTC) - timedelta(days=LOOKBACK_DAYS)
KILLED_DATE = "2024-07-11T01:00:00+07:00"
KILLED_SINCE = datetime(2024, 7, 9, 18, tzinfo=UTC) - timedelta(days=LOOKBACK_DAYS)
SETTINGS = {
    "LIPUTAN_LOOKBACK_DAYS": str(LOOKBACK_DAYS),
    # Two retries, one second apart (doubling): the killed crawl's retry starts at once.
    "LIPUTAN_RETRIES": "2", "LIPUTAN_RETRY_DELAY": "1",
    # A task whose worker died is failed (then retried) once its heartbeat is 20 s old; the
    # task processes heartbeat every 2 s.
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "2",
    "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "2",
    # A task the dead worker had received but not started stays queued (its message unacked
    # in Redis for the 24 h visibility timeout) until this.
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "60",
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "5",
}
PLAIN = "harianpolos"
PLAIN_PAGES = 60
# Per request while a crawl of the plain site is to be caught running: ~8 s of articles.
SLOW_S = 0.5
CATCH_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def four_sites():
    """The fixture news web's three outlets and a plain site, served for this module."""
    web = NewsWeb([outlet() for outlet in OUTLETS] + [PlainOutlet(PLAIN, PLAIN_PAGES)])
    with web:
        yield web


@pytest.fixture(scope="module")
def airflow(airflow_metadata, liputan_db, four_sites, tmp_path_factory):
    home = tmp_path_factory.mktemp("live-celery")
    sources = four_sites.sources_file(home)
    with LiveAirflow(home / "airflow", airflow_metadata, liputan_dsn=liputan_db,
                     sources=sources, executor="CeleryExecutor", workers=2,
                     worker_concurrency=2, settings=SETTINGS) as live:
        yield live


@pytest.fixture(autouse=True)
def logs_on_failure(request, airflow):
    failed = request.session.testsfailed
    yield
    airflow.report_if_failed(request, failed)


@pytest.fixture(scope="module")
def fault_free(airflow, server_dsn, dsn, liputan_db, four_sites):
    """The nightly run with nothing going wrong: the run, its task instances, what it stored."""
    recreate_database(server_dsn, liputan_db, dsn)
    run = airflow.wait(airflow.trigger("liputan_nightly", logical_date=FAULT_FREE_DATE))
    return {"run": run, "task_instances": airflow.task_instances(run),
            "articles": stored_articles(liputan_db), "describe": airflow.describe(run)}


def crawl_hosts(task_instances: list[dict]) -> dict[str, str]:
    return {ti["rendered_map_index"]: ti["hostname"] for ti in task_instances
            if ti["task_id"] == "crawl"}


def test_nightly_run_on_two_workers_lands_every_article(fault_free, four_sites):
    assert fault_free["run"].state == "success", fault_free["describe"]
    sites = four_sites.sites()
    assert len(sites) >= 4
    assert by_source(fault_free["articles"]) == {
        site: four_sites.expected_urls(site, since=FAULT_FREE_SINCE) for site in sites}
    hosts = crawl_hosts(fault_free["task_instances"])
    assert set(hosts) == set(sites)
    assert set(hosts.values()) == {"w1", "w2"}, "the mapped crawls ran on both workers"


def map_index_of(airflow: LiveAirflow, run: Run, source: str) -> int:
    """The map index of `source`'s crawl task: its place in the plan task's jobs (a running
    task's rendered_map_index is still empty: it is rendered when the task is done)."""
    deadline = time.monotonic() + CATCH_TIMEOUT_S
    while time.monotonic() < deadline:
        plan = next(ti for ti in airflow.task_instances(run) if ti["task_id"] == "plan")
        if plan["state"] == "success":
            jobs = airflow.xcom(run, "plan")
            return [job["source"] for job in jobs].index(source)
        if plan["state"] not in (None, "scheduled", "queued", "running"):
            break
        time.sleep(0.3)
    raise AirflowError(f"no plan to find crawl[{source}] in:\n{airflow.describe(run)}")


def catch_running_crawl(airflow: LiveAirflow, run: Run, source: str, dsn: str) -> dict:
    """The crawl task of `source` once it runs on a worker and its crawl has stored article
    pages (so it is killed mid-crawl, not before or after)."""
    map_index = map_index_of(airflow, run, source)
    deadline = time.monotonic() + CATCH_TIMEOUT_S
    while time.monotonic() < deadline:
        # None until the scheduler has expanded the mapped task.
        ti = next((ti for ti in airflow.task_instances(run)
                   if ti["task_id"] == "crawl" and ti["map_index"] == map_index), {})
        if ti.get("state") == "running" and ti["hostname"] in airflow.workers:
            with psycopg.connect(dsn) as conn:
                pages, = conn.execute(
                    "SELECT count(*) FROM liputan.fetches f JOIN liputan.crawl_runs r"
                    " USING (crawl_run_id) WHERE r.source = %s AND r.status = 'running'"
                    " AND f.kind = 'article'", (source,)).fetchone()
            if pages:
                return ti
        if ti.get("state") not in (None, "scheduled", "queued", "running"):
            break
        time.sleep(0.3)
    raise AirflowError(f"crawl[{source}] not caught running:\n{airflow.describe(run)}")


def test_a_worker_killed_mid_crawl_loses_nothing_and_duplicates_nothing(
        airflow, fault_free, server_dsn, dsn, liputan_db, four_sites):
    recreate_database(server_dsn, liputan_db, dsn)
    four_sites.set_delay(PLAIN, SLOW_S)
    try:
        run = airflow.trigger("liputan_nightly", logical_date=KILLED_DATE)
        running = catch_running_crawl(airflow, run, PLAIN, liputan_db)
        victim = running["hostname"]
        airflow.kill(victim)
    finally:
        four_sites.set_delay(PLAIN, 0)
    run = airflow.wait(run)
    survivor, = (name for name in airflow.workers if name != victim)

    assert run.state == "success", airflow.describe(run)
    tries = airflow.tries(run, "crawl", running["map_index"])
    assert tries[0]["hostname"] == victim and tries[0]["state"] != "success", tries
    assert (tries[-1]["hostname"], tries[-1]["state"]) == (survivor, "success"), tries

    # What it stored is what the fault-free run stored: the same articles, the same texts.
    articles = stored_articles(liputan_db)
    assert by_source(articles) == {
        site: four_sites.expected_urls(site, since=KILLED_SINCE) for site in four_sites.sites()}
    same = ("source", "title", "text_md5", "version", "duplicate_of")
    assert {url: [a[key] for key in same] for url, a in articles.items()} == \
        {url: [a[key] for key in same] for url, a in fault_free["articles"].items()}
    with psycopg.connect(liputan_db) as conn:
        # Each article once: one version, one fetch that made it new (pages fetched by the
        # killed crawl and again by its retry are "unchanged" the second time).
        assert conn.execute(
            "SELECT a.canonical_url, count(*) FILTER (WHERE u.outcome = 'new'),"
            " count(DISTINCT u.version), max(u.version) FROM news.articles a"
            " JOIN news.article_urls u USING (article_id) GROUP BY a.canonical_url"
            " HAVING count(*) FILTER (WHERE u.outcome = 'new') <> 1"
            " OR count(DISTINCT u.version) <> 1 OR max(u.version) <> 1").fetchall() == []
        # Nothing lost: every article page fetched, by either crawl, was cleaned.
        assert conn.execute(
            "SELECT f.fetch_id, f.crawl_run_id, f.url FROM liputan.fetches f"
            " LEFT JOIN liputan.documents d USING (fetch_id)"
            " WHERE f.kind = 'article' AND f.reason IS NULL AND d.fetch_id IS NULL"
        ).fetchall() == []
    statuses = sorted(r["status"] for r in crawl_runs(liputan_db).values()
                      if r["source"] == PLAIN)
    assert statuses == ["finished", "interrupted"]
    assert all(r["status"] != "running" for r in crawl_runs(liputan_db).values())
