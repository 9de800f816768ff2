"""Benchmark of `liputan load` against a bare COPY of the same rows, measured in the same run.

    .venv/bin/python -m bench.load [--articles 50000] [--dsn ADMIN_DSN] [--batch-size N]

Makes a new database on the server (ADMIN_DSN, else $LIPUTAN_TEST_DSN, else an embedded server
in a temporary folder), stores N synthetic cleaned documents (300-800 words of Indonesian-looking
text, 5% wire copies of an earlier text under another outlet, 2% small edits, 5% re-crawls of an
earlier URL with a new text) as a crawl and a clean would, then times, in this order:

  baseline  COPY of the same article rows (source, URLs, title, language, text, hash, word
            count, time) from Python into an empty table without indexes;
  load          load(): what `liputan load` does, end to end;
  index         fill_search(): what `liputan index`, the next step, does: the full-text search
                vectors (news.articles.search) of the articles just loaded;
  load + index  both, one after the other: the articles loaded and searchable.

Prints documents/s for each and the ratios to the baseline. The database is dropped
afterwards. Storing the documents beforehand, with the hash, word count and near-duplicate
sketch the clean step computes for each, is not timed (it is the clean step's work).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg

from bench.server import admin_dsn
from crawler import fingerprint
from crawler.db.scratch import scratch_database
from crawler.load.merge import DEFAULT_BATCH_SIZE, load
from crawler.load.search_index import fill_search
from tests.load.corpus import Corpus, edit

SOURCES = ("kabar", "warta", "suara", "berita", "harian")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def synthetic_pages(n: int, seed: int = 0) -> list[tuple]:
    """(source, url, fetched_at, title, text) for n pages, in fetch order."""
    corpus, rng = Corpus(seed=seed), random.Random(seed)
    pages: list[tuple] = []
    for i in range(n):
        roll = rng.random()
        fetched_at = T0 + timedelta(seconds=i)
        source = SOURCES[i % len(SOURCES)]
        url = f"https://{source}.example/berita/{i}"
        if pages and roll < 0.05:
            text = rng.choice(pages)[4]                     # wire copy, another outlet
        elif pages and roll < 0.07:
            text = edit(rng.choice(pages)[4], rng)          # small edit
        elif pages and roll < 0.12:
            earlier = pages[rng.randrange(len(pages))]      # re-crawl, changed text
            source, url, text = earlier[0], earlier[1], corpus.text()
        else:
            text = corpus.text()
        pages.append((source, url, fetched_at, corpus.title(), text))
    return pages


def store(dsn: str, pages: list[tuple]) -> None:
    """Crawl runs, fetches and documents as the crawl and clean steps leave them."""
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        runs = {s: cur.execute("INSERT INTO liputan.crawl_runs (source, status) VALUES"
                               " (%s, 'finished') RETURNING crawl_run_id", (s,)).fetchone()[0]
                for s in SOURCES}
        with cur.copy("COPY liputan.fetches (crawl_run_id, source, url, canonical_url, final_url,"
                      " kind, discovered_via, fetched_at, http_status) FROM STDIN") as copy:
            for source, url, fetched_at, _, _ in pages:
                copy.write_row((runs[source], source, url, url, url, "article", "sitemap",
                                fetched_at, 200))
        ids = [r[0] for r in cur.execute("SELECT fetch_id FROM liputan.fetches ORDER BY 1")]
        with cur.copy("COPY liputan.documents (fetch_id, extractor_version, is_article, title,"
                      " language, text, text_sha256, word_count, sketch) FROM STDIN") as copy:
            for fetch_id, (_, _, _, title, text) in zip(ids, pages):
                copy.write_row((fetch_id, "bench", True, title, "id", text,
                                hashlib.sha256(text.encode()).digest(), len(text.split()),
                                fingerprint.sketch_literal(text)))
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE")
        cur.execute("CHECKPOINT")


def baseline_copy(dsn: str, pages: list[tuple]) -> float:
    """Seconds to COPY the article rows into an empty, unindexed table."""
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE bench_copy (source text, canonical_url text, url text,"
                    " title text, language text, text text, text_sha256 bytea,"
                    " word_count integer, fetched_at timestamptz)")
        conn.commit()
        started = time.perf_counter()
        with cur.copy("COPY bench_copy FROM STDIN") as copy:
            for source, url, fetched_at, title, text in pages:
                copy.write_row((source, url, url, title, "id", text,
                                hashlib.sha256(text.encode()).digest(), len(text.split()),
                                fetched_at))
        conn.commit()
        seconds = time.perf_counter() - started
        conn.autocommit = True
        cur.execute("CHECKPOINT")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--dsn", default=os.environ.get("LIPUTAN_TEST_DSN"),
                        help="admin DSN of the server to use (default: $LIPUTAN_TEST_DSN, else "
                        "an embedded server in a temporary folder)")
    args = parser.parse_args(argv)

    with admin_dsn(args.dsn) as admin, scratch_database(admin, prefix="liputan_bench") as dsn:
        started = time.perf_counter()
        pages = synthetic_pages(args.articles)
        words = sum(len(p[4].split()) for p in pages) / len(pages)
        print(f"generated {len(pages)} pages, {words:.0f} words on average "
              f"({time.perf_counter() - started:.0f}s)", flush=True)
        store(dsn, pages)
        copy_s = baseline_copy(dsn, pages)

        started = time.perf_counter()
        result = load(dsn, batch_size=args.batch_size)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        searched = fill_search(dsn).filled
        index_s = time.perf_counter() - started
        with psycopg.connect(dsn) as conn:
            articles = conn.execute("SELECT count(*) FROM news.articles").fetchone()[0]

    n = len(pages)
    print(f"load: {result.summary()}; {articles} articles, {searched} search vectors")
    print(f"{'step':<16}{'seconds':>9}{'docs/s':>10}{'ratio':>8}")  # docs: documents merged
    for label, seconds in (("baseline COPY", copy_s), ("load", load_s), ("index", index_s),
                           ("load + index", load_s + index_s)):
        print(f"{label:<16}{seconds:>9.2f}{n / seconds:>10.0f}{copy_s / seconds:>8.2f}")
    print("ratio = baseline COPY seconds / step seconds (1.0 = as fast as a bare COPY)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
