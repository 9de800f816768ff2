"""`liputan run` end to end on the fixture news web: crawl, clean, load and stories in one go,
as `make run` and the nightly job do it."""

from __future__ import annotations

import psycopg
import pytest

from tests.test_cli import liputan

pytestmark = pytest.mark.timeout(480)


def stored_articles(dsn: str) -> dict[str, tuple[str, str]]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT canonical_url, title, text FROM news.articles").fetchall()
    return {url: (title, text) for url, title, text in rows}


def summary_line(stdout: str, step: str) -> str:
    return next(line for line in stdout.splitlines() if line.split()[1:2] == [step])


def test_run_stores_every_article_of_the_news_web_cleaned_once(news_web_module, new_database,
                                                              tmp_path):
    dsn = new_database(migrated=False)
    sources = news_web_module.sources_file(tmp_path)
    result = liputan("--dsn", dsn, "run", "--sources", str(sources), timeout=420)
    assert result.returncode == 0, result.stderr[-3000:]
    for step in ("migrate", "crawl", "clean", "load", "index", "stories"):
        assert summary_line(result.stdout, step).split()[0] == "ok", result.stdout

    stored = stored_articles(dsn)
    for site in news_web_module.sites():
        for article in news_web_module.expected_articles(site):
            assert article.canonical_url in stored, (site, article.url)
            title, text = stored[article.canonical_url]
            assert article.title == title
            for paragraph in article.paragraphs:
                assert paragraph in text, (article.url, paragraph[:60])
            for residue in article.boilerplate:
                assert residue not in text, (article.url, residue)
    assert len(stored) == sum(len(news_web_module.expected_articles(site))
                              for site in news_web_module.sites())
    with psycopg.connect(dsn) as conn:  # the index step gave every article its search vector
        assert conn.execute("SELECT count(*) FROM news.articles WHERE search IS NULL"
                            ).fetchone() == (0,)

    # The same run again fetches only what may have changed and stores nothing twice.
    again = liputan("--dsn", dsn, "run", "--sources", str(sources), timeout=420)
    assert again.returncode == 0, again.stderr[-3000:]
    assert stored_articles(dsn) == stored
    with psycopg.connect(dsn) as conn:
        versions = conn.execute("SELECT count(*) FROM news.article_versions").fetchone()[0]
    assert versions == len(stored)


def test_run_with_a_site_down_still_loads_the_others(news_web_module, new_database, tmp_path):
    dsn = new_database()
    down = news_web_module.sites()[0]
    sources = news_web_module.sources_file(tmp_path, down=[down])
    result = liputan("--dsn", dsn, "run", "--sources", str(sources), timeout=420)
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary_line(result.stdout, "crawl").split()[0] == "WARN", result.stdout
    stored = stored_articles(dsn)
    for site in news_web_module.sites()[1:]:
        assert news_web_module.expected_urls(site) <= set(stored)
    assert not news_web_module.expected_urls(down) & set(stored)


def test_run_refuses_an_unknown_source_before_fetching(news_web, new_database, tmp_path):
    sources = news_web.sources_file(tmp_path)
    result = liputan("--dsn", new_database(), "run", "--sources", str(sources),
                     "--source", "no-such-outlet")
    assert result.returncode == 2
    assert "no-such-outlet" in result.stderr
    assert all(not news_web.requests(site) for site in news_web.sites())
