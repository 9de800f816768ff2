"""`liputan index` fills the full-text search vectors the load leaves empty."""

from __future__ import annotations

from crawler.load.merge import load
from crawler.load.search_index import fill_search, unindexed
from tests.load.corpus import Corpus
from tests.test_cli import liputan

corpus = Corpus(seed=9)


def test_full_text_search_finds_loaded_articles_by_stem(pages):
    run = pages.run()
    pages.page(run, "https://kabar.example/temu", "Para menteri mengadakan pertemuan. "
               + corpus.text(300), title="Pertemuan menteri", language="id")
    pages.page(run, "https://kabar.example/en", "The ministers were meeting in Delhi. "
               + corpus.text(300), title="Ministers", language="en")

    load(pages.dsn)

    assert fill_search(pages.dsn).filled == 2
    assert pages.one("SELECT count(*) FROM liputan.articles WHERE search IS NULL") == (0,)
    hits = pages.all("SELECT url FROM news.articles"
                     " WHERE search @@ websearch_to_tsquery('indonesian', 'pertemuannya')")
    assert hits == [("https://kabar.example/temu",)]
    assert pages.all("SELECT url FROM news.articles"
                     " WHERE search @@ websearch_to_tsquery('english', 'meetings')") == [
        ("https://kabar.example/en",)]


def test_new_version_refreshes_the_search_vector(pages):
    pages.page(pages.run(), "https://kabar.example/x", "Banjir di kota. " + corpus.text(300))
    load(pages.dsn)
    fill_search(pages.dsn)
    pages.tick(60)
    pages.page(pages.run(), "https://kabar.example/x", "Gempa di desa. " + corpus.text(300))
    load(pages.dsn)
    assert unindexed(pages.dsn) == 1  # the new text's vector is not the old one's
    fill_search(pages.dsn)

    query = ("SELECT count(*) FROM news.articles"
             " WHERE search @@ websearch_to_tsquery('indonesian', %s)")
    assert pages.one(query, ("gempa",)) == (1,)
    assert pages.one(query, ("banjir",)) == (0,)


def test_the_load_leaves_search_to_the_index_step_which_does_each_article_once(pages):
    pages.page(pages.run(), "https://kabar.example/y", corpus.text())
    load(pages.dsn)
    assert pages.one("SELECT count(*) FROM news.articles WHERE search IS NULL") == (1,)
    assert unindexed(pages.dsn) == 1

    assert fill_search(pages.dsn).filled == 1
    assert fill_search(pages.dsn).filled == 0
    assert unindexed(pages.dsn) == 0


def test_connections_side_by_side_fill_every_batch_once(pages):
    run = pages.run()
    for i in range(7):
        pages.page(run, f"https://kabar.example/banyak/{i}", corpus.text(300))
    load(pages.dsn)

    assert fill_search(pages.dsn, batch_size=1, workers=3).filled == 7
    assert pages.one("SELECT count(*) FROM liputan.articles WHERE search IS NULL") == (0,)


def test_liputan_index_fills_what_the_load_left_and_says_how_many(pages):
    run = pages.run()
    for i in range(3):
        pages.page(run, f"https://kabar.example/cli/{i}", corpus.text(300))
    load(pages.dsn)

    result = liputan("--dsn", pages.dsn, "index")

    assert result.returncode == 0, result.stderr
    assert "3 article(s) given their search vector" in result.stdout
    assert unindexed(pages.dsn) == 0
