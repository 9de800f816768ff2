"""`liputan run`: the main job once, migrate then crawl, clean, load, index, stories.

Each step reads what the previous one stored, so any can also run alone; this module runs them
in order and sums up on one screen. A failed step is reported and the later ones still run on
what is stored (README.md, "Commands").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crawler.config import Config, default_sources_path, load_config
from crawler.db.connect import connection, describe, resolve_dsn
from crawler.errors import UserError

logger = logging.getLogger(__name__)


@dataclass
class StepResult:
    name: str
    summary: str
    ok: bool = True  # False: the step itself failed (an exception), see its summary
    seconds: float = 0.0
    warning: bool = False  # the step ran, but some of its work failed (e.g. a source down)


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
            mark = "FAIL" if not step.ok else "WARN" if step.warning else "ok  "
            lines.append(f"  {mark} {step.name:<8} {step.summary}  ({step.seconds:.1f}s)")
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
    return True, f"{len(result.applied)} migration(s) applied, {result.already} already"


def _crawl(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.fetch.crawl import crawl

    result = crawl(dsn, config, sources=options.sources, since=options.since,
                   max_pages=options.max_pages)
    return result.ok, result.summary()


def _clean(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.clean.step import clean

    result = clean(dsn, config, sources=options.sources)
    return True, result.summary()


def _load(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.load.merge import load

    return True, load(dsn, sources=options.sources).summary()


def _index(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.load.search_index import fill_search

    return True, fill_search(dsn).summary()


def _stories(dsn: str, options: RunOptions, config: Config) -> tuple[bool, str]:
    from crawler.stories.assign import update_stories

    return True, update_stories(dsn).summary()


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
    for name, step in STEPS:
        started = time.monotonic()
        logger.info("step %s: starting", name)
        ok, warning = True, False
        try:
            all_well, text = step(dsn, options, config)
            warning = not all_well
        except UserError:
            raise
        except Exception as exc:  # reported in the summary; the later steps still run
            if name == "migrate":
                raise
            logger.exception("step %s failed", name)
            ok, text = False, f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
        summary.steps.append(StepResult(name, text, ok, time.monotonic() - started, warning))
        logger.info("step %s: %s", name, text)
    summary.totals = totals(dsn)
    return summary


def totals(dsn: str) -> dict[str, int]:
    with connection(dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM news.crawl_runs),"
            " (SELECT count(*) FROM liputan.fetches),"
            " (SELECT count(*) FROM news.articles)"
        ).fetchone()
    return {"crawl runs": row[0], "fetches": row[1], "articles": row[2]}
