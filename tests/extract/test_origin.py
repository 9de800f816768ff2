"""Where a syndicated text comes from: its provenance lines are cut and kept as its origin."""

from __future__ import annotations

import pytest

from crawler.clean.extract import extract
from crawler.clean.origin import Origin, cut_origin
from crawler.clean.residue import clean_text

BODY = ("Pemerintah provinsi membuka kembali jalur pendakian gunung setelah status aktivitas "
        "vulkaniknya turun ke level waspada pada Senin pagi.\n"
        "Kepala balai taman nasional mengatakan pendaki wajib mendaftar secara daring dan "
        "membawa surat keterangan sehat sebelum naik.")
KOMPAS_URL = "https://regional.kompas.com/read/2024/05/06/101500178/jalur-pendakian-dibuka"


def test_kompas_line_gives_outlet_title_and_url_and_leaves_the_body():
    line = ('Artikel ini telah tayang di Kompas.com dengan judul "Jalur Pendakian Gunung '
            f'Dibuka Kembali", Klik untuk baca: {KOMPAS_URL}.')
    text, origin = cut_origin(f"{BODY}\n{line}")
    assert text == BODY
    assert origin == Origin(outlet="Kompas.com", url=KOMPAS_URL,
                            title="Jalur Pendakian Gunung Dibuka Kembali")


def test_detik_copy_line_gives_detiknews_with_title_and_url():
    url = "https://news.detik.com/berita/d-7331234/jalur-pendakian-dibuka-lagi"
    line = f'Baca artikel detiknews, "Jalur Pendakian Dibuka Lagi" selengkapnya {url}'
    text, origin = cut_origin(f"{BODY}\n{line}")
    assert text == BODY
    assert origin == Origin(outlet="detikNews", url=url, title="Jalur Pendakian Dibuka Lagi")


def test_source_url_gives_the_url_as_given_and_its_host_as_outlet():
    url = "https://www.example-daily.com/2024/05/06/mountain-trail-reopens/"
    text, origin = cut_origin(f"{BODY}\nSumber: {url}")
    assert text == BODY
    assert origin == Origin(outlet="example-daily.com", url=url)


def test_tribun_line_with_unquoted_title_keeps_the_byline_after_its_url():
    url = "https://www.tribunnews.com/regional/2024/05/06/jalur-pendakian-dibuka"
    line = (f"Artikel ini sudah tayang di Tribunnews.com dengan judul Jalur Pendakian Dibuka, "
            f"{url} Penulis: Budi Santoso")
    text, origin = cut_origin(f"{BODY}\n{line}")
    assert text == f"{BODY}\nPenulis: Budi Santoso"
    assert origin == Origin(outlet="Tribunnews.com", url=url, title="Jalur Pendakian Dibuka")


def test_antara_mark_closing_the_last_paragraph_is_cut_from_it():
    text, origin = cut_origin(f"{BODY} (Antara)")
    assert text == BODY
    assert origin == Origin(outlet="ANTARA")


def test_antara_mark_closes_a_long_last_paragraph_too():
    paragraph = " ".join(["Warga diminta menjauhi radius tiga kilometer dari kawah."] * 20)
    text, origin = cut_origin(f"{BODY}\n{paragraph} (Antara)")
    assert text == f"{BODY}\n{paragraph}"
    assert origin == Origin(outlet="ANTARA")


@pytest.mark.parametrize("closing", ["(ANT)", "(ant/rdn)", "Sumber: Antara", "(ANTARA)"])
def test_closing_line_naming_antara_is_cut(closing):
    text, origin = cut_origin(f"{BODY}\n{closing}")
    assert text == BODY
    assert origin == Origin(outlet="ANTARA")


@pytest.mark.parametrize(("closing", "wire"), [
    ("(dpa)", "dpa"), ("(red/dpa)", "dpa"), ("(FR mit dpa)", "dpa"), ("(APA)", "APA"),
    ("(sda/afp)", "SDA"), ("(EFE)", "EFE"), ("(PTI)", "PTI"), ("(RIA Novosti)", "RIA Novosti")])
def test_other_wires_marks_closing_the_text_are_its_origin(closing, wire):
    text, origin = cut_origin(f"{BODY} {closing}")
    assert text == BODY
    assert origin == Origin(outlet=wire)


def test_a_wire_named_with_a_word_that_is_not_a_credit_is_no_mark():
    body = f"{BODY}\nDie Meldung kam von der Agentur (laut dpa)"
    assert cut_origin(body) == (body, None)


def test_standalone_source_line_counts_anywhere_in_the_body():
    text, origin = cut_origin(f"Source: Reuters\n{BODY}")
    assert text == BODY
    assert origin == Origin(outlet="Reuters")


def test_site_named_as_source_keeps_its_spelling():
    text, origin = cut_origin(f"{BODY}\nSumber: Tribunnews.com")
    assert text == BODY and origin.outlet == "Tribunnews.com"


@pytest.mark.parametrize("line, outlet", [
    ("This article first appeared on The Conversation.", "The Conversation"),
    (("This article is republished from The Conversation under a Creative Commons license. "
      "Read the original article."), "The Conversation"),
    ("This article originally appeared on VICE US.", "VICE US"),
])
def test_english_first_appeared_lines_name_the_outlet(line, outlet):
    text, origin = cut_origin(f"{BODY}\n{line}")
    assert text == BODY
    assert origin == Origin(outlet=outlet)


def test_originally_published_at_a_url():
    url = "https://blog.example.org/posts/trail-reopens"
    text, origin = cut_origin(f"{BODY}\nOriginally published at {url}")
    assert text == BODY
    assert origin == Origin(outlet="blog.example.org", url=url)


def test_antara_mentioned_in_a_sentence_is_not_an_origin():
    body = (f"Menurut kantor berita Antara (Antara) jalur itu ramai dikunjungi.\n{BODY}")
    assert cut_origin(body) == (body, None)


def test_antara_mark_before_the_closing_lines_is_not_an_origin():
    body = f"Harga beras naik tipis. (Antara)\n{BODY}\nParagraf tiga.\nParagraf empat."
    assert cut_origin(body) == (body, None)


def test_abbreviation_in_parentheses_after_a_word_is_not_a_wire_mark():
    body = f"{BODY}\nSiswa dapat mengikuti program Advanced Placement (AP)"
    assert cut_origin(body) == (body, None)


@pytest.mark.parametrize("line", [
    "Source: CDC, Chicago Department of Public Health",
    "Sumber: BPS",
    "This article was originally published on August 27, 2015. It has been updated.",
    "This article was originally published in November 2015 and has been updated.",
    "Berita ini terbit di tengah kekhawatiran pasar.",
    "The story ran in Tuesday's edition.",
])
def test_data_sources_and_first_publication_dates_are_not_origins(line):
    body = f"{BODY}\n{line}"
    assert cut_origin(body) == (body, None)


def test_origin_line_residue_cleaning_dropped_is_read_from_the_raw_body():
    raw = (f"{BODY}\nArtikel ini telah tayang di Kompas.com dengan judul \"Jalur Pendakian "
           f"Dibuka\", Klik untuk baca: {KOMPAS_URL}")
    cleaned = clean_text(raw, language="id")
    assert "Kompas.com" not in cleaned  # the premise: residue cleaning drops the line
    text, origin = cut_origin(cleaned, raw=raw)
    assert text == cleaned
    assert origin == Origin(outlet="Kompas.com", url=KOMPAS_URL, title="Jalur Pendakian Dibuka")


def test_lines_of_one_origin_complete_each_other():
    line = 'Baca artikel detiknews, "Jalur Dibuka" selengkapnya https://news.detik.com/d-1/x'
    text, origin = cut_origin(f"{BODY}\nSumber: detikNews\n{line}")
    assert text == BODY
    assert origin == Origin(outlet="detikNews", url="https://news.detik.com/d-1/x",
                            title="Jalur Dibuka")


def _page(closing: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in [*BODY.split("\n"), (
        "Petugas akan memeriksa perlengkapan setiap pendaki di pos pertama dan membatasi "
        "jumlah pendaki menjadi dua ratus orang per hari selama masa uji coba."), closing])
    return ("<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>"
            "<title>Jalur Pendakian Dibuka Kembali</title>"
            "<meta property='og:type' content='article'></head><body><article>"
            f"<h1>Jalur Pendakian Dibuka Kembali</h1>{paragraphs}</article></body></html>")


def test_extraction_stores_the_origin_apart_from_the_text():
    result = extract(_page("Sumber: Antara"), "https://contoh.example/a/1")
    assert result.is_article
    assert result.origin_outlet == "ANTARA" and result.origin_url is None
    assert "Sumber" not in result.text and result.text.endswith("masa uji coba.")


def test_extraction_reads_an_origin_line_residue_cleaning_drops():
    line = f'Artikel ini telah tayang di Kompas.com dengan judul "Jalur Dibuka", {KOMPAS_URL}'
    result = extract(_page(line), "https://contoh.example/a/2")
    assert (result.origin_outlet, result.origin_url, result.origin_title) == \
        ("Kompas.com", KOMPAS_URL, "Jalur Dibuka")
    assert "Artikel ini" not in result.text
