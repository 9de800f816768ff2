"""Resumable work: a rerun follows the links of pages an unfinished run stored, from their
stored bodies, so an article reachable only through such a link ("Baca juga") is not lost,
and no stored page is requested again."""

from __future__ import annotations

import psycopg
import pytest

from crawler.config import load_config
from crawler.fetch.crawl import crawl
from crawler.urls import canonicalize
from tests.crawl.support import fetches, runs, stored_articles

SITE = "kabarnusa"
LINKING_PATH = "/berita/2024/05/02/kabar-nusa-2"  # the only page linking to BACA_JUGA_PATH


def linked_only_path(web) -> str:
    return type(web.outlets[SITE]).BACA_JUGA_PATH


def kill_before_linked_article_was_stored(dsn: str, linked: str) -> None:
    """What SIGKILL leaves when it lands after the batch holding the linking page was
    committed and before the linked article's fetch was stored: the page is there, the
    article is not, and the run is still 'running' (the next run marks it interrupted)."""
    with psycopg.connect(dsn) as conn:
        deleted = conn.execute("DELETE FROM liputan.fetches WHERE canonical_url = %s",
                               (linked,)).rowcount
        conn.execute("UPDATE liputan.crawl_runs SET status = 'running', finished_at = NULL")
    assert deleted == 1


def linked_article_timed_out(dsn: str, linked: str) -> None:
    """What a timeout of the linked article leaves: a failed fetch, in a run that finished."""
    with psycopg.connect(dsn) as conn:
        changed = conn.execute(
            "UPDATE liputan.fetches SET reason = 'timeout', http_status = NULL,"
            " content_type = NULL, headers = '{}', body_gz = NULL, body_sha256 = NULL,"
            " body_bytes = NULL WHERE canonical_url = %s", (linked,)).rowcount
    assert changed == 1


@pytest.mark.parametrize(("stop", "first_status"), [
    (kill_before_linked_article_was_stored, "interrupted"),
    (linked_article_timed_out, "finished")])
def test_rerun_fetches_an_article_linked_only_from_a_page_the_first_run_stored(
        news_web, new_database, tmp_path, stop, first_status):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=[SITE]))
    first = crawl(dsn, config).runs[0]
    stored_first = set(stored_articles(fetches(dsn, run=first.crawl_run_id)))
    linked = canonicalize(news_web.url(SITE, linked_only_path(news_web)))
    assert linked in stored_first  # the fixture does link it, and the first run follows it
    stop(dsn, linked)
    news_web.forget_requests()

    second = crawl(dsn, config).runs[0]

    rows = fetches(dsn, run=second.crawl_run_id)
    assert stored_articles(rows)[linked] == 1
    # Besides it, only what the first run did not store (a transient failure under load).
    assert set(stored_articles(rows)) & stored_first == {linked}
    (fetch,) = [r for r in rows if canonicalize(r["url"]) == linked]
    assert (fetch["discovered_via"], fetch["discovered_from"]) == (
        "link", news_web.url(SITE, LINKING_PATH))
    # Exactly one request for the article, none for any page the first run stored.
    requested = [canonicalize(news_web.url(SITE, path))
                 for path in news_web.requested_paths(SITE)]
    assert requested.count(linked) == 1
    assert set(requested) & (stored_first - {linked}) == set()
    statuses = [run["status"] for run in runs(dsn, SITE)]
    assert statuses == [first_status, "finished"]
    assert run_stats(dsn, second.crawl_run_id)["replayed"] >= 1

    # The second run was complete: the third reads no stored body for pages it stored.
    third = crawl(dsn, config).runs[0]
    assert set(stored_articles(fetches(dsn, run=third.crawl_run_id))) & stored_first == set()
    assert run_stats(dsn, third.crawl_run_id)["replayed"] == 0


def test_links_of_stored_pages_are_not_replayed_beyond_max_depth(news_web, new_database,
                                                                 tmp_path):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=[SITE],
                                               source_settings={"max_depth": 1}))
    crawl(dsn, config)
    linked = canonicalize(news_web.url(SITE, linked_only_path(news_web)))
    assert linked not in stored_articles(fetches(dsn))
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE liputan.crawl_runs SET status = 'running', finished_at = NULL")

    second = crawl(dsn, config).runs[0]

    assert linked not in stored_articles(fetches(dsn, run=second.crawl_run_id))
    assert run_stats(dsn, second.crawl_run_id)["replayed"] == 0


def run_stats(dsn: str, run_id: int) -> dict:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT stats FROM liputan.crawl_runs WHERE crawl_run_id = %s",
                            (run_id,)).fetchone()[0]


def test_not_modified_answer_for_a_page_with_pending_links_follows_its_stored_links(
        news_web, new_database, tmp_path):
    dsn = new_database()
    config = load_config(news_web.sources_file(tmp_path, sites=[SITE]))
    crawl(dsn, config)
    linked = canonicalize(news_web.url(SITE, linked_only_path(news_web)))
    kill_before_linked_article_was_stored(dsn, linked)
    # The feed now says the linking page changed; the conditional request gets a 304.
    news_web.update_article(SITE, LINKING_PATH, change_text=False)
    news_web.forget_requests()

    second = crawl(dsn, config).runs[0]

    linking = canonicalize(news_web.url(SITE, LINKING_PATH))
    rows = [r for r in fetches(dsn, run=second.crawl_run_id) if r["kind"] == "article"
            and canonicalize(r["url"]) in (linking, linked)]
    assert sorted((canonicalize(r["url"]), r["http_status"], r["reason"]) for r in rows) == \
        sorted([(linking, 304, None), (linked, 200, None)])
    assert news_web.requested_paths(SITE).count(linked_only_path(news_web)) == 1
