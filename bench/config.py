"""Sources-file benchmark: reading a big sources file, and what each crawl child pays for it.

    .venv/bin/python -m bench.config [--sources 1000,10000,99120] [--before DIR] [--repeat 3]

Generates a sources file of N sources (about 118 bytes each, like a real one: name, url, one
feed; every tenth with an article_url_pattern; 99,120 sources make 11.7 MB) and prints, for
every N:

  parse         load_config() of the file: read, YAML, validation (the parent does this once);
  select        Config.select() of 1,000 names (`liputan crawl --source ...` with many names);
  child         what one per-source child process (`python -m crawler.fetch.crawl`) spends
                getting its settings (timed inside a fresh process, imports not counted):
                  file   the child reads and validates the whole sources file (before; still
                         what a hand-run child without --settings-on-stdin does);
                  stdin  the child reads its one source's validated settings, JSON on stdin,
                         that the parent wrote (Config.to_json: timed too, counted in).

--before DIR also times the code in DIR (a checkout from before, whose children read the file:
e.g. `mkdir /tmp/before && git archive HEAD crawler | tar -x -C /tmp/before`) side by side.
Each figure is the best of --repeat runs, each in a fresh process; run on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

PARSE = """
import json, sys, time
from crawler.config import load_config
t = time.perf_counter()
config = load_config(sys.argv[1])
parse = time.perf_counter() - t
names = [s.name for s in config.sources][::max(1, len(config.sources) // 1000)][:1000]
t = time.perf_counter()
config.select(names)
select = time.perf_counter() - t
t = time.perf_counter()
payload = config.to_json([names[-1]]) if hasattr(config, "to_json") else ""
to_json = time.perf_counter() - t
print(json.dumps({"parse": parse, "select": select, "to_json": to_json,
                  "payload": len(payload)}))
"""
# What a child does to get its settings (crawler/fetch/crawl.py, _child_main), timed inside it.
CHILD_FILE = """
import sys, time
from crawler.config import load_config
t = time.perf_counter()
load_config(sys.argv[1]).source(sys.argv[2])
print(time.perf_counter() - t)
"""
CHILD_STDIN = """
import sys, time
from crawler.config import config_from_json
t = time.perf_counter()
config_from_json(sys.stdin.read()).source(sys.argv[2])
print(time.perf_counter() - t)
"""


def write_sources(path: Path, count: int) -> None:
    lines = ["user_agent: 'Liputan-bench (+https://example.org/contact)'",
             "defaults: {language: id, max_pages: 30, delay: 1.0}", "sources:"]
    for i in range(count):
        site = f"https://outlet-{i:06d}.example"
        lines += [f"  - name: outlet-{i:06d}", f"    url: {site}/", f"    feeds: [{site}/rss]"]
        if i % 10 == 0:
            lines.append(f"    article_url_pattern: '^{site.replace('.', chr(92) + '.')}"
                         "/read/\\d+/'")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(tree: Path, code: str, *args: str, stdin: str | None = None) -> str:
    """The stdout of a fresh `python -c code args` importing `crawler` from `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tree, env=env, input=stdin,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {done.stderr.strip().splitlines()[-1]}")
    return done.stdout


def measure(tree: Path, path: Path, count: int, repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}

    def keep(key: str, value: float) -> None:
        best[key] = min(best.get(key, float("inf")), value)

    name = f"outlet-{count - 1:06d}"
    new = (tree / "crawler" / "config.py").read_text().find("def config_from_json") >= 0
    payload = None
    if new:
        sys.path.insert(0, str(tree))
        try:
            from crawler.config import load_config
            payload = load_config(path).to_json([name])
        finally:
            sys.path.pop(0)
    for _ in range(repeat):
        for key, value in json.loads(run(tree, PARSE, str(path))).items():
            keep(key, value)
        keep("child_file", float(run(tree, CHILD_FILE, str(path), name)))
        if payload is not None:
            # The parent's Config.to_json of the one source is counted in.
            keep("child_stdin", float(run(tree, CHILD_STDIN, str(path), name, stdin=payload))
                 + best["to_json"])
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", default="1000,10000,99120",
                        help="comma-separated numbers of sources (default: %(default)s)")
    parser.add_argument("--before", type=Path, help="a checkout of the code before, to compare")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    trees = [("before", args.before.resolve())] if args.before else []
    trees.append(("after", PROJECT))
    with tempfile.TemporaryDirectory(prefix="liputan-bench-config-") as folder:
        for count in (int(n) for n in args.sources.split(",")):
            path = Path(folder) / f"sources-{count}.yaml"
            write_sources(path, count)
            size = path.stat().st_size / 1e6
            print(f"{count:,} sources, {size:.1f} MB:")
            for label, tree in trees:
                got = measure(tree, path, count, args.repeat)
                line = (f"  {label:6}  parse {got['parse']:7.2f} s  select(1,000) "
                        f"{got['select']:7.3f} s  child: file {got['child_file']:7.2f} s")
                if "child_stdin" in got:
                    line += (f", stdin {got['child_stdin'] * 1000:6.1f} ms"
                             f" ({got['payload']:.0f}-byte payload)")
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
