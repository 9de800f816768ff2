"""Nightly runs: only new articles are placed; nothing assigned ever moves."""

from __future__ import annotations

import psycopg

from crawler.stories.assign import update_stories

from .articles import fixture, insert_articles


def assignments(conn: psycopg.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT article_id, story_id FROM news.story_articles").fetchall())


def test_rerun_without_new_articles_adds_nothing(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        insert_articles(conn, fixture("seeds"))
        first = update_stories(dsn)
        before = assignments(conn)
        stories_before = conn.execute("SELECT * FROM liputan.stories ORDER BY story_id").fetchall()
        frequencies_before = conn.execute("SELECT * FROM liputan.story_terms").fetchall()
        second = update_stories(dsn)
        assert assignments(conn) == before
        assert conn.execute("SELECT * FROM liputan.stories ORDER BY story_id").fetchall() \
            == stories_before
        assert conn.execute("SELECT * FROM liputan.story_terms").fetchall() == frequencies_before
    assert first.placed == 5 and first.new_stories == 2
    assert (second.placed, second.new_stories, second.duplicates) == (0, 0, 0)
    assert second.summary().startswith("0 article(s) assigned")


def test_nightly_run_places_new_articles_and_moves_none(new_database):
    """Day one's articles keep their stories; day two's join them or start their own."""
    dsn = new_database()
    rows = sorted(fixture("tuning"), key=lambda r: r["published_at"])
    cut = len(rows) // 2
    with psycopg.connect(dsn) as conn:
        first_ids = insert_articles(conn, [r for r in rows[:cut] if not r.get("duplicate_of")])
        update_stories(dsn)
        day_one = assignments(conn)
        rest = [r for r in rows if r["id"] not in first_ids]
        for r in rest:  # duplicates of day-one articles point at their stored originals
            if r.get("duplicate_of") in first_ids:
                r["duplicate_of"] = None
        second_ids = insert_articles(conn, rest)
        result = update_stories(dsn)
        day_two = assignments(conn)
        documents = conn.execute("SELECT documents FROM liputan.story_corpus").fetchone()[0]
    assert {a: day_two[a] for a in day_one} == day_one
    assert set(day_two) == set(day_one) | set(second_ids.values())
    assert result.placed + result.duplicates == len(second_ids)
    assert documents == len(rows) - sum(1 for r in rows if r.get("duplicate_of"))


def test_late_article_joins_the_story_already_there(new_database):
    """An outlet crawled a day late still lands in the story the others started."""
    dsn = new_database()
    rows = [r for r in fixture("tuning") if r["event"] == "t05-bi-rate"]
    late, early = rows[-1], rows[:-1]
    with psycopg.connect(dsn) as conn:
        early_ids = insert_articles(conn, early)
        update_stories(dsn)
        late_ids = insert_articles(conn, [late])
        result = update_stories(dsn)
        stories = assignments(conn)
    assert result.new_stories == 0
    assert {stories[i] for i in [*early_ids.values(), *late_ids.values()]} == \
        {stories[early_ids[early[0]["id"]]]}


def test_two_runs_at_once_place_each_article_once(new_database):
    """The second run waits for the first (advisory lock), then finds nothing left to do."""
    from concurrent.futures import ThreadPoolExecutor

    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, fixture("tuning"))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: update_stories(dsn, chunk_size=7), range(2)))
    with psycopg.connect(dsn) as conn:
        placed = assignments(conn)
    assert set(placed) == set(ids.values())
    assert sorted(r.placed + r.duplicates for r in results) == [0, len(ids)]
