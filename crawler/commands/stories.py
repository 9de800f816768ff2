"""`liputan stories`: group new articles into stories, then list recent ones (docs/stories.md)."""

from __future__ import annotations

import argparse
import math
from datetime import UTC, datetime, timedelta

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    stories = commands.add_parser(
        "stories", help="group new articles into stories, then list recent stories and outlets",
        description="Assigns articles that have no story yet (incremental: assigned articles "
        "never move), then lists the stories with an article in the last N days, most "
        "outlets first.")
    stories.add_argument("--days", type=float, default=7,
                         help="list stories with an article in the last DAYS days (default 7)")
    stories.add_argument("--min-sources", type=int, default=1, metavar="N",
                         help="only stories covered by at least N outlets (default 1)")
    stories.add_argument("--limit", type=positive_int, default=50,
                         help="at most this many (default 50)")
    stories.add_argument("--until", type=_moment, metavar="DATE",
                         help="end of the period, ISO date or time (default: now)")
    stories.add_argument("--no-update", action="store_true",
                         help="only list; do not assign new articles first")
    stories.set_defaults(func=stories_command)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stories_command(args: argparse.Namespace) -> int:
    from crawler.db.connect import resolve_dsn
    from crawler.errors import UserError
    from crawler.stories.assign import update_stories
    from crawler.stories.report import recent_stories, render

    if not math.isfinite(args.days) or args.days <= 0:
        raise UserError(f"--days must be a positive number, not {args.days:g}")
    if args.min_sources < 1:
        raise UserError(f"--min-sources must be at least 1, not {args.min_sources}")
    until = args.until or datetime.now(UTC)
    try:
        until - timedelta(days=args.days)
    except OverflowError:
        raise UserError(f"--days {args.days:g} reaches back before the year 1: "
                        "give a smaller number") from None
    dsn = resolve_dsn(args.dsn)
    if not args.no_update:
        print(update_stories(dsn).summary())
    rows = recent_stories(dsn, until=until, days=args.days, min_sources=args.min_sources,
                          limit=args.limit)
    print(render(rows))
    return 0
