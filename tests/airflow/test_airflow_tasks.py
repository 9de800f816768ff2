"""crawler.airflow_tasks without a scheduler: planning and validating the manual params,
settings from the environment, the Liputan DSN from an Airflow connection, the run's verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from psycopg.conninfo import conninfo_to_dict

from crawler import airflow_tasks as steps
from crawler.config import load_config
from crawler.errors import UserError

SOURCES = """
sources:
  - name: kabar
    url: https://kabar.example/
    feeds: [https://kabar.example/rss]
    language: id
  - name: warta
    url: https://warta.example/
    sitemaps: [https://warta.example/sitemap.xml]
  - name: suara
    url: https://suara.example/
    start_urls: [https://suara.example/terbaru]
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    return load_config(path)


def refused(params, config) -> str:
    with pytest.raises(UserError) as caught:
        steps.manual_plan(params, config)
    return str(caught.value)


def test_module_imports_without_airflow():
    code = "import sys, crawler.airflow_tasks; print(sorted(m for m in sys.modules if m.startswith('airflow')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_manual_plan_without_params_crawls_every_source(config):
    jobs = steps.manual_plan({"sources": [], "since": None, "until": None, "max_pages": None,
                              "reclean_only": False}, config)
    assert steps.job_sources(jobs) == ["kabar", "warta", "suara"]
    assert all(job["crawl"] and not job["reclean"] and job["since"] is None for job in jobs)


def test_manual_plan_takes_chosen_sources_window_and_max_pages(config):
    jobs = steps.manual_plan({"sources": ["suara", "kabar"], "since": "2024-05-01",
                              "until": "2024-05-03T12:00:00+07:00", "max_pages": 5}, config)
    assert steps.job_sources(jobs) == ["kabar", "suara"]   # file order
    assert jobs[0]["since"] == "2024-05-01T00:00:00+00:00"  # a bare date is UTC
    assert jobs[0]["until"] == "2024-05-03T12:00:00+07:00"
    assert {job["max_pages"] for job in jobs} == {5}


def test_reclean_only_fetches_nothing(config):
    jobs = steps.manual_plan({"sources": ["warta"], "reclean_only": True}, config)
    assert jobs == [{"source": "warta", "since": None, "until": None, "max_pages": None,
                     "crawl": False, "reclean": True}]


@pytest.mark.parametrize(("params", "named", "detail"), [
    ({"sources": ["kabar", "nosuch"]}, "param 'sources'", "'nosuch'"),
    ({"sources": [1]}, "param 'sources'", "list of source names"),
    ({"since": "yesterday"}, "param 'since'", "'yesterday'"),
    ({"since": "2024-13-45"}, "param 'since'", "'2024-13-45'"),
    ({"since": "2024-05-02", "until": "2024-05-01"}, "param 'until'", "not after since"),
    ({"max_pages": 0}, "param 'max_pages'", "0"),
    ({"max_pages": True}, "param 'max_pages'", "True"),
    ({"reclean_only": "yes"}, "param 'reclean_only'", "'yes'"),
    ({"max_page": 3}, "param 'max_page'", "unknown"),
])
def test_bad_param_is_refused_naming_it(config, params, named, detail):
    message = refused(params, config)
    assert message.startswith(named) and detail in message and "\n" not in message


def test_sources_as_comma_separated_text_are_taken_as_a_list(config):
    jobs = steps.manual_plan({"sources": "suara, kabar"}, config)
    assert steps.job_sources(jobs) == ["kabar", "suara"]


def test_unknown_source_message_lists_the_known_ones(config):
    assert "known: kabar, suara, warta" in refused({"sources": ["nosuch"]}, config)


def test_nightly_plan_crawls_every_source_since_the_interval_began_less_the_lookback(config):
    start = datetime(2024, 5, 9, 18, tzinfo=UTC)
    jobs = steps.nightly_plan(start, config, look_back=timedelta(days=2))
    assert steps.job_sources(jobs) == ["kabar", "warta", "suara"]
    assert {job["since"] for job in jobs} == {"2024-05-07T18:00:00+00:00"}
    assert {job["until"] for job in jobs} == {None}
    # The same interval plans the same crawl: reruns are about the same window.
    assert steps.nightly_plan(start, config, look_back=timedelta(days=2)) == jobs


def test_nightly_plan_reaches_back_to_a_sources_last_successful_crawl_after_missed_nights(
        config):
    start = datetime(2024, 5, 9, 18, tzinfo=UTC)
    last_looked = {"kabar": datetime(2024, 5, 5, 19, tzinfo=UTC),   # three nights missed
                   "warta": datetime(2024, 5, 9, 19, tzinfo=UTC)}   # crawled since: no change
    jobs = steps.nightly_plan(start, config, look_back=timedelta(days=1), last_looked=last_looked)
    assert {job["source"]: job["since"] for job in jobs} == {
        "kabar": "2024-05-04T19:00:00+00:00",
        "warta": "2024-05-08T18:00:00+00:00",
        "suara": "2024-05-08T18:00:00+00:00"}  # never crawled: the interval


@pytest.mark.parametrize(("run_after", "start"), [
    # 01:00 in Jakarta is 18:00 UTC the day before
    (datetime(2026, 12, 4, 18, 0, tzinfo=UTC), datetime(2026, 12, 3, 18, tzinfo=UTC)),
    (datetime(2026, 12, 4, 17, 59, tzinfo=UTC), datetime(2026, 12, 2, 18, tzinfo=UTC)),
    (datetime(2026, 12, 5, 9, 30, tzinfo=UTC), datetime(2026, 12, 3, 18, tzinfo=UTC)),
])
def test_a_nightly_run_triggered_without_a_date_takes_the_latest_whole_interval(run_after, start):
    schedule = steps.Schedule("0 1 * * *", "Asia/Jakarta")
    assert steps.latest_interval_start(run_after, schedule) == start


def test_a_green_runs_verdict_says_what_was_stored():
    line = steps.stored_line(
        [{"source": "kabar"}, {"source": "warta"}],
        [{"fetched": 12}, {"fetched": 8}],
        {"articles": 15, "not_articles": 3, "failed": 0},
        {"new": 14, "updated": 1, "unchanged": 0, "duplicate": 2})
    assert line == ("2 crawl run(s) of 2 source(s) checked: as usual; 20 page(s) fetched; "
                    "clean: 15 article(s), 3 not; load: 14 new, 1 updated, 0 unchanged, "
                    "2 duplicate")


def test_nightly_plan_needs_a_data_interval(config):
    with pytest.raises(UserError, match="data interval"):
        steps.nightly_plan(None, config)


def test_sources_file_comes_from_the_environment_else_the_packaged_one(tmp_path):
    assert steps.sources_path({"LIPUTAN_SOURCES": str(tmp_path / "x.yaml")}) == tmp_path / "x.yaml"
    assert steps.sources_path({}).name == "indonesia.yaml"
    assert steps.sources_path({}).is_file()


def test_schedule_defaults_to_one_in_the_morning_in_jakarta():
    assert steps.nightly_schedule({}) == steps.Schedule("0 1 * * *", "Asia/Jakarta")
    assert steps.nightly_schedule({"LIPUTAN_NIGHTLY_CRON": "15 3 * * 1-5",
                                   "LIPUTAN_TIMEZONE": "Asia/Makassar"}) == \
        steps.Schedule("15 3 * * 1-5", "Asia/Makassar")


@pytest.mark.parametrize(("environ", "named"), [
    ({"LIPUTAN_NIGHTLY_CRON": "every night"}, "$LIPUTAN_NIGHTLY_CRON"),
    ({"LIPUTAN_TIMEZONE": "Asia/Atlantis"}, "$LIPUTAN_TIMEZONE"),
])
def test_bad_schedule_setting_is_refused_naming_the_variable(environ, named):
    with pytest.raises(UserError, match=r"^\$" + named[1:]):
        steps.nightly_schedule(environ)


def test_retries_back_off_exponentially_and_are_settable():
    assert steps.retry_settings({}) == {
        "retries": 2, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1)}
    settings = steps.retry_settings({"LIPUTAN_RETRIES": "0", "LIPUTAN_RETRY_DELAY": "7"})
    assert (settings["retries"], settings["retry_delay"]) == (0, timedelta(seconds=7))
    with pytest.raises(UserError, match=r"^\$LIPUTAN_RETRIES: 'two'"):
        steps.retry_settings({"LIPUTAN_RETRIES": "two"})
    with pytest.raises(UserError, match=r"^\$LIPUTAN_CRAWL_PARALLELISM: 0 is less than 1"):
        steps.crawl_parallelism({"LIPUTAN_CRAWL_PARALLELISM": "0"})


def connection(**fields):
    base = {"host": None, "port": None, "schema": None, "login": None, "password": None,
            "extra": None}
    base.update(fields)
    extra = base["extra"]
    return SimpleNamespace(**base, extra_dejson=json.loads(extra) if extra else {})


def test_dsn_from_an_airflow_postgres_connection():
    dsn = steps.dsn_from_connection(connection(
        host="db.internal", port=5433, schema="liputan", login="liputan_writer",
        password="p@ss word", extra=json.dumps({"sslmode": "require", "cursor": "dictcursor"})))
    assert conninfo_to_dict(dsn) == {"host": "db.internal", "port": "5433", "dbname": "liputan",
                                     "user": "liputan_writer", "password": "p@ss word",
                                     "sslmode": "require"}


def test_dsn_from_a_socket_connection_leaves_out_what_is_unset():
    dsn = steps.dsn_from_connection(connection(host="/run/postgresql", schema="liputan"))
    assert conninfo_to_dict(dsn) == {"host": "/run/postgresql", "dbname": "liputan"}


JOBS = [{"source": "kabar", "crawl": True}, {"source": "warta", "crawl": True},
        {"source": "suara", "crawl": True}]


def test_a_failed_crawl_task_is_a_problem_named_by_its_source():
    states = {"plan": "success", "crawl_0": "success", "crawl_1": "failed",
              "crawl_2": "success", "clean": "success", "load": "success",
              "index": "success", "stories": "success", "checks": "running"}
    assert steps.task_problems(JOBS, states) == [
        "source warta: crawl task crawl[1] failed (see its log)"]


def test_a_failed_step_is_a_problem_and_skipped_crawls_of_a_reclean_are_not():
    jobs = [dict(job, crawl=False) for job in JOBS]
    states = {"crawl_0": "skipped", "crawl_1": "skipped", "crawl_2": "skipped",
              "clean": "success", "load": "failed", "index": "upstream_failed",
              "stories": "upstream_failed"}
    assert steps.task_problems(jobs, states) == ["task load failed",
                                                 "task index upstream_failed",
                                                 "task stories upstream_failed"]
