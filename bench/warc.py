"""Benchmark of `liputan import-warc` and `liputan archive` on a generated WARC, beside a bare
warcio read of the same file in the same run.

    .venv/bin/python -m bench.warc [--mb 1024] [--dsn ADMIN_DSN] [--keep DIR]

Writes a CC-NEWS-like WARC.gz of about --mb MB (response records of ~60 kB Indonesian-looking
article pages on 5 outlets, 10 % of them on sites the sources file does not name), then times:

  baseline   warcio reading every record and its payload (no database);
  import     import_warcs(): records matched to sources, stored as fetches (bodies gzipped);
  archive    archive(): the stored fetches written back out as WARC.gz;

and prints records/s, MB/s, the ratios to the baseline and the peak RSS of this process after
each phase (resource.getrusage: the import streams, so its peak must not grow with the file).
The database (ADMIN_DSN, else $LIPUTAN_TEST_DSN, else an embedded server) is dropped afterwards.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.server import admin_dsn
from crawler.archive.export import archive
from crawler.archive.ingest import import_warcs
from crawler.config import load_config
from crawler.db.scratch import scratch_database
from tests.load.corpus import Corpus

OUTLETS = ("kabar", "warta", "suara", "berita", "harian")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    boiler = "<nav>" + " · ".join(f"<a href='/k/{i}'>Kanal {i}</a>" for i in range(60)) + "</nav>"
    script = "<script>var data = '" + "x" * 30_000 + "';</script>"
    return (f"<!DOCTYPE html><html lang='id'><head><title>{title}</title>{script}</head>"
            f"<body>{boiler}<article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Hak cipta</footer></body></html>").encode()


def write_warc(path: Path, megabytes: int) -> int:
    corpus, rng = Corpus(seed=1), random.Random(1)
    records = 0
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
        while stream.tell() < megabytes * 1_000_000:
            outlet = rng.choice(OUTLETS) if rng.random() > 0.1 else "lain"
            body = page(f"Berita {records}", corpus.text())
            url = f"https://www.{outlet}.example/berita/{records}/kabar-{records}"
            moment = T0 + timedelta(seconds=records)
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders("200 OK", [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body)))], protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}))
            records += 1
    return records


def sources_file(path: Path) -> Path:
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    url: https://www.{name}.example/\n    language: id\n"
        f"    feeds: [https://www.{name}.example/rss]\n"
        f"    article_url_pattern: '/berita/\\d+/'\n" for name in OUTLETS))
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--dsn", default=os.environ.get("LIPUTAN_TEST_DSN"))
    parser.add_argument("--keep", type=Path, help="write the WARC files here (default: a temp dir)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="liputan-bench-warc-"))
    work.mkdir(parents=True, exist_ok=True)
    warc = work / "CC-NEWS-bench.warc.gz"
    started = time.perf_counter()
    records = write_warc(warc, args.mb)
    size = warc.stat().st_size / 1e6
    print(f"generated {warc} ({size:.0f} MB, {records} records) in "
          f"{time.perf_counter() - started:.0f}s; peak RSS {peak_mb():.0f} MB", flush=True)

    started = time.perf_counter()
    with warc.open("rb") as stream:
        read = sum(len(r.content_stream().read()) > 0 for r in ArchiveIterator(stream)
                   if r.rec_type == "response")
    base_s = time.perf_counter() - started
    print(f"baseline  warcio read: {read / base_s:8.0f} records/s {size / base_s:6.1f} MB/s "
          f"peak RSS {peak_mb():.0f} MB", flush=True)

    with admin_dsn(args.dsn) as admin, scratch_database(admin, prefix="liputan_bench") as dsn:
        config = load_config(sources_file(work / "sources.yaml"))
        started = time.perf_counter()
        result = import_warcs(dsn, config, [warc])
        import_s = time.perf_counter() - started
        print(f"import    {result.records / import_s:8.0f} records/s {size / import_s:6.1f} "
              f"MB/s ({result.fetches} stored) = {base_s / import_s:.2f} x baseline; "
              f"peak RSS {peak_mb():.0f} MB", flush=True)
        # imported fetches already point into their WARC: archive them as crawled ones
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("UPDATE liputan.fetches SET warc_file = NULL, warc_offset = NULL,"
                         " warc_record_id = NULL")
        started = time.perf_counter()
        out = archive(dsn, work / "archive", older_than=timedelta(0))
        archive_s = time.perf_counter() - started
        print(f"archive   {out.fetches / archive_s:8.0f} fetches/s "
              f"{out.bytes / 1e6 / archive_s:6.1f} MB/s ({len(out.files)} file(s), "
              f"{out.bytes / 1e6:.0f} MB) = {base_s / archive_s:.2f} x baseline; "
              f"peak RSS {peak_mb():.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
