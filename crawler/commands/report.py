"""`liputan report --html OUT.html`: a coverage report in one static file (crawler/report/)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from crawler.commands import positive_int


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="coverage report as one static HTML file: stories, sources' health",
        description="Writes one self-contained HTML file (inline CSS and SVG, no script, "
        "nothing fetched from elsewhere): recent stories covered by several outlets, each "
        "with its outlets on a timeline, and per source the articles per day, its crawl "
        "runs and why article pages were not stored.")
    report.add_argument("--html", metavar="OUT", type=Path, required=True,
                        help="the HTML file to write")
    report.add_argument("--days", type=positive_int, default=7,
                        help="the window: the last DAYS days (default %(default)s)")
    report.add_argument("--stories", type=positive_int, default=20, metavar="N",
                        help="at most N stories, most outlets first (default %(default)s)")
    report.add_argument("--min-sources", type=positive_int, default=2, metavar="N",
                        help="stories covered by at least N outlets (default %(default)s)")
    report.add_argument("--until", metavar="DATE",
                        help="end of the window, ISO date or time (default: now)")
    report.set_defaults(func=report_command)


def report_command(args: argparse.Namespace) -> int:
    import os

    from crawler.config import parse_date
    from crawler.db.connect import resolve_dsn
    from crawler.errors import UserError
    from crawler.report import gather, render_html

    until = parse_date(args.until, "--until") if args.until else datetime.now(UTC)
    data = gather(resolve_dsn(args.dsn), until=until, days=args.days, stories=args.stories,
                  min_sources=args.min_sources)
    partial = args.html.with_name(args.html.name + ".part")
    try:
        partial.write_text(render_html(data), encoding="utf-8")
        os.replace(partial, args.html)  # a reader never finds half a page
    except OSError as exc:
        raise UserError(f"cannot write {args.html}: {exc.strerror}") from exc
    print(f"wrote {args.html}: {len(data.stories)} stor{'y' if len(data.stories) == 1 else 'ies'}"
          f", {len(data.sources)} source(s), {data.days} day(s) to {until:%Y-%m-%d %H:%M} UTC")
    return 0
