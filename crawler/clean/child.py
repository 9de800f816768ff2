"""`clean()` in a child process of its own: `python -m crawler.clean.child`.

clean's worker pool cannot start inside some hosts: a Celery prefork worker's task is a daemonic
process, which may have no children, and multiprocessing's children re-import the host's main
script (`airflow`, whose import fails in a task). A child started as `python -m` is a plain
process whose main module is this one, so its pool starts as under `liputan clean`.
docs/airflow.md says which tasks use it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from crawler.clean.step import CleanResult, clean
from crawler.config import Config
from crawler.db.connect import DSN_ENV

logger = logging.getLogger(__name__)

__all__ = ["CleanFailed", "clean_in_child"]

LOG_LEVEL_ENV = "LIPUTAN_CLEAN_LOG_LEVEL"
RESULT_PREFIX = "liputan-clean-result "


class CleanFailed(Exception):
    """The clean process ended without a result (crashed, killed, or a bad argument)."""


def clean_in_child(dsn: str, config: Config, *, sources: Sequence[str] | None = None,
                   reclean: bool = False) -> CleanResult:
    """`clean(dsn, config, sources=..., reclean=...)`, run by a child process; its log is ours."""
    command = [sys.executable, "-m", __name__, "--sources", str(config.path)]
    for name in sources or ():
        command += ["--source", name]
    if reclean:
        command.append("--reclean")
    # The DSN goes through the environment: command lines are visible to every user.
    env = {**os.environ, DSN_ENV: dsn,
           LOG_LEVEL_ENV: logging.getLevelName(logger.getEffectiveLevel())}
    logger.info("clean: in a child process (%s)", " ".join(command[1:]))
    process = subprocess.run(command, stdout=subprocess.PIPE, env=env, text=True, check=False)
    for line in reversed(process.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line.removeprefix(RESULT_PREFIX))
            return CleanResult(**{**data, "reasons": Counter(data["reasons"])})
    raise CleanFailed(f"the clean process exited with {process.returncode} without a result "
                      "(its log is above)")


def _main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__name__}")
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--source", action="append", dest="source_names")
    parser.add_argument("--reclean", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get(LOG_LEVEL_ENV, "INFO"), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s clean[%(process)d] %(name)s: "
                               "%(message)s")
    from crawler.config import load_config
    from crawler.errors import UserError

    try:
        result = clean(os.environ[DSN_ENV], load_config(args.sources),
                       sources=args.source_names, reclean=args.reclean)
    except UserError as exc:
        print(f"liputan: {exc}", file=sys.stderr)
        return 2
    # asdict() would turn the reasons Counter into a Counter of (reason, count) pairs
    figures = {field.name: getattr(result, field.name) for field in fields(result)}
    print(RESULT_PREFIX + json.dumps({**figures, "reasons": dict(result.reasons)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
