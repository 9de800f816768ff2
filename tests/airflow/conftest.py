"""Airflow for the tests: a home in a temporary folder, its metadata database on the test
PostgreSQL server (never SQLite), and every Airflow call in a child process (driver.py) whose
environment is built here, so pytest itself never imports or configures Airflow."""

from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
DRIVER = Path(__file__).with_name("driver.py")
# Generous: the machine is shared; a DAG run of the fixture news web takes seconds.
DRIVER_TIMEOUT_S = 240


@dataclass
class DriverResult:
    answer: dict
    log: str   # stdout and stderr: the task logs of dag.test() land here


def base_environment(home: Path, **settings: str) -> dict[str, str]:
    """The test process's environment without any Airflow or Liputan setting of the machine."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AIRFLOW", "LIPUTAN_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "PYTHONPATH": str(REPO),
    })
    env.update(settings)
    return env


def run_driver(env: Mapping[str, str], *args: str) -> DriverResult:
    proc = subprocess.run([sys.executable, str(DRIVER), *args], env=dict(env),
                          cwd=env["AIRFLOW_HOME"], capture_output=True, text=True,
                          timeout=DRIVER_TIMEOUT_S, check=False)
    log = proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise AssertionError(f"driver {args[0]} exited {proc.returncode}:\n{log[-4000:]}")
    return DriverResult(json.loads(lines[-1]), log)


class AirflowRunner:
    """One `driver.py serve` process for many DAG runs: Airflow starts once per module."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "w+b")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), "serve", str(DAGS)], env=dict(env),
            cwd=env["AIRFLOW_HOME"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    def run(self, dag_id: str, logical_date: str, conf: dict | None = None,
            env: Mapping[str, str | None] | None = None) -> DriverResult:
        """dag.test() of `dag_id`; env: variables set (None: unset) in the driver first."""
        start = self.log_path.stat().st_size
        request = {"dag_id": dag_id, "logical_date": logical_date, "conf": conf,
                   "env": dict(env or {})}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        if not self._selector.select(timeout=DRIVER_TIMEOUT_S):
            raise AssertionError(f"no answer from the driver in {DRIVER_TIMEOUT_S}s:\n"
                                 + self._tail(start))
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the driver died:\n" + self._tail(start))
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"{answer['error']}\n{self._tail(start)}")
        return DriverResult(answer, self._tail(start, limit=None))

    def _tail(self, start: int, limit: int | None = 6000) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(start)
            text = log.read().decode("utf-8", "replace")
        return text if limit is None else text[-limit:]

    def close(self) -> None:
        self.process.stdin.close()
        try:
            # It has nothing left to save; Airflow's exit hooks alone can take many seconds.
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._selector.close()
        self.process.stdout.close()
        self._log.close()


def sqlalchemy_url(dsn: str) -> str:
    """A libpq DSN as the SQLAlchemy URL Airflow wants (psycopg2 driver; sockets as ?host=)."""
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(dsn)
    host = params.get("host") or "localhost"
    socket_dir = host.startswith("/")
    return URL.create(
        "postgresql+psycopg2",
        username=params.get("user"), password=params.get("password") or None,
        host=None if socket_dir else host,
        port=int(params["port"]) if params.get("port") else None,
        database=params.get("dbname"),
        query={"host": host} if socket_dir else {},
    ).render_as_string(hide_password=False)


def airflow_connection(dsn: str) -> str:
    """AIRFLOW_CONN_LIPUTAN_DB for a DSN, in Airflow's JSON form (a socket path fits it)."""
    params = conninfo_to_dict(dsn)
    return json.dumps({
        "conn_type": "postgres", "host": params.get("host") or "localhost",
        "port": int(params["port"]) if params.get("port") else 5432,
        "schema": params.get("dbname"), "login": params.get("user"),
        "password": params.get("password") or None,
    })


@pytest.fixture(scope="module")
def airflow_metadata(server_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLAlchemy URL of a migrated Airflow metadata database of this module's own."""
    from crawler.db.scratch import scratch_database

    with scratch_database(server_dsn, prefix="airflow_test", migrated=False) as dsn:
        url = sqlalchemy_url(dsn)
        home = tmp_path_factory.mktemp("airflow-migrate")
        env = base_environment(home, AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=url)
        proc = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env,
                              cwd=home, capture_output=True, text=True,
                              timeout=DRIVER_TIMEOUT_S, check=False)
        assert proc.returncode == 0, f"airflow db migrate failed:\n{proc.stderr[-3000:]}"
        yield url


@pytest.fixture(scope="module")
def liputan_db(server_dsn: str, dsn: str) -> Iterator[str]:
    """The Liputan database a live Airflow's connection names (tests/airflow/live.py): a copy
    of the module's migrated `dsn`, which stays untouched, so a test can make it again."""
    from crawler.db.scratch import scratch_database

    with scratch_database(server_dsn, prefix="liputan_test", migrated=False,
                          template=conninfo_to_dict(dsn)["dbname"]) as copy:
        yield copy


def trap_connections(listener: socket.socket) -> int:
    """How many connections a listening (non-blocking) socket has received."""
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1
