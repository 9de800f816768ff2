"""A real Airflow for the tests, started the way a user runs one: `airflow api-server`,
`airflow scheduler`, `airflow dag-processor` (and `airflow triggerer` if asked) as separate
processes, plus N `airflow celery worker` processes under the CeleryExecutor.

    with LiveAirflow(home, metadata_url, liputan_dsn=dsn, sources=path,
                     executor="CeleryExecutor", workers=2) as airflow:
        run = airflow.trigger("liputan_manual", conf={"sources": ["kabarnusa"]})
        run = airflow.wait(run)                # run.state: "success" or "failed"
        airflow.task_instances(run)            # state, try_number, hostname, pid, start/end
        airflow.tries(run, "crawl", 0)         # every try of one task instance
        airflow.kill("w1")                     # SIGKILL a worker and all it started

What it sets up, per instance:
- AIRFLOW_HOME in a folder of the caller's (a tmp dir); metadata in the PostgreSQL database
  `metadata_url` (migrated: the `airflow_metadata` fixture of conftest.py gives one); the DAGs
  folder is this checkout's dags/;
- free ports for the api-server (AIRFLOW__API__PORT, and the execution API URL the workers
  use) and the log servers; a JWT secret shared by every process;
- the Liputan database as AIRFLOW_CONN_LIPUTAN_DB and LIPUTAN_SOURCES, plus any LIPUTAN_*
  setting passed in `settings`;
- CeleryExecutor: broker redis://127.0.0.1:6379/N on a Redis database number claimed for this
  instance (an empty one of 8..15, marked with a key, or one a dead launcher of this host
  left behind; flushed when stopped, and only that one), result backend `db+postgresql+psycopg2://` on the metadata database, and workers
  named w1, w2... (`--celery-hostname`, `--skip-serve-logs`); each worker reports its name as
  the task instances' `hostname`, as workers on separate machines would;
- the scheduler never creates runs from the cron schedule (`use_job_schedule = False`): the
  tests trigger every run they look at through the REST API (a token from GET /auth/token,
  `simple_auth_manager_all_admins`), with an explicit logical date where it matters; a DAG
  is unpaused (PATCH is_paused) when first triggered, as a user does in the UI.

Every service writes its output to `<home>/services/<name>.log`; `tails()` gives their last
lines, for failure reports. `stop()` ends every process it started, with the processes they
started (task processes leave the service's process group): SIGTERM, then SIGKILL.

Nothing here imports Airflow: every Airflow call is a process or an HTTP request, so the
caller's configuration never leaks into Airflow's and the reverse.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from tests.newsweb.content import make_article
from tests.newsweb.outlets import Generated

REPO = Path(__file__).resolve().parents[2]
# Generous: the machine is shared and has two cores; a fixture-web run takes well under a minute.
START_TIMEOUT_S = 180
RUN_TIMEOUT_S = 300
STOP_GRACE_S = 10
POLL_S = 1.0
# The Redis databases this launcher may claim (0..7 are left to everybody else).
REDIS_URL = "redis://127.0.0.1:6379"
REDIS_DATABASES = range(8, 16)
REDIS_CLAIM_KEY = "liputan-tests:live-airflow"
# The hostname a Celery worker reports for its task instances (see worker_hostname).
HOSTNAME_ENV = "LIVE_AIRFLOW_HOSTNAME"
FINISHED = ("success", "failed")


def worker_hostname() -> str:
    """[core] hostname_callable of the Celery workers: the worker's name, as if each worker
    ran on a machine of its own (they share this one)."""
    return os.environ.get(HOSTNAME_ENV) or socket.getfqdn()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable(url: str = REDIS_URL, timeout: float = 2.0) -> bool:
    parsed = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=timeout) \
                as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def airflow_command() -> list[str]:
    """The `airflow` script of this virtualenv: what a user types (and what the task processes
    then run under, which is what broke the clean step's pool)."""
    script = Path(sys.executable).with_name("airflow")
    return [str(script)] if script.exists() else [sys.executable, "-m", "airflow"]


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    killed: bool = False   # on purpose, by kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Run:
    """A DAG run as the REST API returns it (dag_id, dag_run_id, state, dates, conf...)."""

    data: dict = field(default_factory=dict)

    @property
    def dag_id(self) -> str:
        return self.data["dag_id"]

    @property
    def run_id(self) -> str:
        return self.data["dag_run_id"]

    @property
    def state(self) -> str:
        return self.data["state"]

    def __getitem__(self, key: str):
        return self.data[key]


class AirflowError(AssertionError):
    """Airflow did not do what the launcher asked (start, parse, trigger, finish in time)."""


class LiveAirflow:
    def __init__(self, home: Path, metadata_url: str, *, liputan_dsn: str, sources: Path,
                 executor: str = "LocalExecutor", workers: int = 2, worker_concurrency: int = 2,
                 triggerer: bool = False, settings: Mapping[str, str] | None = None) -> None:
        from tests.airflow.conftest import airflow_connection, base_environment

        if executor not in ("LocalExecutor", "CeleryExecutor"):
            raise ValueError(f"executor: {executor!r}")
        self.home = Path(home)
        self.executor = executor
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.redis_db: int | None = None
        self._token: str | None = None
        self.services: dict[str, Service] = {}
        self._worker_names: set[str] = set()
        (self.home / "services").mkdir(parents=True, exist_ok=True)
        self.env = base_environment(
            self.home,
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=metadata_url,
            AIRFLOW__CORE__EXECUTOR=executor,
            AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
            AIRFLOW__API__HOST="127.0.0.1",
            AIRFLOW__API__PORT=str(self.port),
            AIRFLOW__API__BASE_URL=self.base_url,
            AIRFLOW__API__WORKERS="1",
            AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"{self.base_url}/execution/",
            # Every process signs or checks the same JWTs.
            AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(64),
            AIRFLOW__API__SECRET_KEY=secrets.token_urlsafe(64),
            AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(free_port()),
            AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=str(free_port()),
            # Runs come from the tests only, never from the nightly cron.
            AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
            AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES="1",
            AIRFLOW_CONN_LIPUTAN_DB=airflow_connection(liputan_dsn),
            LIPUTAN_SOURCES=str(sources),
        )
        if executor == "CeleryExecutor":
            self.redis_db = claim_redis_database()
            self.env.update({
                "AIRFLOW__CELERY__BROKER_URL": f"{REDIS_URL}/{self.redis_db}",
                # Plain db+postgresql:// means psycopg 3 to SQLAlchemy 2.1 (notes).
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url,
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(worker_concurrency),
                # Longer than any test: a dead worker's unacked task message is not delivered
                # again; the scheduler retries the task (heartbeat timeout) instead.
                "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "86400",
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.worker_hostname",
            })
        self.env.update(settings or {})
        names = ["api-server", "scheduler", "dag-processor"] + (["triggerer"] if triggerer else [])
        for name in names:
            self._add(name, [*airflow_command(), name])
        if executor == "CeleryExecutor":
            for number in range(1, workers + 1):
                self.add_worker(f"w{number}")

    # -- lifecycle ------------------------------------------------------------------------------
    def _add(self, name: str, command: list[str], **env: str) -> Service:
        service = Service(name, command, {**self.env, **env},
                          self.home / "services" / f"{name}.log")
        self.services[name] = service
        return service

    def add_worker(self, name: str) -> Service:
        """A Celery worker `name` (started by start(), or now if Airflow runs already)."""
        service = self._add(name, [*airflow_command(), "celery", "worker",
                                   "--celery-hostname", f"{name}@%h", "--skip-serve-logs"],
                            **{HOSTNAME_ENV: name})
        self._worker_names.add(name)
        if self._token is not None:
            self._launch(service)
            self._wait_for_worker(service, time.monotonic() + START_TIMEOUT_S)
        return service

    @property
    def workers(self) -> list[str]:
        return [name for name in self.services if name in self._worker_names]

    def start(self, timeout: float = START_TIMEOUT_S) -> Self:
        deadline = time.monotonic() + timeout
        try:
            for service in self.services.values():
                self._launch(service)
            self._wait_healthy(deadline)
            for name in self.workers:
                self._wait_for_worker(self.services[name], deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, service: Service) -> None:
        service.killed = False
        with open(service.log_path, "ab") as log:
            log.write(f"$ {' '.join(service.command)}\n".encode())
            log.flush()
            # A session of its own: the service and the processes it forks are one group.
            service.process = subprocess.Popen(
                service.command, env=service.env, cwd=self.home, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _wait_healthy(self, deadline: float) -> None:
        """Until the api-server answers, and says the metadata database, the scheduler and the
        dag-processor are healthy."""
        health: dict | str = "no answer"
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                health = self._request("GET", "/api/v2/monitor/health", auth=False)
            except (OSError, AirflowError) as exc:
                health = f"{type(exc).__name__}: {exc}"
            else:
                wanted = ["metadatabase", "scheduler", "dag_processor"]
                if "triggerer" in self.services:
                    wanted.append("triggerer")
                if all((health.get(part) or {}).get("status") == "healthy" for part in wanted):
                    return
            time.sleep(POLL_S)
        raise AirflowError(f"Airflow not healthy in time: {health}\n{self.tails()}")

    def _wait_for_worker(self, service: Service, deadline: float) -> None:
        """Until the worker's log says it is ready (it consumes from the broker)."""
        while time.monotonic() < deadline:
            self._check_alive()
            if b" ready." in service.log_path.read_bytes():
                return
            time.sleep(POLL_S / 2)
        raise AirflowError(f"worker {service.name} not ready in time\n{self.tails()}")

    def _check_alive(self) -> None:
        dead = [s for s in self.services.values()
                if s.process is not None and not s.killed and not s.alive()]
        if dead:
            raise AirflowError("exited: " + ", ".join(
                f"{s.name} ({s.process.returncode})" for s in dead) + "\n" + self.tails())

    def stop(self) -> None:
        """Stop every service and every process they started; flush the claimed Redis db."""
        # Task processes leave their service's process group: find them now, by parentage.
        everything = _tree([s.process.pid for s in self.services.values() if s.alive()])
        for service in reversed(list(self.services.values())):
            if service.alive():
                _signal_group(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while time.monotonic() < deadline and any(s.alive() for s in self.services.values()):
            time.sleep(0.2)
        everything.update(_tree([s.process.pid for s in self.services.values() if s.alive()]))
        _kill_tree(everything)
        for service in self.services.values():
            if service.process is not None:
                _signal_group(service.process.pid, signal.SIGKILL)
                try:
                    service.process.wait(timeout=STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    pass
        if self.redis_db is not None:
            release_redis_database(self.redis_db)
            self.redis_db = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def kill(self, name: str) -> list[int]:
        """SIGKILL a service and everything it started, at once, as when its machine dies.
        Returns the pids killed."""
        service = self.services[name]
        service.killed = True
        pids = _kill_tree(_tree([service.process.pid]))
        _signal_group(service.process.pid, signal.SIGKILL)
        service.process.wait(timeout=STOP_GRACE_S)
        return sorted(pids)

    def report_if_failed(self, request, failed_before: int) -> None:
        """In a fixture's teardown: the services' log tails on the terminal if the test
        failed (pytest counts a failed call before its teardown runs)."""
        if request.session.testsfailed > failed_before:
            reporter = request.config.pluginmanager.get_plugin("terminalreporter")
            reporter.write_line(f"\n{request.node.name}: Airflow's services\n{self.tails()}")

    def tails(self, lines: int = 30, width: int = 400) -> str:
        """The last lines of every service's log."""
        parts = []
        for service in self.services.values():
            text = service.log_path.read_text("utf-8", "replace") \
                if service.log_path.exists() else ""
            state = "running" if service.alive() else (
                f"exited {service.process.returncode}" if service.process else "not started")
            tail = "\n".join(line[:width] for line in text.splitlines()[-lines:])
            parts.append(f"----- {service.name} ({state}), {service.log_path}\n{tail}")
        return "\n".join(parts)

    # -- the REST API ---------------------------------------------------------------------------
    def _request(self, method: str, path: str, body: object = None, *, auth: bool = True,
                 expect: Iterable[int] = (200,)) -> dict:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = f"Bearer {self.token()}"
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        if status not in tuple(expect):
            raise AirflowError(f"{method} {path}: HTTP {status}: {text[:2000]}")
        return json.loads(text) if text else {}

    def token(self) -> str:
        """A JWT for the public API: with simple_auth_manager_all_admins, GET /auth/token."""
        if self._token is None:
            self._token = self._request("GET", "/auth/token", auth=False,
                                        expect=(200, 201))["access_token"]
        return self._token

    def wait_for_dag(self, dag_id: str, timeout: float = START_TIMEOUT_S) -> dict:
        """The DAG once the dag-processor has parsed it; its import error if it cannot."""
        deadline = time.monotonic() + timeout
        quoted = urllib.parse.quote(dag_id, safe="")
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                return self._request("GET", f"/api/v2/dags/{quoted}")
            except AirflowError as exc:
                if "HTTP 404" not in str(exc):
                    raise
            errors = self._request("GET", "/api/v2/importErrors").get("import_errors") or []
            if errors:
                raise AirflowError(f"import errors: {json.dumps(errors)[:3000]}")
            time.sleep(POLL_S)
        raise AirflowError(f"DAG {dag_id} not parsed in time\n{self.tails()}")

    def unpause(self, dag_id: str) -> None:
        self.wait_for_dag(dag_id)
        quoted = urllib.parse.quote(dag_id, safe="")
        answer = self._request("PATCH", f"/api/v2/dags/{quoted}", {"is_paused": False})
        if answer.get("is_paused") is not False:
            raise AirflowError(f"{dag_id} is still paused: {answer}")

    def trigger(self, dag_id: str, conf: dict | None = None,
                logical_date: str | None = None) -> Run:
        """POST a DAG run (unpausing the DAG first): what the UI's Trigger button does."""
        self.unpause(dag_id)
        quoted = urllib.parse.quote(dag_id, safe="")
        answer = self._request("POST", f"/api/v2/dags/{quoted}/dagRuns",
                               {"logical_date": logical_date, "conf": conf or {}})
        return Run(answer)

    def run(self, run: Run) -> Run:
        return Run(self._request("GET", self._run_path(run)))

    def wait(self, run: Run, timeout: float = RUN_TIMEOUT_S) -> Run:
        """The run once it has finished (success or failed). One still going after `timeout`
        is marked failed (its running tasks are stopped), so that it does not hold up the
        next run (max_active_runs=1), and AirflowError says what it was doing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.run(run)
            if current.state in FINISHED:
                return current
            self._check_alive()
            time.sleep(POLL_S)
        report = self.describe(run)
        try:
            self._request("PATCH", self._run_path(run), {"state": "failed"})
        except (OSError, AirflowError) as exc:
            report += f"\n(could not mark it failed: {exc})"
        raise AirflowError(f"{run.run_id} still {current.state} after {timeout:.0f}s:\n"
                           + report + "\n" + self.tails())

    def task_instances(self, run: Run) -> list[dict]:
        """Every task instance of the run (the last try of each): task_id, map_index,
        rendered_map_index, state, try_number, hostname, pid, start_date, end_date..."""
        answer = self._request("GET", self._run_path(run) + "/taskInstances?limit=1000")
        return sorted(answer["task_instances"], key=lambda ti: (ti["task_id"], ti["map_index"]))

    def tries(self, run: Run, task_id: str, map_index: int = -1) -> list[dict]:
        """Every try of one task instance, oldest first (hostname, pid, state of each)."""
        path = f"{self._run_path(run)}/taskInstances/{task_id}/{map_index}/tries"
        answer = self._request("GET", path)
        return sorted(answer["task_instances"], key=lambda ti: ti["try_number"])

    def log(self, run: Run, task_id: str, try_number: int = 1, map_index: int = -1) -> str:
        """A try's task log, one event per line with its fields (an exception's message is
        in `error_detail`, not in the event's text)."""
        path = (f"{self._run_path(run)}/taskInstances/{task_id}/logs/{try_number}"
                f"?full_content=true&map_index={map_index}")
        content = self._request("GET", path).get("content") or []
        return "\n".join(json.dumps(item, default=str, ensure_ascii=False) for item in content)

    def xcom(self, run: Run, task_id: str, map_index: int = -1, key: str = "return_value"):
        path = (f"{self._run_path(run)}/taskInstances/{task_id}/xcomEntries/{key}"
                f"?map_index={map_index}")
        value = self._request("GET", path)["value"]
        return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value

    def _run_path(self, run: Run) -> str:
        quote = urllib.parse.quote
        return (f"/api/v2/dags/{quote(run.dag_id, safe='')}/dagRuns/"
                f"{quote(run.run_id, safe='')}")

    # -- task logs ------------------------------------------------------------------------------
    def task_log(self, run: Run, task_id: str, map_index: int = -1, try_number: int = 1) -> str:
        """One try's task log, from the log folder every service shares, one line per event."""
        folder = (self.home / "logs" / f"dag_id={run.dag_id}" / f"run_id={run.run_id}"
                  / f"task_id={task_id}")
        if map_index >= 0:
            folder /= f"map_index={map_index}"
        path = folder / f"attempt={try_number}.log"
        if not path.exists():
            return f"(no log at {path})"
        lines = []
        for line in path.read_text("utf-8", "replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                lines.append(line)
                continue
            lines.append(_log_line(event))
        return "\n".join(lines)

    def describe(self, run: Run, log_lines: int = 40) -> str:
        """What went wrong in a run: each task instance's state and try, and the log tail of
        every one that did not succeed."""
        parts = [f"run {run.run_id}: {self.run(run).state}"]
        for ti in self.task_instances(run):
            label = ti["task_id"] + (f"[{ti['rendered_map_index'] or ti['map_index']}]"
                                     if ti["map_index"] >= 0 else "")
            parts.append(f"  {label}: {ti['state']} (try {ti['try_number']}, "
                         f"host {ti['hostname']})")
        for ti in self.task_instances(run):
            if ti["state"] not in ("success", "skipped"):
                log = self.task_log(run, ti["task_id"], ti["map_index"], ti["try_number"])
                tail = "\n".join(log.splitlines()[-log_lines:])
                parts.append(f"--- log of {ti['task_id']} {ti['map_index']} try "
                             f"{ti['try_number']}:\n{tail}")
        return "\n".join(parts)


# Keys every line of a task log carries, or that say nothing about what happened.
_LOG_NOISE = {"timestamp", "level", "event", "logger", "filename", "lineno", "chan",
              "logger_name", "ti_id", "dag_id", "run_id", "task_id", "map_index", "try_number",
              "loc"}


def _log_line(event: dict) -> str:
    """One JSON event of a task log as a line: level, message, the exception in short."""
    text = f"{event.get('level', '')}: {event.get('event', '')}"
    for error in event.get("error_detail") or []:
        frames = error.get("frames") or [{}]
        text += (f" [{error.get('exc_type')}: {error.get('exc_value')}"
                 f" at {frames[-1].get('filename')}:{frames[-1].get('lineno')}]")
    extra = {k: v for k, v in event.items() if k not in _LOG_NOISE and k != "error_detail"}
    return text + (f" {extra}" if extra else "")


class PlainOutlet(Generated):
    """A fault-free site of the fixture news web: `pages` articles (published from March 2024,
    one an hour) in a sitemap index, with texts of its own (Generated's are the same for every
    instance: the load would take them for duplicates of one another)."""

    def __init__(self, name: str, pages: int) -> None:
        self.name = name
        self.site_name = name.title()
        super().__init__(pages)

    def build(self) -> None:
        start = datetime(2024, 3, 1, tzinfo=UTC)
        for i in range(self.count):
            self.add(make_article(f"{self.name}-{i}", f"/artikel/{i}/berita-ke-{i}",
                                  start + timedelta(hours=i), paragraphs=4))
        self._pages = None
        self._rendered = {}


# -- processes -----------------------------------------------------------------------------------
def _tree(pids: Iterable[int]) -> dict:
    """These processes and all their descendants, whatever their process group: pid ->
    psutil.Process (which refuses to signal a reused pid)."""
    import psutil

    found = {}
    for pid in pids:
        try:
            process = psutil.Process(pid)
            found[pid] = process
            found.update((child.pid, child) for child in process.children(recursive=True))
        except psutil.NoSuchProcess:
            continue
    return found


def _kill_tree(processes: Mapping) -> set[int]:
    """SIGKILL these processes (pid -> psutil.Process) and all their descendants at once:
    each is stopped (SIGSTOP) first, until no new child appears, so that none forks one that
    escapes. Returns the pids killed."""
    import psutil

    frozen = dict(processes)
    pending = dict(processes)
    for _ in range(20):
        for process in pending.values():
            try:
                process.suspend()
            except psutil.NoSuchProcess:
                continue
        pending = {pid: p for pid, p in _tree(frozen).items() if pid not in frozen}
        if not pending:
            break
        frozen.update(pending)
    for process in frozen.values():
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and any(_running(p) for p in frozen.values()):
        time.sleep(0.1)
    return set(frozen)


def _running(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# -- Redis ---------------------------------------------------------------------------------------
def claim_redis_database() -> int:
    """An empty Redis database number of REDIS_DATABASES, marked as ours (SET NX); one left
    behind by a launcher of this machine that died is flushed and taken."""
    import redis

    owner = f"{socket.gethostname()}:{os.getpid()}"
    for number in REDIS_DATABASES:
        client = redis.Redis.from_url(f"{REDIS_URL}/{number}")
        try:
            if client.dbsize() and _abandoned(client.get(REDIS_CLAIM_KEY)):
                client.flushdb()
            if client.dbsize() == 0 and client.set(REDIS_CLAIM_KEY, owner, nx=True,
                                                   ex=6 * 60 * 60):
                return number
        finally:
            client.close()
    raise AirflowError(f"no empty Redis database among {list(REDIS_DATABASES)} at {REDIS_URL}")


def _abandoned(claim: bytes | None) -> bool:
    """A claim of this host's by a process that is gone."""
    host, _, pid = (claim or b"").decode().rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_redis_database(number: int) -> None:
    import redis

    client = redis.Redis.from_url(f"{REDIS_URL}/{number}")
    try:
        client.flushdb()   # this database only: the broker queues of our Airflow
    finally:
        client.close()


# -- the Liputan database ---------------------------------------------------------------------
def recreate_database(server_dsn: str, dsn: str, template_dsn: str) -> None:
    """The database of `dsn` dropped and made again as a copy of the one of `template_dsn` (a
    migrated, untouched database nobody is connected to): a fresh Liputan database for the
    next run of an Airflow whose connection names this one."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(dsn)["dbname"]
    template = conninfo_to_dict(template_dsn)["dbname"]
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))


def stored_articles(dsn: str) -> dict[str, dict]:
    """canonical_url -> the article as news.articles has it (source, url, title, version,
    md5 of its text, the canonical URL of the article it duplicates), for comparing what two
    runs stored (article ids differ between databases; URLs do not)."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        rows = conn.execute(
            "SELECT a.canonical_url, a.source, a.url, a.title, a.version,"
            " md5(a.text) AS text_md5, d.canonical_url AS duplicate_of"
            " FROM news.articles a LEFT JOIN news.articles d"
            " ON d.article_id = a.duplicate_of").fetchall()
    return {row.pop("canonical_url"): row for row in rows}


def by_source(articles: Mapping[str, dict]) -> dict[str, set[str]]:
    """source -> canonical URLs, of stored_articles()."""
    found: dict[str, set[str]] = {}
    for url, article in articles.items():
        found.setdefault(article["source"], set()).add(url)
    return found


def provenance(dsn: str) -> dict[str, list[dict]]:
    """canonical_url of each article -> its news.article_urls rows (url, fetched_at,
    crawl_run_id, discovered_via, http_status, outcome, fetch_id), oldest first."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        rows = conn.execute(
            "SELECT a.canonical_url AS article, u.url, u.final_url, u.fetched_at,"
            " u.crawl_run_id, u.discovered_via, u.http_status, u.outcome, u.fetch_id"
            " FROM news.article_urls u JOIN news.articles a USING (article_id)"
            " ORDER BY u.fetched_at, u.fetch_id").fetchall()
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row.pop("article"), []).append(row)
    return found


def crawl_runs(dsn: str) -> dict[int, dict]:
    """crawl_run_id -> news.crawl_runs row (source, status, fetched, failed, error...)."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        rows = conn.execute("SELECT * FROM news.crawl_runs").fetchall()
    return {row["crawl_run_id"]: row for row in rows}
