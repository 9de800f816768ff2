"""`liputan run`: the whole job once."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="run the whole job once: migrate, crawl, clean, load")
    run.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    from crawler.pipeline import run_once

    summary = run_once(args.dsn)
    print(summary.render())
    return 0 if summary.ok else 1
