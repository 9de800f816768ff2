"""`liputan load`: merge cleaned documents into articles (crawler/load/merge.py, docs/load.md)."""

from __future__ import annotations

import argparse

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    load = commands.add_parser(
        "load", help="merge cleaned pages into articles: versions, provenance, duplicates",
        description="Merge the cleaned documents not loaded yet into articles (one per "
        "canonical URL), with every fetch as provenance, changed texts as new versions and "
        "copies linked to the first-seen article. Safe to rerun and to run twice at once. "
        "Full-text search vectors are the next step's work: `liputan index`.")
    load.add_argument("--source", action="append", metavar="NAME", dest="source_names",
                      help="load only this source's documents (repeatable)")
    # The default lives in crawler.load.merge (DEFAULT_BATCH_SIZE); importing it here would slow
    # down every command's start.
    load.add_argument("--batch-size", type=positive_int, metavar="N",
                      help="documents per transaction (default: 2000)")
    load.set_defaults(func=load_command)


def load_command(args: argparse.Namespace) -> int:
    from crawler.db.connect import describe, resolve_dsn
    from crawler.load.merge import DEFAULT_BATCH_SIZE, load

    dsn = resolve_dsn(args.dsn)
    result = load(dsn, sources=args.source_names,
                  batch_size=args.batch_size or DEFAULT_BATCH_SIZE)
    print(f"{describe(dsn)}: {result.summary()}")
    return 0

