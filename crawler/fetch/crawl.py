"""`crawl`: fetch the sources of a sources file into liputan.fetches, one child process each.

Twisted's reactor cannot be restarted inside a process, and one source's hang, crash or kill
must not take the others down, so each source is crawled by a child process of its own
(`python -m crawler.fetch.crawl`); the parent reads the outcome from the database.
docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg

from crawler.config import Config, parse_date
from crawler.db.connect import DSN_ENV, connection
from crawler.processes import alive
from crawler.progress import Progress

logger = logging.getLogger(__name__)

__all__ = ["CrawlResult", "RunResult", "crawl"]

DEFAULT_PARALLEL = 4
LOG_LEVEL_ENV = "LIPUTAN_CRAWL_LOG_LEVEL"
THIRD_PARTY_ENV = "LIPUTAN_CRAWL_THIRD_PARTY_LOGS"
# Libraries whose INFO and DEBUG lines (Scrapy's version block, its per-request lines) drown
# the crawl's own progress: shown only with `liputan -vv`.
THIRD_PARTY = ("scrapy", "twisted", "filelock", "protego", "playwright", "asyncio")
QUEUE_PREFIX = "liputan-queue-"  # + pid: pending requests of one child, on disk
# A child asked to stop (SIGTERM) gets this long to store what it has before it is killed.
STOP_GRACE_SECONDS = 30.0
# A stop asked while the spider opens waits for its engine to run, looked at this often.
STOP_RETRY_SECONDS = 0.05


@dataclass
class RunResult:
    source: str
    crawl_run_id: int | None
    status: str  # finished | failed | interrupted | locked
    fetched: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def line(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.failed_by_reason.items()))
        text = f"{self.source}: {self.status}, {self.fetched} fetched, {self.failed} failed"
        if reasons:
            text += f" ({reasons})"
        if self.error:
            text += f"; {self.error}"
        return text


@dataclass
class CrawlResult:
    runs: list[RunResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(run.status in ("finished", "locked") for run in self.runs)

    @property
    def fetched(self) -> int:
        return sum(run.fetched for run in self.runs)

    @property
    def failed(self) -> int:
        return sum(run.failed for run in self.runs)

    def summary(self) -> str:
        locked = [run.source for run in self.runs if run.status == "locked"]
        text = (f"{len(self.runs)} source(s): {self.fetched} fetched, {self.failed} failed")
        reasons: dict[str, int] = {}
        for run in self.runs:
            for reason, count in run.failed_by_reason.items():
                reasons[reason] = reasons.get(reason, 0) + count
        if reasons:
            top = sorted(reasons.items(), key=lambda item: -item[1])
            text += " (" + ", ".join(f"{reason} {count}" for reason, count in top) + ")"
        by_status: dict[str, list[str]] = {}
        for run in self.runs:
            if run.status not in ("finished", "locked"):
                main = max(run.failed_by_reason.items(), key=lambda item: item[1], default=None)
                by_status.setdefault(run.status, []).append(
                    run.source + (f" ({main[0]} {main[1]})" if main else ""))
        for status, names in by_status.items():  # plain words: "failed: kompas (dns 3)"
            text += f"; {status}: {', '.join(names)}"
        if locked:
            text += f"; already being crawled: {', '.join(locked)}"
        return text


def crawl(dsn: str, config: Config, *, sources: Iterable[str] | None = None,
          since: datetime | None = None, until: datetime | None = None,
          max_pages: int | None = None, parallel: int | None = None) -> CrawlResult:
    """Crawl the chosen sources of `config` (all by default), each in its own process."""
    selected = config.select(list(sources) if sources else None)
    waiting = [s.name for s in selected]
    running: dict[str, _Child] = {}
    finished: dict[str, RunResult] = {}
    limit = max(1, parallel or DEFAULT_PARALLEL)
    progress = Progress("crawl", len(selected), unit="sources", logger=logger)
    try:
        while waiting or running:
            while waiting and len(running) < limit:
                name = waiting.pop(0)
                running[name] = _Child.start(dsn, config, name, since, until, max_pages)
            for name, child in list(running.items()):
                if child.poll():
                    finished[name] = child.result(dsn)
                    progress.close()
                    logger.info("%s", finished[name].line())
                    del running[name]
            if progress.due():
                progress.update(len(finished), _fetched_so_far(dsn, finished, running))
            time.sleep(0.05)
    finally:
        progress.close()
        # Interrupted ourselves (Ctrl-C, SIGTERM turned into an exception): let every child
        # store what it has, then make sure none outlives us.
        for child in running.values():
            child.stop()
    return CrawlResult([finished[s.name] for s in selected])


# Fetches stored so far by the runs of these sources that are still running.
RUNNING_FETCHES_SQL = """
SELECT count(*) FROM liputan.fetches f JOIN liputan.crawl_runs r USING (crawl_run_id)
WHERE r.status = 'running' AND r.source = ANY(%(sources)s)
"""


def _fetched_so_far(dsn: str, finished: dict[str, RunResult], running: dict) -> str:
    done = sum(run.fetched + run.failed for run in finished.values())
    try:
        with connection(dsn, autocommit=True) as conn:
            done += conn.execute(RUNNING_FETCHES_SQL,
                                 {"sources": sorted(running)}).fetchone()[0]
    except psycopg.Error:  # progress is a nicety: never a reason to stop a crawl
        pass
    return f"{done} pages fetched" + (f", crawling {', '.join(sorted(running))}"
                                      if running else "")


class _Child:
    def __init__(self, name: str, process: subprocess.Popen) -> None:
        self.name = name
        self.process = process
        self.lines: list[dict] = []

    @classmethod
    def start(cls, dsn: str, config: Config, name: str, since: datetime | None,
              until: datetime | None, max_pages: int | None) -> _Child:
        # The child gets its source's settings, validated here, as JSON on its stdin: it does
        # not parse and validate the whole sources file again (seconds for a big one, and the
        # file may have changed since). --sources only names the file, for logs and `ps`.
        command = [sys.executable, "-m", "crawler.fetch.crawl", "--sources", str(config.path),
                   "--source", name, "--settings-on-stdin"]
        if since:
            command += ["--since", since.isoformat()]
        if until:
            command += ["--until", until.isoformat()]
        if max_pages:
            command += ["--max-pages", str(max_pages)]
        # The DSN goes through the environment: command lines are visible to every user.
        env = {**os.environ, DSN_ENV: dsn,
               # The child logs as verbosely as this process does (`liputan -q crawl`), and
               # Scrapy's own chatter only when it is asked for here too (`liputan -vv`).
               LOG_LEVEL_ENV: logging.getLevelName(logger.getEffectiveLevel()),
               THIRD_PARTY_ENV: "1" if logging.getLogger("scrapy").getEffectiveLevel()
               < logging.WARNING else ""}
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=None, env=env, text=True, encoding="utf-8")
        try:
            process.stdin.write(config.to_json([name]))
            process.stdin.close()
        except BrokenPipeError:  # the child died at once: its exit status says why
            pass
        logger.debug("%s: crawling in process %s", name, process.pid)
        return cls(name, process)

    def poll(self) -> bool:
        return self.process.poll() is not None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def result(self, dsn: str) -> RunResult:
        out = self.process.stdout.read() if self.process.stdout else ""
        reports = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        report = {k: v for r in reports for k, v in r.items()}
        run_id = report.get("crawl_run_id")
        if report.get("status") == "locked":
            return RunResult(self.name, None, "locked",
                             error="another crawl of this source is running")
        code = self.process.returncode
        if run_id is None:
            return RunResult(self.name, None, "failed",
                             error=report.get("error") or f"crawl process exited with {code}")
        if "status" not in report:
            # The child died before closing its run (killed, crashed): say so now rather
            # than leave it 'running' until the next crawl of the source.
            status = "interrupted" if code and code < 0 else "failed"
            _close_dead_run(dsn, run_id, status, f"crawl process exited with {code}")
        return _run_from_database(dsn, self.name, run_id)


def _close_dead_run(dsn: str, run_id: int, status: str, error: str) -> None:
    with connection(dsn, autocommit=True) as conn:
        conn.execute("UPDATE liputan.crawl_runs SET status = %s, error = %s,"
                     " finished_at = now() WHERE crawl_run_id = %s AND status = 'running'",
                     (status, error, run_id))


def _run_from_database(dsn: str, source: str, run_id: int) -> RunResult:
    with connection(dsn) as conn:
        status, error = conn.execute(
            "SELECT status, error FROM liputan.crawl_runs WHERE crawl_run_id = %s",
            (run_id,)).fetchone()
        rows = conn.execute(
            "SELECT reason, count(*) FROM liputan.fetches WHERE crawl_run_id = %s"
            " GROUP BY reason", (run_id,)).fetchall()
    by_reason = {reason: n for reason, n in rows if reason is not None}
    fetched = sum(n for reason, n in rows if reason is None)
    return RunResult(source, run_id, status, fetched, sum(by_reason.values()), by_reason, error)


# ---------------------------------------------------------------------------------------------
# The child: one source, one Scrapy process.

def _child_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.fetch.crawl")
    parser.add_argument("--sources", required=True,
                        help="the sources file (only read without --settings-on-stdin)")
    parser.add_argument("--source", required=True)
    parser.add_argument("--settings-on-stdin", action="store_true",
                        help="read the source's validated settings from stdin as JSON "
                             "(crawler.config.Config.to_json), not the sources file")
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--max-pages", type=int)
    args = parser.parse_args(argv)
    # Read at once: a parent writing a big payload waits until it is read.
    payload = sys.stdin.read() if args.settings_on_stdin else None

    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.config import config_from_json, load_config
    from crawler.errors import UserError
    from crawler.fetch import settings as liputan_settings
    from crawler.fetch.spiders.news import NewsSpider

    logging.basicConfig(level=os.environ.get(LOG_LEVEL_ENV, "INFO"), stream=sys.stderr,
                        format=f"%(asctime)s %(levelname)s {args.source}[%(process)d] "
                               "%(name)s: %(message)s")
    if not os.environ.get(THIRD_PARTY_ENV):
        # A filter on our handler, not logger levels: CrawlerProcess resets Scrapy's loggers.
        for handler in logging.getLogger().handlers:
            handler.addFilter(_quiet_third_party)
    if payload is not None:
        config = config_from_json(payload)
    else:
        config = load_config(args.sources)
    if config.source(args.source).render == "browser":
        problem = liputan_settings.browser_problem()
        if problem is not None:
            raise UserError(f"source {args.source}: {problem}")
    settings = Settings()
    settings.setmodule(liputan_settings, priority="project")
    settings.set("LIPUTAN_DSN", os.environ.get(DSN_ENV), priority="project")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="project")  # ours, above
    # Pending requests wait on disk, not in memory: a 50,000-URL sitemap must not make the
    # crawl's memory grow with it. A fresh folder each run: nothing is resumed from it (the
    # database says what is stored; see crawler/fetch/store.py).
    _remove_dead_queues()
    queue_dir = tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}{os.getpid()}-")
    settings.set("JOBDIR", queue_dir, priority="project")
    process = CrawlerProcess(settings)
    # After CrawlerProcess, which resets Scrapy's loggers to DEBUG.
    for noisy in ("scrapy", "twisted", "filelock", "protego"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    crawler = process.create_crawler(NewsSpider)

    def announce(spider: NewsSpider) -> None:
        # Early, so that a parent whose child gets killed still knows which run it was.
        if spider.run_id is not None:
            print(json.dumps({"crawl_run_id": spider.run_id}), flush=True)

    crawler.signals.connect(announce, signal=signals.spider_opened)
    process.crawl(crawler, source=args.source, config=config,
                  since=parse_date(args.since, "--since") if args.since else None,
                  until=parse_date(args.until, "--until") if args.until else None,
                  max_pages=args.max_pages)
    _stop_gracefully_on_signals(process)
    try:
        process.start(install_signal_handlers=False)
    finally:
        shutil.rmtree(queue_dir, ignore_errors=True)
    spider = crawler.spider
    if spider is None:
        print(json.dumps({"status": "failed", "error": "the spider did not start"}), flush=True)
        return 1
    if spider.locked:
        print(json.dumps({"status": "locked"}), flush=True)
        return 0
    if getattr(spider, "start_error", None):
        print(json.dumps({"status": "failed", "error": spider.start_error}), flush=True)
        return 1
    print(json.dumps({"crawl_run_id": spider.run_id,
                      "status": getattr(spider, "status", "failed")}), flush=True)
    return 0


def _quiet_third_party(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or not record.name.startswith(THIRD_PARTY)


def _remove_dead_queues() -> None:
    """Queue folders of crawls that were killed (SIGKILL leaves them behind)."""
    for path in Path(tempfile.gettempdir()).glob(f"{QUEUE_PREFIX}*-*"):
        pid = path.name.removeprefix(QUEUE_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _stop_gracefully_on_signals(process: object) -> None:
    """SIGTERM/SIGINT close the spider cleanly (run 'interrupted', last batch stored), however
    often they arrive. Scrapy's own handlers abort on a second signal, and a second one is
    common here: `kill -TERM -PGID` reaches this process and its parent, which forwards it."""
    from twisted.internet import reactor

    stopping = []

    def stop_once_started() -> None:
        # Scrapy 2.19 drops a stop that comes while the spider is still opening
        # (Crawler.stop_async stops a running engine only), and the crawl then runs to its end
        # as 'finished'. The window is where the run has just appeared in the database: where a
        # scheduler watching it, or a user, stops it.
        if any(crawler.crawling and not _engine_running(crawler) for crawler in process.crawlers):
            reactor.callLater(STOP_RETRY_SECONDS, stop_once_started)
        else:
            process.stop()

    def handler(signum: int, frame: object) -> None:
        if not stopping:
            stopping.append(signum)
            reactor.callFromThread(stop_once_started)
            reactor.callFromThread(logger.info, "signal %s: stopping gracefully", signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _engine_running(crawler: object) -> bool:
    try:
        return bool(crawler.engine.running)
    except AttributeError:  # no engine made yet
        return False


if __name__ == "__main__":
    from crawler.errors import UserError

    try:
        sys.exit(_child_main(sys.argv[1:]))
    except UserError as exc:
        print(json.dumps({"status": "failed", "error": str(exc)}), flush=True)
        sys.exit(2)
