"""jusText's paragraphs for trafilatura's fallback, made in one walk of the tree.

trafilatura hands a page to jusText (`trafilatura.external.try_justext`) when its own body is
short or holds leftovers: 92 of bench.clean's 300 pages. jusText makes its paragraphs from the
SAX events lxml produces for the tree, builds two path strings for every block element, and
joins and normalises a paragraph's text again at every look: 21 ms a page where it runs, the
largest single cost of the fallback.

`make_paragraphs` makes the same paragraphs from one walk of the tree, and each paragraph's
text once; jusText's own `classify_paragraphs` and `revise_paragraph_classification` then
judge them. What trafilatura takes from jusText is unchanged, and
tests/extract/test_paragraphs.py compares both on pages of every kind.

`within_liputan` turns it on around Liputan's own trafilatura calls only: another caller in
the process (bench.clean's bare trafilatura, the baseline of the speed target) keeps jusText's
own paragraph maker.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import trafilatura.external
from justext.core import (
    PARAGRAPH_TAGS,
    classify_paragraphs,
    define_stoplist,
    revise_paragraph_classification,
)
from justext.paragraph import HEADINGS_PATTERN
from lxml.etree import Comment, Element, ProcessingInstruction, SubElement
from trafilatura.settings import JUSTEXT_LANGUAGES

logger = logging.getLogger(__name__)

__all__ = ["make_paragraphs", "try_justext", "within_liputan"]

# trafilatura's arguments to jusText's classifiers: length low and high, stop-word density low
# and high, link density, no headings; the heading distance
CLASSIFIER = (50, 150, 0.1, 0.2, 0.25, True)
MAX_HEADING_DISTANCE = 150

_WHITESPACE = re.compile(r"\s+")
_WHITESPACE_WITH_NEWLINE = re.compile(r"\s*[\n\r]\s*")
_WHITESPACE_IN_LINE = re.compile(r"[^\S\n\r]+")

_state = threading.local()


class Paragraph:
    """A block of text as jusText's classifiers read it (justext.paragraph.Paragraph), with its
    text computed once: it is final when the paragraph is made."""

    # what justext.core.classify_paragraphs and revise_paragraph_classification read and set
    __slots__ = ("cf_class", "chars_count_in_links", "class_type", "dom_path", "heading", "text")

    def __init__(self, dom_path: str, text_nodes: list[str], chars_count_in_links: int):
        self.dom_path = dom_path
        self.text = normalize_whitespace("".join(text_nodes).strip())
        self.chars_count_in_links = chars_count_in_links
        self.class_type = ""

    @property
    def is_heading(self) -> bool:
        return bool(HEADINGS_PATTERN.search(self.dom_path))

    @property
    def is_boilerplate(self) -> bool:
        return self.class_type != "good"

    def __len__(self) -> int:
        return len(self.text)

    def stopwords_density(self, stopwords: frozenset[str]) -> float:
        words = self.text.split()
        if not words:
            return 0
        return sum(word.lower() in stopwords for word in words) / len(words)

    def links_density(self) -> float:
        if not self.text:
            return 0
        return self.chars_count_in_links / len(self.text)


def normalize_whitespace(text: str) -> str:
    """justext.utils.normalize_whitespace without a Python call per run of whitespace: a run
    holding a line break becomes one, any other run one space."""
    if "\n" not in text and "\r" not in text:
        return _WHITESPACE.sub(" ", text)
    return _WHITESPACE_IN_LINE.sub(" ", _WHITESPACE_WITH_NEWLINE.sub("\n", text))


class _Maker:
    """justext.core.ParagraphMaker's rules, driven by a walk instead of SAX events."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.doms = [""]
        self.dom = ""  # the path where the current paragraph started
        self.nodes: list[str] = []
        self.in_links = 0
        self.link = False
        self.br = False

    def new_paragraph(self) -> None:
        if self.nodes:
            paragraph = Paragraph(self.dom, self.nodes, self.in_links)
            # ParagraphMaker's test is `self.paragraph and ...`: a Paragraph has a length, and
            # one of blanks alone (a <br>'s space) is dropped
            if paragraph.text:
                self.paragraphs.append(paragraph)
        self.dom = self.doms[-1]
        self.nodes = []
        self.in_links = 0

    def walk(self, element: Any) -> None:
        tag = element.tag
        if tag is Comment or tag is ProcessingInstruction:
            self.characters(element.tail)
            return
        name = tag.split("}", 1)[1] if tag[:1] == "{" else tag  # lxml.sax: the local name
        parent = self.doms[-1]
        self.doms.append(f"{parent}.{name}" if parent else name)
        if name in PARAGRAPH_TAGS or (name == "br" and self.br):
            self.new_paragraph()
        else:
            self.br = name == "br"
            if self.br:  # ParagraphMaker appends its space as it is: no link, no flag
                self.nodes.append(" ")
            elif name == "a":
                self.link = True
        self.characters(element.text)
        for child in element:
            self.walk(child)
        self.doms.pop()
        if name in PARAGRAPH_TAGS:
            self.new_paragraph()
        if name == "a":
            self.link = False
        self.characters(element.tail)

    def characters(self, content: str | None) -> None:
        if not content or content.isspace():
            return
        text = normalize_whitespace(content)
        self.nodes.append(text)
        if self.link:
            self.in_links += len(text)
        self.br = False


def make_paragraphs(root: Any) -> list[Paragraph]:
    """justext.core.ParagraphMaker.make_paragraphs(root): the same paragraphs, in order."""
    if not hasattr(root, "getprevious"):
        root = root.getroot()
    maker = _Maker()
    # lxml.sax also reports the processing instructions beside the root (to a ContentHandler,
    # only their tails): those before it, the root, those after it
    before = []
    sibling = root.getprevious()
    while getattr(sibling, "tag", None) is ProcessingInstruction:
        before.append(sibling)
        sibling = sibling.getprevious()
    for sibling in reversed(before):
        maker.walk(sibling)
    maker.walk(root)
    sibling = root.getnext()
    while getattr(sibling, "tag", None) is ProcessingInstruction:
        maker.walk(sibling)
        sibling = sibling.getnext()
    maker.new_paragraph()
    return maker.paragraphs


def try_justext(tree: Any, url: str | None, target_language: str | None) -> Any:
    """trafilatura.external.try_justext with Liputan's paragraphs and the stop words of all
    languages frozen once (jusText's classifier keys its cache by the stop list: hashing
    trafilatura's tuple of 154,484 words costs 4 ms a call)."""
    result_body = Element("body")
    try:
        paragraphs = make_paragraphs(tree)
        classify_paragraphs(paragraphs, _all_stop_words(), *CLASSIFIER)
        revise_paragraph_classification(paragraphs, MAX_HEADING_DISTANCE)
    except Exception as err:  # noqa: BLE001 - as trafilatura's: the fallback fails alone
        logger.error("justext %s %s", err, url)
    else:
        for paragraph in paragraphs:
            if not paragraph.is_boilerplate:
                SubElement(result_body, "p").text = paragraph.text
    return result_body


@functools.cache
def _all_stop_words() -> frozenset[str]:
    return define_stoplist(trafilatura.external.JT_STOPLIST or
                           trafilatura.external.jt_stoplist_init())


@functools.cache
def _install() -> None:
    original = trafilatura.external.try_justext
    if getattr(original, "liputan_dispatch", False):
        return

    @functools.wraps(original)
    def dispatch(tree: Any, url: str | None, target_language: str | None) -> Any:
        if getattr(_state, "active", False) and target_language not in JUSTEXT_LANGUAGES:
            return try_justext(tree, url, target_language)
        return original(tree, url, target_language)

    dispatch.liputan_dispatch = True  # type: ignore[attr-defined]
    trafilatura.external.try_justext = dispatch


@contextlib.contextmanager
def within_liputan() -> Iterator[None]:
    """trafilatura's jusText fallback runs `try_justext` inside this block (this thread)."""
    _install()
    before = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = before
