"""The consumer interface: news.stories, news.story_articles, the reader role, the command."""

from __future__ import annotations

import psycopg
import pytest

from crawler.cli import main
from crawler.stories.assign import update_stories

from .articles import fixture, insert_articles

STORIES_COLUMNS = ["story_id", "title", "first_published_at", "last_published_at",
                   "article_count", "source_count"]
STORY_ARTICLES_COLUMNS = ["story_id", "article_id", "source", "published_at", "url"]


@pytest.fixture(scope="module")
def grouped(dsn):
    """The tuning and seed articles, grouped in small chunks (many commits, upserts)."""
    with psycopg.connect(dsn) as conn:
        insert_articles(conn, fixture("tuning") + fixture("seeds"))
    update_stories(dsn, chunk_size=9)
    return dsn


def columns(conn: psycopg.Connection, view: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'news'"
        " AND table_name = %s ORDER BY ordinal_position", (view,))]


def test_views_have_their_documented_columns_first(grouped):
    with psycopg.connect(grouped) as conn:
        assert columns(conn, "stories")[:6] == STORIES_COLUMNS
        assert columns(conn, "story_articles")[:5] == STORY_ARTICLES_COLUMNS


def test_story_counts_match_its_articles(grouped):
    with psycopg.connect(grouped) as conn:
        mismatches = conn.execute(
            "SELECT s.story_id FROM news.stories s"
            " JOIN news.story_articles sa USING (story_id)"
            " GROUP BY s.story_id, s.article_count, s.source_count,"
            "          s.first_published_at, s.last_published_at"
            " HAVING s.article_count <> count(*) OR s.source_count <> count(DISTINCT sa.source)"
            "     OR s.first_published_at <> min(sa.published_at)"
            "     OR s.last_published_at <> max(sa.published_at)").fetchall()
        seeds_story = conn.execute(
            "SELECT article_count, source_count FROM news.stories"
            " WHERE first_published_at < '2023-03-03' AND last_published_at > '2023-03-01'"
        ).fetchall()
        stored = conn.execute(
            "SELECT count(*) FROM liputan.stories s WHERE s.article_count <>"
            " (SELECT count(*) FROM liputan.story_articles sa WHERE sa.story_id = s.story_id)"
        ).fetchone()[0]
    assert mismatches == []
    assert stored == 0  # the count kept up to date chunk by chunk agrees with the rows
    # Four seed articles from three outlets (two are sindonews).
    assert seeds_story == [(4, 3)]


def test_reader_reads_the_views_and_not_the_tables(grouped):
    with psycopg.connect(grouped, autocommit=True) as conn:
        conn.execute("SET ROLE liputan_reader")
        assert conn.execute("SELECT count(*) FROM news.stories").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM news.story_articles").fetchone()[0] > 0
        for table in ("stories", "story_articles", "story_terms", "story_corpus"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM liputan.{table} LIMIT 1")


def test_command_lists_recent_stories_with_their_outlets(grouped, capsys):
    status = main(["--dsn", grouped, "stories", "--until", "2024-03-07T23:59:00+07:00",
                   "--days", "2", "--min-sources", "5"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0].startswith("0 article(s) assigned")
    assert lines[1].split() == ["story", "first", "(UTC)", "arts", "outlets", "title"]
    # Covered by five outlets in those two days: the BI rate decision (7 March) and the
    # Bawean quake (6 March), each with its outlets on the line below. Not the rupiah close of
    # the same day (3 outlets) nor the Demak toll road (five outlets, but on 4 March).
    stories = [(lines[i], lines[i + 1].strip()) for i in range(3, len(lines), 2)]
    assert [(row.split()[1:5], outlets) for row, outlets in stories] == [
        (["2024-03-07", "07:25", "5", "5"], "antara, bisnis, cnbcindonesia, kontan, reuters"),
        (["2024-03-06", "05:05", "5", "5"], "antara, detik, jakartaglobe, kompas, tempo"),
    ]
    assert "BI Tahan Suku Bunga" in stories[0][0] and "Gempa Magnitudo 5,9" in stories[1][0]


def test_command_refuses_a_bad_option_in_one_line(grouped, capsys):
    status = main(["--dsn", grouped, "stories", "--no-update", "--min-sources", "0"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == "liputan: error: --min-sources must be at least 1, not 0"


def test_writer_role_has_every_privilege_the_assignment_needs(new_database):
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    dsn = new_database()
    with psycopg.connect(dsn) as conn:
        insert_articles(conn, fixture("seeds"))
    as_writer = make_conninfo(**{**conninfo_to_dict(dsn), "options": "-c role=liputan_writer"})
    with psycopg.connect(as_writer) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == "liputan_writer"
    result = update_stories(as_writer)
    assert (result.placed, result.new_stories) == (5, 2)
