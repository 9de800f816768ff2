"""The DAGs run for real: dag.test() in a child process, with Airflow's metadata on the test
PostgreSQL server, the Liputan database of each test, and the fixture news web on 127.0.0.1.

Specification, as seen from the database and from Airflow's task instances:
- the nightly run loads every source's articles; running the same interval again adds nothing;
- a source whose site is down fails its own crawl task only (after a retry); the others are
  cleaned and loaded, and checks fails the run naming the source;
- the manual run does what its params say; a bad param is refused before anything is fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

for module in ("crawler.fetch.crawl", "crawler.clean.step", "crawler.load.merge",
               "crawler.stories.assign"):
    pytest.importorskip(module, reason=f"{module} is not written yet")

from tests.airflow.conftest import (
    AirflowRunner,
    airflow_connection,
    base_environment,
)

# Triggered at 2024-07-10 01:00 in Jakarta: the last whole interval, 2024-07-08 01:00 ->
# 2024-07-09 01:00 (WIB), is the run's.
LOGICAL_DATE = "2024-07-10T01:00:00+07:00"
INTERVAL_START = datetime(2024, 7, 8, 18, tzinfo=UTC)
# Reaching back past every fixture article of 2024 but not those of 2019 and 2020.
LOOKBACK_DAYS = 200
SINCE = INTERVAL_START - timedelta(days=LOOKBACK_DAYS)


@pytest.fixture(scope="module")
def runner(airflow_metadata, tmp_path_factory):
    """One Airflow for the module's runs (starting one is most of a run's time)."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = base_environment(
        home,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=airflow_metadata,
        LIPUTAN_LOOKBACK_DAYS=str(LOOKBACK_DAYS),
        # One retry, one second later: the retry is exercised, the test stays short.
        LIPUTAN_RETRIES="1", LIPUTAN_RETRY_DELAY="1",
    )
    runner = AirflowRunner(env, home / "driver.log")
    yield runner
    runner.close()


@pytest.fixture
def airflow(runner):
    """run(dag_id, sources_file, dsn, conf=None) -> DriverResult: one dag.test() each."""
    def run(dag_id: str, sources_file, dsn: str, conf: dict | None = None):
        return runner.run(dag_id, LOGICAL_DATE, conf, env={
            "AIRFLOW_CONN_LIPUTAN_DB": airflow_connection(dsn),
            "LIPUTAN_SOURCES": str(sources_file)})
    return run


def states(result) -> dict[str, str]:
    """task id (crawl[source] for mapped ones) -> state of its last try."""
    answer = {}
    for ti in result.answer["task_instances"]:
        key = f"{ti['task_id']}[{ti['label']}]" if ti["map_index"] >= 0 else ti["task_id"]
        answer[key] = ti["state"]
    return answer


def tries(result, task_id: str, label: str) -> int:
    return next(ti["try_number"] for ti in result.answer["task_instances"]
                if ti["task_id"] == task_id and ti["label"] == label)


def article_urls(dsn: str) -> dict[str, set[str]]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT source, canonical_url FROM news.articles").fetchall()
    found: dict[str, set[str]] = {}
    for source, url in rows:
        found.setdefault(source, set()).add(url)
    return found


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return dict(zip(("articles", "versions", "documents", "fetches"), conn.execute(
            "SELECT (SELECT count(*) FROM news.articles), (SELECT count(*) FROM"
            " news.article_versions), (SELECT count(*) FROM liputan.documents),"
            " (SELECT count(*) FROM liputan.fetches)").fetchone(), strict=True))


def test_nightly_run_loads_every_source_and_rerunning_the_interval_adds_nothing(
        airflow, news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path)
    first = airflow("liputan_nightly", sources, dsn)

    assert first.answer["state"] == "success", first.log[-3000:]
    assert set(states(first).values()) == {"success"}
    assert {f"crawl[{site}]" for site in news_web.sites()} <= set(states(first))
    # The run's window is its data interval, from the explicit timetable.
    assert first.answer["data_interval"] == ["2024-07-08T18:00:00+00:00",
                                             "2024-07-09T18:00:00+00:00"]
    assert article_urls(dsn) == {site: news_web.expected_urls(site, since=SINCE)
                                 for site in news_web.sites()}
    assert "3 crawl run(s) of 3 source(s) checked: as usual" in first.log
    before = counts(dsn)

    again = airflow("liputan_nightly", sources, dsn)
    assert again.answer["state"] == "success", again.log[-3000:]
    after = counts(dsn)
    assert (after["articles"], after["versions"]) == (before["articles"], before["versions"])
    assert article_urls(dsn) == {site: news_web.expected_urls(site, since=SINCE)
                                 for site in news_web.sites()}


def test_a_source_whose_site_is_down_fails_only_its_own_crawl_task(
        airflow, news_web, new_database, tmp_path):
    dsn = new_database()
    down = "wartaharian"
    sources = news_web.sources_file(tmp_path, down=(down,))
    result = airflow("liputan_nightly", sources, dsn)

    task_states = states(result)
    assert task_states[f"crawl[{down}]"] == "failed"
    assert tries(result, "crawl", down) == 2, "retried once before failing"
    up = [site for site in news_web.sites() if site != down]
    for site in up:
        assert task_states[f"crawl[{site}]"] == "success"
    assert [task_states[t] for t in ("clean", "load", "index", "stories")] == ["success"] * 4
    # The run is failed, by checks, with the reason in its log.
    assert task_states["checks"] == "failed" and result.answer["state"] == "failed"
    assert f"source {down}: crawl task crawl[" in result.log
    assert article_urls(dsn) == {site: news_web.expected_urls(site, since=SINCE) for site in up}


def test_manual_run_crawls_the_chosen_source_and_reclean_only_fetches_nothing(
        airflow, news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path)
    chosen, others = "kabarnusa", [s for s in news_web.sites() if s != "kabarnusa"]
    result = airflow("liputan_manual", sources, dsn,
                     {"sources": [chosen], "since": "2024-01-01", "max_pages": 200})
    assert result.answer["state"] == "success", result.log[-3000:]
    assert [k for k in states(result) if k.startswith("crawl[")] == [f"crawl[{chosen}]"]
    since = datetime(2024, 1, 1, tzinfo=UTC)
    assert article_urls(dsn) == {chosen: news_web.expected_urls(chosen, since=since)}
    assert all(news_web.requests(site) == [] for site in others)
    before = counts(dsn)
    requests_before = len(news_web.requests(chosen))

    reclean = airflow("liputan_manual", sources, dsn, {"sources": [chosen], "reclean_only": True})
    assert reclean.answer["state"] == "success", reclean.log[-3000:]
    assert states(reclean)[f"crawl[{chosen}]"] == "skipped"
    assert len(news_web.requests(chosen)) == requests_before
    after = counts(dsn)
    assert after["fetches"] == before["fetches"]
    assert (after["articles"], after["documents"]) == (before["articles"], before["documents"])


def test_a_bad_param_is_refused_before_anything_is_fetched(
        airflow, news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path)

    # Types and formats: refused by Airflow itself, before a run exists.
    for conf, name in [({"max_pages": 0}, "max_pages"), ({"since": "yesterday"}, "since"),
                       ({"sources": "kabarnusa"}, "sources"), ({"reclean_only": "yes"},
                                                               "reclean_only")]:
        refused = airflow("liputan_manual", sources, dsn, conf)
        assert f"Invalid input for param {name}:" in refused.answer["refused"]

    # A typo in a param's name: refused by plan.
    typo = airflow("liputan_manual", sources, dsn, {"max_page": 3})
    assert states(typo)["plan"] == "failed"
    assert "param 'max_page': unknown" in typo.log

    result = airflow("liputan_manual", sources, dsn, {"sources": ["kabarnusa", "nosuch"]})
    task_states = states(result)
    assert task_states["plan"] == "failed" and result.answer["state"] == "failed"
    assert "param 'sources': no source named 'nosuch'" in result.log
    assert task_states["crawl"] == "upstream_failed"
    assert all(news_web.requests(site) == [] for site in news_web.sites())
    assert counts(dsn)["fetches"] == 0


def test_a_missing_database_connection_fails_at_once_naming_it(runner, news_web, tmp_path):
    sources = news_web.sources_file(tmp_path, sites=["suarapagi"])
    result = runner.run("liputan_manual", LOGICAL_DATE, {}, env={
        "AIRFLOW_CONN_LIPUTAN_DB": None, "LIPUTAN_SOURCES": str(sources)})
    assert states(result)["crawl[suarapagi]"] == "failed"
    assert tries(result, "crawl", "suarapagi") == 1, "a missing setting is not retried"
    assert "Airflow connection 'liputan_db' is not defined: set $AIRFLOW_CONN_LIPUTAN_DB" \
        in result.log
    assert news_web.requests("suarapagi") == []


def test_after_missed_nights_the_nightly_run_takes_what_was_published_meanwhile(
        runner, news_web, new_database, tmp_path):
    dsn = new_database()
    site = "suarapagi"
    env = {"AIRFLOW_CONN_LIPUTAN_DB": airflow_connection(dsn),
           # Feeds and sitemaps only: they date their articles, and `since` skips by that date
           "LIPUTAN_SOURCES": str(news_web.sources_file(
               tmp_path, sites=[site], source_settings={"start_urls": [], "max_depth": 1})),
           "LIPUTAN_LOOKBACK_DAYS": "1"}
    # The night of 2-3 July (01:00 in Jakarta is 18:00 UTC): the site has published up to then.
    night = datetime(2024, 7, 2, 18, tzinfo=UTC)
    news_web.publish_until(site, night)
    first = runner.run("liputan_nightly", "2024-07-03T01:00:00+07:00", None, env=env)
    assert first.answer["state"] == "success", first.log[-3000:]
    with psycopg.connect(dsn) as conn:  # that crawl began that night, on the site's clock
        conn.execute("UPDATE liputan.crawl_runs SET started_at = %s", (night,))

    # The scheduler is down for three nights; the site goes on publishing. With catchup off
    # only the latest interval runs, from 6 July: 3-5 July's articles are still in the feeds.
    news_web.publish_until(site, None)
    second = runner.run("liputan_nightly", "2024-07-07T01:00:00+07:00", None, env=env)
    assert second.answer["state"] == "success", second.log[-3000:]
    first_since = night - timedelta(days=2)  # the first interval's start, less the lookback
    assert article_urls(dsn) == {site: news_web.expected_urls(site, since=first_since)}
