"""Every DAG in dags/ loads with no import error and no side effect: parsing touches no
database, no network and not even the sources file; schedules come from the environment."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.airflow.conftest import DAGS, base_environment, run_driver, trap_connections


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A port nothing may connect to while the DAGs are parsed."""
    trap = socket.socket()
    trap.bind(("127.0.0.1", 0))
    trap.listen(16)
    trap.setblocking(False)
    yield trap
    trap.close()


def parse(tmp_path, listener, **settings) -> dict:
    port = listener.getsockname()[1]
    nowhere = f"postgresql://liputan:secret@127.0.0.1:{port}/liputan"
    env = base_environment(
        tmp_path,
        # Every database Airflow or Liputan could reach points at the trap...
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=nowhere.replace("postgresql", "postgresql+psycopg2"),
        AIRFLOW_CONN_LIPUTAN_DB=nowhere,
        LIPUTAN_DSN=nowhere,
        # ...and the sources file does not exist: reading it at parse time is an import error.
        LIPUTAN_SOURCES=str(tmp_path / "no-such-sources.yaml"),
        **settings,
    )
    return run_driver(env, "describe", str(DAGS)).answer


@pytest.fixture(scope="module")
def parsed(tmp_path_factory, listener) -> dict:
    return parse(tmp_path_factory.mktemp("airflow-home"), listener)


def test_every_dag_loads_without_import_errors(parsed):
    assert parsed["import_errors"] == {}
    assert set(parsed["dags"]) == {"liputan_nightly", "liputan_manual", "liputan_sources_check"}


def test_the_sources_check_runs_weekly_and_catches_nothing_up(parsed):
    weekly = parsed["dags"]["liputan_sources_check"]
    assert weekly["timetable"] == "CronTriggerTimetable"
    assert (weekly["cron"], weekly["timezone"]) == ("0 3 * * 1", "Asia/Jakarta")
    assert weekly["catchup"] is False


def test_parsing_has_no_side_effects(parsed, listener):
    assert parsed["side_effects"] == []
    assert trap_connections(listener) == 0


def test_nightly_runs_at_one_in_jakarta_on_a_data_interval_timetable(parsed):
    nightly = parsed["dags"]["liputan_nightly"]
    assert nightly["timetable"] == "CronDataIntervalTimetable"
    assert (nightly["cron"], nightly["timezone"]) == ("0 1 * * *", "Asia/Jakarta")
    assert nightly["catchup"] is False and nightly["max_active_runs"] == 1


def test_crawl_is_mapped_and_later_steps_run_when_one_crawl_failed(parsed):
    for dag in (parsed["dags"]["liputan_nightly"], parsed["dags"]["liputan_manual"]):
        tasks = dag["tasks"]
        assert tasks["crawl"]["mapped"] and tasks["crawl"]["upstream"] == ["plan"]
        assert tasks["clean"]["trigger_rule"].endswith("ALL_DONE")
        assert "crawl" in tasks["clean"]["upstream"]
        assert tasks["load"]["upstream"] == ["clean", "plan"]
        assert tasks["index"]["upstream"] == ["load"]
        assert tasks["stories"]["upstream"] == ["load"]
        assert tasks["checks"]["trigger_rule"].endswith("ALL_DONE")
        assert {"crawl", "index", "stories"} <= set(tasks["checks"]["upstream"])


def test_tasks_retry_with_exponential_backoff_except_plan_and_checks(parsed):
    tasks = parsed["dags"]["liputan_nightly"]["tasks"]
    for task_id in ("crawl", "clean", "load", "index", "stories"):
        assert tasks[task_id]["retries"] == 2
        assert tasks[task_id]["retry_exponential_backoff"]
        assert tasks[task_id]["retry_delay_s"] == 300
    # Deterministic: a retry would give the same answer.
    assert tasks["plan"]["retries"] == 0 and tasks["checks"]["retries"] == 0
    # A hung crawl is stopped (and retried) instead of holding a worker for ever.
    assert tasks["crawl"]["timeout_s"] == 7200


def test_manual_dag_takes_validated_params_and_has_no_schedule(parsed):
    manual = parsed["dags"]["liputan_manual"]
    assert manual["timetable"] == "NullTimetable"
    assert manual["params"] == ["max_pages", "reclean_only", "since", "sources", "until"]


def test_schedule_and_retries_change_through_the_environment(tmp_path, listener):
    parsed = parse(tmp_path, listener, LIPUTAN_NIGHTLY_CRON="30 2 * * *",
                   LIPUTAN_TIMEZONE="UTC", LIPUTAN_RETRIES="5", LIPUTAN_RETRY_DELAY="60",
                   LIPUTAN_CRAWL_TIMEOUT="900")
    nightly = parsed["dags"]["liputan_nightly"]
    assert (nightly["cron"], nightly["timezone"]) == ("30 2 * * *", "UTC")
    assert nightly["tasks"]["crawl"]["retries"] == 5
    assert nightly["tasks"]["crawl"]["retry_delay_s"] == 60
    assert nightly["tasks"]["crawl"]["timeout_s"] == 900


def test_bad_schedule_is_an_import_error_naming_the_variable(tmp_path, listener):
    parsed = parse(tmp_path, listener, LIPUTAN_NIGHTLY_CRON="61 1 * * *")
    [error] = parsed["import_errors"].values()
    assert "$LIPUTAN_NIGHTLY_CRON" in error and "'61 1 * * *'" in error
