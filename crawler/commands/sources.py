"""`liputan sources discover|check`: write a source's entry from its homepage, and check that
the sources of a file still work on the live web (crawler/sources/; README.md, "Finding and
checking sources")."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    sources = commands.add_parser(
        "sources", help="discover a new source from its homepage; check sources on the web",
        description="Tools for sources files: `discover` proposes an entry from an outlet's "
        "homepage, `check` fetches each source's feeds, sitemaps and start URLs once and says "
        "which are broken. Neither touches the database.")
    actions = sources.add_subparsers(dest="sources_command", metavar="SOURCES_COMMAND",
                                     required=True)
    discover = actions.add_parser(
        "discover", help="find a site's feeds, sitemaps, sections and article URL pattern",
        description="Fetch the homepage URL, its robots.txt, the feeds it declares and the "
        "usual feed and sitemap paths, and print a sources-file entry (or append it to FILE). "
        "Obeys robots.txt; the User-Agent, limits and allowed networks are FILE's when it "
        "exists, else the defaults.")
    discover.add_argument("url", metavar="URL", help="the outlet's homepage")
    discover.add_argument("--name", help="the source's name (default: from the host name)")
    discover.add_argument("--write", type=Path, metavar="FILE",
                          help="append the entry to this sources file (created if missing)")
    discover.add_argument("--allow-private", action="store_true",
                          help="allow non-public addresses (a site on this machine or network)")
    discover.set_defaults(func=discover_command)
    check = actions.add_parser(
        "check", help="fetch each source's feeds, sitemaps and start URLs; name broken ones",
        description="Fetch each source's feeds, sitemaps and start URLs once, and two of its "
        "articles; print a table per source; exit status 1 when a source is broken.")
    check.add_argument("--sources", type=Path, metavar="FILE",
                       help="sources file (default: crawler/sources/indonesia.yaml)")
    check.add_argument("--source", action="extend", nargs="+", metavar="NAME",
                       dest="source_names", help="check only these sources (default: all)")
    check.add_argument("--max-age", type=float, metavar="DAYS", default=None,
                       help="a source whose newest item is older is broken (default: 7)")
    check.set_defaults(func=check_command)


def discover_command(args: argparse.Namespace) -> int:
    from crawler.config import load_config
    from crawler.errors import UserError
    from crawler.sources.discover import append_entry, discover
    from crawler.sources.fetcher import Fetcher, FetchPolicy

    if args.name is not None:
        _check_name(args.name)
    policy = FetchPolicy()
    if args.write is not None and args.write.exists():
        policy = FetchPolicy.from_config(load_config(args.write))
    networks = ("0.0.0.0/0", "::/0") if args.allow_private else ()
    found = discover(args.url, Fetcher(policy, extra_networks=networks), args.name)
    if not found.feeds and not found.sitemaps and not found.sections:
        raise UserError(f"{args.url}: no feed, sitemap or section page found "
                        f"({found.requests} requests): add the source by hand")
    if args.write is None:
        print(found.yaml(), end="")
        return 0
    append_entry(args.write, found)
    print(f"{args.write}: source {found.name!r} appended")
    for line in found.summary():
        print(f"  {line}")
    return 0


def _check_name(name: str) -> None:
    import re

    from crawler.errors import UserError

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,62}", name):
        raise UserError(f"--name: {name!r} is not a slug (lowercase letters, digits, - _)")


def check_command(args: argparse.Namespace) -> int:
    from crawler.config import default_sources_path, load_config
    from crawler.errors import UserError
    from crawler.sources.check import DEFAULT_MAX_AGE_DAYS, check_sources, render

    if args.max_age is not None and not 0 < args.max_age <= 100_000:
        raise UserError("--max-age: expected a number of days above 0")
    config = load_config(args.sources or default_sources_path())
    config.select(args.source_names)  # unknown names fail before anything is fetched
    max_age = args.max_age if args.max_age is not None else DEFAULT_MAX_AGE_DAYS
    checks = check_sources(config, args.source_names, max_age_days=max_age)
    print(render(checks))
    return 1 if any(check.broken for check in checks) else 0
