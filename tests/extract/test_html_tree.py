"""The clean step's parser builds trafilatura's tree, with plain HtmlElement elements."""

from __future__ import annotations

from copy import deepcopy

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from crawler.clean.html_tree import fromstring, load_page

PAGES = {
    "article": "<!DOCTYPE html><html lang='id'><head><title>Judul</title></head><body>"
               "<form><input name='q' value='x'></form><p>Satu <b>dua</b> tiga.</p></body></html>",
    "encoding declared": "<?xml version='1.0' encoding='utf-8'?><html><body><p>Déjà vu</p>"
                         "</body></html>",
    "self-closed html tag": "<html lang='en' />\n<body><p>Text after a broken tag</p></body>",
    "no html at all": "just some words",
    "fragment without html": "<p>one block</p>",
    "characters libxml2 refuses": "<html><body><p>a\x0bb\x01c\ufffe d\uffff</p>"
                                  "<p>\x1fe\tf</p></body></html>",
    "doctype with a slash": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
                            "<html><body><p>x</p></body></html>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_tree_is_the_one_trafilatura_would_build(name):
    ours, theirs = load_page(PAGES[name]), load_html(PAGES[name])
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def test_every_element_is_a_plain_html_element_without_a_python_lookup():
    tree = load_page(PAGES["article"])
    # lxml.html's own parser would give FormElement and InputElement here
    assert {type(element) for element in tree.iter()} == {HtmlElement}
    assert tree.xpath("//input")[0].text_content() == ""


def test_copies_keep_the_parser():
    # a form and an input: lxml.html's own lookup would make them FormElement, InputElement
    tree = fromstring("<div><form><input name='q'></form><p>a</p></div>")
    assert {type(element) for element in deepcopy(tree).iter()} == {HtmlElement}
