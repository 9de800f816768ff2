"""Class-name patterns and the headline candidates: the fast forms find what the plain ones do."""

from __future__ import annotations

import re

import pytest
from lxml.etree import XPath
from trafilatura.utils import load_html

from crawler.clean.class_names import NamePattern
from crawler.clean.dates import _headings

PATTERN = r"related|baca-?juga|\bnav|more-|\btime\b"
NAMES = ["Related-Posts", "BACA-JUGA box", "navbar", "main-nav", "unavailable", "load-MORE-x",
         "post-time", "timeline", "ſidebar related", "ÜBER related", "İnfo nav", "KELVIN\u212a",
         "", "article body"]


@pytest.mark.parametrize("name", NAMES)
def test_name_pattern_finds_what_the_case_insensitive_regex_finds(name):
    plain = re.compile(PATTERN, re.IGNORECASE)
    assert NamePattern(PATTERN).search(name) == (plain.search(name) is not None)


def test_name_pattern_must_be_written_in_lowercase():
    with pytest.raises(ValueError, match="lowercase"):
        NamePattern(r"Related")


HEADINGS_XPATH = XPath(".//body//h1[position() <= 5] | .//body//h2[position() <= 5]"
                       " | .//body//h3[position() <= 5]")


@pytest.mark.parametrize("body", [
    "<h1>Judul</h1><h2>Sub</h2><p>x</p><h3>Tiga</h3>",
    "<div>" + "".join(f"<h2>Dua {i}</h2><p>x</p>" for i in range(8)) + "</div>"
    "<section><h2>Lagi</h2><h1>Satu</h1></section>",
    "<article><header><h3>a</h3><h3>b</h3></header><h1>c</h1></article><h2>d</h2>",
])
def test_headings_are_the_first_five_of_each_level_among_siblings_in_page_order(body):
    tree = load_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert list(_headings(tree)) == HEADINGS_XPATH(tree)


def test_headings_outside_the_body_are_not_candidates():
    tree = load_html("<html><head><title>t</title></head><body><h1>In</h1></body></html>")
    tree.find("head").append(tree.makeelement("h1"))
    assert [h.text for h in _headings(tree)] == ["In"]
