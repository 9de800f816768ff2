"""Grouping articles into stories, in a real database: what belongs together and what not."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from crawler.stories.assign import update_stories
from crawler.stories.index import Item, group

from .articles import fixture, groups, insert_articles, story_of


def test_seeds_end_as_two_stories_four_in_new_delhi_and_one_in_stockholm(new_database):
    dsn = new_database()
    seeds = fixture("seeds")
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, seeds)
        update_stories(dsn)
        found = groups(story_of(conn, ids))
    expected = {frozenset(r["id"] for r in seeds if r["event"] == event)
                for event in {r["event"] for r in seeds}}
    assert found == expected
    assert sorted(len(g) for g in found) == [1, 4]


def test_same_people_at_different_events_stay_apart(new_database):
    """Prabowo meets Xi (Wednesday) and Kishida (Friday); Indonesia plays Vietnam twice."""
    dsn = new_database()
    rows = [r for r in fixture("tuning") if r["event"] in {
        "t15-prabowo-kishida", "t16-prabowo-xi", "t09-timnas-gbk", "t10-timnas-hanoi"}]
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, rows)
        update_stories(dsn)
        stories = story_of(conn, ids)
    by_event: dict[str, set[int]] = {}
    for r in rows:
        by_event.setdefault(r["event"], set()).add(stories[r["id"]])
    assert by_event["t16-prabowo-xi"].isdisjoint(by_event["t15-prabowo-kishida"])
    assert by_event["t09-timnas-gbk"].isdisjoint(by_event["t10-timnas-hanoi"])


def test_the_same_meeting_two_years_earlier_is_another_story(new_database):
    """One seed text, republished as if two years earlier, does not join its own story."""
    dsn = new_database()
    seeds = [r for r in fixture("seeds") if r["event"] == "g20-new-delhi-2023"]
    earlier = dict(seeds[1], id="earlier", source="archive",
                   published_at=seeds[1]["published_at"] - timedelta(days=730))
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, [*seeds, earlier])
        update_stories(dsn)
        stories = story_of(conn, ids)
    assert stories["earlier"] not in {stories[r["id"]] for r in seeds}
    assert len({stories[r["id"]] for r in seeds}) == 1


def test_duplicates_join_their_originals_story_even_when_far_apart_in_time(new_database):
    dsn = new_database()
    rows = [r for r in fixture("tuning") if r["event"] in {"t01-tol-demak", "t02-banjir-demak"}]
    original = next(r for r in rows if r["id"] == "t02-cnn")
    # A copy re-published a month later (outside any window), and a copy of that copy.
    late_copy = dict(original, id="late-copy", source="aggregator", duplicate_of="t02-cnn",
                     published_at=original["published_at"] + timedelta(days=30))
    copy_of_copy = dict(late_copy, id="copy-of-copy", source="mirror",
                        duplicate_of="late-copy")
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, [*rows, late_copy, copy_of_copy])
        result = update_stories(dsn)
        stories = story_of(conn, ids)
        how = dict(conn.execute("SELECT article_id, how FROM news.story_articles").fetchall())
        span = conn.execute("SELECT last_published_at FROM news.stories WHERE story_id = %s",
                            (stories["t02-cnn"],)).fetchone()[0]
    assert stories["late-copy"] == stories["copy-of-copy"] == stories["t02-cnn"]
    assert stories["t01-okezone"] == stories["t01-kompas"]
    assert how[ids["late-copy"]] == how[ids["t01-okezone"]] == "duplicate"
    assert result.duplicates == 3
    assert span == late_copy["published_at"]


def test_database_grouping_is_the_evaluated_grouping(new_database):
    """update_stories() places articles exactly as the in-memory index bench/stories_eval.py
    scores; the database only adds persistence."""
    dsn = new_database()
    rows = fixture("tuning")
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, rows)
        update_stories(dsn, chunk_size=17)
        in_database = groups(story_of(conn, ids))
    in_memory = groups(group([
        Item(r["id"], r["title"], r["text"], r["published_at"], r.get("duplicate_of"),
             r.get("language"))
        for r in rows], batches=4))
    assert in_database == in_memory


def test_article_without_publication_date_is_placed_by_first_seen(new_database):
    dsn = new_database()
    seeds = fixture("seeds")
    with psycopg.connect(dsn) as conn:
        ids = insert_articles(conn, seeds, without_published_at=True)
        update_stories(dsn)
        found = groups(story_of(conn, ids))
        placed_at = conn.execute("SELECT min(published_at) FROM news.story_articles").fetchone()[0]
    assert sorted(len(g) for g in found) == [1, 4]
    assert placed_at == min(r["published_at"] for r in seeds)
