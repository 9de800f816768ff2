"""jusText's paragraphs for trafilatura's fallback: the same as jusText's own, made faster, and
used in Liputan's trafilatura calls only."""

from __future__ import annotations

import justext.core
import pytest
import trafilatura.external
from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification
from lxml.etree import tostring
from trafilatura.baseline import basic_cleaning

from crawler.clean import paragraphs
from crawler.clean.extract import extract
from crawler.clean.html_tree import load_page
from crawler.clean.paragraphs import (
    CLASSIFIER,
    MAX_HEADING_DISTANCE,
    make_paragraphs,
    try_justext,
    within_liputan,
)
from tests.extract.pages import news_page

SENTENCE = ("Para nelayan di pesisir utara kembali melaut setelah cuaca membaik dan gelombang "
            "tinggi yang melanda perairan itu selama sepekan mereda pada Senin pagi.")

# markup where jusText's SAX-driven rules have corners: line breaks, links, comments,
# processing instructions, blocks inside inline text, blank paragraphs, headings, forms
CORNERS = {
    "two line breaks split a paragraph": f"<div>{SENTENCE}<br><br>{SENTENCE}</div>",
    "one line break does not": f"<div>{SENTENCE}<br>{SENTENCE} <br> tail</div>",
    "a box holding only a line break": f"<div>{SENTENCE}</div><div><br></div><div>{SENTENCE}</div>",
    "a line break after a link": f"<p><a href='/x'>tautan berita</a><br><br>{SENTENCE}</p>",
    "link text counted": f"<p>Baca <a href='/a'>berita  lain\n di sini</a> dan {SENTENCE}</p>",
    "a comment's tail is text": f"<div>awal<!-- iklan -->{SENTENCE}</div>",
    "a processing instruction's tail is text": f"<div><?php echo 1; ?>{SENTENCE}</div>",
    "a block inside text": f"<div>sebelum <p>{SENTENCE}</p> sesudah <span>tepi</span></div>",
    "runs of white space": "<p>  satu \n\t dua \r\n tiga\u00a0 empat  </p><p>\n\n</p>",
    "headings and short lines": f"<h2>Judul bagian</h2><p>pendek</p><p>{SENTENCE}</p>",
    "forms and selects": "<form><select><option>Pilih kota</option><option>Jakarta</option>"
                         f"</select></form><p>{SENTENCE}</p>",
    "copyright lines": f"<p>© 2026 Contoh Media. {SENTENCE}</p><td>{SENTENCE}</td>",
    "nested inline": f"<div><b>tebal <i>miring <a href='/b'>tautan</a></i></b>{SENTENCE}</div>",
}


def page(body: str) -> str:
    return f"<!DOCTYPE html><html lang='id'><head><title>t</title></head><body>{body}</body></html>"


def _cleaned(html: str):
    return basic_cleaning(load_page(html))


def _judged(maker, tree) -> list[tuple]:
    found = maker(tree)
    classify_paragraphs(found, trafilatura.external.JT_STOPLIST or
                        trafilatura.external.jt_stoplist_init(), *CLASSIFIER)
    revise_paragraph_classification(found, MAX_HEADING_DISTANCE)
    return [(p.dom_path, p.text, p.chars_count_in_links, p.cf_class, p.class_type)
            for p in found]


@pytest.mark.parametrize("body", CORNERS.values(), ids=CORNERS.keys())
def test_the_paragraphs_and_their_classes_are_justexts(body):
    html = page(body)
    ours = _judged(make_paragraphs, _cleaned(html))
    assert ours == _judged(ParagraphMaker.make_paragraphs, _cleaned(html))
    assert ours  # every corner holds text: an empty list would compare equal to anything


LINKS = "".join(f"<li><a href='/{n}'>Berita lain nomor {n}</a></li>" for n in range(20))


@pytest.mark.parametrize("html", [news_page(), news_page(extra_body=f"<ul>{LINKS}</ul>"),
                                  page("".join(CORNERS.values()))],
                         ids=["article", "article and links", "corners"])
def test_the_fallbacks_body_is_trafilaturas(html):
    theirs = trafilatura.external.try_justext(_cleaned(html), None, None)  # outside: the original
    ours = try_justext(_cleaned(html), None, None)
    assert tostring(ours, encoding="unicode") == tostring(theirs, encoding="unicode")
    assert len(ours)


def test_only_liputans_own_calls_use_it(monkeypatch):
    made = []
    original = ParagraphMaker.make_paragraphs
    monkeypatch.setattr(justext.core.ParagraphMaker, "make_paragraphs",
                        classmethod(lambda cls, root: made.append("justext") or
                                    original.__func__(cls, root)))
    monkeypatch.setattr(paragraphs, "make_paragraphs",
                        lambda root: made.append("liputan") or make_paragraphs(root))
    html = news_page()
    with within_liputan():
        trafilatura.external.try_justext(_cleaned(html), None, None)
    trafilatura.external.try_justext(_cleaned(html), None, None)
    with within_liputan():  # a language trafilatura was told: jusText's list for it, as before
        trafilatura.external.try_justext(_cleaned(html), None, "id")
    assert made == ["liputan", "justext", "justext"]


def test_extraction_uses_it_where_trafilatura_falls_back_to_justext(monkeypatch):
    made = []
    monkeypatch.setattr(paragraphs, "make_paragraphs",
                        lambda root: made.append(root) or make_paragraphs(root))
    # a short body trafilatura finds in a page of boxes: it asks jusText for a longer one
    html = page(f"<div class='menu'><a href='/'>Beranda</a></div><div>{SENTENCE}</div>")
    extract(html, "https://berita.example/a/1")
    assert made
