"""`make demo`: the demo web crawled, cleaned, loaded and grouped, offline, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_finds_each_event_covered_by_every_outlet(dsn):
    done = subprocess.run([sys.executable, "-m", "demo", "--dsn", dsn], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Stories covered by more than one outlet:" in done.stdout
    assert "liputan sql -c" in done.stdout
    with psycopg.connect(dsn) as conn:
        outlets = conn.execute("SELECT count(DISTINCT source) FROM news.story_articles "
                               "GROUP BY story_id ORDER BY 1 DESC").fetchall()
        skipped = conn.execute("SELECT count(*) FROM news.skipped_pages").fetchone()[0]
        residue = conn.execute("SELECT count(*) FROM news.articles WHERE text ~ "
                               "'Baca juga|Bagikan|Hak cipta|ADVERTISEMENT'").fetchone()[0]
    assert [n for (n,) in outlets][:3] == [4, 4, 4]  # three events, four outlets each
    assert (skipped, residue) == (0, 0)
    # the output is for people: no Scrapy version block or debug lines unless asked (-vv)
    assert "DEBUG" not in done.stdout + done.stderr and "Versions" not in done.stderr
