"""`load`: one article per canonical URL, versions, provenance, run counts, reruns."""

from __future__ import annotations

import random

from crawler.load.merge import load
from tests.load.corpus import Corpus

corpus = Corpus(seed=1)


def test_first_load_creates_one_article_per_page_with_provenance(pages):
    run = pages.run()
    a = pages.page(run, "https://kabar.example/berita/1", corpus.text(), title="Satu")
    b = pages.page(run, "https://kabar.example/berita/2", corpus.text(), title="Dua")

    result = load(pages.dsn)

    assert (result.new, result.updated, result.unchanged, result.duplicate) == (2, 0, 0, 0)
    titles = pages.all("SELECT title FROM news.articles ORDER BY article_id")
    assert titles == [("Satu",), ("Dua",)]
    urls = pages.all("SELECT fetch_id, outcome, discovered_via FROM news.article_urls"
                     " ORDER BY fetch_id")
    assert urls == [(a, "new", "feed"), (b, "new", "feed")]
    assert pages.one("SELECT count(*) FROM liputan.documents WHERE loaded_at IS NULL") == (0,)


def test_rerun_of_same_batch_adds_nothing(pages):
    run = pages.run()
    for i in range(5):
        pages.page(run, f"https://kabar.example/berita/{i}", corpus.text())
    load(pages.dsn, batch_size=2)
    before = pages.all("SELECT * FROM news.articles ORDER BY article_id")

    # The same documents pending again (as after a crash between commit and bookkeeping).
    pages.conn.execute("UPDATE liputan.documents SET loaded_at = NULL")
    again = load(pages.dsn, batch_size=2)

    assert (again.new, again.updated, again.duplicate) == (0, 0, 0)
    assert again.unchanged == 0  # each fetch is linked once, whatever reruns do
    assert pages.all("SELECT * FROM news.articles ORDER BY article_id") == before
    assert pages.one("SELECT count(*) FROM liputan.article_fetches") == (5,)
    assert pages.one("SELECT count(*) FROM news.article_versions") == (5,)
    assert load(pages.dsn).summary().startswith("0 new, 0 updated, 0 unchanged")


def test_unchanged_text_on_a_later_crawl_only_moves_last_seen(pages):
    text = corpus.text()
    first = pages.page(pages.run(), "https://kabar.example/b/1", text)
    load(pages.dsn)
    pages.tick(60)
    second = pages.page(pages.run(), "https://kabar.example/b/1?utm_source=x", text)

    result = load(pages.dsn)

    assert (result.new, result.unchanged) == (0, 1)
    row = pages.one("SELECT version, first_seen_at < last_seen_at, url FROM news.articles")
    assert row == (1, True, "https://kabar.example/b/1")
    assert pages.all("SELECT fetch_id, version, outcome FROM news.article_urls ORDER BY 1") == [
        (first, 1, "new"), (second, 1, "unchanged")]
    assert pages.one("SELECT count(*) FROM news.article_versions") == (1,)


def test_changed_text_on_a_later_crawl_is_a_new_version_and_the_old_one_is_kept(pages):
    old, new = corpus.text(), corpus.text()
    pages.page(pages.run(), "https://kabar.example/b/1", old, title="Lama")
    load(pages.dsn)
    pages.tick(60)
    pages.page(pages.run(), "https://kabar.example/b/1", new, title="Baru")

    result = load(pages.dsn)

    assert (result.new, result.updated) == (0, 1)
    assert pages.one("SELECT title, text, version FROM news.articles") == ("Baru", new, 2)
    versions = pages.all("SELECT version, title, text FROM news.article_versions ORDER BY 1")
    assert versions == [(1, "Lama", old), (2, "Baru", new)]
    runs = pages.all("SELECT articles_new, articles_updated FROM news.crawl_runs ORDER BY crawl_run_id")
    assert runs == [(1, 0), (0, 1)]


def test_each_text_is_stored_once_and_a_replaced_one_keeps_its_fetch(pages):
    old, new = corpus.text(), corpus.text()
    first = pages.page(pages.run(), "https://kabar.example/b/9", old)
    load(pages.dsn)
    assert pages.one("SELECT count(*) FROM liputan.article_versions") == (0,)  # current: articles
    pages.tick(60)
    second = pages.page(pages.run(), "https://kabar.example/b/9", new)

    load(pages.dsn)

    assert pages.all("SELECT version, text FROM liputan.article_versions") == [(1, old)]
    versions = pages.all(
        "SELECT v.version, v.fetch_id, v.created_at = f.fetched_at FROM news.article_versions v"
        " JOIN liputan.fetches f USING (fetch_id) ORDER BY v.version")
    assert versions == [(1, first, True), (2, second, True)]


def test_versions_within_one_batch_follow_fetch_order(pages):
    texts = [corpus.text() for _ in range(3)]
    run = pages.run()
    for text in texts:
        pages.tick(30)
        pages.page(run, "https://kabar.example/b/7", text)

    result = load(pages.dsn)

    assert (result.new, result.updated) == (1, 2)
    assert pages.one("SELECT text, version FROM news.articles") == (texts[2], 3)
    assert [t for (t,) in pages.all("SELECT text FROM news.article_versions ORDER BY version")] \
        == texts


def test_an_older_fetch_loaded_late_is_kept_but_does_not_replace_the_current_text(pages):
    run = pages.run()
    early = pages.fetch(run, "https://kabar.example/b/3")
    pages.tick(60)
    current = corpus.text()
    pages.page(run, "https://kabar.example/b/3", current)
    load(pages.dsn)
    pages.document(early, corpus.text())  # cleaned only now

    result = load(pages.dsn)

    assert result.updated == 1
    assert pages.one("SELECT text, version FROM news.articles") == (current, 1)
    assert pages.one("SELECT count(*) FROM news.article_versions") == (2,)


def test_declared_same_site_canonical_merges_url_variants(pages):
    run = pages.run()
    text = corpus.text()
    pages.page(run, "https://kabar.example/b/9/judul-lama", text,
               canonical_url="https://kabar.example/b/9")
    pages.page(run, "https://amp.kabar.example/b/9", text,
               canonical_url="https://kabar.example/b/9/")

    result = load(pages.dsn)

    assert (result.new, result.unchanged) == (1, 1)
    assert pages.all("SELECT canonical_url FROM news.articles") == [
        ("https://kabar.example/b/9",)]
    assert pages.one("SELECT count(*) FROM news.article_urls") == (2,)


def test_cross_site_or_front_page_canonical_is_not_followed(pages):
    run = pages.run()
    pages.page(run, "https://kabar.example/b/1", corpus.text(),
               canonical_url="https://other.example/original")
    pages.page(run, "https://kabar.example/b/2", corpus.text(),
               canonical_url="https://kabar.example/")

    load(pages.dsn)

    assert pages.all("SELECT canonical_url FROM news.articles ORDER BY 1") == [
        ("https://kabar.example/b/1",), ("https://kabar.example/b/2",)]


def test_not_modified_fetch_links_to_the_article_as_unchanged(pages):
    pages.page(pages.run(), "https://kabar.example/b/1", corpus.text(),
               canonical_url="https://kabar.example/b/1-judul")
    load(pages.dsn)
    pages.tick(120)
    run = pages.run()
    not_modified = pages.fetch(run, "https://kabar.example/b/1", http_status=304)
    orphan = pages.fetch(run, "https://kabar.example/never-loaded", http_status=304)

    result = load(pages.dsn)

    assert (result.unchanged, result.not_modified, result.waiting) == (1, 1, 1)
    assert pages.one("SELECT outcome FROM news.article_urls WHERE fetch_id = %s",
                     (not_modified,)) == ("unchanged",)
    assert pages.one("SELECT a.last_seen_at = f.fetched_at FROM news.articles a, liputan.fetches f"
                     " WHERE f.fetch_id = %s", (not_modified,)) == (True,)
    assert pages.one("SELECT count(*) FROM news.article_urls WHERE fetch_id = %s",
                     (orphan,)) == (0,)
    assert pages.one("SELECT articles_unchanged FROM news.crawl_runs WHERE crawl_run_id = %s",
                     (run,)) == (1,)


def test_sources_option_loads_only_those_sources(pages):
    pages.page(pages.run("kabar"), "https://kabar.example/1", corpus.text(), source="kabar")
    pages.page(pages.run("warta"), "https://warta.example/1", corpus.text(), source="warta")

    assert load(pages.dsn, sources=["warta"]).new == 1
    assert pages.all("SELECT source FROM news.articles") == [("warta",)]
    assert load(pages.dsn).new == 1


def test_crawl_run_counts_add_up_per_run(pages):
    rng = random.Random(3)
    texts = [corpus.text() for _ in range(4)]
    first = pages.run()
    for i, text in enumerate(texts):
        pages.page(first, f"https://kabar.example/{i}", text)
    pages.fetch(first, "https://kabar.example/gone", http_status=404, reason="http_404")
    load(pages.dsn)
    second = pages.run()
    pages.page(second, "https://kabar.example/0", texts[0])
    pages.page(second, "https://kabar.example/1", texts[1] + " Pembaruan.")
    pages.page(second, "https://warta.example/salinan", texts[2])
    pages.page(second, "https://kabar.example/baru", corpus.text(rng.randint(300, 400)))
    load(pages.dsn)

    rows = pages.all(
        "SELECT fetched, failed, failed_by_reason, articles_new, articles_updated,"
        " articles_unchanged, articles_duplicate FROM news.crawl_runs ORDER BY crawl_run_id")
    assert rows == [(4, 1, {"http_404": 1}, 4, 0, 0, 0), (4, 0, {}, 1, 1, 1, 1)]


def test_article_url_prefers_a_same_site_declared_canonical():
    from crawler.load.merge import article_url

    fetch = "https://amp.kabar.co.id/b/1"
    assert article_url(fetch, fetch, "https://www.kabar.co.id/b/1?utm_medium=x") == \
        "https://www.kabar.co.id/b/1"
    assert article_url(fetch, fetch, "/b/1-judul") == "https://amp.kabar.co.id/b/1-judul"
    assert article_url(fetch, fetch, "https://warta.co.id/b/1") == fetch
    assert article_url(fetch, fetch, "https://kabar.co.id/") == fetch
    assert article_url(fetch, fetch, "mailto:redaksi@kabar.co.id") == fetch
    assert article_url(fetch, fetch, None) == fetch
