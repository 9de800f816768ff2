"""Extraction quality may not fall below the figures recorded here (a gate, as trafilatura's CI).

Runs `crawler.clean.extract.extract_text` on a fixed subset of the corpus of real pages with ground
truth written by others (../shared/corpus, outside the repository; LIPUTAN_CORPUS overrides) and
scores it with that corpus's own `eval_extract.py`. Skipped when the corpus is not there.
Floors sit ~0.01 under the subset scores measured when they were recorded (2026-11-27), so
that a rule which quietly costs quality fails here; raise them when quality improves.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import os
import statistics
from pathlib import Path

import pytest

from crawler.clean.extract import extract_text

CORPUS = Path(os.environ.get("LIPUTAN_CORPUS",
                             Path(__file__).resolve().parents[3] / "shared" / "corpus"))
# every Nth page of each dataset: about 220 pages, well under a minute on one core
EVERY = {"id_news": 1, "wcxb_test": 5, "trafilatura_eval": 10}
# a little under the scores of 2026-11-27, extractor 2026.11.27-28 (.955, .907, .929 on these
# subsets; wcxb_test was .890 with -20, .875 before the Q&A, short-body and discussion rules)
FLOORS = {"id_news": 0.95, "wcxb_test": 0.90, "trafilatura_eval": 0.92}

pytestmark = pytest.mark.skipif(not (CORPUS / "eval_extract.py").exists(),
                                reason=f"corpus not found at {CORPUS} (set LIPUTAN_CORPUS)")


def _evaluator():
    spec = importlib.util.spec_from_file_location("eval_extract", CORPUS / "eval_extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(evaluator, dataset: str) -> float:
    pages = [p for p in evaluator.load_pages(CORPUS, [dataset])][::EVERY[dataset]]
    f1s, counts = [], [0, 0, 0]
    for page in pages:
        html = evaluator.decode_html(gzip.decompress(page["path"].read_bytes()))
        predicted = extract_text(html, page.get("url"))
        if page.get("gt_kind") == "text":
            f1s.append(evaluator.token_prf(predicted, page["text"])[2])
        elif page.get("with") or page.get("without"):
            counts = [a + b for a, b in zip(counts, evaluator.snippet_counts(predicted, page))]
    if f1s:
        return statistics.mean(f1s)
    tp, fp, fn = counts
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_extraction_quality_stays_above_recorded_floor(dataset):
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    try:
        score = _score(_evaluator(), dataset)
    finally:
        logging.disable(logging.NOTSET)
    print(f"{dataset}: {score:.3f} (floor {FLOORS[dataset]})")
    assert score >= FLOORS[dataset]
