"""`liputan run`: the whole job once (what `make run` and the nightly DAG do; crawler/run.py)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run", help="run the whole job once: migrate, crawl, clean, load, index, stories")
    run.add_argument("--sources", type=Path, metavar="FILE",
                     help="sources file (default: the packaged crawler/sources/indonesia.yaml)")
    run.add_argument("--source", action="append", metavar="NAME",
                     help="only this source (repeatable)")
    run.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="skip articles published before this date")
    run.add_argument("--max-pages", type=positive_int, metavar="N", help="at most N pages per source")
    run.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    from crawler.run import RunOptions, run_once

    options = RunOptions(sources_file=args.sources, sources=args.source, since=args.since,
                         max_pages=args.max_pages)
    summary = run_once(args.dsn, options)
    print(summary.render())
    return 0 if summary.ok else 1
