"""The main job, once: migrate, then each step of sources -> fetch -> pages -> clean -> articles.

Each step reads what the previous one stored, so any of them can also be run alone
(`liputan crawl`, `liputan clean`, `liputan load`); this module only runs them in order and
sums up what happened on one screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.database import connection, describe, resolve_dsn
from crawler.migrate import upgrade

logger = logging.getLogger(__name__)


@dataclass
class StepResult:
    name: str
    summary: str
    ok: bool = True
    seconds: float = 0.0


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
            mark = "ok  " if step.ok else "FAIL"
            lines.append(f"  {mark} {step.name:<8} {step.summary}  ({step.seconds:.1f}s)")
        if self.totals:
            lines.append("  stored: " + ", ".join(f"{v} {k}" for k, v in self.totals.items()))
        lines.append("  query:  SELECT source, title, published_at FROM news.articles "
                     "ORDER BY published_at DESC LIMIT 10;")
        return "\n".join(lines)


# Steps not built yet say so instead of pretending; each entry is (name, function(dsn) -> str).
Step = Callable[[str], str]


def _migrate(dsn: str) -> str:
    result = upgrade(dsn)
    return f"{len(result.applied)} migration(s) applied, {result.already} already"


def steps() -> list[tuple[str, Step | None]]:
    return [("migrate", _migrate), ("crawl", None), ("clean", None), ("load", None)]


def run_once(dsn: str | None = None) -> RunSummary:
    dsn = resolve_dsn(dsn)
    summary = RunSummary(database=describe(dsn))
    for name, step in steps():
        if step is None:
            summary.steps.append(StepResult(name, "not built yet: skipped"))
            continue
        started = time.monotonic()
        logger.info("step %s: starting", name)
        result = StepResult(name, step(dsn))
        result.seconds = time.monotonic() - started
        summary.steps.append(result)
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
