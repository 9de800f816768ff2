"""An article's headline without the site's name around it."""

from __future__ import annotations

import pytest

from crawler.clean.titles import headline

HEADLINE = "Banjir Rendam Ratusan Rumah di Bekasi"


@pytest.mark.parametrize(("title", "site_name", "url"), [
    (f"{HEADLINE} - Kompas.com", "KOMPAS.com", "https://megapolitan.kompas.com/read/2024/1"),
    (f"{HEADLINE} | ANTARA News", None, "https://www.antaranews.com/berita/123/banjir"),
    (f"{HEADLINE} – Liputan6.com", "liputan6", "https://www.liputan6.com/news/read/1"),
    (f"{HEADLINE} · Tempo.co", None, "https://nasional.tempo.co/read/1/banjir"),
])
def test_site_suffix_goes(title, site_name, url):
    assert headline(title, site_name, url) == HEADLINE


def test_site_prefix_with_colon_goes():
    assert headline(f"Detik.com: {HEADLINE}", None, "https://news.detik.com/berita/d-1") == \
        HEADLINE


def test_site_prefix_with_separator_goes():
    assert headline(f"Republika Online | {HEADLINE}", "Republika Online",
                    "https://www.republika.co.id/berita/1") == HEADLINE


def test_tagline_before_the_site_name_goes_with_it():
    assert headline(f"{HEADLINE} - Berita Terkini | Tempo.co", None,
                    "https://www.tempo.co/read/1") == HEADLINE


def test_site_brand_of_a_section_goes():
    # "detikNews": the site's name inside a short suffix
    assert headline(f"{HEADLINE} - detikNews", None, "https://news.detik.com/berita/d-1") == \
        HEADLINE


def test_site_name_given_in_parts_goes_whole():
    assert headline(f"{HEADLINE} - Harian Kota - Berita Jawa Barat", "Harian Kota - Berita "
                    "Jawa Barat", "https://harian.example/a") == HEADLINE


def test_site_name_matches_host_without_case_spaces_or_punctuation():
    assert headline(f"{HEADLINE} - Suara Merdeka", None, "https://www.suaramerdeka.com/a") == \
        HEADLINE


def test_country_domain_names_the_site_by_its_first_label():
    assert headline(f"{HEADLINE} | Kontan", None, "https://nasional.kontan.co.id/news/a") == \
        HEADLINE


def test_title_that_is_only_the_site_name_stays():
    assert headline("KOMPAS.com", "Kompas.com", "https://www.kompas.com/") == "KOMPAS.com"


def test_title_that_is_the_site_name_and_its_tagline_stays():
    assert headline("Kompas.com - Berita Terkini", "Kompas.com", "https://www.kompas.com/") == \
        "Kompas.com - Berita Terkini"


def test_site_name_inside_the_headline_stays():
    title = "Kompas.com Raih Penghargaan Media Siber Terbaik 2024 - Kompas.com"
    assert headline(title, "Kompas.com", "https://www.kompas.com/read/1") == \
        "Kompas.com Raih Penghargaan Media Siber Terbaik 2024"


def test_headline_opening_with_the_site_name_in_a_phrase_keeps_it():
    # "Bisnis Keluarga" holds bisnis.com's name, but a prefix must be the name itself
    title = "Bisnis Keluarga: Cara Memulai Usaha dari Rumah"
    assert headline(title, None, "https://ekonomi.bisnis.com/read/1") == title


def test_part_that_is_not_the_site_stays_whatever_its_length():
    title = "Harga Beras Naik - Pedagang: Pasokan dari Petani Berkurang"
    assert headline(title, "Kompas.com", "https://www.kompas.com/read/1") == title


def test_separator_without_spaces_is_part_of_a_word():
    title = "Pilkada Jawa-Tengah Berlangsung Damai"
    assert headline(title, "Tengah", "https://tengah.example/a") == title


@pytest.mark.parametrize(("title", "site_name", "expected"), [
    ("NEWS WEB EASY|子どもへの体罰を禁止する法律ができる", "NEWS WEB EASY",
     "子どもへの体罰を禁止する法律ができる"),
    ("首相が会見で表明（2月15日）｜BIGLOBEニュース", "BIGLOBEニュース", "首相が会見で表明（2月15日）"),
    ("雅加达举行东盟峰会_新华网", "新华网", "雅加达举行东盟峰会"),
    ("雅加达举行东盟峰会-新华网", "新华网", "雅加达举行东盟峰会"),
])
def test_cjk_titles_lose_the_site_name_written_without_spaces(title, site_name, expected):
    assert headline(title, site_name, "https://cjk.example/a/1") == expected


def test_a_hyphen_between_digits_of_a_cjk_title_is_no_separator():
    # were "1-2" a separator, "2日举行" would be taken for the site's name and cut
    title = "东盟峰会1-2日举行"
    assert headline(title, "2日举行", "https://cjk.example/a/1") == title


@pytest.mark.parametrize(("title", "expected"), [
    ("雅加达举行东盟峰会-新华网", "雅加达举行东盟峰会"),
    ("雅加达举行东盟峰会_新浪新闻", "雅加达举行东盟峰会"),
    ("자카르타 아세안 정상회의 - 연합뉴스", "자카르타 아세안 정상회의"),
    ("ジャカルタで首脳会議 - 日本経済新聞", "ジャカルタで首脳会議"),
])
def test_cjk_news_site_name_goes_by_its_form_where_the_page_names_no_site(title, expected):
    assert headline(title, None, None) == expected


@pytest.mark.parametrize("title", ["人民网", "互联网", "东盟峰会-明天开幕"])
def test_cjk_title_that_is_a_site_name_or_ends_otherwise_stays(title):
    assert headline(title, None, None) == title


def test_title_without_a_site_to_compare_stays():
    assert headline(f"{HEADLINE} - Kompas.com", None, None) == f"{HEADLINE} - Kompas.com"


def test_missing_title_stays_missing():
    assert headline(None, "Kompas.com", "https://www.kompas.com/") is None
