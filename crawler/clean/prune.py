"""Elements removed from the parsed page before extraction.

Boxes that only hold links to other stories ("baca juga", related, share bars) and the source's
`drop_selectors` (crawler/clean/rules.py) leave the tree rather than their text being cleaned
afterwards, so the extractor never mistakes a box of headlines for the article.
docs/extract.md, step 3.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from cssselect import GenericTranslator
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.xpaths import REMOVE_COMMENTS_AND_LISTS_XPATH

from crawler.clean.class_names import NamePattern

logger = logging.getLogger(__name__)

__all__ = ["keep_page_sized_comment_boxes", "may_have_boxes", "may_have_comment_boxes", "prune"]

# class/id fragments of boxes that hold no article text on any site
_BOX_NAMES = ("baca-juga", "bacajuga", "baca_juga", "read-also", "readalso", "berita-terkait",
              "artikel-terkait", "related-post", "related-article", "related-news",
              "relatedpost", "share-bar", "sharebar", "social-share", "share-buttons",
              "sharing-buttons", "newsletter-signup")
_BOXES = NamePattern("|".join(re.escape(name) for name in _BOX_NAMES))
# "/descendant::" rather than "//": the same elements, without the intermediate set of every node
_HAS_NAME = XPath("/descendant::*[@class or @id]")
_PARAGRAPHS = XPath(".//p")
# A "comment" box (trafilatura's own test, e.g. class="commenting-on-qna") holding more than this
# share of the page's paragraphs is the page's wrapper, not its comments.
MAX_COMMENT_BOX_SHARE = 0.5


# Markers of the boxes trafilatura takes for comments (REMOVE_COMMENTS_AND_LISTS_XPATH: ids and
# classes starting "comment"/"Comment", "comol", "disqus_thread", "post-comments").
_COMMENT_BOX_MARKERS = ("omment", "comol", "disqus_thread")


def may_have_boxes(html: str) -> bool:
    """Cheap test on the raw page: most pages name none of the boxes, and skip the tree scan."""
    # str.__contains__ is a fast substring search; a regex alternation over 500 kB is not
    return any(name in html for name in _BOX_NAMES)


def may_have_comment_boxes(html: str) -> bool:
    """Cheap test on the raw page for `keep_page_sized_comment_boxes`."""
    return any(marker in html for marker in _COMMENT_BOX_MARKERS)


def _general_boxes(tree: HtmlElement) -> list[HtmlElement]:
    # one regex per element: an XPath with translate() per element is ten times slower
    return [element for element in _HAS_NAME(tree)
            # class and id joined by a space: no box name holds one
            if _BOXES.search(f"{element.get('class') or ''} {element.get('id') or ''}")]


def keep_page_sized_comment_boxes(tree: HtmlElement) -> int:
    """Rename the class/id of "comment" boxes that hold most of the page, so they are kept.

    With comments off, trafilatura removes every box its comment test matches before looking
    for the body; a wrapper named after a feature of the page ("commenting-enabled") then costs
    the whole text. Returns how many boxes were renamed.
    """
    boxes = [box for xpath in REMOVE_COMMENTS_AND_LISTS_XPATH for box in xpath(tree)]
    if not boxes:
        return 0
    # paragraphs, not characters: the page's text includes its inline scripts
    page = len(_PARAGRAPHS(tree))
    kept = 0
    for box in boxes:
        if len(_PARAGRAPHS(box)) > max(2, MAX_COMMENT_BOX_SHARE * page):
            for name in ("class", "id"):
                if name in box.attrib:
                    box.attrib["data-liputan-" + name] = box.attrib.pop(name)
            kept += 1
    return kept


@lru_cache(maxsize=256)
def _compiled(selector: str) -> XPath:
    return XPath(GenericTranslator().css_to_xpath(selector))


def prune(tree: HtmlElement, selectors: tuple[str, ...] = (), *, general: bool = True) -> int:
    """Remove general boxes (unless `general` is False) and elements matching `selectors`.

    Returns how many elements were removed.
    """
    removed = 0
    boxes = _general_boxes(tree) if general else []
    if boxes:
        # a class such as "has-share-bar" on the article's own wrapper must not cost the article
        limit = max(3, len(_PARAGRAPHS(tree)) // 3)
        boxes = [box for box in boxes if len(_PARAGRAPHS(box)) <= limit]
    for elements in (boxes, *(_compiled(s)(tree) for s in selectors)):
        for element in elements:
            if element is tree or element.tag in ("html", "body"):
                continue
            parent = element.getparent()
            if parent is None:
                continue
            _drop_keeping_tail(element, parent)
            removed += 1
    return removed


def _drop_keeping_tail(element: HtmlElement, parent: HtmlElement) -> None:
    # the text after an element belongs to its parent's flow, not to the removed box
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
