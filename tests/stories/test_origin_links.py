"""Syndicated and translated copies join the story of the original their lines name."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import psycopg

from crawler.stories.assign import update_stories

WIB = timezone(timedelta(hours=7))
PUBLISHED = datetime(2024, 5, 6, 9, 30, tzinfo=WIB)
# Later than any story window (2 days): without its origin, the copy cannot join by content.
LATE = PUBLISHED + timedelta(days=5)

ORIGINAL_URL = "https://www.wirenews.example/world/asia/volcano-erupts-2024-05-06"
ORIGINAL = {
    "source": "wirenews", "canonical_url": ORIGINAL_URL, "language": "en",
    "site_name": "Wire News", "published_at": PUBLISHED,
    "title": "Volcano erupts on Sulawesi, thousands evacuated",
    "text": ("Mount Ruang on Indonesia's Sulawesi island erupted on Monday, sending an ash "
             "column five kilometres into the sky and forcing 11,000 residents to leave their "
             "homes, the national disaster agency said. Flights from Manado were suspended."),
}
# The same report translated, rewritten and published days later by another outlet.
TRANSLATION = {
    "source": "harianwarta", "canonical_url": "https://harianwarta.example/dunia/gunung-ruang",
    "language": "id", "published_at": LATE,
    "title": "Kisah warga pulau yang mengungsi dari letusan gunung",
    "text": ("Ribuan warga pulau kecil di utara Sulawesi masih tinggal di tenda pengungsian "
             "setelah gunung api di pulau mereka meletus awal pekan lalu. Sekolah ditutup dan "
             "nelayan belum berani melaut karena abu masih turun setiap sore."),
}


def _insert(conn: psycopg.Connection, **row) -> int:
    """One article row as the load writes it (canonical_url is also its url unless given)."""
    row.setdefault("url", row["canonical_url"])
    return conn.execute(
        "INSERT INTO liputan.articles (source, canonical_url, url, title, published_at,"
        " language, site_name, text, text_sha256, word_count, first_seen_at, last_seen_at,"
        " origin_outlet, origin_url, origin_title)"
        " VALUES (%(source)s, %(canonical_url)s, %(url)s, %(title)s, %(published_at)s,"
        " %(language)s, %(site_name)s, %(text)s, %(sha)s, %(words)s, %(published_at)s,"
        " %(published_at)s, %(origin_outlet)s, %(origin_url)s, %(origin_title)s)"
        " RETURNING article_id",
        {"site_name": None, "origin_outlet": None, "origin_url": None, "origin_title": None,
         **row, "sha": hashlib.sha256(row["text"].encode()).digest(),
         "words": len(row["text"].split())}).fetchone()[0]


def _stories(conn: psycopg.Connection) -> dict[int, tuple[int, str]]:
    return {article_id: (story_id, how) for article_id, story_id, how in conn.execute(
        "SELECT article_id, story_id, how FROM news.story_articles")}


def test_translated_copy_naming_its_original_url_joins_the_original_story(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION, origin_outlet="wirenews.example",
                       origin_url=ORIGINAL_URL)
        conn.commit()
        result = update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] == stories[original][0]
    assert result.syndicated == 1
    assert "1 syndicated copy joined their original's story" in result.summary()


def test_the_same_copy_without_an_origin_starts_its_own_story(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION)
        conn.commit()
        result = update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] != stories[original][0]
    assert stories[copy][1] == "new" and result.syndicated == 0


def test_origin_url_spelled_otherwise_still_finds_the_original(new_database):
    dsn = new_database()
    spelled = "http://wirenews.example/world/asia/volcano-erupts-2024-05-06/?utm_source=feed"
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION, origin_url=spelled)
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] == stories[original][0]


def test_origin_url_matching_the_url_first_fetched_finds_the_original(new_database):
    dsn = new_database()
    first_fetched = "https://m.wirenews.example/amp/volcano-erupts"
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL, url=first_fetched)
        copy = _insert(conn, **TRANSLATION, origin_url=first_fetched)
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] == stories[original][0]


def test_copy_naming_an_outlet_and_title_joins_that_outlets_article(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION, origin_outlet="Wire News",
                       origin_title="Volcano Erupts on Sulawesi - Thousands Evacuated")
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] == stories[original][0]


def test_same_title_from_another_outlet_is_not_an_origin(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION, origin_outlet="Other Daily",
                       origin_title=ORIGINAL["title"])
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][0] != stories[original][0]


def test_origin_that_is_not_stored_leaves_the_copy_to_its_content(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        copy = _insert(conn, **TRANSLATION, origin_url="https://elsewhere.example/story/1")
        conn.commit()
        result = update_stories(dsn)
        stories = _stories(conn)
    assert stories[copy][1] == "new"
    assert result.placed == 1 and result.syndicated == 0


def test_copies_naming_each_other_still_get_a_story(new_database):
    dsn = new_database()
    first_url = "https://harianwarta.example/a/1"
    second_url = "https://koranlain.example/b/2"
    with psycopg.connect(dsn) as conn:
        first = _insert(conn, **{**TRANSLATION, "canonical_url": first_url},
                        origin_url=second_url)
        second = _insert(conn, **{**TRANSLATION, "canonical_url": second_url,
                                  "source": "koranlain"}, origin_url=first_url)
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert {first, second} <= set(stories)


def test_copy_of_a_syndicated_copy_joins_the_same_story(new_database):
    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        original = _insert(conn, **ORIGINAL)
        copy = _insert(conn, **TRANSLATION, origin_url=ORIGINAL_URL)
        mirror = _insert(conn, **{**TRANSLATION, "source": "cermin",
                                  "canonical_url": "https://cermin.example/gunung"})
        conn.execute("UPDATE liputan.articles SET duplicate_of = %s, duplicate_kind = 'exact'"
                     " WHERE article_id = %s", (copy, mirror))
        conn.commit()
        update_stories(dsn)
        stories = _stories(conn)
    assert stories[mirror][0] == stories[copy][0] == stories[original][0]
