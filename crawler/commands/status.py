"""`liputan status`: last crawl runs and per-source health (crawler/health/status.py)."""

from __future__ import annotations

import argparse

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    status = commands.add_parser(
        "status", help="last crawl runs and each source's health",
        description="Print the last crawl runs (fetched, failed, new/updated/unchanged/"
        "duplicate articles) and, per source over the last days, the failure rate and "
        "articles per day.")
    status.add_argument("--runs", type=positive_int, default=10, metavar="N",
                        help="how many recent runs to list (default: %(default)s)")
    status.add_argument("--days", type=positive_int, default=7, metavar="N",
                        help="window for per-source health (default: %(default)s)")
    status.set_defaults(func=status_command)


def status_command(args: argparse.Namespace) -> int:
    from crawler.db.connect import describe, resolve_dsn
    from crawler.health.status import status

    dsn = resolve_dsn(args.dsn)
    print(f"Liputan status of {describe(dsn)}\n")
    print(status(dsn, runs=args.runs, days=args.days).render())
    return 0

