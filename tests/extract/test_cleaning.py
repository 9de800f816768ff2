"""Liputan's line and paragraph rules, on the residue the seeds show and on text that stays."""

from __future__ import annotations

import re

import pytest

from crawler.clean.residue import RESIDUE, clean_text, is_residue

ARTICLE = [
    ("NEW DELHI - Menteri Luar Negeri kedua negara berbicara singkat pada Kamis (2/3/2023) di "
    "sela-sela pertemuan tingkat tinggi."),
    ("Para pejabat mengatakan keduanya mengobrol selama kira-kira sepuluh menit di sela-sela "
    "konferensi, ketika hubungan kedua negara berada di titik terendah."),
    "Yang Harus Diperhatikan",
    "“Akhiri perang agresi ini,” kata menteri itu kepada mitranya.",
]


RESIDUE_LINES = [
    "loading...", "A", "A A A", "Halaman :", "Halaman : 1 2 3", "Baca juga: Judul Lain di Sini",
    "Baca Berita Terkait Lainnya",
    ("Dapatkan berita terkini dan kejutan menarik dari SINDOnews.com, Klik Disini untuk "
    "mendaftarkan diri anda sekarang juga!"),
    "Copyright © 2024 SINDOnews.com", "All Rights Reserved",
    "read/ rendering in 0.2277 seconds (0.1#10.140)", "online casinos", "By gacor88",
    "Posted By : result hk lengkap", "Jum'at, 03 Maret 2023 - 04:25 WIB",
    "Simak breaking news dan berita pilihan kami langsung di ponselmu.",
    "Editor: Ade Marboen", "| Penulis | : Nama Penulis |", "Share", "Facebook Twitter WhatsApp",
    "- Like (0)", "17 Shares", "ADVERTISEMENT", "Sumber: https://www.example.com/a/b/",
    "Blinken-Lavrov Bertemu untuk Pertama Kalinya. FOTO/Reuters",
    "Ekonomi · Olahraga · Hiburan · Teknologi · Otomotif · Indeks", "Indeks »",
    "Informasi pemasangan iklan", "hubungi : iklan[at]contoh.com",
    "Skip to main content", "Langsung ke konten",
    "You are using an out of date browser. It may not display this or other websites correctly.",
    "You must log in or register to reply here.", "Posts: 1,204", "Install the app",
    "Your browser does not support the video tag.", "Link copied to clipboard",
    "You should upgrade or use an", "alternative browser.", "Only 3 left!", "View Comments",
    "Teilen mit:", "Gefällt mir:", "Wird geladen …", "Bewerten:", "Partager :", "Chargement…",
    "Compartir:", "Cargando...",
]


@pytest.mark.parametrize("line", RESIDUE_LINES)
def test_seed_residue_lines_are_residue(line):
    assert is_residue(line)


@pytest.mark.parametrize("line", ARTICLE + [
    "Warga membaca juga pengumuman itu di papan desa sebelum rapat dimulai pada pagi hari.",
    "The casino industry employs thousands of people in the region, the report said.",
    "He shared the photo on Facebook and Twitter, where it was viewed a million times.",
    "Harga naik 3 persen pada Maret 2024, kata kepala badan statistik.",
    "1-4 Players • Ages 14+ • 90-120 minutes • $45",
    "Skip to the last chapter if you only want the verdict, the author advises.",
    "You must register the car within thirty days of buying it, the agency said.",
    "Teilen mit: Freunden und Nachbarn das Brot, das übrig bleibt, sagt die Bäckerin.",
    "View comments from readers were mixed, the editor said in a note on Monday.",
])
def test_article_sentences_mentioning_the_same_words_are_kept(line):
    assert not is_residue(line)


def test_each_rule_group_finds_what_one_search_of_all_its_rules_finds():
    # the anchored rules are matched at the line's start only: the same lines, cheaper
    lines = [line.lower() for line in [*RESIDUE_LINES, *ARTICLE]]
    lines += [f"kata dia. {line}" for line in lines]  # a rule's words inside a sentence
    for rules in RESIDUE.values():
        every = re.compile("|".join(f"(?:{p})" for p in rules.patterns))
        assert [rules.search(line) for line in lines] == \
            [every.search(line) is not None for line in lines]


def test_body_printed_twice_keeps_one_copy():
    text = "\n".join(ARTICLE + ARTICLE[:2])
    assert clean_text(text).splitlines() == ARTICLE


def test_truncated_teaser_of_a_paragraph_is_dropped():
    teaser = "..." + ARTICLE[1][40:90]
    assert clean_text("\n".join([*ARTICLE, teaser])).splitlines() == ARTICLE


def test_related_block_heading_and_its_headlines_are_dropped():
    text = "\n".join([*ARTICLE, "Selanjutnya Membaca",
                      "Blinken dan Lavrov Bertemu untuk Pertama Kalinya (Waktu New York)",
                      "AS Memberikan Lebih Banyak Sanksi kepada Rusia (Forbes)"])
    assert clean_text(text).splitlines() == ARTICLE


def test_a_paragraph_after_a_related_block_is_kept():
    closing = ("Pertemuan berikutnya dijadwalkan berlangsung bulan depan di Jenewa, kata juru "
               "bicara kementerian kepada wartawan setelah sesi berakhir pada malam hari.")
    text = "\n".join([ARTICLE[0], "Berita Terkait", "Judul Berita Lain", closing])
    assert clean_text(text).splitlines() == [ARTICLE[0], closing]


def test_date_stamped_headline_list_is_dropped():
    text = "\n".join([*ARTICLE, "Kamis, 05/11/2015 09:25 WIB", "Ini Dia Tempat Terbasah di Dunia",
                      "Rabu, 04/11/2015 23:45 WIB", "Tiga Menteri Sambut Ponsel Murah",
                      "02Kamis, 05/11/2015 09:32 WIB Memori Internal Disulap Jadi 128 GB"])
    assert clean_text(text).splitlines() == ARTICLE


def test_teasers_each_followed_by_a_read_more_link_are_dropped():
    teasers = [("Gaikindo optimistis pembangunan infrastruktur akan mendongkrak penjualan mobil "
                "tahun depan, kata ketuanya di Jakarta."), "» Selanjutnya",
               ("Distributor resmi itu membuka satu lagi dealer di Sumatera untuk melayani "
                "konsumen di wilayah barat."), "» Selanjutnya"]
    assert clean_text("\n".join([*ARTICLE, *teasers])).splitlines() == ARTICLE


def test_one_read_more_link_goes_alone():
    text = "\n".join([*ARTICLE, "Selengkapnya »"])
    assert clean_text(text).splitlines() == ARTICLE


def test_source_patterns_drop_their_lines_only():
    text = "\n".join([*ARTICLE, "Simak video pilihan redaksi berikut ini"])
    pattern = re.compile(r"^Yang Harus")
    assert clean_text(text, drop_patterns=[pattern]).splitlines() == [
        ARTICLE[0], ARTICLE[1], ARTICLE[3]]


def test_rules_follow_the_language_of_the_text():
    # "Baca juga" is Indonesian residue; an English text is not judged by Indonesian rules
    assert is_residue("Baca juga: Judul Lain", "id")
    assert not is_residue("Baca juga: Judul Lain", "en")
    assert is_residue("Read more: Another Story Title", "en")


@pytest.mark.parametrize("line", ["Nota relacionada: La secretaria que tumbó al contralor",
                                  "Noticias relacionadas", "Lea también: Otro titular"])
def test_spanish_links_to_related_stories_are_residue(line):
    assert is_residue(line, "es")
    assert not is_residue("La nota relacionada con el caso llegó tarde.", "es")


def test_short_line_repeated_by_cards_is_kept_when_its_neighbours_differ():
    feature = "Holds two monitors of up to nine kilograms each on a single clamp"
    text = f"Arm One\n{feature}\nPrice 100\nArm Two\n{feature}\nPrice 120"
    assert clean_text(text).count(feature) == 2


def test_truncated_teaser_of_the_headline_and_the_headline_itself_are_dropped():
    title = "Blinken-Lavrov Bertemu untuk Pertama Kalinya Sejak Invasi"
    text = "\n".join([title, "Blinken-Lavrov Bertemu...", *ARTICLE])
    assert clean_text(text, title=title + " | Contoh.com").splitlines() == ARTICLE


def test_closing_about_the_author_box_is_dropped_with_what_follows():
    tail = ["About the Author", "Rina Putri, health editor, writes about sleep and exercise.",
            "Disclaimer:", "This content does not replace the advice of your doctor."]
    assert clean_text("\n".join(ARTICLE + tail)) == "\n".join(ARTICLE)


def test_about_the_author_heading_early_in_the_text_is_no_closing_box():
    # a heading this high up is a section of the text (a profile), not a box after it
    text = "\n".join(["About the Author", *ARTICLE, *ARTICLE[:2]])
    assert clean_text(text).startswith("About the Author")


def test_page_builder_shortcodes_printed_as_text_are_cut_and_their_text_kept():
    text = ('[vc_row type="full_width" bg_image="684292"][vc_column width="1/2"]'
            f'[vc_column_text]{ARTICLE[0]}[/vc_column_text][/vc_column]\n[/vc_row]\n{ARTICLE[1]} [1]')
    assert clean_text(text) == f"{ARTICLE[0]}\n{ARTICLE[1]} [1]"


def test_a_run_of_headlines_each_followed_by_its_date_is_dropped():
    related = ["- Mazda fertigt flexibler 4. November 2021",
               "- Spar-Spaß mit dem Cupra Formentor 3. November 2021",
               "3. November 2021",
               "- Französischer Gleiter 2. November 2021",
               "Gavin's Choice: The Leading Candidates To Replace Senator Harris - October 10, 2020"]
    text = clean_text("\n".join([ARTICLE[0], *related, ARTICLE[1]]), language="de")
    assert text.splitlines() == ARTICLE[:2]


def test_a_dated_line_alone_and_sentences_ending_with_a_date_stay():
    sentences = ["Die erste Lesung im Bundestag war am 4. November 2021.",
                 "Die zweite folgte erst nach der Wahl am 3. Dezember 2021.",
                 "Das Gesetz tritt nach dem Beschluss in Kraft am 1. Januar 2022."]
    caption = "Foto der Sitzung in Berlin, 4. November 2021"
    text = "\n".join([*sentences, caption, ARTICLE[0]])
    assert clean_text(text, language="de").splitlines() == [*sentences, caption, ARTICLE[0]]
