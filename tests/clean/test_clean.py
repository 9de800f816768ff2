"""`clean()` on pages stored as a crawl stores them: articles, reasons, reruns, reclean."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest

from crawler.clean.extract import EXTRACTOR_VERSION, extract
from crawler.clean.rules import CleaningRules
from crawler.clean.step import clean
from crawler.config import Config, Source
from tests.clean.pages import Page, article_html, documents, short_html, store

URL = "https://kabarkota.example/"


def sources_file(*sources: Source) -> Config:
    return Config(path=Path("sources.yaml"), sources=sources)


def test_article_pages_become_articles_with_their_metadata(dsn):
    ids = store(dsn, "kabar", [Page("a1", article_html().encode()),
                               Page("a2", article_html("Banjir surut di Jakarta").encode())])
    result = clean(dsn, sources_file(Source("kabar", URL, language="id")), sources=["kabar"],
                   workers=2)
    docs = documents(dsn, "kabar")
    assert result.ok and result.cleaned == 2 and result.articles == 2
    first = docs[ids["a1"]]
    assert first["is_article"] and first["reason"] is None
    assert first["extractor_version"] == EXTRACTOR_VERSION
    assert first["title"] == "Jembatan baru diresmikan di Bandung"
    assert first["authors"] == ["Siti Rahma"]
    assert first["published_at"].date() == date(2026, 11, 2)
    assert first["site_name"] == "Kabar Kota"
    assert first["canonical_url"] == "https://kabarkota.example/berita/jembatan-baru"
    assert first["image"] == "https://kabarkota.example/img/jembatan.jpg"
    assert first["language"] == "id"
    assert "jembatan sepanjang 120 meter" in first["text"]
    assert "Beranda" not in first["text"] and "Hak cipta" not in first["text"]
    assert first["word_count"] == len(first["text"].split())
    assert first["loaded_at"] is None
    assert docs[ids["a2"]]["title"] == "Banjir surut di Jakarta"


def test_only_successful_article_fetches_with_a_body_are_cleaned(dsn):
    ids = store(dsn, "mixed", [
        Page("ok", article_html().encode()),
        Page("not-modified", None, http_status=304),  # conditional request: no body
        Page("gone", None, http_status=404, reason="http_404"),
        Page("listing", article_html().encode(), kind="listing"),
    ])
    result = clean(dsn, sources=["mixed"], workers=1)
    assert result.cleaned == 1
    assert set(documents(dsn, "mixed")) == {ids["ok"]}


def test_pages_that_are_not_articles_keep_the_extractors_reason(dsn):
    ids = store(dsn, "pendek", [Page("stub", short_html().encode())])
    expected = extract(short_html(), "https://pendek.example/berita/stub")
    result = clean(dsn, sources=["pendek"], workers=1)
    doc = documents(dsn, "pendek")[ids["stub"]]
    assert not expected.is_article and expected.reason  # a stub, whatever the extractor says
    assert not doc["is_article"] and doc["reason"] == expected.reason
    assert result.reasons == {expected.reason: 1} and result.articles == 0


def test_only_the_named_sources_are_cleaned(dsn):
    store(dsn, "satu", [Page("a", article_html().encode())])
    store(dsn, "dua", [Page("a", article_html().encode())])
    clean(dsn, sources=["satu"], workers=1)
    assert len(documents(dsn, "satu")) == 1
    assert documents(dsn, "dua") == {}


def test_per_source_rules_apply_to_their_source_only(dsn):
    extra = "<p>Ikuti kuis mingguan Kabar Kota berhadiah sepeda lipat untuk pembaca setia.</p>"
    store(dsn, "dengan-aturan", [Page("a", article_html(extra=extra).encode())])
    store(dsn, "tanpa-aturan", [Page("a", article_html(extra=extra).encode())])
    rules = CleaningRules(drop_patterns=(r"^Ikuti kuis mingguan",))
    config = sources_file(Source("dengan-aturan", URL, clean_rules=rules),
                          Source("tanpa-aturan", URL))
    clean(dsn, config, sources=["dengan-aturan", "tanpa-aturan"], workers=1)
    [ruled] = documents(dsn, "dengan-aturan").values()
    [plain] = documents(dsn, "tanpa-aturan").values()
    assert "kuis mingguan" not in ruled["text"] and "jembatan sepanjang" in ruled["text"]
    assert "kuis mingguan" in plain["text"]


def test_rerun_cleans_nothing_and_changes_nothing(dsn):
    store(dsn, "ulang", [Page(f"a{n}", article_html(f"Berita ke-{n}").encode())
                         for n in range(5)])
    first = clean(dsn, sources=["ulang"], workers=2, batch_size=2)
    before = documents(dsn, "ulang")
    second = clean(dsn, sources=["ulang"], workers=2, batch_size=2)
    assert first.cleaned == 5 and first.changed == 5
    assert second.pending == 0 and second.cleaned == 0 and second.changed == 0
    assert documents(dsn, "ulang") == before


def test_reclean_re_extracts_every_page_and_resets_loaded_at_only_where_changed(dsn):
    ids = store(dsn, "bersih", [Page("a", article_html().encode()),
                                Page("b", article_html("Harga cabai naik").encode())])
    clean(dsn, sources=["bersih"], workers=1)
    with psycopg.connect(dsn) as conn:
        fetches = conn.execute("SELECT count(*) FROM liputan.fetches").fetchone()[0]
        conn.execute("UPDATE liputan.documents SET loaded_at = now() WHERE fetch_id = ANY(%s)",
                     [list(ids.values())])
        # As if an older extractor had stored a worse text for page a.
        conn.execute("UPDATE liputan.documents SET text = 'lama', text_sha256 = 'x'::bytea "
                     "WHERE fetch_id = %s", [ids["a"]])
    result = clean(dsn, sources=["bersih"], reclean=True, workers=1)
    docs = documents(dsn, "bersih")
    assert result.pending == 2 and result.cleaned == 2 and result.changed == 1
    assert "jembatan sepanjang" in docs[ids["a"]]["text"]
    assert docs[ids["a"]]["loaded_at"] is None
    assert docs[ids["b"]]["loaded_at"] is not None
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM liputan.fetches").fetchone()[0] == fetches


def test_documents_of_an_older_extractor_version_are_cleaned_again(dsn):
    ids = store(dsn, "versi", [Page("a", article_html().encode()),
                               Page("b", article_html("Kereta cepat").encode())])
    clean(dsn, sources=["versi"], workers=1)
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE liputan.documents SET extractor_version = 'old', "
                     "loaded_at = now() WHERE fetch_id = %s", [ids["a"]])
    result = clean(dsn, sources=["versi"], workers=1)
    docs = documents(dsn, "versi")
    assert result.pending == 1 and result.cleaned == 1
    assert docs[ids["a"]]["extractor_version"] == EXTRACTOR_VERSION
    # Same text by the new version: the loaded article stays loaded.
    assert docs[ids["a"]]["loaded_at"] is not None


@pytest.mark.timeout(120)
def test_two_concurrent_cleans_clean_each_page_once(dsn):
    from concurrent.futures import ThreadPoolExecutor

    from tests.clean.extractors import slow

    store(dsn, "bersama", [Page(f"a{n}", article_html(f"Berita {n}").encode())
                           for n in range(40)])
    with ThreadPoolExecutor(2) as threads:
        runs = [threads.submit(clean, dsn, sources=["bersama"], workers=1, batch_size=4,
                               extractor=slow) for _ in range(2)]
        results = [run.result() for run in runs]
    assert sum(r.cleaned for r in results) == 40
    assert sum(r.changed for r in results) == 40
    assert len(documents(dsn, "bersama")) == 40
