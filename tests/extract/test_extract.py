"""`extract` on whole pages: what is kept, what is gone, metadata, and why a page is no article."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from crawler.clean.extract import EXTRACTOR_VERSION, extract, extract_text
from crawler.clean.rules import CleaningRules
from tests.extract.pages import BODY, QUOTE, RELATED, RESIDUE, SUBHEADING, listing_page, news_page

URL = "https://contoh.example/metro/bus-listrik?utm_source=x"


def test_article_keeps_every_paragraph_quote_and_subheading():
    result = extract(news_page(), URL)
    assert result.is_article and result.reason is None
    for line in [*BODY, QUOTE, SUBHEADING]:
        assert line in result.text


def test_seed_residue_and_related_headlines_are_gone():
    text = extract(news_page(), URL).text
    for line in [*RESIDUE, *RELATED]:
        assert line not in text, line
    assert "gacor" not in text and "Klik Disini" not in text


def test_headline_is_stored_as_title_not_as_first_body_line():
    result = extract(news_page(), URL)
    assert result.text.splitlines()[0] == BODY[0]


def test_body_printed_twice_is_stored_once():
    text = extract(news_page(repeat_body=True), URL).text
    assert all(text.count(paragraph) == 1 for paragraph in BODY)


def test_metadata_fields_come_from_the_page():
    result = extract(news_page(), URL)
    assert result.title == "Tiga Puluh Bus Listrik Baru Layani Rute Timur"
    assert result.authors == ["Rina Putri"]
    assert result.published_at == datetime(2024, 3, 2, 4, 25, tzinfo=timezone(timedelta(hours=7)))
    assert result.language == "id"
    assert result.site_name == "Contoh.com"
    assert result.canonical_url == "https://contoh.example/metro/bus-listrik"
    assert result.description == "Pemerintah kota menambah armada bus listrik."
    assert result.image == "https://contoh.example/img/bus.jpg"
    assert result.categories == ["Metro"]
    assert "transportasi" in result.tags
    assert result.word_count == len(result.text.split()) > 100


def test_date_without_json_ld_comes_from_meta_tags():
    # the instant the byline shows (Sabtu, 02 Maret 2024 - 04:25 WIB), in UTC
    page = news_page(json_ld={"@type": "WebPage"}).replace(
        "2024-03-02T04:25:00+07:00", "2024-03-01T21:25:00Z")
    result = extract(page, URL)
    assert (result.published_at, result.published_at_source) == \
        (datetime(2024, 3, 1, 21, 25, tzinfo=UTC), "meta")


def test_timed_byline_of_another_day_beats_the_meta_date():
    page = news_page(json_ld={"@type": "WebPage"}).replace(
        "2024-03-02T04:25:00+07:00", "2023-12-31T23:00:00Z")
    result = extract(page, URL)
    assert (result.published_at, result.published_at_source) == \
        (datetime(2024, 3, 2, 4, 25, tzinfo=timezone(timedelta(hours=7))), "text")


def test_extract_text_is_the_stored_text():
    page = news_page()
    assert extract_text(page, URL) == extract(page, URL).text
    assert EXTRACTOR_VERSION


def test_listing_page_is_not_an_article():
    result = extract(listing_page(), "https://contoh.example/indeks")
    assert not result.is_article
    assert result.reason in {"listing", "too_short"}
    result = extract(listing_page(40), "https://contoh.example/tag/bus")
    assert (result.is_article, result.reason) == (False, "listing")


def test_a_short_declared_article_is_an_article_and_an_undeclared_short_page_is_not():
    brief = news_page(body=["Pemerintah kota menambah bus listrik untuk rute baru."],
                      repeat_body=False)
    result = extract(brief, URL)
    assert (result.is_article, result.reason, result.access) == (True, None, "free")
    undeclared = brief.replace('content="article"', 'content="website"').replace(
        '"NewsArticle"', '"WebPage"')
    result = extract(undeclared, URL)
    assert (result.is_article, result.reason) == (False, "too_short")
    assert "Pemerintah kota menambah bus listrik" in result.text  # kept for inspection


def test_a_paywalled_teaser_is_stored_as_a_paywalled_article():
    stub = ["Pemerintah kota menambah tiga puluh armada bus listrik untuk rute baru.",
            ("Artikel ini khusus untuk pelanggan. Berlangganan untuk membaca artikel selengkapnya "
            "dan nikmati akses tanpa batas ke seluruh konten premium kami setiap hari.")]
    ld = {"@type": "NewsArticle", "isAccessibleForFree": False, "headline": "Bus"}
    result = extract(news_page(body=stub, repeat_body=False, json_ld=ld), URL)
    assert (result.is_article, result.reason, result.access) == (True, None, "paywalled")


def test_an_english_page_on_an_indonesian_source_is_an_english_article():
    english = [
        ("The city government will add thirty electric buses to serve a new route between the "
        "main terminal and the industrial estate in the east of the city from next week."),
        ("The head of the transport agency said that the new fleet would cut waiting times for "
        "passengers from twenty minutes to less than ten minutes at peak hours."),
        ("According to him, the fare will stay the same as on the old route, so that residents "
        "do not have to pay more for a service that is more frequent and more comfortable."),
        ("Passengers who were met at the stop welcomed the plan because they have had to stand "
        "in crowded buses when they go to work in the morning."),
    ]
    page = news_page(body=english, repeat_body=False, lang="en")
    result = extract(page, URL, language="id")
    assert (result.is_article, result.language, result.declared_language) == (True, "en", "en")
    assert extract(news_page(), URL, language="id").is_article


def test_general_related_box_is_pruned_before_extraction():
    box = ("<div class='baca-juga'><p>Pasar malam kota kembali dibuka setelah renovasi panjang "
           "yang memakan waktu hampir dua tahun dan biaya yang besar bagi pemerintah.</p></div>")
    text = extract(news_page(extra_body=box), URL).text
    assert "Pasar malam kota" not in text
    assert BODY[0] in text


def test_source_rules_drop_selected_elements_and_matching_lines():
    extra = ("<div class='promo-box'><p>Ikuti undian berhadiah mobil listrik bagi pembaca setia "
             "kami, daftarkan diri anda melalui aplikasi resmi sebelum akhir bulan ini.</p></div>")
    page = news_page(extra_body=extra)
    assert "undian berhadiah" in extract(page, URL).text
    rules = CleaningRules.from_mapping(
        {"drop_selectors": ["div.promo-box"], "drop_patterns": ["^Jadwal uji coba$"]}, "test")
    text = extract(page, URL, rules=rules).text
    assert "undian berhadiah" not in text
    assert SUBHEADING not in text
    assert BODY[0] in text


def test_a_drop_pattern_cannot_hang_the_extraction_on_a_crafted_line():
    # '(a+)+$' takes Python's backtracking `re` 2^n steps on "aaa...a!"; source patterns run
    # on RE2. In a child process with a time limit, so that a regression fails, not hangs.
    code = textwrap.dedent("""
        from crawler.clean.extract import extract
        from crawler.clean.rules import CleaningRules
        from tests.extract.pages import news_page
        crafted = ("<p>Warga yang menunggu di halte itu berteriak panjang ketika bus pertama "
                   "tiba: " + "a" * 60 + "!</p>")
        rules = CleaningRules.from_mapping({"drop_patterns": ["(a+)+$"]}, "test")
        text = extract(news_page(extra_body=crafted), "https://contoh.example/a", rules=rules).text
        print("a" * 60 + "!" in text)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "True"  # the line reached the pattern, which keeps it


def test_broken_inputs_end_with_a_reason_never_an_exception():
    cases = {
        "": "no_text",
        "   \n\t ": "no_text",
        "\x00\x01\x02PK\x03\x04" + "\x00" * 500: "binary",
    }
    for page, reason in cases.items():
        result = extract(page, URL)
        assert (result.is_article, result.reason, result.text) == (False, reason, "")
    assert extract(b"<html><p>bytes</p></html>", URL).reason == "not_text"  # type: ignore[arg-type]


def test_random_bytes_decoded_with_replacement_are_binary():
    noise = bytes(range(256)) * 200
    assert extract(noise.decode("utf-8", "replace"), URL).reason == "binary"
    assert extract(noise.decode("latin-1"), URL).reason == "binary"


def test_page_with_a_few_stray_nul_characters_is_still_an_article():
    page = news_page().replace("<main>", "<main>\x00\x00").replace("</p>", "</p>\x00", 3)
    result = extract(page, URL)
    assert result.is_article
    assert BODY[0] in result.text


def test_malformed_html_is_repaired_by_the_parser():
    malformed = "<html><body><p>Teks <b>tanpa <i>penutup <div><table><tr><td>sel " * 200
    result = extract(malformed, URL)
    assert result.text.startswith("Teks tanpa penutup")


def test_deeply_nested_or_garbage_markup_ends_with_a_reason_in_time():
    nested = "<div>" * 20_000 + "<p>" + " ".join(BODY) + "</p>" + "</div>" * 20_000
    for page in (nested, "<" * 100_000, "<html>" + "&#x0;" * 1000):
        start = time.monotonic()
        result = extract(page, URL)
        assert time.monotonic() - start < 30
        assert (result.is_article, result.reason) == (False, "no_text")


def test_mixed_encoding_text_is_extracted():
    # a page decoded with the wrong codec: mojibake and replacement characters, not a crash
    page = news_page().replace("“", "â€œ").replace("”", "\ufffd")
    result = extract(page, URL)
    assert result.is_article
    assert BODY[0] in result.text


def test_twenty_megabyte_page_ends_with_a_reason_quickly():
    filler = "<p>" + "x" * 1000 + "</p>\n"
    page = news_page().replace("</article>", filler * 20_000 + "</article>")
    assert len(page) > 20_000_000
    start = time.monotonic()
    result = extract(page, URL)
    assert time.monotonic() - start < 30
    assert (result.is_article, result.reason) == (False, "too_large")


def test_page_heavy_with_inline_scripts_is_still_extracted():
    script = "<script>var state = '" + "y" * 6_000_000 + "';</script>"
    result = extract(news_page(extra_head=script), URL)
    assert result.is_article
    assert BODY[0] in result.text


def test_page_encoded_twice_by_its_cms_gives_the_text_as_written():
    body = [*BODY[:2], "Warga bilang: “Bus ini nyaman — dan tepat waktu,” kata Zoë di halte."]
    twice = news_page(body=body).encode("utf-8").decode("cp1252", errors="liputan.windows-1252")
    text = extract(twice, URL).text
    assert body[2] in text and "â€" not in text


def test_wrapper_named_like_comments_keeps_the_page_but_real_comments_go():
    # trafilatura drops boxes whose class starts with "comment"; a wrapper of the whole page
    # named after a feature ("commenting-enabled") must not take the text with it
    comments = "<div class='comments'><p>Komentar pembaca: saya setuju sekali dengan ini.</p></div>"
    page = news_page().replace("<main><article>", "<main><section class='commenting-enabled'>"
                               "<article>").replace("</article></main>",
                                                    f"</article>{comments}</section></main>")
    text = extract(page, URL).text
    assert all(paragraph in text for paragraph in BODY)
    assert "Komentar pembaca" not in text



def test_text_is_stored_in_one_unicode_form_whatever_route_each_line_took():
    # Bengali "ya + nukta" written precomposed (U+09DF), as many sites do: NFC splits it
    sentences = [
        f"প্রতিবেদন {n}: কুষ্টি\u09dfা জেলার দৌলতপুর উপজেলা\u09df আজ সকালে একটি সভা হ\u09dfেছে, "
        f"সেখানে স্থানী\u09df মানুষ উপস্থিত ছিলেন এবং তারা নতুন সড়ক নিয়ে কথা বলেছেন।"
        for n in range(8)]
    text = extract(news_page(body=sentences), URL).text
    assert text == unicodedata.normalize("NFC", text)
    for sentence in sentences:
        assert text.count(unicodedata.normalize("NFC", sentence)) == 1, sentence


THAI_DISTRICTS = ("บางรัก", "ปทุมวัน", "สาทร", "จตุจักร", "ดุสิต", "พญาไท", "ราชเทวี", "ห้วยขวาง")


def plain_page(lang: str, paragraphs: list[str], tag: str = "p") -> str:
    """A page declaring nothing of itself (og:type website, no JSON-LD)."""
    body = "\n".join(f"<{tag}>{p}</{tag}>" for p in paragraphs)
    return (f'<html lang="{lang}"><head><title>Berita</title><meta property="og:type" '
            f'content="website"></head><body><main>{body}</main></body></html>')


def test_an_article_in_a_script_without_sentence_marks_is_no_listing():
    # Thai puts a space, not a full stop, between sentences: no line "ends a sentence"
    thai = [f"สำนักงานเขต{d}เปิดสะพานคนเดินข้ามแห่งใหม่เมื่อเช้าวันจันทร์ที่ผ่านมา "
            f"หลังจากใช้เวลาก่อสร้างนานเกือบสองปีและมีประชาชนจำนวนมากมาร่วมงาน "
            f"ผู้อำนวยการเขต{d}กล่าวว่าสะพานนี้จะช่วยลดปัญหาการจราจรในพื้นที่" for d in THAI_DISTRICTS]
    result = extract(plain_page("th", thai), "https://contoh.example/th/news/1")
    assert (result.is_article, result.reason) == (True, None)
    # Hindi ends its sentences with the danda
    hindi = [f"नगर निगम ने सोमवार सुबह वार्ड {n} के पुराने बाज़ार में एक नया पैदल पुल खोला, "
             f"जिसका निर्माण लगभग दो साल से चल रहा था।" for n in range(1, 9)]
    result = extract(plain_page("hi", hindi), "https://contoh.example/hi/news/1")
    assert (result.is_article, result.reason) == (True, None)


def test_a_list_of_thai_headlines_is_still_a_listing():
    headlines = [f"<a href='/th/news/{n}'>เขต{d}เปิดสะพานคนเดินข้ามแห่งใหม่ ลดปัญหาการจราจร</a>"
                 for n, d in enumerate(THAI_DISTRICTS * 2)]
    result = extract(plain_page("th", headlines, tag="h3"), "https://contoh.example/th/")
    assert (result.is_article, result.reason) == (False, "listing")


PHP_WARNINGS = [
    ("Warning: Use of undefined constant comments - assumed 'comments' (this will throw an Error "
     "in a future version of PHP) in /htdocs/wp-content/plugins/recent/recent.php on line 928"),
    ("Strict Standards: Non-static method nggGallery::get_option() should not be called "
     "statically in /www/htdocs/wp-content/plugins/nextgen/nggallery.php on line 1035"),
]


def test_server_error_messages_printed_into_the_page_are_not_stored():
    result = extract(news_page(body=[*PHP_WARNINGS, *BODY]), URL)
    assert result.is_article
    assert "on line" not in result.text and BODY[0] in result.text


def test_a_body_made_of_server_errors_gives_way_to_the_precision_modes_choice():
    from lxml.html import fromstring

    from crawler.clean.extract import _without_server_errors
    page = fromstring(news_page(repeat_body=False))
    text = _without_server_errors("\n".join(PHP_WARNINGS), page, URL)
    assert BODY[0] in text and "on line" not in text
    # a sentence about an error stays
    line = "The minister said the error on line 3 of the form would be fixed."
    assert _without_server_errors(line, page, URL) == line
