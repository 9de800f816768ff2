"""PostgreSQL stopped with an immediate shutdown (a crash: no checkpoint, every connection cut)
while the crawl stores fetches, while clean writes documents and while load merges articles;
then started again. Each step keeps what it committed and loses only its open transaction;
rerunning it completes the work, and the result is what a run without faults gives.

The server is an EmbeddedServer of this test's own (the shared test server is not stopped);
the fault-free reference run uses a database on the shared server.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from crawler.db.embedded import EmbeddedServer
from crawler.db.migrate import upgrade
from tests.faults.support import (
    HANG_GUARD_SECONDS,
    kill_group,
    run_cli,
    start_cli,
)

SEED = 5
SITES = ("kabarnusa",)
RESPONSE_DELAY = 0.3
BATCH_DELAY = 0.2  # seconds each load batch takes at least, while the crash is prepared


def _count(dsn: str, query: str) -> int:
    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            return conn.execute(query).fetchone()[0]
    except psycopg.OperationalError:
        return -1


def snapshot(dsn: str) -> dict:
    """What a consumer and the next step see: articles, documents, stored article fetches."""
    with psycopg.connect(dsn) as conn:
        parts = {
            "articles": sorted(conn.execute(
                "SELECT canonical_url, title, md5(text), version, duplicate_kind"
                " FROM news.articles").fetchall()),
            "documents": sorted(conn.execute(
                "SELECT f.canonical_url, d.is_article, d.reason, d.text_sha256,"
                " d.loaded_at IS NOT NULL FROM liputan.documents d"
                " JOIN liputan.fetches f USING (fetch_id)").fetchall()),
            "article_fetches": sorted(conn.execute(
                "SELECT canonical_url, body_sha256 FROM liputan.fetches"
                " WHERE kind = 'article' AND reason IS NULL AND http_status = 200").fetchall()),
        }
        running = conn.execute(
            "SELECT count(*) FROM liputan.crawl_runs WHERE status = 'running'").fetchone()[0]
    return {**parts, "running_runs": running}


def differences(got: dict, expected: dict) -> str:
    """The rows of each snapshot part found on one side only, for the assertion message."""
    lines = []
    for key, want in expected.items():
        if isinstance(want, list) and got[key] != want:
            lines.append(f"{key}: only after the faults {sorted(set(got[key]) - set(want))}"
                         f"; only in the clean run {sorted(set(want) - set(got[key]))}")
    return "\n".join(lines)


def crash_during(server: EmbeddedServer, dsn: str, args: list[str], progress: str,
                 target: int) -> tuple[int, str]:
    """Run `liputan ARGS`; when `progress` (a count query) reaches `target`, stop the server
    with an immediate shutdown. Returns (exit status, stderr) once the command gave up."""
    process = start_cli(dsn, *args)
    try:
        deadline = time.monotonic() + 90
        while _count(dsn, progress) < target:
            assert process.poll() is None, f"`liputan {args[0]}` ended before the crash"
            assert time.monotonic() < deadline, f"`liputan {args[0]}` made no progress"
            time.sleep(0.02)
        server.stop(mode="immediate")
        # It must notice and end by itself (no hang), whatever it reports.
        _, err = process.communicate(timeout=HANG_GUARD_SECONDS)
    finally:
        if process.poll() is None:
            kill_group(process)
    server.start()
    return process.returncode, err


@contextmanager
def slow_batches(dsn: str, table: str) -> Iterator[None]:
    """Each statement writing `table` takes BATCH_DELAY longer while inside: a load of a few
    articles is over within one poll of `crash_during` otherwise, and the crash finds nothing
    left to interrupt. The trigger is dropped after the crash."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION public.liputan_test_slow() RETURNS trigger"
                     " LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep("
                     f"{BATCH_DELAY}); RETURN NULL; END $$")
        conn.execute(f"CREATE TRIGGER liputan_test_slow AFTER INSERT ON {table}"
                     " FOR EACH STATEMENT EXECUTE FUNCTION public.liputan_test_slow()")
    try:
        yield
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER IF EXISTS liputan_test_slow ON {table}")
            conn.execute("DROP FUNCTION IF EXISTS public.liputan_test_slow()")


def pipeline(dsn: str, sources) -> None:
    for args in (["crawl", "--sources", str(sources)], ["clean", "--workers", "1"],
                 ["load", "--batch-size", "1"]):
        done = run_cli(dsn, *args)
        assert done.returncode == 0, done.stderr[-2000:]


def test_database_crash_during_crawl_clean_and_load_then_rerun_matches_a_clean_run(
        own_server, news_web, new_database, tmp_path):
    rng = random.Random(SEED)
    sources = news_web.sources_file(tmp_path, sites=list(SITES),
                                    source_settings={"concurrency": 1},
                                    retries=3)
    reference = new_database()
    pipeline(reference, sources)
    expected = snapshot(reference)
    assert len(expected["articles"]) == sum(len(news_web.expected_urls(s)) for s in SITES)

    dsn = own_server.ensure_database("faults")
    upgrade(dsn)
    for site in SITES:
        news_web.set_delay(site, RESPONSE_DELAY)
    code, err = crash_during(own_server, dsn, ["crawl", "--sources", str(sources)],
                             "SELECT count(*) FROM liputan.fetches", rng.randint(1, 20))
    assert code != 0, "a crawl that lost its database must not report success"
    for site in SITES:
        news_web.set_delay(site, 0.0)
    done = run_cli(dsn, "crawl", "--sources", str(sources))
    assert done.returncode == 0, done.stderr[-2000:]

    code, err = crash_during(own_server, dsn, ["clean", "--workers", "1"],
                             "SELECT count(*) FROM liputan.documents", rng.randint(1, 10))
    assert code != 0, "a clean that lost its database must not report success"
    done = run_cli(dsn, "clean", "--workers", "1")
    assert done.returncode == 0, done.stderr[-2000:]

    with slow_batches(dsn, "liputan.article_fetches"):
        code, err = crash_during(own_server, dsn, ["load", "--batch-size", "1"],
                                 "SELECT count(*) FROM liputan.article_fetches",
                                 rng.randint(1, 10))
    assert code != 0 and "run `liputan load` again" in err
    # Committed batches only: every merged fetch is marked loaded, and nothing else is.
    with psycopg.connect(dsn) as conn:
        linked, marked = conn.execute(
            "SELECT (SELECT count(DISTINCT fetch_id) FROM liputan.article_fetches),"
            " (SELECT count(*) FROM liputan.documents WHERE loaded_at IS NOT NULL)").fetchone()
    assert 0 < linked == marked < len(expected["articles"])
    done = run_cli(dsn, "load", "--batch-size", "1")
    assert done.returncode == 0, done.stderr[-2000:]

    got = snapshot(dsn)
    assert got["running_runs"] == 0
    assert got == expected, differences(got, expected)
