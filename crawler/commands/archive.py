"""`liputan archive`: stored fetches to WARC.gz files, bodies pruned on request
(crawler/archive/export.py, docs/scale.md)."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta
from pathlib import Path

_AGE = re.compile(r"(\d+)([dh])")


def register(commands: argparse._SubParsersAction) -> None:
    archive = commands.add_parser(
        "archive", help="write stored fetches to WARC.gz files (and prune their bodies)",
        description="Writes every stored fetch body older than --older-than and not archived "
        "yet to WARC.gz files of bounded size in OUT_DIR (request and response records, with "
        "the fetch id, crawl run, source and fetch time in WARC headers; readable by warcio "
        "and pywb). With --prune, bodies whose WARC holds the same bytes leave PostgreSQL; "
        "`liputan clean --reclean` reads them back from their WARC. Safe to rerun.")
    archive.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    archive.add_argument("--older-than", type=_age, default=timedelta(days=30), metavar="AGE",
                         help="only fetches older than this: 30d (default), 12h, 0d for all")
    archive.add_argument("--prune", action="store_true",
                         help="drop archived bodies from PostgreSQL once the WARC is verified")
    archive.add_argument("--max-file-mb", type=float, default=1024, metavar="MB",
                         help="start a new WARC file beyond this size (default 1024)")
    archive.set_defaults(func=archive_command)


def _age(text: str) -> timedelta:
    match = _AGE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected an age like 30d or 12h, not {text!r}")
    number, unit = int(match.group(1)), match.group(2)
    return timedelta(days=number) if unit == "d" else timedelta(hours=number)


def archive_command(args: argparse.Namespace) -> int:
    from crawler.archive.export import archive
    from crawler.db.connect import describe, resolve_dsn
    from crawler.errors import UserError

    if args.max_file_mb <= 0:
        raise UserError(f"--max-file-mb must be positive, not {args.max_file_mb:g}")
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise UserError(f"{args.out_dir}: not a directory")
    dsn = resolve_dsn(args.dsn)
    result = archive(dsn, args.out_dir, older_than=args.older_than, do_prune=args.prune,
                     max_file_bytes=int(args.max_file_mb * 1024 * 1024))
    print(f"{describe(dsn)}: {result.summary()}")
    return 1 if result.prune_refused else 0
