"""Speed of `crawler.clean.extract.extract` against bare `trafilatura.extract`, one process.

    .venv/bin/python -m bench.extract                      # corpus pages beside ../shared/corpus
    .venv/bin/python -m bench.extract --corpus DIR --pages 300 --rounds 3

Both run on the same pages, read and decoded before timing, in alternating rounds so that a
busy machine slows both alike. Prints pages/s of each and the ratio ours / trafilatura (the
target is >= 0.85: the metadata and cleaning must cost less than 15 % on top).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import time
from pathlib import Path

import trafilatura

from crawler.clean.extract import extract

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def load_pages(corpus: Path, limit: int) -> list[tuple[str, str | None]]:
    """(html, url) of up to `limit` pages, spread evenly over the datasets."""
    datasets = sorted(p for p in corpus.iterdir() if (p / "manifest.jsonl.gz").exists())
    rows = []
    for dataset in datasets:
        with gzip.open(dataset / "manifest.jsonl.gz", "rt", encoding="utf-8") as manifest:
            rows.append([(dataset, json.loads(line)) for line in manifest])
    picked = []
    per = max(1, limit // max(1, len(rows)))
    for group in rows:
        step = max(1, len(group) // per)
        picked.extend(group[::step][:per])
    pages = []
    for dataset, row in picked:
        raw = gzip.decompress((dataset / row["html"]).read_bytes())
        pages.append((raw.decode("utf-8", "replace"), row.get("url")))
    return pages


def timed(function, pages) -> float:
    start = time.perf_counter()
    for html, url in pages:
        function(html, url)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    pages = load_pages(args.corpus, args.pages)
    ours = lambda html, url: extract(html, url)
    bare = lambda html, url: trafilatura.extract(html, url=url)
    totals = {"trafilatura.extract": 0.0, "crawler.clean.extract": 0.0}
    for _ in range(args.rounds):
        totals["trafilatura.extract"] += timed(bare, pages)
        totals["crawler.clean.extract"] += timed(ours, pages)
    count = len(pages) * args.rounds
    rates = {name: count / seconds for name, seconds in totals.items()}
    print(f"{len(pages)} pages x {args.rounds} rounds, one process")
    for name, rate in rates.items():
        print(f"  {name:<22}{rate:8.1f} pages/s")
    ratio = rates['crawler.clean.extract'] / rates['trafilatura.extract']
    print(f"  ratio crawler/trafilatura {ratio:.2f}"
          "  (target >= 0.85)")


if __name__ == "__main__":
    main()
