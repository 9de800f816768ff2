"""`liputan clean`: extract and clean the stored article pages (see crawler/clean/step.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    clean = commands.add_parser(
        "clean", help="extract and clean stored pages not yet cleaned by this extractor version",
        description="Extract and clean the stored article pages that have no document by the "
        "current extractor version (all of them with --reclean), on every core. Nothing is "
        "fetched. Per-source rules and languages come from --sources; without it, general "
        "rules only.")
    clean.add_argument("--sources", type=Path, metavar="FILE",
                       help="sources file giving per-source cleaning rules and languages")
    clean.add_argument("--source", action="append", metavar="NAME", dest="source_names",
                       help="clean only this source's pages (repeatable)")
    clean.add_argument("--reclean", action="store_true",
                       help="re-extract every stored page with the current version")
    clean.add_argument("--workers", type=positive_int, metavar="N",
                       help="worker processes (default: one per core)")
    clean.set_defaults(func=clean_command)


def clean_command(args: argparse.Namespace) -> int:
    from crawler.clean.step import clean
    from crawler.db.connect import resolve_dsn

    config = None
    if args.sources is not None:
        from crawler.config import load_config

        config = load_config(args.sources)
        if args.source_names:
            config.select(args.source_names)  # an unknown name is a one-line error
    result = clean(resolve_dsn(args.dsn), config, sources=args.source_names,
                   reclean=args.reclean, workers=args.workers)
    print(result.summary())
    return 0 if result.ok else 1

