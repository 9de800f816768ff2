"""The `liputan` command line: argument parsing and wiring only; each step lives in its module."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from crawler import __version__
from crawler.errors import UserError

logger = logging.getLogger("crawler")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liputan",
        description="Crawl news sites, clean the articles and keep them in PostgreSQL "
        "with provenance. Database: --dsn, else $LIPUTAN_DSN, else an embedded "
        "PostgreSQL under .liputan/.",
    )
    parser.add_argument("--version", action="version", version=f"liputan {__version__}")
    parser.add_argument("--dsn", help="PostgreSQL connection string (default: $LIPUTAN_DSN, "
                        "else the embedded server)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    db = commands.add_parser("db", help="database schema: upgrade, status")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    up = db_commands.add_parser("upgrade", help="apply pending SQL migrations")
    up.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    up.set_defaults(func=cmd_db_upgrade)
    st = db_commands.add_parser("status", help="list applied and pending migrations")
    st.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    st.set_defaults(func=cmd_db_status)

    run = commands.add_parser("run", help="run the whole job once: migrate, crawl, clean, load")
    run.set_defaults(func=cmd_run)
    return parser


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from crawler.database import describe, resolve_dsn
    from crawler.migrate import upgrade

    dsn = resolve_dsn(args.dsn)
    result = upgrade(dsn, args.migrations)
    if result.applied:
        names = ", ".join(m.path.name for m in result.applied)
        print(f"{describe(dsn)}: applied {len(result.applied)} migration(s): {names}")
    else:
        print(f"{describe(dsn)}: up to date ({result.already} migration(s) applied)")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    from crawler.database import describe, resolve_dsn
    from crawler.migrate import status

    dsn = resolve_dsn(args.dsn)
    applied, todo = status(dsn, args.migrations)
    print(f"{describe(dsn)}")
    for migration in applied:
        print(f"  applied  {migration.path.name}")
    for migration in todo:
        print(f"  pending  {migration.path.name}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from crawler.pipeline import run_once

    summary = run_once(args.dsn)
    print(summary.render())
    return 0 if summary.ok else 1


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if verbose < 2:
        # Third-party chatter drowns our progress lines unless asked for with -vv.
        for noisy in ("pgserver", "scrapy", "filelock", "trafilatura", "htmldate", "urllib3"):
            logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"liputan: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("liputan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
