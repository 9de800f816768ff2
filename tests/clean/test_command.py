"""`liputan clean` as a user types it: per-source rules from --sources, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.clean.pages import Page, article_html, documents, store

ROOT = Path(__file__).resolve().parents[2]
QUIZ = "<p>Ikuti kuis mingguan Kabar Kota berhadiah sepeda lipat untuk pembaca setia.</p>"
SOURCES = """\
user_agent: "Liputan tests (+https://liputan.example/tests)"
sources:
  - name: kabar-cli
    url: https://kabar-cli.example/
    language: id
    feeds: [https://kabar-cli.example/rss]
    clean:
      drop_patterns: ["^Ikuti kuis mingguan"]
"""


def liputan(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIPUTAN_")}
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True,
                          text=True, check=False, env=env, timeout=300, cwd=ROOT)


def test_clean_command_applies_the_sources_file_rules_and_prints_a_summary(dsn, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, encoding="utf-8")
    store(dsn, "kabar-cli", [Page("a", article_html(extra=QUIZ).encode()),
                             Page("b", article_html("Pasar baru dibuka", extra=QUIZ).encode())])
    result = liputan("--dsn", dsn, "clean", "--sources", str(sources), "--source", "kabar-cli",
                     "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "cleaned 2 page(s)" in result.stdout and "2 article(s)" in result.stdout
    docs = documents(dsn, "kabar-cli").values()
    assert len(docs) == 2
    assert all("kuis mingguan" not in doc["text"] and doc["language"] == "id" for doc in docs)

    again = liputan("--dsn", dsn, "clean", "--source", "kabar-cli")
    assert again.returncode == 0 and "nothing to clean" in again.stdout


def test_clean_command_without_sources_file_uses_general_rules_only(dsn):
    store(dsn, "umum-cli", [Page("a", article_html(extra=QUIZ).encode())])
    result = liputan("--dsn", dsn, "clean", "--source", "umum-cli", "--workers", "1")
    assert result.returncode == 0, result.stderr
    [doc] = documents(dsn, "umum-cli").values()
    assert "kuis mingguan" in doc["text"]


def test_missing_sources_file_is_one_line_error(dsn, tmp_path):
    result = liputan("--dsn", dsn, "clean", "--sources", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"liputan: error: {tmp_path / 'nope.yaml'}: sources file not found"]


def test_unknown_source_in_sources_file_is_one_line_error(dsn, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, encoding="utf-8")
    result = liputan("--dsn", dsn, "clean", "--sources", str(sources), "--source", "nope")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("liputan: error: ") and "nope" in lines[0]


def test_workers_must_be_a_positive_number(dsn):
    result = liputan("--dsn", dsn, "clean", "--workers", "0")
    assert result.returncode == 2 and "--workers" in result.stderr
