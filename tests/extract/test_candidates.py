"""A body that is an "other news" box is replaced by the article; articles and lists are kept.

The pages are written for these tests: an article whose body sits in a container trafilatura
does not look for, after which comes a teaser box in one it does (class "post-content").
"""

from __future__ import annotations

import json

import pytest
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from crawler.clean import candidates
from crawler.clean import extract as extract_module
from crawler.clean.candidates import better_body
from crawler.clean.extract import extract
from tests.extract.pages import BODY

URL = "https://contoh.example/metro/2024/03/02/bus-listrik-rute-timur"
TITLE = "Tiga Puluh Bus Listrik Baru Layani Rute Timur"
DESCRIPTION = ("Pemerintah kota menambah tiga puluh armada bus listrik untuk rute baru menuju "
               "kawasan industri di timur kota.")
ARTICLE = BODY[:4]  # the shared article paragraphs (tests/extract/pages.py)
TEASERS = [
    ("Gubernur Resmikan Jembatan Baru di Perbatasan",
     ("Jembatan sepanjang dua ratus meter itu "
      "menghubungkan dua kabupaten yang selama ini hanya terhubung oleh perahu.")),
    ("Harga Cabai Rawit Turun Jelang Akhir Pekan",
     ("Pedagang menyebut pasokan dari sentra "
      "produksi di dataran tinggi kembali normal setelah panen raya.")),
    ("Tim Nasional Gelar Latihan Tertutup",
     ("Pelatih meminta para pemain menjaga kondisi menjelang "
      "laga kualifikasi yang akan digelar di kandang lawan.")),
    ("Polisi Amankan Pengedar Narkoba di Pelabuhan",
     ("Petugas menemukan barang bukti yang "
      "disembunyikan di dalam kardus berisi pakaian bekas.")),
    ("Festival Kuliner Nusantara Digelar Tiga Hari",
     ("Ratusan pedagang makanan dari berbagai daerah "
      "ikut meramaikan acara yang dibuka pada Jumat malam.")),
    ("Warga Keluhkan Jalan Rusak Tak Kunjung Diperbaiki",
     ("Lubang di sepanjang jalan provinsi itu "
      "sudah memakan korban pengendara sepeda motor pekan lalu.")),
    ("Bank Sentral Pertahankan Suku Bunga Acuan",
     ("Keputusan itu diambil untuk menjaga stabilitas "
      "nilai tukar di tengah ketidakpastian pasar global.")),
    ("Ribuan Pelari Ikuti Maraton Internasional",
     ("Peserta datang dari dua puluh negara dan "
      "menempuh rute yang melewati kawasan kota tua.")),
]


def teaser_box() -> str:
    cards = "\n".join(
        f'<div class="card"><h3><a href="/berita/{number}">{headline}</a></h3>'
        f"<p>{lead}</p><span>{number + 1} jam lalu</span></div>"
        for number, (headline, lead) in enumerate(TEASERS))
    return f'<div class="post-content"><h2>Berita Lainnya</h2>{cards}</div>'


def article_page(*, paragraphs: list[str] = ARTICLE, article_body: str | None = None,
                 description: str = DESCRIPTION, teasers: bool = True) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "description": description, "datePublished": "2024-03-02T04:25:00+07:00"}
    if article_body:
        ld["articleBody"] = article_body
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<html lang="id"><head><title>{TITLE} - Contoh News</title>
<meta property="og:type" content="article"><meta name="description" content="{description}">
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<div class="header"><a href="/">Beranda</a> <a href="/metro">Metro</a></div>
<div class="wrap"><h1>{TITLE}</h1><div class="detail-text">{body}</div></div>
{teaser_box() if teasers else ""}
<div class="footer">Copyright 2024 Contoh News</div></body></html>"""


@pytest.fixture
def without_candidates(monkeypatch):
    """extract as it is without this module: trafilatura's body as it comes."""
    monkeypatch.setattr(extract_module, "better_body", lambda html, tree, url, text, **_: text)


def is_teaser_list(text: str) -> bool:
    return sum(headline in text for headline, _ in TEASERS) >= len(TEASERS) // 2 and \
        ARTICLE[1] not in text


def test_page_is_one_where_trafilatura_takes_the_teaser_box(without_candidates):
    assert is_teaser_list(trafilatura.extract(article_page()))
    assert is_teaser_list(extract(article_page(), URL).text)


def test_teaser_box_taken_for_the_body_is_replaced_by_the_article():
    text = extract(article_page(), URL).text
    assert all(paragraph in text for paragraph in ARTICLE[1:])
    assert not any(headline in text or lead in text for headline, lead in TEASERS)


def test_article_only_in_json_ld_comes_from_article_body(without_candidates):
    # the HTML has no article text at all (a page rendered by script): only articleBody has it
    page = article_page(paragraphs=[], article_body="\n\n".join(ARTICLE))
    assert is_teaser_list(extract(page, URL).text)
    text = candidates.better_body(page, _tree(page), URL, extract(page, URL).text, title=TITLE,
                                  description=DESCRIPTION, article_body="\n\n".join(ARTICLE))
    assert text.splitlines() == ARTICLE


def test_html_in_article_body_is_read_as_lines():
    body = "".join(f"<p>{paragraph.replace('dan', '&amp;')}</p>" for paragraph in ARTICLE)
    page = article_page(paragraphs=[])
    listing = trafilatura.extract(page)
    text = better_body(page, _tree(page), URL, listing,
                       title=TITLE, description=DESCRIPTION, article_body=body, article=True)
    assert text.splitlines() == [paragraph.replace("dan", "&") for paragraph in ARTICLE]


def test_short_article_is_kept_as_trafilatura_gives_it(monkeypatch):
    page = article_page(paragraphs=ARTICLE[:2], teasers=False)
    kept = extract(page, URL).text
    monkeypatch.setattr(candidates, "_readability", _must_not_run)
    monkeypatch.setattr(candidates, "_precision", _must_not_run)
    assert better_body(page, _tree(page), URL, kept, title=TITLE, description=DESCRIPTION,
                       article_body=None) == kept
    assert ARTICLE[1] in kept


def test_article_with_a_generic_description_keeps_its_body():
    # the description names the site, not the story: nothing matches it well, nothing changes
    generic = "Berita terkini hari ini seputar politik ekonomi olahraga dan hiburan terlengkap."
    page = article_page(description=generic, teasers=False)
    text = trafilatura.extract(page)
    assert better_body(page, _tree(page), URL, text, title=None, description=generic,
                       article_body=None) == text


def test_list_page_not_declaring_an_article_is_left_alone():
    title, description = "Indeks Berita Metro", "Kabar terbaru seputar layanan bus kota."
    about = ("Layanan bus kota kini melayani rute timur dengan armada listrik baru dan kabar "
             "terbaru tentang jadwal, tarif dan halte kami terbitkan setiap hari di halaman ini.")
    page = f"""<html><head><title>{title}</title><meta name="description" content="{description}">
</head><body><div class="intro"><p>{about}</p><p>{about}</p></div>{teaser_box()}</body></html>"""
    listing = "\n".join(f"{headline}\n{lead}" for headline, lead in TEASERS)
    assert better_body(page, _tree(page), URL, listing, title=title, description=description,
                       article_body=None) == listing
    # what keeps it: the page does not declare an article; one that did would get the prose
    assert better_body(page, _tree(page), URL, listing, title=title, description=description,
                       article_body=None, article=True) != listing


def test_fit_leaves_out_lines_repeating_the_headline():
    key = candidates.key_words(TITLE, None)
    assert candidates.fit(f"{TITLE}\n{TEASERS[0][1]}", key, (TITLE,)) == 0
    assert candidates.fit(ARTICLE[0], key, (TITLE,)) > candidates.KEEP_FIT


def _tree(page: str) -> HtmlElement:
    return load_html(page)


def _must_not_run(*_args):
    raise AssertionError("a candidate was built for a body that matches its page")
