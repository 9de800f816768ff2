"""Wire copy (same text, several outlets) and small edits are linked to the first-seen article."""

from __future__ import annotations

import random

import pytest

from crawler.load.merge import load
from tests.load.corpus import Corpus, edit

corpus = Corpus(seed=2)


def test_same_text_from_another_outlet_is_an_exact_duplicate_of_the_first_seen(pages):
    wire = corpus.text()
    first = pages.page(pages.run("kabar"), "https://kabar.example/antara-1", wire,
                       source="kabar")
    pages.page(pages.run("warta"), "https://warta.example/nasional/1", wire, source="warta")
    pages.page(pages.run("suara"), "https://suara.example/1", wire, source="suara")

    result = load(pages.dsn)

    assert (result.new, result.duplicate) == (1, 2)
    original = pages.one("SELECT article_id FROM news.article_urls WHERE fetch_id = %s",
                         (first,))[0]
    rows = pages.all("SELECT source, duplicate_kind, duplicate_of, original_source"
                     " FROM news.article_duplicates ORDER BY source")
    assert rows == [("suara", "exact", original, "kabar"), ("warta", "exact", original, "kabar")]
    assert pages.one("SELECT count(*) FROM news.articles") == (3,)


def test_copy_loaded_in_a_later_run_links_to_the_earlier_article(pages):
    wire = corpus.text()
    pages.page(pages.run("kabar"), "https://kabar.example/a", wire, source="kabar")
    load(pages.dsn)
    pages.page(pages.run("warta"), "https://warta.example/b", wire, source="warta")

    assert load(pages.dsn).duplicate == 1
    assert pages.all("SELECT original_url, duplicate_kind FROM news.article_duplicates") == [
        ("https://kabar.example/a", "exact")]


@pytest.mark.parametrize("stored_sketch", [True, False],
                         ids=["sketch stored by the clean step", "documents from before sql/006"])
def test_small_edit_is_a_near_duplicate_in_the_same_batch_and_across_loads(pages, stored_sketch):
    rng = random.Random(5)
    original = corpus.text(500)
    pages.page(pages.run("kabar"), "https://kabar.example/asli", original, source="kabar",
               sketch=stored_sketch)
    pages.page(pages.run("warta"), "https://warta.example/suntingan", edit(original, rng),
               source="warta", sketch=stored_sketch)
    load(pages.dsn)
    pages.page(pages.run("suara"), "https://suara.example/suntingan", edit(original, rng, 5),
               source="suara", sketch=stored_sketch)
    load(pages.dsn)

    rows = pages.all("SELECT source, duplicate_kind, original_url FROM news.article_duplicates"
                     " ORDER BY source")
    assert rows == [("suara", "near", "https://kabar.example/asli"),
                    ("warta", "near", "https://kabar.example/asli")]


def test_different_articles_on_one_topic_are_not_duplicates(pages):
    run = pages.run()
    shared = corpus.text(60)  # same quote and background paragraph in both
    pages.page(run, "https://kabar.example/1", shared + "\n\n" + corpus.text(400))
    pages.page(run, "https://kabar.example/2", shared + "\n\n" + corpus.text(400))
    pages.page(run, "https://kabar.example/3", "Berita singkat. " * 3)

    result = load(pages.dsn)

    assert (result.new, result.duplicate) == (3, 0)


def test_copy_of_a_near_duplicate_points_at_the_original_not_at_the_copy(pages):
    rng = random.Random(8)
    original = corpus.text(400)
    edited = edit(original, rng)
    pages.page(pages.run(), "https://kabar.example/asli", original)
    pages.page(pages.run(), "https://warta.example/edit", edited, source="warta")
    load(pages.dsn)
    pages.page(pages.run(), "https://suara.example/edit", edited, source="suara")
    load(pages.dsn)

    rows = pages.all("SELECT source, duplicate_kind, original_source"
                     " FROM news.article_duplicates ORDER BY source")
    assert rows == [("suara", "near", "kabar"), ("warta", "near", "kabar")]
