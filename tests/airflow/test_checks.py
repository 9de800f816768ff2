"""crawler.health.checks: a source is reported when it yields no articles though it usually does, or
when its failure rate jumps; judged against its own earlier runs, rows inserted here."""

from __future__ import annotations

import hashlib
import itertools

import psycopg
import pytest

from crawler.health.checks import Thresholds, check_runs, check_steps

_names = itertools.count()


@pytest.fixture
def source() -> str:
    """A source name of this test's own: the database is shared by the module's tests."""
    return f"outlet{next(_names)}"


def add_run(dsn: str, source: str, *, articles: int = 0, failures: int = 0, listings: int = 1,
            not_articles: int = 0, not_modified: int = 0, status: str = "finished",
            reason: str = "timeout") -> int:
    """A crawl run with that many successful article fetches, failed fetches, listings, pages
    that cleaning turned down, and 304 answers; returns its id."""
    with psycopg.connect(dsn) as conn:
        run_id = conn.execute(
            "INSERT INTO liputan.crawl_runs (source, status, finished_at)"
            " VALUES (%s, %s, now()) RETURNING crawl_run_id", (source, status)).fetchone()[0]
        rows = ([("article", 200, None, True)] * articles
                + [("article", None, reason, None)] * failures
                + [("listing", 200, None, None)] * listings
                + [("article", 200, None, False)] * not_articles
                + [("article", 304, None, None)] * not_modified)
        for number, (kind, status_code, why, is_article) in enumerate(rows):
            url = f"https://{source}.example/{run_id}/{number}"
            fetch_id = conn.execute(
                "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, kind,"
                " discovered_via, fetched_at, http_status, reason, body_sha256)"
                " VALUES (%s, %s, %s, %s, %s, 'feed', now(), %s, %s, %s) RETURNING fetch_id",
                (run_id, source, url, url, kind, status_code, why,
                 hashlib.sha256(url.encode()).digest())).fetchone()[0]
            if is_article is not None:
                conn.execute(
                    "INSERT INTO liputan.documents (fetch_id, extractor_version, is_article,"
                    " reason) VALUES (%s, 'test', %s, %s)",
                    (fetch_id, is_article, None if is_article else "too_short"))
    return run_id


def history(dsn: str, source: str, runs: int = 5, **figures) -> None:
    for _ in range(runs):
        add_run(dsn, source, **figures)


def kinds(problems) -> list[str]:
    return [problem.kind for problem in problems]


def test_usual_run_passes(dsn, source):
    history(dsn, source, articles=10, failures=1)
    assert check_runs(dsn, [add_run(dsn, source, articles=9, failures=1)]) == []


def test_source_that_usually_yields_articles_and_yields_none_is_reported(dsn, source):
    history(dsn, source, articles=12)
    run = add_run(dsn, source, articles=0, listings=3)
    problems = check_runs(dsn, [run])
    assert kinds(problems) == ["no_articles"]
    message = problems[0].message
    assert source in message and f"crawl run {run}" in message
    assert "5 of its previous 5 runs" in message and "usually 12" in message


def test_new_source_without_enough_history_is_not_judged(dsn, source):
    history(dsn, source, runs=2, articles=12)
    assert check_runs(dsn, [add_run(dsn, source, articles=0, failures=30)]) == []


def test_source_that_rarely_yields_articles_is_not_reported_for_yielding_none(dsn, source):
    history(dsn, source, runs=4, articles=0)
    add_run(dsn, source, articles=3)
    assert check_runs(dsn, [add_run(dsn, source, articles=0)]) == []


def test_pages_that_cleaning_turned_down_are_not_articles(dsn, source):
    history(dsn, source, articles=8)
    problems = check_runs(dsn, [add_run(dsn, source, not_articles=8)])
    assert kinds(problems) == ["no_articles"]


def test_unchanged_pages_answered_304_count_as_articles(dsn, source):
    history(dsn, source, articles=8)
    assert check_runs(dsn, [add_run(dsn, source, not_modified=8)]) == []


def test_failure_rate_jump_is_reported_with_the_main_reason(dsn, source):
    history(dsn, source, articles=19, failures=1)
    run = add_run(dsn, source, articles=4, failures=16, reason="http_403")
    problems = check_runs(dsn, [run])
    assert kinds(problems) == ["failure_rate"]
    message = problems[0].message
    assert "76% of fetches failed" in message and "16 of 21" in message
    assert "mostly http_403" in message and "up from 5%" in message


def test_chronically_flaky_source_is_not_reported_for_a_small_rise(dsn, source):
    history(dsn, source, articles=10, failures=10)
    assert check_runs(dsn, [add_run(dsn, source, articles=7, failures=14)]) == []


def test_small_runs_are_not_judged_on_failure_rate(dsn, source):
    history(dsn, source, articles=3)
    assert check_runs(dsn, [add_run(dsn, source, articles=1, failures=3, listings=0)]) == []


def test_failed_run_is_reported_and_earlier_failed_runs_are_not_history(dsn, source):
    history(dsn, source, runs=4, articles=10, status="failed")
    run = add_run(dsn, source, status="failed", failures=5)
    problems = check_runs(dsn, [run])
    # Four earlier runs, all failed: no usable history, so only the failure itself.
    assert kinds(problems) == ["run_failed"]
    assert f"crawl run {run} failed" in problems[0].message


def test_other_sources_and_later_runs_are_not_history(dsn, source):
    other = f"{source}x"
    history(dsn, other, articles=10)
    run = add_run(dsn, source, articles=0)
    history(dsn, source, articles=10)   # later runs: not "earlier" for this one
    assert check_runs(dsn, [run]) == []


def test_each_run_is_judged_against_its_own_source(dsn, source):
    quiet, broken = f"{source}q", f"{source}b"
    history(dsn, quiet, articles=6)
    history(dsn, broken, articles=6)
    problems = check_runs(dsn, [add_run(dsn, quiet, articles=6), add_run(dsn, broken)])
    assert [(p.source, p.kind) for p in problems] == [(broken, "no_articles")]


def test_thresholds_decide_how_much_history_is_enough(dsn, source):
    history(dsn, source, runs=2, articles=6)
    run = add_run(dsn, source)
    assert check_runs(dsn, [run]) == []
    assert kinds(check_runs(dsn, [run], Thresholds(min_history=2))) == ["no_articles"]


def test_rerunning_checks_gives_the_same_answer(dsn, source):
    history(dsn, source, articles=10)
    run = add_run(dsn, source)
    assert check_runs(dsn, [run]) == check_runs(dsn, [run])
    assert check_runs(dsn, []) == []


LOADED_NOTHING = {"summary": "0 new, 0 updated, 0 unchanged, 0 duplicate, 0 rejected",
                  "new": 0, "updated": 0, "unchanged": 0}


def test_pages_left_failed_by_the_clean_step_fail_the_run_naming_the_figure(dsn, source):
    run = add_run(dsn, source, articles=2)
    problems = check_steps(dsn, [run], {"failed": 2, "articles": 0}, {"new": 2})
    assert problems == [("clean: 2 page(s) FAILED and left without a document "
                         "(see the clean task's log)")]


def test_article_pages_fetched_but_nothing_loaded_fail_the_run(dsn, source):
    run = add_run(dsn, source, articles=3, listings=2)
    [problem] = check_steps(dsn, [run], {"failed": 0}, LOADED_NOTHING)
    assert problem.startswith("load: 3 article page(s) fetched but nothing loaded (0 new,")


@pytest.mark.parametrize("loaded", [{"new": 1}, {"updated": 2}, {"unchanged": 3}])
def test_a_load_that_stored_new_updated_or_unchanged_articles_passes(dsn, source, loaded):
    run = add_run(dsn, source, articles=3)
    assert check_steps(dsn, [run], {"failed": 0}, loaded) == []


def test_nothing_loaded_is_as_usual_when_no_article_page_was_fetched(dsn, source):
    run = add_run(dsn, source, articles=0, failures=2, listings=3)
    assert check_steps(dsn, [run], {"failed": 0}, LOADED_NOTHING) == []
    assert check_steps(dsn, [], None, LOADED_NOTHING) == []  # a re-clean crawls nothing
