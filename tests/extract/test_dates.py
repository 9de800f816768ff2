"""Publication dates: what the markup states, what the byline says, and what must not win."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from trafilatura.utils import load_html

from crawler.clean import jsonld
from crawler.clean.dates import parse_date, published, text_dates

URL = "https://berita.example/nasional/bus-listrik-baru"
WIB = timezone(timedelta(hours=7))
NOW = datetime(2024, 6, 1, tzinfo=UTC)
HEADLINE = "Tiga Puluh Bus Listrik Baru Layani Rute Timur Kota"
PARAGRAPH = ("Pemerintah kota menambah armada bus listrik untuk rute timur, dan warga menyambut "
             "baik layanan baru yang lebih tenang dan bersih itu.")


def page(body: str = "", head: str = "", title: str = HEADLINE, lang: str = "id") -> str:
    return (f'<html lang="{lang}"><head><title>{title} - Berita</title>{head}</head>'
            f"<body>{body}</body></html>")


def article(byline: str = "", before: str = "", after: str = "") -> str:
    """An article whose headline is followed by `byline`; `before` and `after` the article."""
    return (f"{before}<article><h1>{HEADLINE}</h1><div class='info'>{byline}</div>"
            f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>{after}")


def ld(*objects: object) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects)


def date_of(html: str, url: str | None = URL, **options) -> tuple[datetime | None, str | None]:
    tree = load_html(html)
    return published(tree, list(jsonld.objects(tree)), url, now=options.pop("now", NOW),
                     **options)


# --- JSON-LD ------------------------------------------------------------------------------------

def test_json_ld_article_date_wins_over_other_objects():
    head = ld({"@type": "ImageObject", "datePublished": "2020-01-01T00:00:00Z"},
              {"@type": "WebPage", "datePublished": "2021-05-05T10:00:00+07:00"},
              {"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"})
    assert date_of(page(article(), head)) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "json_ld")


def test_json_ld_article_inside_graph():
    head = ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Berita"},
        {"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"}]})
    assert date_of(page(article(), head))[0] == datetime(2023, 3, 3, 4, 25, tzinfo=WIB)


def test_json_ld_article_nested_under_web_page_main_entity():
    head = ld({"@type": "WebPage", "mainEntity": {
        "@type": "NewsArticle", "headline": HEADLINE, "datePublished": "2023-03-03T04:25:00+07:00"}})
    assert date_of(page(article(), head)) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "json_ld")


def test_json_ld_items_of_a_listing_are_not_the_page():
    listing = {"@type": "ItemList", "itemListElement": [
        {"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"}]}
    tree = load_html(page(article(), ld(listing)))
    assert [item.get("@type") for item in jsonld.objects(tree)] == ["ItemList"]


@pytest.mark.parametrize("wrapped", [
    "<![CDATA[{}]]>", "//<![CDATA[\n{}\n//]]>", "<!--{}-->", "\n  <!--\n{}\n  -->\n"])
def test_json_ld_wrapped_in_cdata_or_comment_is_read(wrapped):
    script = wrapped.format(json.dumps(
        {"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"}))
    head = f'<script type="application/ld+json">{script}</script>'
    assert date_of(page(article(), head))[1] == "json_ld"


def test_json_ld_with_trailing_commas_is_repaired():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"author": [{"name": "Rina"},], "datePublished": "2023-03-03T04:25:00+07:00",}'
            "</script>")
    assert date_of(page(article(), head)) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "json_ld")


def test_several_json_ld_objects_in_one_script_are_all_read():
    objects = [{"@type": "Organization", "name": "Berita"},
               {"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"}]
    head = ('<script type="application/ld+json">' +
            ",\n".join(json.dumps(o) for o in objects) + "</script>")
    tree = load_html(page(article(), head))
    assert [item["@type"] for item in jsonld.objects(tree)] == ["Organization", "NewsArticle"]
    assert date_of(page(article(), head))[1] == "json_ld"


# --- meta and markup ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["article:published_time", "article:published:time",
                                  "article_published_time", "pubdate", "publishdate"])
def test_meta_spellings_of_the_publication_time(name):
    head = f'<meta property="{name}" content="2023-03-03T04:25:00+07:00">'
    assert date_of(page(article(), head)) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "meta")


@pytest.mark.parametrize("element", [
    '<span itemprop="datePublished" content="2023-03-03T04:25:00+07:00">3 Maret</span>',
    '<time itemprop="datePublished" datetime="2023-03-03T04:25:00+07:00">3 Maret</time>',
    '<div itemprop="datePublished">Jumat, 03 Maret 2023 04:25 WIB</div>'])
def test_itemprop_date_published_on_any_element(element):
    assert date_of(page(article(byline=element))) == \
        (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "meta")


def test_time_element_of_the_article_is_read():
    byline = '<time datetime="2023-03-03T04:25:00+07:00">3 Maret 2023</time>'
    assert date_of(page(article(byline)), url=None)[1] == "time_element"


def test_updated_time_is_only_a_late_fallback():
    head = '<meta property="og:updated_time" content="2023-03-09T10:00:00+07:00">'
    assert date_of(page(article("Jumat, 03 Maret 2023 - 04:25 WIB"), head))[0] == \
        datetime(2023, 3, 3, 4, 25, tzinfo=WIB)
    assert date_of(page(article(), head)) == (datetime(2023, 3, 9, 10, tzinfo=WIB), "meta")


# --- dates written in the text ------------------------------------------------------------------

@pytest.mark.parametrize(("byline", "expected"), [
    ("Jum'at, 03 Maret 2023 - 04:25 WIB", datetime(2023, 3, 3, 4, 25, tzinfo=WIB)),
    ("Kamis (2/3/2023)", datetime(2023, 3, 2, tzinfo=WIB)),
    ("03/03/2023, 14:05 WIB", datetime(2023, 3, 3, 14, 5, tzinfo=WIB)),
    ("Rabu, 6 Nop 2019 | 08:10 WIB", datetime(2019, 11, 6, 8, 10, tzinfo=WIB)),
    ("Selasa, 15 Agt 2023", datetime(2023, 8, 15, tzinfo=WIB)),
    ("Kamis, 12 Okt 2023 11.30 WIB", datetime(2023, 10, 12, 11, 30, tzinfo=WIB)),
    ("Senin, 25 Des 2023", datetime(2023, 12, 25, tzinfo=WIB)),
    ("Rabu, 17 Mei 2023", datetime(2023, 5, 17, tzinfo=WIB)),
])
def test_indonesian_byline_dates(byline, expected):
    found = date_of(page(article(byline)), url=None, timezone=ZoneInfo("Asia/Jakarta"))
    assert found == (expected, "text")


@pytest.mark.parametrize(("byline", "lang", "expected"), [
    ("By Rina Putri | March 3, 2023", "en", datetime(2023, 3, 3, tzinfo=UTC)),
    ("Published 3 March 2023, 9:05 am GMT", "en-GB", datetime(2023, 3, 3, 9, 5, tzinfo=UTC)),
    ("Nov. 8, 2023 10:28 p.m. EST", "en", datetime(2023, 11, 8, 22, 28,
                                                   tzinfo=timezone(timedelta(hours=-5)))),
    ("Samstag, 3. Dezember 2011 um 14:48 Uhr", "de", datetime(2011, 12, 3, 14, 48, tzinfo=UTC)),
])
def test_other_languages_byline_dates(byline, lang, expected):
    assert date_of(page(article(byline), lang=lang), url=None) == (expected, "text")


@pytest.mark.parametrize(("text", "expected"), [
    ("Экс-игрок 15 августа 2016, 13:43", datetime(2016, 8, 15, 13, 43)),
    ("القاهرة: الأربعاء، 07 أكتوبر 2020 12:19 م", datetime(2020, 10, 7, 12, 19)),
    ("オオヤマレンゲ 2020年07月03日 | 徒歩", datetime(2020, 7, 3)),
    ("입력 2020년 7월 3일", datetime(2020, 7, 3)),
])
def test_russian_arabic_and_east_asian_dates(text, expected):
    assert text_dates(text) == [expected]


def test_a_members_registration_date_is_no_publication_date():
    byline = "Beitrag von rina » Registriert: 18.09.2008, 05:56 » 21.01.2009, 05:42"
    assert text_dates(byline) == [datetime(2009, 1, 21, 5, 42)]


def test_dates_far_down_a_long_text_are_found_around_their_year():
    filler = "kata " * 3000
    assert text_dates(f"{filler} Jumat, 03 Maret 2023 04:25 WIB {filler} 6 Nop 2019") == [
        datetime(2023, 3, 3, 4, 25, tzinfo=WIB), datetime(2019, 11, 6)]


def test_numeric_dates_are_day_first_except_in_american_english():
    assert text_dates("Kamis (2/3/2023)", "id") == [datetime(2023, 3, 2)]
    assert text_dates("Posted 2/3/2023", "en-us") == [datetime(2023, 2, 3)]
    assert text_dates("Posted 25/3/2023", "en-us") == [datetime(2023, 3, 25)]


def test_wita_and_wit_are_central_and_eastern_indonesia():
    wita, wit = text_dates("Senin, 06 Mar 2023 10:00 WITA / 11:00 WIT 06/03/2023")[:1], \
        text_dates("06/03/2023 11:00 WIT")
    assert wita[0].utcoffset() == timedelta(hours=8)
    assert wit[0].utcoffset() == timedelta(hours=9)


def test_headline_is_the_heading_repeating_the_title_not_the_section_name():
    body = ("<div class='top'>Sabtu, 04 Maret 2023</div><h1>Nasional</h1>"
            f"<div><h2>{HEADLINE}</h2><div>Jumat, 03 Maret 2023 | 21:04 WIB</div>"
            f"<p>{PARAGRAPH}</p></div>")
    assert date_of(page(body), url=None)[0] == datetime(2023, 3, 3, 21, 4, tzinfo=WIB)


def test_byline_date_wins_over_a_date_of_the_first_sentence():
    byline = f"Oleh Rina Putri</div><p>Sejak 6 Maret 2002 harga turun. {PARAGRAPH}</p><div>"
    body = article(byline + "Jumat, 03 Maret 2023 04:25 WIB")
    assert date_of(page(body), url=None)[0] == datetime(2023, 3, 3, 4, 25, tzinfo=WIB)


def test_photo_caption_date_is_not_the_article_date():
    byline = ("<figure><img src='a.jpg'><figcaption>Suasana sidang, Rabu (8/2/2017).</figcaption>"
              "</figure><span class='date'>Senin, 15 Mei 2017 18:43 WIB</span>")
    assert date_of(page(article(byline)), url=None)[0] == datetime(2017, 5, 15, 18, 43, tzinfo=WIB)


def test_updated_date_does_not_win_over_published_one():
    byline = "Diperbarui 09 Maret 2023 10:00 WIB. Diterbitkan 03 Maret 2023 04:25 WIB"
    assert date_of(page(article(byline)), url=None)[0] == datetime(2023, 3, 3, 4, 25, tzinfo=WIB)


def test_timed_byline_date_wins_over_a_declared_date_of_another_day():
    head = ld({"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+07:00"})
    found = date_of(page(article("Jumat, 03 Maret 2023 04:25 WIB"), head), url=None)
    assert found == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "text")
    # without a time of day the byline's date may be anything: the declared one stands
    assert date_of(page(article("Jumat, 03 Maret 2023"), head), url=None)[1] == "json_ld"


def test_declared_date_stands_when_the_byline_shows_its_day_too():
    head = ld({"@type": "NewsArticle", "datePublished": "2023-03-03T04:25:00+07:00"})
    byline = "2023-03-09 10:00:00 · 03.03.2023 04:25"
    assert date_of(page(article(byline), head), url=None) == \
        (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "json_ld")


def test_utc_timestamp_of_the_instant_the_byline_shows_stands():
    head = '<meta property="article:published_time" content="2023-03-02T21:25:00Z">'
    found = date_of(page(article("Jumat, 03/03/2023 04:25 WIB"), head), url=None)
    assert found == (datetime(2023, 3, 2, 21, 25, tzinfo=UTC), "meta")
    # a byline without a zone is read in the source's: the same instant again
    found = date_of(page(article("Jumat, 03/03/2023 04:25"), head), url=None,
                    timezone=ZoneInfo("Asia/Jakarta"))
    assert found == (datetime(2023, 3, 2, 21, 25, tzinfo=UTC), "meta")


# --- zones --------------------------------------------------------------------------------------

def test_date_without_zone_takes_the_offset_the_page_states_elsewhere():
    head = ('<meta name="pubdate" content="2023-03-03 04:25:00">'
            '<meta property="article:modified_time" content="2023-03-03T09:00:00+08:00">')
    assert date_of(page(article(), head))[0] == \
        datetime(2023, 3, 3, 4, 25, tzinfo=timezone(timedelta(hours=8)))


def test_date_without_zone_takes_the_wib_written_in_the_byline():
    head = '<meta name="publishdate" content="2023/03/03 04:25:00">'
    found = date_of(page(article("Jumat, 03/03/2023 04:25 WIB"), head))
    assert found == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "meta")


def test_date_without_zone_anywhere_takes_the_source_zone_else_utc():
    head = '<meta name="publishdate" content="2023-03-03 04:25:00">'
    jakarta = date_of(page(article(), head), timezone=ZoneInfo("Asia/Jakarta"))[0]
    assert jakarta == datetime(2023, 3, 3, 4, 25, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert date_of(page(article(), head))[0] == datetime(2023, 3, 3, 4, 25, tzinfo=UTC)


def test_utc_date_is_shown_in_the_source_zone_as_the_same_instant():
    head = '<meta property="article:published_time" content="2023-03-02T21:25:00Z">'
    found = date_of(page(article(), head), timezone=ZoneInfo("Asia/Jakarta"))[0]
    assert found == datetime(2023, 3, 2, 21, 25, tzinfo=UTC)
    assert found.date() == datetime(2023, 3, 3).date()  # the day Jakarta read it


def test_date_without_zone_on_a_country_domain_takes_that_country_zone():
    head = '<meta name="publishdate" content="2023-03-03 04:25:00">'
    berlin = date_of(page(article(), head, lang="de"), url="https://zeitung.example.de/a/1")[0]
    assert berlin == datetime(2023, 3, 3, 4, 25, tzinfo=ZoneInfo("Europe/Berlin"))
    # a country of several zones gives none, nor a code sites take for its letters: UTC
    for url in ("https://news.example.com.au/a/1", "https://berita.example.co/a/1"):
        assert date_of(page(article(), head), url=url)[0] == datetime(2023, 3, 3, 4, 25, tzinfo=UTC)


def test_utc_date_is_shown_in_the_zone_of_the_time_the_byline_writes_without_one():
    # "9:25 pm" under the headline and 02:25:54Z in the markup: the same minute, at UTC-5
    head = '<meta property="article:published_time" content="2020-02-25T02:25:54Z">'
    found, source = date_of(page(article("February 24, 2020 | 9:25pm"), head, lang="en"),
                            url=None)
    assert (found, source) == (datetime(2020, 2, 25, 2, 25, 54, tzinfo=UTC), "meta")
    assert found.utcoffset() == timedelta(hours=-5) and found.day == 24


def test_byline_time_of_the_declared_instant_in_another_zone_is_no_other_date():
    head = ld({"@type": "NewsArticle", "datePublished": "2023-11-09T04:15:00Z"})
    found = date_of(page(article("November 8, 2023, 11:15 PM"), head, lang="en"), url=None)
    assert found[0] == datetime(2023, 11, 9, 4, 15, tzinfo=UTC)  # not 23:15 UTC on the 8th


def test_offsets_no_zone_has_are_not_inferred_from_unrelated_times():
    # a time on the hour and a UTC timestamp 10:45 apart say nothing of the page's zone
    head = ('<meta property="article:published_time" content="2023-11-01T23:01:00Z">'
            '<meta name="pubdate" content="2023-11-02T12:16:00">'
            '<meta property="article:modified_time" content="2023-11-02T01:00:00">')
    found = date_of(page(article(), head), url=None)[0]
    assert (found, found.utcoffset()) == (datetime(2023, 11, 1, 23, 1, tzinfo=UTC), timedelta(0))


def test_modification_date_the_text_shows_wins_over_a_declared_day_it_does_not():
    head = ld({"@type": "NewsArticle", "datePublished": "2017-08-21T13:09:00Z",
               "dateModified": "2019-04-03T08:04:01Z"})
    found = date_of(page(article("03.04.2019"), head, lang="de"), url=None)
    assert found == (datetime(2019, 4, 3, 8, 4, 1, tzinfo=UTC), "json_ld")


def test_declared_day_the_text_also_shows_stands_against_a_shown_modification():
    head = ld({"@type": "NewsArticle", "datePublished": "2019-06-17T00:00:00Z",
               "dateModified": "2020-06-04T16:41:46Z"})
    byline = "Last updated 04 Jun 2020, originally created 17 Jun 2019"
    found = date_of(page(article(byline), head, lang="en"), url=None)
    assert found == (datetime(2019, 6, 17, tzinfo=UTC), "json_ld")


def test_update_shown_before_the_declared_date_is_the_publication():
    head = '<meta name="date" content="2020-04-29T11:52:23">'
    found = date_of(page(article("Stand: 28.04.2020 18:00 Uhr"), head, lang="de"), url=None)
    assert found == (datetime(2020, 4, 28, 18, 0, tzinfo=UTC), "text")
    # ... while an update after it is no publication date
    head = '<meta name="date" content="2020-04-27T11:52:23">'
    found = date_of(page(article("Stand: 28.04.2020 18:00 Uhr"), head, lang="de"), url=None)
    assert found == (datetime(2020, 4, 27, 11, 52, 23, tzinfo=UTC), "meta")


# --- what must not win --------------------------------------------------------------------------

def test_related_list_dates_do_not_win_over_the_article_date():
    related = ("<aside class='related'><ul>" + "".join(
        f"<li><a href='/r/{i}'>Berita lain {i}</a> <time datetime='2023-02-0{i}T10:00:00+07:00'>"
        f"Rabu, 0{i} Februari 2023 10:00 WIB</time></li>" for i in range(1, 6)) + "</ul></aside>")
    body = article("Jumat, 03 Maret 2023 04:25 WIB", before=related, after=related)
    assert date_of(page(body), url=None)[0] == datetime(2023, 3, 3, 4, 25, tzinfo=WIB)


def test_related_list_dates_alone_give_no_date():
    related = ("<div class='baca-juga'><ul>" + "".join(
        f"<li><a href='/r/{i}'>Berita lain {i}</a> <span class='date'>0{i}/02/2023</span></li>"
        for i in range(1, 6)) + "</ul></div>")
    assert date_of(page(article(after=related)), url=None, search=False) == (None, None)


def test_an_embedded_posts_date_is_not_the_articles():
    # Instagram and Twitter embeds are blockquotes holding the quoted post's own <time>
    embed = ("<blockquote class='instagram-media'><div><p><a href='https://www.instagram.com/p/x'>"
             "Ein Beitrag</a> geteilt von Vreni <time datetime='2018-03-12T19:30:12+00:00'>"
             "Mär 12, 2018 um 12:30 PDT</time></p></div></blockquote>")
    body = (f"<article><h1>{HEADLINE}</h1><div class='info'>Jumat, 03 Maret 2023 04:25 WIB</div>"
            f"<p>{PARAGRAPH}</p>{embed}<p>{PARAGRAPH}</p></article>")
    assert date_of(page(body), url=None) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "text")


def test_future_dates_are_refused():
    head = ld({"@type": "NewsArticle", "datePublished": "2024-09-01T10:00:00+07:00"})
    body = article("Jumat, 03 Maret 2023 04:25 WIB")
    assert date_of(page(body, head), url=None)[0] == datetime(2023, 3, 3, 4, 25, tzinfo=WIB)
    tomorrow = date_of(page(article("Minggu, 02 Juni 2024 04:25 WIB")), url=None, search=False)
    assert tomorrow[0] == datetime(2024, 6, 2, 4, 25, tzinfo=WIB)  # within a day: clocks differ
    assert date_of(page(article("Rabu, 05 Juni 2024 04:25 WIB")), url=None, search=False) == \
        (None, None)


def test_dates_before_1990_are_refused():
    assert date_of(page(article("Jumat, 03 Maret 1989 04:25 WIB")), url=None, search=False) == \
        (None, None)


def test_stated_date_far_from_the_url_day_gives_way_to_one_that_agrees():
    head = ld({"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+07:00"})
    body = article("Jumat, 03 Maret 2023 04:25 WIB")
    url = "https://berita.example/read/2023/03/03/bus-listrik"
    assert date_of(page(body, head), url=url) == (datetime(2023, 3, 3, 4, 25, tzinfo=WIB), "text")


def test_url_day_when_nothing_stated_agrees_with_it():
    head = ld({"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+07:00"})
    url = "https://berita.example/read/2023/03/03/bus-listrik"
    assert date_of(page(article(), head), url=url, timezone=ZoneInfo("Asia/Jakarta")) == \
        (datetime(2023, 3, 3, tzinfo=ZoneInfo("Asia/Jakarta")), "url")


@pytest.mark.parametrize("url", ["https://berita.example/2016/12/python-3-6/",
                                 "https://berita.example/2023/10/3-pertanyaan-untuk-rina/"])
def test_url_digits_that_are_no_day_are_not_a_date(url):
    assert date_of(page(article()), url=url, search=False) == (None, None)


def test_whole_page_search_is_the_last_resort_and_can_be_switched_off():
    body = (f"<div><b>{HEADLINE}</b><p>{PARAGRAPH}</p></div>"
            "<div>Ditulis oleh Rina pada 2023-03-03 04:25</div>")
    assert date_of(page(body, title="Berita"), url=None, search=False) == (None, None)
    found, source = date_of(page(body, title="Berita"), url=None)
    assert (found.date(), source) == (datetime(2023, 3, 3).date(), "text")


def test_whole_page_search_reads_dates_htmldate_does_not():
    body = (f"<div><b>{HEADLINE}</b><p>{PARAGRAPH}</p></div>"
            "<div class='credits'>Mise en ligne 23 mai 2019</div>")
    found, source = date_of(page(body, title="Berita", lang="fr"), url=None)
    assert (found.date(), source) == (datetime(2019, 5, 23).date(), "text")


def test_a_year_alone_is_no_publication_day():
    body = f"<div><b>{HEADLINE}</b><p>{PARAGRAPH}</p></div><div>© 2022 Berita</div>"
    assert date_of(page(body, title="Berita"), url=None) == (None, None)


# --- machine-readable values --------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2023-03-03T04:25:00+07:00", datetime(2023, 3, 3, 4, 25, tzinfo=WIB)),
    ("2023-03-03T04:25:00+0700", datetime(2023, 3, 3, 4, 25, tzinfo=WIB)),
    ("2023/03/03 04:25:00", datetime(2023, 3, 3, 4, 25)),
    ("2015-06-16T14-05-11Z", datetime(2015, 6, 16, 14, 5, 11, tzinfo=UTC)),
    ("2023-11-08T22:28-05:00", datetime(2023, 11, 8, 22, 28,
                                        tzinfo=timezone(timedelta(hours=-5)))),
    ("20200414T00:38:07Z", datetime(2020, 4, 14, 0, 38, 7, tzinfo=UTC)),
    ("Fri, 03 Mar 2023 04:25:00 +0700", datetime(2023, 3, 3, 4, 25, tzinfo=WIB)),
    ("2023-03-03", datetime(2023, 3, 3)),
])
def test_machine_readable_spellings(value, expected):
    assert parse_date(value) == expected
    assert parse_date(value).utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["", "kemarin", "1889-01-01", "2023-13-40", None, 20230303])
def test_values_that_are_no_date(value):
    assert parse_date(value) is None
