"""The DAGs under Airflow as users run it: api-server, scheduler and dag-processor as separate
processes with the LocalExecutor (tests/airflow/live.py), metadata on the test PostgreSQL, runs
triggered through the REST API, the fixture news web on 127.0.0.1. Airflow starts once for the
module; each test empties the module's Liputan database first.

Specification, as seen from Airflow's REST API and from the Liputan database:
- a manual run of chosen sources goes green and lands exactly the articles of those sources,
  each with its provenance: the URL it was fetched from, when (during the run), by which crawl
  run (the one the source's crawl task reported) and how the URL was discovered;
- a nightly run of an explicit interval lands exactly every source's articles published since
  the interval began (less the lookback), with the same provenance;
- a nightly run triggered without a logical date crawls from the latest whole interval;
- a run whose articles do not land is not green: here the database keeps none of what the
  clean step stores, as when clean's workers died and stored nothing, and the run must end
  `failed` (it went green before: the checks task had nothing to compare).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from crawler.urls import canonicalize
from tests.airflow.live import (
    LiveAirflow,
    Run,
    by_source,
    crawl_runs,
    provenance,
    recreate_database,
    stored_articles,
)

# As in test_dag_runs.py: triggered at 2024-07-10 01:00 in Jakarta, the run's interval is
# 2024-07-09 01:00 -> 2024-07-10 01:00 WIB; a lookback of 200 days reaches past every fixture
# article of 2024 but not those of 2019 and 2020.
LOGICAL_DATE = "2024-07-10T01:00:00+07:00"
INTERVAL = (datetime(2024, 7, 8, 18, tzinfo=UTC), datetime(2024, 7, 9, 18, tzinfo=UTC))
LOOKBACK_DAYS = 200
SINCE = INTERVAL[0] - timedelta(days=LOOKBACK_DAYS)
SETTINGS = {
    "LIPUTAN_LOOKBACK_DAYS": str(LOOKBACK_DAYS),
    # One retry, one second later: a flaky fetch does not fail the run, the tests stay short.
    "LIPUTAN_RETRIES": "1", "LIPUTAN_RETRY_DELAY": "1",
}
DISCOVERED_VIA = {"feed", "sitemap", "listing", "link", "config"}


@pytest.fixture(scope="module")
def airflow(airflow_metadata, liputan_db, news_web_module, tmp_path_factory):
    """Airflow for the module, its sources the fixture news web's three sites."""
    home = tmp_path_factory.mktemp("live-local")
    sources = news_web_module.sources_file(home)
    with LiveAirflow(home / "airflow", airflow_metadata, liputan_dsn=liputan_db,
                     sources=sources, executor="LocalExecutor", settings=SETTINGS) as live:
        yield live


@pytest.fixture(autouse=True)
def fresh_database(request, airflow, server_dsn, dsn, liputan_db):
    """A fresh Liputan database for each test; the services' logs when a test failed."""
    recreate_database(server_dsn, liputan_db, dsn)
    failed = request.session.testsfailed
    yield
    airflow.report_if_failed(request, failed)


def crawl_tasks(airflow: LiveAirflow, run: Run) -> dict[str, dict]:
    """source -> its crawl task instance, with the summary the task returned (XCom)."""
    found = {}
    for ti in airflow.task_instances(run):
        if ti["task_id"] == "crawl" and ti["map_index"] >= 0:
            found[ti["rendered_map_index"]] = {
                **ti, "summary": airflow.xcom(run, "crawl", ti["map_index"])}
    return found


def assert_landed_with_provenance(airflow: LiveAirflow, run: Run, dsn: str,
                                  expected: dict[str, set[str]]) -> None:
    """news.articles holds exactly `expected` (source -> canonical URLs); every article has
    its provenance, from the crawl run its source's crawl task reported, during the run."""
    articles = stored_articles(dsn)
    assert by_source(articles) == expected, airflow.describe(run)

    tasks = crawl_tasks(airflow, run)
    assert set(tasks) == set(expected)
    run_of = {source: task["summary"]["crawl_run_id"] for source, task in tasks.items()}
    runs = crawl_runs(dsn)
    for source, crawl_run_id in run_of.items():
        assert runs[crawl_run_id]["source"] == source
        assert runs[crawl_run_id]["status"] == "finished"

    started = datetime.fromisoformat(run["start_date"])
    ended = datetime.fromisoformat(run["end_date"])
    rows = provenance(dsn)
    for url, article in articles.items():
        assert rows.get(url), f"{url}: no row in news.article_urls"
        for row in rows[url]:
            assert row["crawl_run_id"] == run_of[article["source"]], (url, row)
            assert started <= row["fetched_at"] <= ended, (url, row)
            assert row["discovered_via"] in DISCOVERED_VIA, (url, row)
            assert row["http_status"] == 200, (url, row)
            # Fetched from this URL, or redirected from it to the article's.
            fetched = {row["url"], row["final_url"] or row["url"]}
            assert url in {canonicalize(fetched_url) for fetched_url in fetched}, (url, row)
        first = rows[url][0]
        assert (first["url"], first["outcome"]) == (article["url"], "new"), (url, rows[url])


def test_manual_run_lands_every_article_with_its_provenance(airflow, liputan_db,
                                                            news_web_module):
    chosen = ["kabarnusa", "suarapagi"]
    run = airflow.wait(airflow.trigger(
        "liputan_manual", conf={"sources": chosen, "since": "2024-01-01"}))

    assert run.state == "success", airflow.describe(run)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    assert_landed_with_provenance(
        airflow, run, liputan_db, {site: news_web_module.expected_urls(site, since=since)
                            for site in chosen})


def test_nightly_run_of_an_interval_lands_every_source_with_its_provenance(
        airflow, liputan_db, news_web_module):
    run = airflow.wait(airflow.trigger("liputan_nightly", logical_date=LOGICAL_DATE))

    assert run.state == "success", airflow.describe(run)
    interval = (datetime.fromisoformat(run["data_interval_start"]),
                datetime.fromisoformat(run["data_interval_end"]))
    assert interval == INTERVAL
    assert_landed_with_provenance(
        airflow, run, liputan_db, {site: news_web_module.expected_urls(site, since=SINCE)
                            for site in news_web_module.sites()})


def test_a_nightly_run_triggered_without_a_date_crawls_the_latest_whole_interval(
        airflow, liputan_db, news_web_module):
    # `airflow dags trigger liputan_nightly`, the Trigger button: no logical date, and so no
    # data interval of Airflow's; plan takes the latest whole interval before the trigger.
    from crawler.airflow_tasks import Schedule, latest_interval_start

    run = airflow.wait(airflow.trigger("liputan_nightly"))

    assert run.state == "success", airflow.describe(run)
    start = latest_interval_start(datetime.fromisoformat(run["run_after"]),
                                  Schedule("0 1 * * *", "Asia/Jakarta"))
    since = {job["since"] for job in airflow.xcom(run, "plan")}
    assert since == {(start - timedelta(days=LOOKBACK_DAYS)).isoformat()}


# The clean step's writes vanish: what it reports is not what the database keeps.
DISCARD_DOCUMENTS = """
CREATE FUNCTION liputan.test_discard_row() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER test_discard_documents BEFORE INSERT OR UPDATE ON liputan.documents
FOR EACH ROW EXECUTE FUNCTION liputan.test_discard_row();
"""
KEEP_DOCUMENTS = """
DROP TRIGGER IF EXISTS test_discard_documents ON liputan.documents;
DROP FUNCTION IF EXISTS liputan.test_discard_row();
"""


@pytest.fixture
def documents_vanish(liputan_db):
    with psycopg.connect(liputan_db, autocommit=True) as conn:
        conn.execute(DISCARD_DOCUMENTS)
    yield
    with psycopg.connect(liputan_db, autocommit=True) as conn:
        conn.execute(KEEP_DOCUMENTS)


def test_a_run_whose_articles_do_not_land_is_not_green(airflow, liputan_db, documents_vanish):
    run = airflow.wait(airflow.trigger(
        "liputan_manual", conf={"sources": ["suarapagi"], "since": "2024-01-01"}))

    with psycopg.connect(liputan_db) as conn:
        pages, = conn.execute("SELECT count(*) FROM liputan.fetches WHERE kind = 'article'"
                              " AND reason IS NULL").fetchone()
    # The fault as meant: the crawl fetched article pages, and not one article landed.
    assert pages > 0
    assert stored_articles(liputan_db) == {}
    assert run.state == "failed", airflow.describe(run)


def test_the_weekly_sources_check_fails_naming_the_sources_that_stopped(airflow, liputan_db):
    # The fixture news web's newest items are from 2024: every one of its sources is stale.
    run = airflow.wait(airflow.trigger("liputan_sources_check"))

    assert run.state == "failed", airflow.describe(run)
    assert len(airflow.tries(run, "check_sources")) == 1  # a broken source is not retried
    log = airflow.log(run, "check_sources")
    assert "3 of 3 source(s) broken" in log, log[-2000:]
    assert all(site in log for site in ("kabarnusa", "wartaharian", "suarapagi")), log[-2000:]
