"""Classify, don't discard: every article page is stored whatever its language, length or
access; what is not stored keeps its reason in news.skipped_pages, where SQL sees it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from crawler.clean.step import clean
from crawler.config import load_config
from crawler.errors import UserError
from crawler.load.merge import load
from tests.clean.pages import Page, article_html, short_html, store

ENGLISH = (
    ("The city government opened a new pedestrian bridge in the Dago area on Monday morning "
     "after almost two years of construction work."),
    ("The mayor said the 120 metre bridge was designed to reduce congestion and give people on "
     "foot a safe way to the city centre."),
    ("Residents welcomed the opening, although some hoped the government would also repair the "
     "broken pavements along the main road."),
)
PAYWALLED = article_html("Anggaran kota dibahas", paragraphs=(
    "Dewan kota membahas rancangan anggaran tahun depan dalam rapat tertutup.",
    "Artikel ini khusus untuk pelanggan. Berlangganan untuk membaca selengkapnya.",
))


def sources(tmp_path: Path, extra: str = "", name: str = "kota") -> Path:
    """A sources file with one Indonesian source (each test its own: one database per module)."""
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: {name}\n    url: https://{name}.example/\n"
                    f"    feeds: [https://{name}.example/rss]\n    language: id\n" + extra)
    return path


def skipped(dsn: str, source: str) -> dict[str, tuple]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT url, stage, reason, title FROM news.skipped_pages "
                            "WHERE source = %s", [source]).fetchall()
    return {url.rsplit("/", 1)[1]: tuple(rest) for url, *rest in rows}


def test_english_and_paywalled_articles_of_an_indonesian_source_are_stored(dsn, tmp_path):
    store(dsn, "semua", [Page("en", article_html("Bridge opens", paragraphs=ENGLISH,
                                                  lang="en").encode()),
                         Page("paywall", PAYWALLED.encode())])
    clean(dsn, load_config(sources(tmp_path, name="semua")), sources=["semua"], workers=1)
    load(dsn, sources=["semua"])
    with psycopg.connect(dsn) as conn:
        rows = dict(conn.execute("SELECT title, (language, declared_language, access) "
                                 "FROM news.articles WHERE source = 'semua'").fetchall())
    assert rows == {"Bridge opens": ("en", "en", "free"),
                    "Anggaran kota dibahas": ("id", "id", "paywalled")}
    assert skipped(dsn, "semua") == {}


# Thai separates sentences with a space, not a full stop: no line of it "ends a sentence"
THAI = tuple(f"สำนักงานเขต{district}เปิดสะพานคนเดินข้ามแห่งใหม่เมื่อเช้าวันจันทร์ที่ผ่านมา "
             f"หลังจากใช้เวลาก่อสร้างนานเกือบสองปีและมีประชาชนจำนวนมากมาร่วมงาน "
             f"ผู้อำนวยการเขต{district}กล่าวว่าสะพานนี้จะช่วยลดปัญหาการจราจรในพื้นที่"
             for district in ("บางรัก", "ปทุมวัน", "สาทร", "จตุจักร", "ดุสิต", "พญาไท",
                              "ราชเทวี", "ห้วยขวาง"))


def test_an_article_in_a_script_without_sentence_marks_is_stored(dsn, tmp_path):
    store(dsn, "thai", [Page("th", article_html("สะพานใหม่เปิดแล้ว", paragraphs=THAI,
                                                 lang="th").encode())])
    clean(dsn, load_config(sources(tmp_path, name="thai")), sources=["thai"], workers=1)
    load(dsn, sources=["thai"])
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT title, language FROM news.articles "
                            "WHERE source = 'thai'").fetchall()
    assert rows == [("สะพานใหม่เปิดแล้ว", "th")]
    assert skipped(dsn, "thai") == {}


def test_a_sources_own_exclusions_are_recorded_with_their_reason(dsn, tmp_path):
    store(dsn, "pilih", [Page("en", article_html("Bridge opens", paragraphs=ENGLISH,
                                                  lang="en").encode()),
                         Page("id", article_html().encode())])
    config = load_config(sources(tmp_path, "    languages: [id]\n    min_words: 500\n",
                                 name="pilih"))
    result = clean(dsn, config, sources=["pilih"], workers=1)
    assert result.reasons == {"excluded_language": 1, "below_min_words": 1}
    assert skipped(dsn, "pilih") == {"en": ("clean", "excluded_language", "Bridge opens"),
                            "id": ("clean", "below_min_words",
                                   "Jembatan baru diresmikan di Bandung")}


def test_skipped_pages_shows_every_article_page_not_stored_with_its_stage(dsn, tmp_path):
    store(dsn, "audit", [Page("stored", article_html().encode()),
                         Page("gone", None, reason="http_404", http_status=404),
                         Page("stub", short_html().encode()),
                         Page("index", b"<html></html>", kind="listing")])
    config = load_config(sources(tmp_path, name="audit"))
    clean(dsn, config, sources=["audit"], workers=1)
    store(dsn, "audit", [Page("later", article_html("Belum dibersihkan").encode())])
    load(dsn, sources=["audit"])
    assert skipped(dsn, "audit") == {"gone": ("fetch", "http_404", None),
                                     "stub": ("clean", "too_short", "Perbaikan"),
                                     "later": ("pending", "not_cleaned", None)}


def test_the_reader_role_can_audit_skipped_pages(dsn):
    store(dsn, "baca", [Page("gone", None, reason="dns", http_status=None)])
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE liputan_reader")
        assert conn.execute("SELECT count(*) > 0 FROM news.skipped_pages").fetchone() == (True,)


@pytest.mark.parametrize(("extra", "message"), [
    ("    timezone: Mars/Olympus\n", "source 'kota': timezone: 'Mars/Olympus' is not an IANA"),
    ("    languages: [indonesian]\n", "source 'kota': languages: 'indonesian' is not an ISO"),
    ("    min_words: -1\n", "source 'kota': min_words: expected a whole number"),
    ("    render: chrome\n", "source 'kota': render: expected one of html, browser"),
])
def test_bad_classification_keys_are_one_line_errors(tmp_path, extra, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        load_config(sources(tmp_path, extra))


def test_dates_without_a_zone_take_the_sources_zone(tmp_path):
    config = load_config(sources(tmp_path))
    assert str(config.source("kota").zone) == "Asia/Jakarta"  # language id: WIB
    config = load_config(sources(tmp_path, "    timezone: Asia/Makassar\n"))
    assert str(config.source("kota").zone) == "Asia/Makassar"


def test_a_source_without_zone_or_zoned_language_takes_its_country_domain_zone(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n"
                    "  - {name: zeitung, url: 'https://zeitung.example.de/', language: de,\n"
                    "     feeds: ['https://zeitung.example.de/rss']}\n"
                    "  - {name: wire, url: 'https://wire.example.com/', language: en,\n"
                    "     feeds: ['https://wire.example.com/rss']}\n")
    config = load_config(path)
    assert str(config.source("zeitung").zone) == "Europe/Berlin"
    assert config.source("wire").zone is None  # dates without a zone stay UTC
