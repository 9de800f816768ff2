"""`liputan export`: articles with provenance URLs and story ids to a file (crawler/export/)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="articles with provenance URLs and story ids to jsonl, csv or parquet",
        description="Writes one record per article of news.articles with its story_id and "
        "`fetches`: every fetch it came from (url, final_url, fetched_at, discovered_via, "
        "discovered_from, ...). Streamed: memory stays flat whatever the number of articles. "
        "In CSV, list columns are JSON text. Parquet needs pyarrow: "
        "pip install 'liputan[export]'.")
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), required=True,
                        help="jsonl: one JSON object a line; csv: RFC 4180 with a header")
    export.add_argument("--since", metavar="DATE",
                        help="only articles published (else first seen) on or after DATE")
    export.add_argument("--source", metavar="NAME", action="append", default=[],
                        help="only this source's articles (repeat for several)")
    export.add_argument("--story", metavar="ID", type=int, action="append", default=[],
                        help="only this story's articles (repeat for several)")
    export.add_argument("out", metavar="OUT", help="output file; - for stdout (jsonl, csv)")
    export.set_defaults(func=export_command)


def export_command(args: argparse.Namespace) -> int:
    import os
    import signal
    import sys

    from crawler.config import parse_date
    from crawler.db.connect import resolve_dsn
    from crawler.export import ExportFilter, export

    selection = ExportFilter(
        since=parse_date(args.since, "--since") if args.since else None,
        sources=tuple(dict.fromkeys(args.source)), stories=tuple(dict.fromkeys(args.story)))
    out = None if args.out == "-" else Path(args.out)
    if args.format == "parquet":
        from crawler.export.writers import require_pyarrow

        require_pyarrow()  # before starting the embedded server for nothing
    try:
        result = export(resolve_dsn(args.dsn), args.format, out, selection)
    except BrokenPipeError:
        # `liputan export ... - | head`: the reader has what it wanted. Quiet, as `cat` is,
        # with its status (128 + SIGPIPE); stdout to devnull so that exit's flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    print(result.summary(args.out if out else "stdout"), file=sys.stderr)
    return 0
