"""`liputan import-warc`: web-archive records of the sources' sites in as fetches, resumable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from crawler.archive.ingest import import_warcs
from crawler.clean.step import clean
from crawler.cli import main
from crawler.config import load_config
from crawler.load.merge import load
from tests.archive.warcs import START, news_pages, write_warc

ROOT = Path(__file__).resolve().parents[2]


def sources(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - name: kabar\n    url: https://kabar.example/\n    language: id\n"
        "    feeds: [https://kabar.example/rss]\n"
        "    article_url_pattern: '^https://kabar\\.example/berita/\\d+/'\n"
        "  - name: warta\n    url: https://www.warta.example/\n    language: id\n"
        "    feeds: [https://www.warta.example/rss]\n")
    return path


def fetch_rows(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT source, url, discovered_via, discovered_from, fetched_at, warc_record_id, "
            "reason FROM liputan.fetches ORDER BY fetched_at").fetchall()


def test_records_of_the_sources_become_articles_with_their_warc_provenance(dsn, tmp_path):
    warc = write_warc(tmp_path / "CC-NEWS-1.warc.gz", [
        *news_pages("kabar.example", 2),
        ("https://kabar.example/tag/politik", 200, b"<html>tag page</html>"),  # not an article URL
        ("https://elsewhere.example/berita/1/x", 200, b"<html>other site</html>"),
        *news_pages("news.warta.example", 1),  # a subdomain of a source without a pattern
        ("https://kabar.example/berita/9/hilang", 404, b"gone"),
    ])
    config = load_config(sources(tmp_path))
    result = import_warcs(dsn, config, [warc])
    assert (result.records, result.fetches) == (6, 4)
    rows = fetch_rows(dsn)
    assert [(r[0], r[2], r[3], r[6]) for r in rows] == [
        ("kabar", "warc", str(warc), None), ("kabar", "warc", str(warc), None),
        ("warta", "warc", str(warc), None), ("kabar", "warc", str(warc), "http_404")]
    # ordered by WARC-Date: one minute per record from START, the skipped records included
    assert rows[0][4] == START and all(r[5].startswith("<urn:uuid:") for r in rows)
    clean(dsn, config, workers=1)
    load(dsn)
    with psycopg.connect(dsn) as conn:
        urls = conn.execute("SELECT a.source, u.discovered_via, u.fetched_at FROM "
                            "news.articles a JOIN news.article_urls u USING (article_id) "
                            "ORDER BY u.fetched_at").fetchall()
    assert [(s, v) for s, v, _ in urls] == [("kabar", "warc"), ("kabar", "warc"),
                                            ("warta", "warc")]


def test_a_finished_file_is_skipped_by_a_rerun(dsn, tmp_path):
    warc = write_warc(tmp_path / "again.warc.gz", news_pages("kabar.example", 2))
    config = load_config(sources(tmp_path))
    import_warcs(dsn, config, [warc])
    again = import_warcs(dsn, config, [warc])
    assert (again.skipped_files, again.fetches) == (1, 0)
    assert len(fetch_rows(dsn)) == 2


def test_a_killed_import_resumes_without_duplicates(dsn, tmp_path):
    total = 3000
    warc = write_warc(tmp_path / "big.warc.gz", news_pages("kabar.example", total))
    command = [sys.executable, "-m", "crawler.cli", "--dsn", dsn, "import-warc",
               "--sources", str(sources(tmp_path)), str(warc)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(fetch_rows(dsn)) < 400 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)  # mid-file: some batches stored, the rest not
    child.wait()
    stored_before = len(fetch_rows(dsn))
    assert 0 < stored_before < total
    result = import_warcs(dsn, load_config(sources(tmp_path)), [warc])
    rows = fetch_rows(dsn)
    assert len(rows) == total == len({r[5] for r in rows})
    assert result.already == stored_before and result.fetches == total - stored_before


def test_bad_files_are_one_line_errors(dsn, tmp_path, capsys):
    not_warc = tmp_path / "page.html"
    not_warc.write_text("<html>not a WARC</html>")
    args = ["--dsn", dsn, "import-warc", "--sources", str(sources(tmp_path))]
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert main([*args, str(not_warc)]) == 2
    assert main([*args, str(tmp_path / "missing.warc.gz")]) == 2
    assert main([*args, str(empty)]) == 2  # not "0 records read" and marked as imported
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and "not a readable WARC file" in errors[0]
    assert "no such WARC file" in errors[1] and "(empty)" in errors[2]


@pytest.mark.parametrize("name", ["nobody"])
def test_an_unknown_source_is_a_one_line_error(dsn, tmp_path, capsys, name):
    warc = write_warc(tmp_path / "x.warc.gz", news_pages("kabar.example", 1))
    assert main(["--dsn", dsn, "import-warc", "--sources", str(sources(tmp_path)),
                 "--source", name, str(warc)]) == 2
    assert "no source named 'nobody'" in capsys.readouterr().err
