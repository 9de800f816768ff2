"""How well articles are grouped into stories, on the hand-labelled fixtures.

    .venv/bin/python bench/stories_eval.py            # tuned parameters vs the baseline
    .venv/bin/python bench/stories_eval.py --grid     # the tuning grid (tuning set only)

Sets (tests/fixtures/stories/): tuning.jsonl (used to choose the parameters), holdout.jsonl
(its errors were looked at once during development, never tuned on), holdout2.jsonl (written
after the parameters were fixed, scored once, blind), seeds.jsonl (the five shared seed texts). Each line is one
article with its `event` label. Scores: pairwise precision/recall/F1 over all pairs of
articles, and B-cubed (per-article averages). The baseline is the previous attempt's rule:
plain TF-IDF of title + lead, centroid cosine >= 0.30, 3-day window, no entity or title boost.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from crawler.stories.index import Item, StoryParams, group
from crawler.stories.text import TextOptions

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stories"
SETS = ("tuning", "holdout", "holdout2", "seeds")

BASELINE = StoryParams(threshold=0.30, cross_language_threshold=0.30, window=timedelta(days=3),
                       decay=0.0, link="centroid",
                       text=TextOptions(entity_boost=1.0, title_weight=1.0))


def load_set(name: str) -> tuple[list[Item], dict[str, str]]:
    """Items and key -> event label of one fixture set."""
    items, labels = [], {}
    path = FIXTURES / f"{name}.jsonl"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        items.append(Item(key=row["id"], title=row["title"], text=row["text"],
                          published_at=datetime.fromisoformat(row["published_at"]),
                          duplicate_of=row.get("duplicate_of"), language=row.get("language")))
        labels[row["id"]] = row["event"]
    return items, labels


def pairwise(predicted: dict[str, int], gold: dict[str, str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        same_pred = predicted[a] == predicted[b]
        same_gold = gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, _f1(precision, recall)


def bcubed(predicted: dict[str, int], gold: dict[str, str]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for key, event in gold.items():
        cluster = {k for k in gold if predicted[k] == predicted[key]}
        klass = {k for k, e in gold.items() if e == event}
        both = len(cluster & klass)
        precisions.append(both / len(cluster))
        recalls.append(both / len(klass))
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(params: StoryParams, name: str, batches: int = 1) -> dict[str, tuple[float, ...]]:
    items, labels = load_set(name)
    predicted = group(items, params, batches=batches)
    return {"pairwise": pairwise(predicted, labels), "bcubed": bcubed(predicted, labels),
            "stories": (len(set(predicted.values())), len(set(labels.values())))}


def grid() -> list[tuple[float, StoryParams]]:
    """Pairwise F1 on the tuning set for every combination; best first."""
    results = []
    for threshold, cross, window, decay, boost, title_weight, link in itertools.product(
            (0.18, 0.22, 0.26, 0.30, 0.34), (0.10, 0.14, 0.18, None), (1.5, 2.0, 3.0),
            (0.0, 0.25, 0.5), (1.5, 2.0, 3.0), (1.0, 2.0), ("centroid", "max")):
        params = StoryParams(
            threshold=threshold, cross_language_threshold=threshold if cross is None else cross,
            window=timedelta(days=window), decay=decay, link=link,
            text=TextOptions(entity_boost=boost, title_weight=title_weight))
        results.append((score(params, "tuning")["pairwise"][2], params))
    results.sort(key=lambda r: -r[0])
    return results


MARGINALS = {
    "threshold": lambda p: p.threshold,
    "cross_language": lambda p: p.cross_language_threshold,
    "window_days": lambda p: p.window.total_seconds() / 86400,
    "decay": lambda p: p.decay,
    "entity_boost": lambda p: p.text.entity_boost,
    "title_weight": lambda p: p.text.title_weight,
    "link": lambda p: p.link,
}


def report(label: str, params: StoryParams) -> None:
    for name in SETS:
        started = time.perf_counter()
        s = score(params, name)
        ms = (time.perf_counter() - started) * 1000
        p, r, f = s["pairwise"]
        bp, br, bf = s["bcubed"]
        got, want = s["stories"]
        print(f"  {label:<9} {name:<8} pairwise P {p:.3f} R {r:.3f} F1 {f:.3f}   "
              f"B3 P {bp:.3f} R {br:.3f} F1 {bf:.3f}   stories {got}/{want}  ({ms:.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="show the tuning grid's top 15")
    args = parser.parse_args(argv)
    if args.grid:
        results = grid()
        best = results[0][0]
        print(f"{len(results)} combinations on the tuning set; best pairwise F1 {best:.3f} "
              f"reached by {sum(f1 >= best - 1e-9 for f1, _ in results)}")
        print("mean F1 by value of each parameter (the plateau, not one lucky point):")
        for name, value_of in MARGINALS.items():
            means: dict[object, list[float]] = {}
            for f1, params in results:
                means.setdefault(value_of(params), []).append(f1)
            print(f"  {name:<16} " + "  ".join(
                f"{value}: {sum(v) / len(v):.3f}" for value, v in sorted(means.items())))
        for f1, params in results[:5]:
            t = params.text
            print(f"F1 {f1:.3f}  threshold {params.threshold:.2f} "
                  f"cross {params.cross_language_threshold:.2f} "
                  f"window {params.window.total_seconds() / 86400:g}d decay {params.decay} "
                  f"link {params.link:<8} entity_boost {t.entity_boost} "
                  f"title_weight {t.title_weight}")
        return 0
    tuned = StoryParams()
    print(f"tuned:    {tuned}")
    print(f"baseline: {BASELINE}")
    report("tuned", tuned)
    report("baseline", BASELINE)
    for name in ("tuning", "holdout", "holdout2"):
        one, three = score(tuned, name)["pairwise"][2], score(tuned, name, batches=3)["pairwise"][2]
        print(f"  incremental {name}: F1 one run {one:.3f}, three nightly runs {three:.3f}")
    for name in ("holdout", "holdout2"):
        ratio = score(tuned, name)["pairwise"][2] / max(score(BASELINE, name)["pairwise"][2], 1e-9)
        print(f"  {name} pairwise F1 ratio tuned/baseline: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
