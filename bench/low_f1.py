"""Pages where Liputan's body scores below a floor, beside what the baselines score there.

    .venv/bin/python -m bench.low_f1                       # id_news, wcxb_test, trafilatura_eval
    .venv/bin/python -m bench.low_f1 --no-candidates       # the same without crawler.clean.candidates
    .venv/bin/python -m bench.low_f1 --datasets id_news --below 0.8 --baseline-above 0.95

Scores are the corpus's own (../shared/corpus/eval_extract.py, imported): token F1 where the
ground truth is the full text, per-page F1 of the snippet counts where it is snippets only
(trafilatura_eval). For each dataset it prints how many pages each extractor leaves below
`--below`, then the article pages where Liputan is below it while a baseline is above
`--baseline-above` (the pages another tool shows can be done), and the mean time per page spent
in `candidates.better_body` (what the module adds to extraction).

Baselines: trafilatura (defaults), trafilatura with favor_precision, and readability-lxml when
installed. `--cache FILE` keeps the baselines' texts between runs (they do not change when
Liputan does).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from crawler.clean import extract as extract_module

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DATASETS = "id_news,wcxb_test,trafilatura_eval"
LIPUTAN = "liputan"

Extractor = Callable[[str, str | None], str]


def scoring(corpus: Path) -> ModuleType:
    """The corpus's eval_extract.py, imported as a module (its scoring is the reference)."""
    spec = importlib.util.spec_from_file_location("eval_extract", corpus / "eval_extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_f1(ev: ModuleType, text: str, page: dict) -> float:
    if page.get("gt_kind") == "text":
        return ev.token_prf(text, page["text"])[2]
    tp, fp, fn = ev.snippet_counts(text, page)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def baselines(ev: ModuleType) -> dict[str, Extractor]:
    found = {"trafilatura": ev.BUILTIN["trafilatura"](),
             "trafilatura-precision": ev.BUILTIN["trafilatura-precision"]()}
    if importlib.util.find_spec("readability") is not None:
        found["readability"] = ev.BUILTIN["readability"]()
    return found


class TimedCandidates:
    """Stands in for extract's `better_body`, adding up the time spent in it: the least of
    `repeat` calls per page, so that a busy machine or a garbage collection does not count."""

    def __init__(self, function: Callable[..., str], enabled: bool, repeat: int) -> None:
        self.function, self.enabled, self.repeat = function, enabled, repeat
        self.seconds, self.calls, self.repeated = 0.0, 0, 0.0

    def __call__(self, html, tree, url, text, **keywords) -> str:
        if not self.enabled:
            return text
        times = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            result = self.function(html, tree, url, text, **keywords)
            times.append(time.perf_counter() - start)
        self.seconds += min(times)
        self.repeated += sum(times) - min(times)  # not part of one extraction
        self.calls += 1
        return result


def run(extractor: Extractor, html: str, url: str | None) -> str:
    try:
        return extractor(html, url) or ""
    except Exception:  # noqa: BLE001 -- as eval_extract: a crash scores as an empty output
        return ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--datasets", default=DATASETS)
    parser.add_argument("--below", type=float, default=0.80)
    parser.add_argument("--baseline-above", type=float, default=0.95)
    parser.add_argument("--no-candidates", action="store_true",
                        help="Liputan with better_body as the identity (the 'before')")
    parser.add_argument("--repeat", type=int, default=3,
                        help="calls of better_body per page for its timing (the least counts)")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the baselines' texts")
    parser.add_argument("--per-page", type=Path, help="write every page's scores here (JSONL)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    ev = scoring(args.corpus)
    pages = ev.load_pages(args.corpus, set(args.datasets.split(",")))
    others = baselines(ev)
    cache = json.loads(args.cache.read_text()) if args.cache and args.cache.exists() else {}
    timer = TimedCandidates(extract_module.better_body, not args.no_candidates, args.repeat)
    extract_module.better_body = timer
    rows, extraction = [], 0.0
    for page in pages:
        html = ev.decode_html(gzip.decompress(page["path"].read_bytes()))
        url = page.get("url")
        start = time.perf_counter()
        text = run(extract_module.extract_text, html, url)
        extraction += time.perf_counter() - start
        scores = {LIPUTAN: page_f1(ev, text, page)}
        for name, extractor in others.items():
            key = f"{name}|{page['dataset']}|{page['id']}"
            if key not in cache:
                cache[key] = run(extractor, html, url)
            scores[name] = page_f1(ev, cache[key], page)
        rows.append({"dataset": page["dataset"], "id": page["id"], "url": url,
                     "page_type": page.get("page_type"), "scores": scores})
    if args.cache:
        args.cache.write_text(json.dumps(cache))
    if args.per_page:
        args.per_page.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report(rows, [LIPUTAN, *others], args.below, args.baseline_above)
    extraction -= timer.repeated
    print(f"\nextract_text: {1000 * extraction / len(pages):.1f} ms/page mean over {len(pages)} pages")
    if timer.calls:
        print(f"candidates.better_body: {1000 * timer.seconds / timer.calls:.2f} ms/page mean "
              f"over {timer.calls} pages ({timer.seconds / extraction:.1%} of extract_text)")


def report(rows: list[dict], names: list[str], below: float, above: float) -> None:
    for dataset in sorted({row["dataset"] for row in rows}):
        mine = [row for row in rows if row["dataset"] == dataset]
        articles = [row for row in mine if row["page_type"] in (None, "article")]
        print(f"\n== {dataset}: {len(mine)} pages ({len(articles)} article or untyped)")
        print(f"  {'pages below ' + format(below, '.2f'):<24}{'all':>6}{'article':>9}")
        for name in names:
            low = [row for row in mine if row["scores"][name] < below]
            low_articles = [row for row in low if row in articles]
            print(f"  {name:<24}{len(low):>6}{len(low_articles):>9}")
        beaten = [row for row in articles if row["scores"][LIPUTAN] < below and max(
            score for name, score in row["scores"].items() if name != LIPUTAN) > above]
        print(f"  article pages below {below:.2f} where a baseline is above {above:.2f}: "
              f"{len(beaten)}")
        for row in beaten:
            scores = "  ".join(f"{name} {score:.2f}" for name, score in row["scores"].items())
            print(f"    {row['id']}  {scores}")


if __name__ == "__main__":
    main()
