"""Body text and verdict on pages the extraction was not tuned on: newspaper4k's test pages.

    .venv/bin/python -m bench.unseen            # token F1 per page and the means, per extractor

newspaper4k keeps, for each of its test pages (tests/data/html/NAME.html), the text its own
extractor gives (tests/data/txt/NAME.txt): not a human annotation, but an independent one,
on sites and scripts (Arabic, Burmese, Chinese, Japanese, Latvian, Thai) that
../shared/corpus has little of. (Their authors are part of bench/authors_devset; their body
texts were never used to tune the extraction.) Read from the snapshot the search tool's `fetch` brings to
/work/.mirror (fetch AndyTheFactory/newspaper4k first), never copied into this repository.

Scores are ../shared/corpus/eval_extract.py's token F1 (imported). Also printed: Liputan's
verdict on each page, since every one of them is an article: a verdict other than "stored" is
an article lost.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from bench.low_f1 import DEFAULT_CORPUS, baselines, scoring
from bench.mirrors import git_ls, git_show
from crawler.clean.extract import extract
from crawler.decode import decode_body

REPO = "AndyTheFactory/newspaper4k"
COMMIT = "HEAD"  # the snapshot's; the figures in docs name the commit they were measured at


def pages() -> list[tuple[str, str, str]]:
    """(name, html, expected text) of each page that has both files."""
    texts = {Path(p).stem: p for p in git_ls(REPO, COMMIT, "tests/data/txt")}
    found = []
    for path in git_ls(REPO, COMMIT, "tests/data/html"):
        name = Path(path).stem
        if name in texts:
            found.append((name, decode_body(git_show(REPO, COMMIT, path)).text,
                          git_show(REPO, COMMIT, texts[name]).decode("utf-8")))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    ev = scoring(args.corpus)
    others = baselines(ev)
    names = ["liputan", *others]
    totals = dict.fromkeys(names, 0.0)
    rows = pages()
    print(f"{'page':26s} " + " ".join(f"{n[:21]:>21s}" for n in names) + "  liputan's verdict")
    for name, html, expected in rows:
        result = extract(html, None)
        scores = {"liputan": ev.token_prf(result.text, expected)[2]}
        for other, run in others.items():
            scores[other] = ev.token_prf(run(html, None) or "", expected)[2]
        for key, value in scores.items():
            totals[key] += value
        print(f"{name:26s} " + " ".join(f"{scores[n]:21.3f}" for n in names) +
              f"  {result.reason or 'stored'} ({result.language}, {result.word_count} words)")
    print(f"{'mean of ' + str(len(rows)) + ' pages':26s} " +
          " ".join(f"{totals[n] / len(rows):21.3f}" for n in names))


if __name__ == "__main__":
    main()
