"""Text is stored verbatim; what PostgreSQL cannot hold is rejected with a reason; search works;
the reader role sees the news views and nothing else."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from crawler.load.merge import ExternalDocument, load, load_documents
from tests.load.corpus import Corpus

corpus = Corpus(seed=6)

AWKWARD = (
    "Dia berkata \"jangan\" dan 'tidak' \\ lalu C:\\berita\\n bukan baris baru; "
    "harga naik 10% 🚀🇮🇩 é ü 中文 "
    "'); DROP TABLE liputan.articles; -- dan $$ SELECT 1 $$ serta \\x00 \\. \t tab\n"
    "\\.\nbaris setelah penanda akhir COPY"
)


def test_quotes_backslashes_emoji_and_sql_fragments_are_stored_verbatim(pages):
    text = AWKWARD + "\n\n" + corpus.text(300)
    title = "Judul \"kutip\" \\ 🚀 '; DELETE FROM news.articles; --"
    pages.page(pages.run(), "https://kabar.example/aneh?q=1'--", text, title=title)

    assert load(pages.dsn).new == 1
    assert pages.one("SELECT title, text FROM news.articles") == (title, text)
    assert pages.one("SELECT text FROM news.article_versions") == (text,)


def test_empty_text_is_rejected_with_its_reason_and_the_rest_loads(pages):
    run = pages.run()
    empty = pages.page(run, "https://kabar.example/kosong", "  \n ")
    pages.page(run, "https://kabar.example/isi", corpus.text())

    result = load(pages.dsn)

    assert (result.new, result.rejected, dict(result.rejections)) == (1, 1, {"empty_text": 1})
    assert pages.all("SELECT fetch_id, reason FROM news.load_rejections") == [
        (empty, "empty_text")]
    assert "1 rejected (1 empty_text)" in result.summary()
    # Re-cleaned into a real text: loaded, and the rejection is gone.
    pages.document(empty, corpus.text())
    assert load(pages.dsn).new == 1
    assert pages.all("SELECT * FROM news.load_rejections") == []


def test_nul_bytes_handed_over_are_rejected_with_a_reason_not_a_crash(pages):
    run = pages.run()
    bad = pages.fetch(run, "https://kabar.example/nul")
    bad_title = pages.fetch(run, "https://kabar.example/nul-judul")
    good = pages.fetch(run, "https://kabar.example/baik")

    result = load_documents(pages.dsn, [
        ExternalDocument(bad, "teks dengan \x00 di tengah " + corpus.text(300)),
        ExternalDocument(bad_title, corpus.text(300), title="judul\x00"),
        ExternalDocument(good, AWKWARD + corpus.text(300), title="Baik", language="id"),
    ])

    assert (result.new, result.rejected, dict(result.rejections)) == (1, 2, {"nul_byte": 2})
    assert pages.all("SELECT fetch_id, reason FROM news.load_rejections ORDER BY 1") == [
        (bad, "nul_byte"), (bad_title, "nul_byte")]
    assert pages.one("SELECT title FROM news.articles") == ("Baik",)
    with pytest.raises(psycopg.DataError):  # why: the database itself cannot hold it
        pages.document(bad, "teks \x00")


def test_reader_role_sees_the_news_views_only(pages):
    pages.page(pages.run(), "https://kabar.example/z", corpus.text())
    load(pages.dsn)
    with psycopg.connect(pages.dsn, autocommit=True) as conn:
        conn.execute("SET ROLE liputan_reader")
        for view in ("articles", "article_urls", "article_versions", "crawl_runs",
                     "article_duplicates", "load_rejections"):
            conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier("news", view)))
        assert conn.execute("SELECT count(*) FROM news.articles").fetchone() == (1,)
        for table in ("articles", "documents", "article_lsh", "load_rejections"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql.SQL("SELECT 1 FROM {}").format(sql.Identifier("liputan", table)))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM news.articles")
