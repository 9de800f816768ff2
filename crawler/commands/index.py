"""`liputan index`: fill the full-text search vectors of loaded articles.

The work is crawler/load/search_index.py; docs/load.md, "Full-text search: the index step".
"""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    index = commands.add_parser(
        "index", help="fill the full-text search vectors (news.articles.search) after a load",
        description="Computes news.articles.search for every article that has none yet "
        "(articles loaded since the last index), one connection per core. Safe to rerun and "
        "to interrupt: what was filled is kept.")
    index.set_defaults(func=index_command)


def index_command(args: argparse.Namespace) -> int:
    from crawler.db.connect import describe, resolve_dsn
    from crawler.load.search_index import fill_search

    dsn = resolve_dsn(args.dsn)
    print(f"{describe(dsn)}: {fill_search(dsn).summary()}")
    return 0
