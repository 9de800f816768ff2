"""How the story grouping's time grows with the number of articles, and what a nightly run costs.

    .venv/bin/python -m bench.stories                       # 1k, 10k, 100k
    .venv/bin/python -m bench.stories --sizes 1000,10000    # smaller
    LIPUTAN_TEST_DSN=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.stories

Synthetic articles (no network, no model): events of 1-8 reports each from 20 outlets, 300
articles a day, each with its own names and keywords mixed into a Zipf-distributed background
vocabulary (people recur across events), titles and ~100-word leads. For each size, in a fresh database: the full first run
(update_stories on all of them), then a nightly run (one more day, 300 articles, on top).
Baseline, measured in the same run: reading the same articles' title and lead from the
database and turning them into terms (article_terms), which any content-based grouping pays;
the ratio says what placing them costs on top. Pairwise F1 against the synthetic event labels is
printed as a sanity check (synthetic text is easier than news: see stories_eval.py for quality).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from crawler.stories.assign import LEAD_CHARS, update_stories
from crawler.stories.text import article_terms

START = datetime(2025, 1, 1, tzinfo=UTC)
PER_DAY = 300
SOURCES = [f"outlet{i:02d}" for i in range(20)]
SYLLABLES = ["ka", "ra", "ma", "na", "ta", "sa", "ba", "da", "ga", "la", "pa", "ja", "wa",
             "ri", "si", "ti", "ni", "mu", "lu", "tu", "ku", "no", "to", "ro", "an", "ang", "ar"]


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


class Generator:
    """Synthetic news: a shared background vocabulary and, per event, names and keywords."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.background = list({word(self.rng, self.rng.randint(2, 4)) for _ in range(8000)})
        weights = [1 / (rank + 1) for rank in range(len(self.background))]
        self.cumulative = list(_accumulate(weights))
        self.people = [word(self.rng, 3).title() for _ in range(400)]
        self.places = [word(self.rng, 3).title() for _ in range(800)]
        self.event = 0

    def common(self, n: int) -> list[str]:
        return self.rng.choices(self.background, cum_weights=self.cumulative, k=n)

    def day(self, day: int) -> list[tuple]:
        """About PER_DAY articles of events that start on `day`: (event, source, at, title,
        text)."""
        rows: list[tuple] = []
        while len(rows) < PER_DAY:
            self.event += 1
            names = self.rng.sample(self.people, 2) + [self.rng.choice(self.places)]
            keywords = [self.rng.choice(self.background) for _ in range(6)]
            number = str(self.rng.randint(2, 999))
            start = START + timedelta(days=day, minutes=self.rng.randint(0, 1200))
            for source in self.rng.sample(SOURCES, self.rng.randint(1, 8)):
                at = start + timedelta(minutes=self.rng.randint(0, 600))
                title = " ".join(self.rng.sample(names + keywords[:4], 5)
                                 + self.common(3)).capitalize()
                sentences = []
                for _ in range(8):
                    words = self.common(10) + self.rng.sample(keywords, 2)
                    words.insert(self.rng.randint(1, len(words)), self.rng.choice(names))
                    if self.rng.random() < 0.3:
                        words.append(number)
                    self.rng.shuffle(words)
                    sentences.append(" ".join(words).capitalize() + ".")
                rows.append((self.event, source, at, title, " ".join(sentences)))
        return rows


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def insert(conn: psycopg.Connection, rows: list[tuple], offset: int) -> dict[int, int]:
    """COPY the rows in as articles; article_id -> event."""
    with conn.cursor() as cur:
        # 004_load's search trigger is skipped the way the bulk load skips it.
        cur.execute("SET liputan.defer_search = 'on'")
        with cur.copy("COPY liputan.articles (source, canonical_url, url, title, published_at,"
                      " language, text, text_sha256, word_count, first_seen_at, last_seen_at)"
                      " FROM STDIN") as copy:
            for number, (_, source, at, title, text) in enumerate(rows, offset):
                url = f"https://{source}.example/{number}"
                copy.write_row((source, url, url, title, at, "id", text,
                                hashlib.sha256(text.encode()).digest(), len(text.split()), at,
                                at))
        ids = [r[0] for r in cur.execute(
            "SELECT article_id FROM liputan.articles ORDER BY article_id DESC LIMIT %s",
            (len(rows),))]
    conn.commit()
    return {article_id: row[0] for article_id, row in zip(sorted(ids), rows, strict=True)}


def read_and_tokenize(conn: psycopg.Connection, ids: list[int]) -> float:
    """The baseline: the title + lead reading and term extraction every method needs."""
    started = time.perf_counter()
    for start in range(0, len(ids), 2000):
        for _, title, text in conn.execute(
                "SELECT article_id, title, left(text, %s) FROM liputan.articles"
                " WHERE article_id = ANY(%s)", (LEAD_CHARS, ids[start:start + 2000])):
            article_terms(title, text)
    return time.perf_counter() - started


def pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_f1(conn: psycopg.Connection, events: dict[int, int]) -> float:
    story = dict(conn.execute("SELECT article_id, story_id FROM liputan.story_articles"))
    both = pairs(Counter((story[a], e) for a, e in events.items()))
    predicted = pairs(Counter(story[a] for a in events))
    gold = pairs(Counter(events.values()))
    precision, recall = both / max(predicted, 1), both / max(gold, 1)
    return 2 * precision * recall / max(precision + recall, 1e-9)


def run_size(server_dsn: str, size: int) -> dict[str, float]:
    from crawler.db.scratch import scratch_database

    with scratch_database(server_dsn, prefix=f"liputan_bench_stories_{size}") as dsn:
        generator = Generator()
        days = max(1, size // PER_DAY)
        rows = [r for day in range(days) for r in generator.day(day)][:size]
        with psycopg.connect(dsn) as conn:
            events = insert(conn, rows, 0)
            baseline = read_and_tokenize(conn, list(events))
            started = time.perf_counter()
            first = update_stories(dsn)
            full = time.perf_counter() - started
            f1 = pairwise_f1(conn, events)
            nightly_rows = generator.day(days)
            nightly_events = insert(conn, nightly_rows, len(rows))
            nightly_baseline = read_and_tokenize(conn, list(nightly_events))
            started = time.perf_counter()
            nightly = update_stories(dsn)
            nightly_time = time.perf_counter() - started
            stories = conn.execute("SELECT count(*) FROM liputan.stories").fetchone()[0]
        assert first.placed == len(rows) and nightly.placed == len(nightly_rows)
        return {"size": size, "full": full, "baseline": baseline, "f1": f1,
                "stories": stories, "nightly": nightly_time, "nightly_n": len(nightly_rows),
                "nightly_baseline": nightly_baseline}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    server = None
    server_dsn = os.environ.get("LIPUTAN_TEST_DSN")
    if not server_dsn:
        from crawler.db.embedded import EmbeddedServer

        server = EmbeddedServer(Path(tempfile.mkdtemp(prefix="bench-stories-")) / "pgdata",
                                delete_on_exit=True)
        server.start()
        server_dsn = server.uri("postgres")
    try:
        print(f"{'articles':>9} {'first run':>10} {'us/article':>10} {'baseline':>9} "
              f"{'ratio':>6} {'stories':>8} {'F1':>6}   nightly (+{PER_DAY})  baseline  ratio")
        for size in sizes:
            r = run_size(server_dsn, size)
            print(f"{r['size']:>9} {r['full']:>9.2f}s {r['full'] / r['size'] * 1e6:>10.0f} "
                  f"{r['baseline']:>8.2f}s {r['full'] / r['baseline']:>6.2f} "
                  f"{r['stories']:>8} {r['f1']:>6.3f}   {r['nightly']:>8.2f}s"
                  f"          {r['nightly_baseline']:>6.2f}s  "
                  f"{r['nightly'] / r['nightly_baseline']:>5.2f}", flush=True)
    finally:
        if server is not None:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
