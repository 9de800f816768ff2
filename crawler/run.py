"""`liputan run`: the main job once, migrate then crawl, clean, load, index, stories.

Each step reads what the previous one stored, so any can also run alone; this module runs them
in order and sums up on one screen. However a step fails (a bug, a database fault such as a
full disk or a statement timeout, a one-line UserError), it is the same: FAIL in the summary
with what the later steps did, and exit status 1. The later steps still run on what is stored,
except after a failed migrate, when they are skipped: they need a migrated, writable
database (README.md, "Commands"). Only a bad sources file stops the run before any step
(exit status 2).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crawler.config import Config, default_sources_path, load_config
from crawler.db.connect import connection, describe, require_writable, resolve_dsn
from crawler.errors import UserError, database_problem

logger = logging.getLogger(__name__)


@dataclass
class StepResult:
    name: str
    summary: str
    ok: bool = True  # False: the step itself failed (an exception), see its summary
    seconds: float = 0.0
    warning: bool = False  # the step ran, but some of its work failed (e.g. a source down)
    then: str = ""  # after a failure: what the later steps did
    skipped: bool = False  # not run: an earlier step it needs failed


@dataclass
class RunSummary:
    database: str
    steps: list[StepResult] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    def render(self) -> str:
        lines = [f"Liputan run on {self.database}"]
        for step in self.steps:
            mark = ("skip" if step.skipped else "FAIL" if not step.ok
                    else "WARN" if step.warning else "ok  ")
            took = "" if step.skipped else f"  ({step.seconds:.1f}s)"
            lines.append(f"  {mark} {step.name:<8} {step.summary}{took}")
            if step.then:
                lines.append(f"{'':16}{step.then}")
        if self.totals:
            lines.append("  stored: " + ", ".join(f"{v} {k}" for k, v in self.totals.items()))
        lines.append("  query:  SELECT source, title, published_at FROM news.articles "
                     "ORDER BY published_at DESC LIMIT 10;")
        lines.append("  health: liputan status")
        return "\n".join(lines)


@dataclass(frozen=True)
class RunOptions:
    """What `liputan run` (and the nightly DAG) may narrow down; the defaults crawl everything."""

    sources_file: Path | None = None
    sources: Sequence[str] | None = None
    since: date | None = None
    max_pages: int | None = None


# A step takes the DSN and the run options and returns (all went well, one-line summary).
# An exception fails the step; False only warns: a source that could not be fetched is
# recorded with its reason (`liputan status`), and the other sources still go through.
Step = Callable[[str, RunOptions, Config], tuple[bool, str]]


def _migrate(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.db.migrate import upgrade

    result = upgrade(dsn)
    require_writable(dsn)  # a read-only database fails here, not in every later step
    return True, f"{len(result.applied)} migration(s) applied, {result.already} already"


def _crawl(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.fetch.crawl import crawl

    result = crawl(dsn, config, sources=options.sources, since=options.since,
                   max_pages=options.max_pages)
    return result.ok, result.summary()


def _clean(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.clean.step import clean

    result = clean(dsn, config, sources=options.sources)
    return True, result.summary(timed=False)


def _load(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.load.merge import load

    return True, load(dsn, sources=options.sources).summary()


def _index(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.load.search_index import fill_search

    return True, fill_search(dsn).summary(timed=False)


def _stories(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.stories.assign import update_stories

    return True, update_stories(dsn).summary(timed=False)


STEPS: tuple[tuple[str, Step], ...] = (
    ("migrate", _migrate),
    ("crawl", _crawl),
    ("clean", _clean),
    ("load", _load),
    ("index", _index),
    ("stories", _stories),
)


def run_once(dsn: str | None = None, options: RunOptions | None = None) -> RunSummary:
    dsn = resolve_dsn(dsn)
    options = options or RunOptions()
    # A bad sources file stops the run here, before anything is fetched.
    config = load_config(options.sources_file or default_sources_path())
    config.select(options.sources)
    summary = RunSummary(database=describe(dsn))
    skip_rest = False
    for index, (name, step) in enumerate(STEPS):
        last = index == len(STEPS) - 1
        if skip_rest:
            summary.steps.append(StepResult(name, "not run: migrate failed", skipped=True))
            continue
        started = time.monotonic()
        logger.info("step %s: starting", name)
        ok, warning, then = True, False, ""
        try:
            all_well, text = step(dsn, options, config)
            warning = not all_well
        except Exception as exc:  # noqa: BLE001 -- in the summary, see the module's docstring
            ok, text = False, "failed: " + _failure(name, exc)
            if name == "migrate":
                skip_rest = True
                then = "later steps skipped: they need a migrated, writable database"
            elif not last:
                then = "later steps ran on what is stored"
        summary.steps.append(
            StepResult(name, text, ok, time.monotonic() - started, warning, then))
        logger.info("step %s: %s (%.1fs)", name, text, time.monotonic() - started)
    summary.totals = totals(dsn)
    return summary


def _failure(name: str, exc: Exception) -> str:
    """One line for the summary; a traceback in the log only for what is a bug."""
    if isinstance(exc, UserError):
        text = str(exc)
    elif (problem := database_problem(exc)) is not None:
        text = problem
    else:
        logger.exception("step %s failed", name)
        text = f"{type(exc).__name__}: {exc}"
    logger.error("step %s failed: %s", name, " ".join(text.split()))
    return text.splitlines()[0] if text.strip() else type(exc).__name__


def totals(dsn: str) -> dict[str, int]:
    """What the database holds; empty (no `stored:` line) if it cannot say, as after a failed
    migrate or with the server gone: the summary is printed all the same."""
    try:
        with connection(dsn) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM news.crawl_runs),"
                " (SELECT count(*) FROM liputan.fetches),"
                " (SELECT count(*) FROM news.articles)"
            ).fetchone()
    except Exception as exc:  # noqa: BLE001 -- the steps' summary matters more
        logger.warning("totals unavailable: %s", database_problem(exc) or exc)
        return {}
    return {"crawl runs": row[0], "fetches": row[1], "articles": row[2]}
