"""`make demo` (`python -m demo`): serve the demo web, run the whole pipeline on it, show stories.

    .venv/bin/python -m demo [--dsn DSN]

Without --dsn (or $LIPUTAN_DSN) the data goes into the embedded database under .liputan/,
where `liputan sql` and `liputan db serve` reach it afterwards.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from crawler.cli import configure_logging
from crawler.db.connect import resolve_dsn
from crawler.run import RunOptions, run_once
from crawler.stories.report import recent_stories, render
from demo.web import OUTLETS, DemoWeb

EXPLORE = """\
Explore it (liputan sql opens psql on the same database):
  liputan sql -c "SELECT source, title, published_at FROM news.articles ORDER BY published_at"
  liputan sql -c "SELECT story_id, source, title FROM news.story_articles ORDER BY story_id, published_at"
  liputan sql -c "SELECT a.title, u.url, u.discovered_via, u.fetched_at FROM news.articles a JOIN news.article_urls u USING (article_id)"
  liputan sql -c "SELECT source, stage, reason, url FROM news.skipped_pages"
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="PostgreSQL DSN (default: $LIPUTAN_DSN, else embedded)")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    args = parser.parse_args(argv)
    configure_logging(args.verbose, quiet=not args.verbose)
    logging.getLogger("demo").setLevel(logging.INFO)
    web = DemoWeb().start()
    print(f"demo web: {len(OUTLETS)} outlets, {len(web.stories)} articles on {web.base}")
    try:
        with tempfile.TemporaryDirectory(prefix="liputan-demo-") as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(web.sources_yaml(), encoding="utf-8")
            dsn = resolve_dsn(args.dsn)
            summary = run_once(dsn, RunOptions(sources_file=sources))
    finally:
        web.stop()
    print(summary.render())
    print("\nStories covered by more than one outlet:")
    print(render(recent_stories(dsn, until=datetime.now(UTC), days=7, min_sources=2)))
    print()
    print(EXPLORE)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
