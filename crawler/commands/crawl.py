"""`liputan crawl`: fetch the sources' new articles into the database (docs/crawl.md)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    crawl = commands.add_parser(
        "crawl", help="fetch new articles of the sources (one process per source)",
        description="Discover articles through the sources' feeds, sitemaps and listing pages "
        "and store every fetch (and every failure, with its reason) in the database.")
    crawl.add_argument("--sources", type=Path, metavar="FILE",
                       help="sources file (default: crawler/sources/indonesia.yaml)")
    crawl.add_argument("--source", action="extend", nargs="+", metavar="NAME",
                       dest="source_names", help="crawl only these sources (default: all)")
    crawl.add_argument("--since", metavar="DATE",
                       help="skip articles the feed or sitemap dates before DATE")
    crawl.add_argument("--until", metavar="DATE",
                       help="skip articles the feed or sitemap dates after DATE")
    crawl.add_argument("--max-pages", type=int, metavar="N",
                       help="at most N article pages per source (overrides the file)")
    crawl.add_argument("--parallel", type=int, metavar="N",
                       help="crawl at most N sources at once (default 4)")
    crawl.set_defaults(func=crawl_command)


def crawl_command(args: argparse.Namespace) -> int:
    from crawler.config import default_sources_path, load_config, parse_date
    from crawler.db.connect import describe, require_writable, resolve_dsn
    from crawler.db.migrate import upgrade
    from crawler.errors import UserError
    from crawler.fetch.crawl import crawl

    config = load_config(args.sources or default_sources_path())
    config.select(args.source_names)  # unknown names fail before anything starts
    since = parse_date(args.since, "--since") if args.since else None
    until = parse_date(args.until, "--until") if args.until else None
    if args.max_pages is not None and args.max_pages < 1:
        raise UserError("--max-pages: expected a whole number >= 1")
    dsn = resolve_dsn(args.dsn)
    upgrade(dsn)
    require_writable(dsn)  # else every source's child fails alone, hiding why
    # `kill <pid>` of this command (SIGTERM, turned into an exception by crawler/cli.py as
    # for every command) stops the children gracefully: crawl's cleanup sends them SIGTERM
    # and waits, so their runs end 'interrupted' with their fetches stored.
    result = crawl(dsn, config, sources=args.source_names, since=since, until=until,
                   max_pages=args.max_pages, parallel=args.parallel)
    print(f"crawl into {describe(dsn)}: {result.summary()}")
    for run in result.runs:
        print(f"  {run.line()}")
    return 0 if result.ok else 1
