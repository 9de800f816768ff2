"""Speed and accuracy of `crawler.clean.dates.published` alone, on ../shared/corpus/dates.

    .venv/bin/python -m bench.dates                        # right / wrong / none and ms per page
    .venv/bin/python -m bench.dates --rounds 3 --per-page /tmp/dates.jsonl

Pages are read, decoded and parsed the way `extract` does before timing; only `published` (with
the page's JSON-LD objects, as `read_metadata` gives them) is timed, in CPU time (so that other
jobs on a shared machine do not inflate it); the first round also pays htmldate's one-time
loading of dateparser's locales. The day counts in the date's own zone, as
../shared/corpus/eval_dates.py counts it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from trafilatura.utils import load_html

from crawler.clean import jsonld
from crawler.clean.dates import published
from crawler.decode import repair_double_utf8

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dates"


def load_pages(corpus: Path) -> list[dict]:
    """Manifest rows with their html (decoded as eval_dates.py decodes it)."""
    with gzip.open(corpus / "manifest.jsonl.gz", "rt", encoding="utf-8") as manifest:
        rows = [json.loads(line) for line in manifest]
    for row in rows:
        raw = gzip.decompress((corpus / row["html"]).read_bytes())
        try:
            row["text"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            row["text"] = raw.decode("cp1252", "replace")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--per-page", type=Path)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    rows = load_pages(args.corpus)
    for row in rows:
        row["tree"] = load_html(repair_double_utf8(row["text"].replace("\x00", "")))
        row["json_ld"] = [] if row["tree"] is None else list(jsonld.objects(row["tree"]))
    spent = []
    for _ in range(args.rounds):
        start = time.process_time()
        for row in rows:
            if row["tree"] is not None:
                row["found"] = published(row["tree"], row["json_ld"], row["url"])
        spent.append(time.process_time() - start)
    score: dict[str, Counter] = defaultdict(Counter)
    sources: Counter = Counter()
    out = []
    for row in rows:
        when, source = row.get("found") or (None, None)
        got = when.date() if when else None
        want = row["date"] and date.fromisoformat(row["date"])
        verdict = "right" if got == want else "none" if got is None else "wrong"
        for key in (row["collection"], "ALL"):
            score[key][verdict] += 1
        sources[(source, verdict)] += 1
        out.append({"id": row["id"], "url": row["url"], "want": row["date"],
                    "got": got and got.isoformat(), "source": source, "verdict": verdict})
    print(f"{'collection':18s} {'pages':>5s} {'right':>6s} {'wrong':>6s} {'none':>6s}")
    for key, count in sorted(score.items()):
        total = sum(count.values())
        print(f"{key:18s} {total:5d} {count['right'] / total:6.3f} {count['wrong'] / total:6.3f}"
              f" {count['none'] / total:6.3f}")
    print("by source:", ", ".join(f"{s}/{v} {n}" for (s, v), n in sorted(
        sources.items(), key=lambda item: (str(item[0][0]), item[0][1]))))
    print(f"published: {1000 * min(spent) / len(rows):.2f} ms/page CPU (best of {args.rounds}; "
          f"first round {1000 * spent[0] / len(rows):.2f})")
    if args.per_page:
        args.per_page.write_text("".join(json.dumps(x) + "\n" for x in out))


if __name__ == "__main__":
    main()
