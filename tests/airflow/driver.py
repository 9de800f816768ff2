"""Runs Airflow for the tests in a process of its own, so its configuration (read from the
environment once, when airflow is first imported) is the test's and never leaks into pytest.

    python driver.py describe DAGS_FOLDER          -> JSON: import errors, DAGs, side effects
    python driver.py run DAGS_FOLDER DAG_ID LOGICAL_DATE [CONF_JSON]
                                                   -> JSON: run state, task instances
    python driver.py serve DAGS_FOLDER             -> one request per stdin line:
        {"dag_id", "logical_date", "conf", "env"}  -> one JSON answer per stdout line

The last stdout line is the JSON answer. `serve` keeps one Airflow (its imports, its in-process
API server) for many runs; everything Airflow and the tasks print goes to stderr, and a line
"@@ end of run N" there closes each run's log.
"""

from __future__ import annotations

import json
import sys

# What importing the DAG files must not do; recorded by an audit hook set before the import.
WATCHED_EVENTS = ("socket.connect", "socket.getaddrinfo", "subprocess.Popen", "os.system",
                  "os.exec", "os.posix_spawn", "os.fork")
SIDE_EFFECTS: list[str] = []
_watching = False
_hooked = False


def _audit(event: str, args: tuple) -> None:
    if _watching and event in WATCHED_EVENTS:
        SIDE_EFFECTS.append(f"{event} {args!r}"[:200])


def load_bag(folder: str):
    global _watching, _hooked
    from airflow.dag_processing.dagbag import DagBag

    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    _watching = True
    try:
        return DagBag(dag_folder=folder)
    finally:
        _watching = False


def describe(folder: str) -> dict:
    bag = load_bag(folder)
    dags = {}
    for dag_id, dag in bag.dags.items():
        timetable = dag.timetable
        dags[dag_id] = {
            "timetable": type(timetable).__name__,
            "cron": getattr(timetable, "expression", None),
            "timezone": str(getattr(timetable, "timezone", "")) or None,
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "params": sorted(dag.params.keys()),
            "tasks": {
                task.task_id: {
                    "trigger_rule": str(task.trigger_rule),
                    "retries": task.retries,
                    "retry_exponential_backoff": bool(task.retry_exponential_backoff),
                    "retry_delay_s": task.retry_delay.total_seconds(),
                    "timeout_s": (task.execution_timeout.total_seconds()
                                  if task.execution_timeout else None),
                    "mapped": task.is_mapped,
                    "upstream": sorted(task.upstream_task_ids),
                }
                for task in dag.tasks
            },
        }
    return {"import_errors": {k: v.strip().splitlines()[-1] for k, v in bag.import_errors.items()},
            "dags": dags, "side_effects": SIDE_EFFECTS}


def run(folder: str, dag_id: str, logical_date: str, conf: str | None = None) -> dict:
    from datetime import datetime

    from airflow.sdk.exceptions import ParamValidationError

    bag = load_bag(folder)
    if bag.import_errors:
        return {"import_errors": bag.import_errors}
    dag = bag.get_dag(dag_id)
    try:
        dr = dag.test(logical_date=datetime.fromisoformat(logical_date),
                      run_conf=json.loads(conf) if conf else None)
    except ParamValidationError as exc:
        return {"refused": str(exc)}
    tis = [{"task_id": ti.task_id, "map_index": ti.map_index, "state": str(ti.state),
            "try_number": ti.try_number, "label": ti.rendered_map_index}
           for ti in dr.get_task_instances()]
    return {"state": str(dr.state), "run_id": dr.run_id,
            "data_interval": [dr.data_interval_start.isoformat(), dr.data_interval_end.isoformat()],
            "task_instances": sorted(tis, key=lambda t: (t["task_id"], t["map_index"]))}


def serve(folder: str) -> None:
    import os

    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)   # from here on, anything printed is log, on stderr
    for number, line in enumerate(sys.stdin, start=1):
        request = json.loads(line)
        for key, value in (request.get("env") or {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        conf = request.get("conf")
        try:
            answer = run(folder, request["dag_id"], request["logical_date"],
                         json.dumps(conf) if conf is not None else None)
        except Exception as exc:  # noqa: BLE001 - shown by the test; the next run still runs
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.flush()
        sys.stderr.write(f"\n@@ end of run {number}\n")
        sys.stderr.flush()
        answers.write(json.dumps(answer, default=str) + "\n")
        answers.flush()


def main(argv: list[str]) -> None:
    command, folder, *rest = argv
    if command == "serve":
        serve(folder)
        return
    answer = describe(folder) if command == "describe" else run(folder, *rest)
    print(json.dumps(answer, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
