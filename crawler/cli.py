"""The `liputan` command line: argument parsing and wiring only; each step lives in its module.

One module per subcommand in crawler/commands/; every subcommand: README.md, "Two commands".
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from crawler import __version__
from crawler import commands as command_package
from crawler.errors import UserError, database_problem

logger = logging.getLogger("crawler")

# `liputan --help` order: the pipeline's order first, then anything else alphabetically.
# Every crawler/commands/<name>.py is a subcommand; adding a module adds a command.
ORDER = ("run", "crawl", "clean", "load", "index", "stories", "status", "db")


def command_names() -> list[str]:
    """Subcommand names: the modules' names, with - for _ (import_warc is import-warc)."""
    found = {m.name.replace("_", "-") for m in pkgutil.iter_modules(command_package.__path__)
             if not m.name.startswith("_")}
    return sorted(found, key=lambda name: (name not in ORDER, ORDER.index(name)
                                           if name in ORDER else 0, name))


class Parser(argparse.ArgumentParser):
    """Bad arguments are one line naming the problem and exit 2, like every other bad input
    (argparse would print its whole usage first); `--help` still shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"liputan: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    for name in command_names():
        importlib.import_module(f"crawler.commands.{name.replace('-', '_')}").register(commands)
    return parser


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if verbose < 2:
        # Third-party chatter drowns our progress lines unless asked for with -vv.
        for noisy in ("pgserver", "scrapy", "filelock", "trafilatura", "htmldate", "urllib3"):
            logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill PID`, a scheduler stopping a task), raised where Ctrl-C would raise
    KeyboardInterrupt, so that every command stops the same way for both: children stopped,
    crawl runs closed 'interrupted', one line, the embedded server stopped at exit."""


def _terminate(signum: int, frame: object) -> None:
    # Once: a second SIGTERM (`kill -TERM -PGID` also reaches us through the group, or an
    # impatient user) must not break off the cleanup the first one started.
    signal.signal(signal.SIGTERM, _ignore)
    raise Terminated


def _ignore(signum: int, frame: object) -> None:
    """A Python-level no-op, not SIG_IGN: SIG_IGN would be inherited by every child."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"liputan: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except Terminated:
        print("liputan: interrupted (SIGTERM)", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("liputan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # A database in a state the user must fix (never migrated, read-only, a role without
        # the privilege) is one line naming the fix, whichever step hit it; anything else is
        # a bug and keeps its traceback.
        problem = database_problem(exc)
        if problem is None:
            raise
        print(f"liputan: error: {problem}", file=sys.stderr)
        return UserError.exit_status


if __name__ == "__main__":
    sys.exit(main())
