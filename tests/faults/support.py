"""What the fault tests share: sources files for the fault sites, and reading back the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psycopg
import yaml
from psycopg.rows import dict_row

from crawler.db.connect import DSN_ENV
from crawler.urls import canonicalize

# Quick test crawls, as the fixture news web's: a timeout is a second, one retry, no delay.
FAST = {
    "user_agent": "Liputan-faults/0.1 (+https://github.com/liputan/liputan)",
    "obey_robots": True,
    "max_download_bytes": 1_000_000,
    "download_timeout": 1.0,
    "retries": 1,
    "retry_backoff": 0.1,
    "autothrottle": False,
}
SOURCE_DEFAULTS = {"delay": 0.0, "concurrency": 4, "max_pages": 100}
# A crawl that has not ended after this long is hung: the test fails instead of waiting.
HANG_GUARD_SECONDS = 180


def sources_file(path: Path, sources: list[dict], *, allowed: list[str], **settings) -> Path:
    """A sources YAML; `allowed`: the only non-public networks the crawl may fetch from."""
    entries = [{**SOURCE_DEFAULTS, **source} for source in sources]
    data = {**FAST, **settings, "allow_private_addresses": allowed, "sources": entries}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def fetch_rows(dsn: str, source: str | None = None) -> list[dict]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT fetch_id, crawl_run_id, source, url, canonical_url, final_url, kind,"
            " http_status, reason, body_sha256 FROM liputan.fetches"
            " WHERE %(source)s::text IS NULL OR source = %(source)s ORDER BY fetch_id",
            {"source": source}).fetchall()


def stored_article_fetches(dsn: str) -> Counter:
    """Canonical URL (after redirects) -> fetches that stored an article body."""
    return Counter(canonicalize(r["final_url"] or r["url"]) for r in fetch_rows(dsn)
                   if r["kind"] == "article" and r["reason"] is None
                   and r["http_status"] == 200)


def articles(dsn: str) -> dict[str, tuple]:
    """news.articles as canonical URL -> (title, text hash, duplicate kind); one row per URL
    is asserted by the caller through `article_url_counts`."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT canonical_url, title, md5(text), duplicate_kind FROM news.articles").fetchall()
    return {url: (title, digest, kind) for url, title, digest, kind in rows}


def article_url_counts(dsn: str) -> Counter:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT canonical_url FROM news.articles").fetchall()
    return Counter(url for (url,) in rows)


def start_cli(dsn: str, *args: str) -> subprocess.Popen:
    """`liputan ARGS` in a process group of its own (so a kill reaches its crawl children)."""
    env = {**os.environ, DSN_ENV: dsn}
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def run_cli(dsn: str, *args: str) -> subprocess.CompletedProcess:
    process = start_cli(dsn, *args)
    try:
        out, err = process.communicate(timeout=HANG_GUARD_SECONDS)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and every child it started (its session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()

