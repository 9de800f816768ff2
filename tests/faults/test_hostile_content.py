"""Hostile content: titles and bodies with SQL fragments, quotes, control characters, huge
attributes, deeply nested markup and external entities go through crawl, clean and load.
Each is stored verbatim or refused with a reason; none is executed; nothing crashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg.rows import dict_row

from crawler.clean.step import CleanResult, clean
from crawler.config import load_config
from crawler.fetch.crawl import CrawlResult, crawl
from crawler.load.merge import load
from tests.faults.server import FaultSite, Page, article_html, feed
from tests.faults.support import fetch_rows, sources_file

# Ordinary paragraphs, so that every page is long enough to be an article.
FILLER = [
    "Pemerintah kota mengumumkan rencana perbaikan jalan di kawasan pelabuhan, menurut "
    f"keterangan resmi yang diterima wartawan pada hari kerja ke-{n}. Warga berharap pekerjaan "
    "selesai sebelum musim hujan tiba dan lalu lintas kembali lancar seperti semula."
    for n in range(1, 6)
]
SQL_TITLE = "Robert'); DROP TABLE liputan.articles; -- dan kawan-kawan"
SQL_LINES = [
    "Kutipan: '; DELETE FROM liputan.fetches WHERE '1'='1'; --",
    "Lalu $$; TRUNCATE news.articles CASCADE; $$ dan E'\\\\' serta \\x00 ditulis apa adanya.",
    "Penanda %s, %(title)s, {0}, $1 dan :name bukan parameter; /* komentar */ tetap teks.",
]
QUOTE_TITLE = "Kata \"resmi\" vs 'tidak resmi' — `backtick` „Jerman“ «Prancis» \\ garis miring"
QUOTE_LINES = ["Petik tunggal ' ganda \" miring \\ \\n bukan baris baru; <b>bukan tebal</b>",
               "<script>alert('xss')</script> tertulis sebagai teks, bukan skrip."]
CONTROL_LINES = ["Kontrol \x01\x07\x1b[31m merah \x7f dan lebar-nol \u200b serta \u202ebalik.",
                 "Emoji 📰🇮🇩 dan surrogate-aman: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 tetap utuh."]
PASSWD_MARK = "root:x:0:0"


def pages() -> dict[str, bytes]:
    deep = "<div>" * 20_000 + "<p>" + FILLER[0] + "</p>" + "</div>" * 20_000
    xxe_head = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM '
                '"file:///etc/passwd">]>')
    return {
        "sql": article_html(SQL_TITLE, [*SQL_LINES, *FILLER]),
        "quotes": article_html(QUOTE_TITLE, [*QUOTE_LINES, *FILLER]),
        "control": article_html("Judul dengan kontrol \x07 dan \u202e", [*CONTROL_LINES,
                                                                          *FILLER]),
        "nul": article_html("Judul dengan NUL", ["Teks dengan \x00 di tengah.", *FILLER]),
        "huge-attribute": article_html("Atribut raksasa", FILLER,
                                       attrs=' data-x="' + "A" * 900_000 + '"'),
        "deep": ("<!DOCTYPE html><html><head><title>Bersarang dalam</title></head><body>"
                 + deep + "".join(f"<p>{p}</p>" for p in FILLER) + "</body></html>").encode(),
        "xxe": (xxe_head + "<html><head><title>Entitas luar</title></head><body><article>"
                "<h1>Entitas luar</h1><p>&xxe;</p>" + "".join(f"<p>{p}</p>" for p in FILLER)
                + "</article></body></html>").encode(),
    }


@dataclass
class Crawled:
    dsn: str
    result: CrawlResult
    cleaned: CleanResult


@pytest.fixture(scope="module")
def crawled(dsn, tmp_path_factory) -> Iterator[Crawled]:
    """One crawl, clean and load of the hostile site for the whole module."""
    with FaultSite("127.0.0.2") as site:
        yield _crawl_site(site, dsn, tmp_path_factory.mktemp("hostile"))


def _crawl_site(site: FaultSite, dsn: str, tmp_path) -> Crawled:
    for key, body in pages().items():
        site.route(f"/a/{key}.html", Page("ok", body=body))
    site.route("/feed.xml", feed(site, [f"/a/{key}.html" for key in pages()]))
    config = load_config(sources_file(
        tmp_path / "sources.yaml",
        [{"name": "hostile", "url": site.base + "/", "feeds": [site.url("/feed.xml")],
          "article_url_pattern": r"/a/", "language": "id"}],
        allowed=["127.0.0.2/32"]))
    result = crawl(dsn, config)
    cleaned = clean(dsn, workers=2)
    load(dsn)
    return Crawled(dsn, result, cleaned)


def _by_page(dsn: str) -> dict[str, dict]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        rows = conn.execute(
            "SELECT f.url, d.is_article, d.reason, d.title AS doc_title, a.title, a.text"
            " FROM liputan.fetches f JOIN liputan.documents d USING (fetch_id)"
            " LEFT JOIN liputan.article_fetches af USING (fetch_id)"
            " LEFT JOIN news.articles a ON a.article_id = af.article_id"
            " WHERE f.kind = 'article'").fetchall()
    return {row["url"].rsplit("/", 1)[1].removesuffix(".html"): row for row in rows}


def test_every_hostile_page_is_fetched_cleaned_and_judged_without_a_crash(crawled):
    dsn = crawled.dsn
    assert crawled.result.ok and crawled.result.runs[0].failed == 0
    assert crawled.cleaned.ok and crawled.cleaned.failed == 0
    pages_ = _by_page(dsn)
    assert set(pages_) == set(pages())
    # A crash inside the extractor would be recorded as extraction_failed: there is none.
    assert {key: row["reason"] for key, row in pages_.items()
            if row["reason"] in ("extraction_failed", "timeout")} == {}
    # Each page is an article in news.articles, or not one with a reason.
    for key, row in pages_.items():
        assert row["text"] is not None or row["reason"] is not None, key


def test_sql_fragments_are_stored_verbatim_and_never_executed(crawled):
    dsn = crawled.dsn
    row = _by_page(dsn)["sql"]
    assert row["title"] == SQL_TITLE
    for line in SQL_LINES:
        assert line in row["text"]
    with psycopg.connect(dsn) as conn:
        # The tables the fragments name are all there, with every row.
        assert conn.execute("SELECT count(*) FROM news.articles").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM liputan.fetches").fetchone()[0] == len(
            fetch_rows(dsn))
        assert conn.execute("SELECT to_regclass('liputan.articles')").fetchone()[0]


def test_quotes_backslashes_and_markup_in_text_are_stored_verbatim(crawled):
    dsn = crawled.dsn
    row = _by_page(dsn)["quotes"]
    assert row["title"] == QUOTE_TITLE
    for line in QUOTE_LINES:
        assert line in row["text"]


def test_control_characters_are_stored_or_the_page_refused_with_a_reason(crawled):
    dsn = crawled.dsn
    row = _by_page(dsn)["control"]
    if row["text"] is None:
        assert row["reason"]
        return
    # What is printable survives as written; emoji and astral letters are not mangled.
    assert "Emoji 📰🇮🇩 dan surrogate-aman: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 tetap utuh." in row["text"]
    assert "merah" in row["text"] and "balik." in row["text"]


def test_a_nul_byte_never_reaches_the_database_and_the_page_still_counts(crawled):
    dsn = crawled.dsn
    row = _by_page(dsn)["nul"]
    assert row["reason"] is not None or "\x00" not in row["text"]
    if row["text"] is not None:
        assert "Teks dengan" in row["text"] and "di tengah." in row["text"]


def test_huge_attributes_and_deep_nesting_end_as_article_or_reason(crawled):
    dsn = crawled.dsn
    pages_ = _by_page(dsn)
    for key in ("huge-attribute", "deep"):
        row = pages_[key]
        assert row["text"] is not None or row["reason"], key
        if row["text"] is not None:
            assert FILLER[1] in row["text"]
            assert "AAAAAAAAAA" not in row["text"]  # an attribute is never text


def test_external_entities_are_never_resolved(crawled):
    dsn = crawled.dsn
    with psycopg.connect(dsn) as conn:
        leaked = conn.execute(
            "SELECT count(*) FROM liputan.documents WHERE text LIKE %s OR title LIKE %s",
            (f"%{PASSWD_MARK}%", f"%{PASSWD_MARK}%")).fetchone()[0]
    assert leaked == 0
