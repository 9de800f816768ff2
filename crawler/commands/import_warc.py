"""`liputan import-warc`: WARC response records in as fetches (crawler/archive/ingest.py)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import-warc", help="ingest WARC response records (e.g. CC-NEWS) of the sources' sites",
        description="Stores the response records of the WARC files that belong to the "
        "sources' sites (and article patterns) as article fetches, with the WARC file, record "
        "id and WARC-Date as provenance; then `liputan clean` and `liputan load` as usual. "
        "Streams each file; a finished file is skipped on a rerun, a killed import resumes "
        "without duplicates.")
    command.add_argument("files", type=Path, nargs="+", metavar="FILE")
    command.add_argument("--sources", type=Path, metavar="FILE",
                         help="sources file (default: the packaged crawler/sources/indonesia.yaml)")
    command.add_argument("--source", action="append", metavar="NAME", dest="source_names",
                         help="only records of this source (repeatable)")
    command.set_defaults(func=import_warc_command)


def import_warc_command(args: argparse.Namespace) -> int:
    from crawler.archive.ingest import import_warcs
    from crawler.config import default_sources_path, load_config
    from crawler.db.connect import describe, resolve_dsn
    from crawler.db.migrate import upgrade

    config = load_config(args.sources or default_sources_path())
    config.select(args.source_names)  # an unknown name is a one-line error before any work
    dsn = resolve_dsn(args.dsn)
    upgrade(dsn)
    result = import_warcs(dsn, config, args.files, sources=args.source_names)
    print(f"{describe(dsn)}: {result.summary()}")
    return 0
