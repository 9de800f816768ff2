"""`liputan crawl` and `scrapy crawl news` from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, runs, stored_articles

PROJECT = Path(__file__).resolve().parents[2]


def liputan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True,
                          text=True, timeout=300, env=env, check=False)


def test_bad_sources_file_is_one_line_and_exit_2_before_any_fetch(news_web, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: x\n    url: http://127.0.0.1:1/\n"
                   "    feeds: [http://127.0.0.1:1/rss]\n    article_url_pattern: '('\n")
    done = liputan("--dsn", "postgresql://nobody@127.0.0.1:1/none", "crawl", "--sources",
                   str(bad))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert str(bad) in done.stderr and "source 'x'" in done.stderr
    assert "article_url_pattern" in done.stderr


def test_unknown_source_name_is_refused_with_exit_2(news_web, tmp_path):
    sources = news_web.sources_file(tmp_path, sites=["suarapagi"])
    done = liputan("--dsn", "postgresql://nobody@127.0.0.1:1/none", "crawl", "--sources",
                   str(sources), "--source", "nope")
    assert done.returncode == 2 and "no source named 'nope'" in done.stderr
    assert news_web.requests("suarapagi") == []


def test_liputan_crawl_crawls_the_named_source_and_prints_a_summary(news_web, new_database,
                                                                    tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path)
    done = liputan("--dsn", dsn, "crawl", "--sources", str(sources), "--source", "suarapagi",
                   "--max-pages", "4")
    assert done.returncode == 0, done.stderr
    assert "1 source(s):" in done.stdout and "suarapagi: finished" in done.stdout
    assert [r["source"] for r in runs(dsn)] == ["suarapagi"]
    assert len([r for r in fetches(dsn) if r["kind"] == "article"]) == 4
    assert "crawl: 0/1 sources" in done.stderr  # progress is logged while it runs
    assert "suarapagi: finished" in done.stderr  # and each source's end, once


def test_scrapy_crawl_news_stores_like_liputan_crawl(news_web, new_database, tmp_path):
    dsn = new_database()
    sources = news_web.sources_file(tmp_path, sites=["wartaharian"])
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
         "-a", "source=wartaharian", "-s", "LOG_LEVEL=WARNING"],
        cwd=PROJECT, env={**os.environ, "LIPUTAN_DSN": dsn}, capture_output=True, text=True,
        timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert set(stored_articles(fetches(dsn))) == news_web.expected_urls("wartaharian")
    assert [r["status"] for r in runs(dsn)] == ["finished"]


def test_a_crawl_that_cannot_record_its_run_says_why(news_web, new_database, tmp_path):
    # crawl() as the Airflow task calls it (no command-line check before): on a read-only
    # database the child could not begin its run and said only "exited with 0".
    dsn = new_database()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on")
                     .format(sql.Identifier(conn.info.dbname)))
    result = crawl(dsn, load_config(news_web.sources_file(tmp_path, sites=["suarapagi"])))
    [run] = result.runs
    assert run.status == "failed" and not result.ok
    assert "read-only" in run.error
