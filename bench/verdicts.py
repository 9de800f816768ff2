"""Which corpus pages Liputan stores as articles, by the corpus's own page type.

    .venv/bin/python -m bench.verdicts                 # corpus beside ../shared/corpus
    .venv/bin/python -m bench.verdicts --corpus DIR --show too_short

Prints, per dataset and labelled page type (wcxb_test: article, forum, listing, ...; id_news:
article; trafilatura_eval: mostly news and blog articles, unlabelled), how many pages `extract`
calls articles and the reasons of the others: "articles not stored" is the article rows' share
of not-article verdicts, and what the other page types store is the price paid for it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

from bench.extract import DEFAULT_CORPUS
from crawler.clean.extract import extract
from crawler.decode import decode_body

DATASETS = ("id_news", "wcxb_test", "trafilatura_eval")


def _verdict(item: tuple[str, str, str | None, str]) -> tuple[str, str, str, str]:
    dataset, path, url, page_type = item
    html = decode_body(gzip.decompress(Path(path).read_bytes()), None).text
    result = extract(html, url)
    return dataset, page_type, result.reason or "article", url or path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", help="list the article pages given this reason")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    items = []
    for dataset in DATASETS:
        with gzip.open(args.corpus / dataset / "manifest.jsonl.gz", "rt") as manifest:
            for line in manifest:
                row = json.loads(line)
                items.append((dataset, str(args.corpus / dataset / row["html"]), row.get("url"),
                              row.get("page_type") or ("article" if dataset == "id_news"
                                                       else "unlabelled")))
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    shown = []
    with Pool(args.workers) as pool:
        for dataset, page_type, verdict, where in pool.imap_unordered(_verdict, items, 8):
            counts[dataset, page_type][verdict] += 1
            if args.show and verdict == args.show and page_type in ("article", "unlabelled"):
                shown.append(where)
    print(f"{'dataset':18} {'page type':14} {'pages':>6} {'stored':>7}  not stored (reasons)")
    for (dataset, page_type), verdicts in sorted(counts.items()):
        total = sum(verdicts.values())
        stored = verdicts["article"]
        reasons = ", ".join(f"{r} {n}" for r, n in verdicts.most_common() if r != "article")
        print(f"{dataset:18} {page_type:14} {total:6} {stored / total:7.3f}  {reasons}")
    for where in sorted(shown):
        print(f"  {args.show}: {where}")


if __name__ == "__main__":
    main()
