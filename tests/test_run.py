"""`liputan run` end to end on the fixture news web: crawl, clean, load and stories in one go,
as `make run` and the nightly job do it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from crawler.db.connect import with_database
from crawler.db.embedded import EmbeddedServer
from tests.crawl.support import runs
from tests.crawl.test_interruptions import SITE, child_pids, slow_sources, wait_for
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


# A database fault in the middle of the load, as PostgreSQL reports it: a full disk, or a
# statement cancelled by statement_timeout. Raised by a trigger on the table the load writes.
FAULTS = {
    "disk full": ("disk_full", "could not extend file: No space left on device"),
    "statement timeout": ("query_canceled", "canceling statement due to statement timeout"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_database_fault_in_the_load_fails_that_step_like_any_other(news_web, new_database,
                                                                     tmp_path, fault):
    dsn = new_database()
    code, message = FAULTS[fault]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"""
            CREATE FUNCTION liputan.test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = '{code}'; END $$;
            CREATE TRIGGER test_fault BEFORE INSERT ON liputan.articles
                FOR EACH STATEMENT EXECUTE FUNCTION liputan.test_fault();""")
    sources = news_web.sources_file(tmp_path, sites=news_web.sites()[:1], max_pages=5)

    result = liputan("--dsn", dsn, "-q", "run", "--sources", str(sources), timeout=300)

    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    load = summary_line(result.stdout, "load")
    assert load.split()[0] == "FAIL" and message in load, result.stdout
    assert lines[lines.index(load) + 1].strip() == "later steps ran on what is stored"
    for step in ("migrate", "crawl", "clean", "index", "stories"):
        assert summary_line(result.stdout, step).split()[0] == "ok", result.stdout
    assert "stored:" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_failed_migrate_skips_the_later_steps_and_says_so(news_web, new_database, tmp_path):
    dsn = new_database()
    with psycopg.connect(dsn, autocommit=True) as conn:
        dbname = conn.info.dbname
        conn.execute(f'ALTER DATABASE "{dbname}" SET default_transaction_read_only = on')
    sources = news_web.sources_file(tmp_path, sites=news_web.sites()[:1], max_pages=5)

    result = liputan("--dsn", dsn, "-q", "run", "--sources", str(sources))

    assert result.returncode == 1, result.stderr[-3000:]
    migrate = summary_line(result.stdout, "migrate")
    assert migrate.split()[0] == "FAIL" and "read-only" in migrate, result.stdout
    lines = result.stdout.splitlines()
    assert lines[lines.index(migrate) + 1].strip().startswith("later steps skipped")
    for step in ("crawl", "clean", "load", "index", "stories"):
        assert summary_line(result.stdout, step).split()[0] == "skip", result.stdout
    assert all(not news_web.requests(site) for site in news_web.sites())
    assert "Traceback" not in result.stderr


def _embedded_uri(pgdata: Path) -> str | None:
    """The liputan database of a running embedded server, through its socket; None until
    the server is up. Connecting this way does not make the test one of its users."""
    from pgserver.utils import PostmasterInfo

    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except AssertionError:  # postmaster.pid half written (starting) or being removed
        return None
    if info is None or not info.is_running():
        return None
    return with_database(info.get_uri("postgres"), "liputan")


def _crawl_running(pgdata: Path) -> bool:
    uri = _embedded_uri(pgdata)
    if uri is None:
        return False
    try:
        return any(r["status"] == "running" for r in runs(uri, SITE))
    except psycopg.Error:  # not migrated yet
        return False


@pytest.mark.timeout(300)
def test_sigterm_of_run_stops_it_as_ctrl_c_does(news_web, tmp_path):
    """`kill PID` of `liputan run` (the parent alone, as a scheduler or a user sends it): the
    crawl children are stopped and their runs closed 'interrupted', one line says so, and the
    embedded server stops; no child is left behind to crawl on or die of a broken pipe."""
    home = tmp_path / "home"
    pgdata = home / "pgdata"
    sources = slow_sources(news_web, tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIPUTAN_")}
    env["LIPUTAN_HOME"] = str(home)
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "-q", "run", "--sources", str(sources)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        wait_for(lambda: process.poll() is not None or _crawl_running(pgdata), timeout=120)
        assert process.poll() is None, process.communicate()
        os.kill(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=90)

        assert process.returncode == 128 + signal.SIGTERM, err[-3000:]
        assert err.strip().splitlines()[-1] == "liputan: interrupted (SIGTERM)", err[-3000:]
        assert "Traceback" not in err and "BrokenPipe" not in err, err[-3000:]
        assert child_pids(str(sources)) == []
        assert not (pgdata / "postmaster.pid").exists()
        server = EmbeddedServer(pgdata).start()
        try:
            assert [r["status"] for r in runs(server.ensure_database(), SITE)] == ["interrupted"]
        finally:
            server.close()
    finally:
        for pid in child_pids(str(sources)):  # what a failure left behind
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        if _embedded_uri(pgdata) is not None:
            from pgserver.utils import PostmasterInfo

            PostmasterInfo.read_from_pgdata(pgdata).process.kill()
