"""Elements removed from the parsed page before extraction.

General boxes that only ever hold links to other stories ("baca juga", related, share bars)
and the source's own `drop_selectors` (CSS, from crawler.rules). Removing them from the tree is
more reliable than cleaning their text afterwards, because the extractor then never mistakes a
box of headlines for the article.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from cssselect import GenericTranslator
from lxml.etree import XPath
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

__all__ = ["may_have_boxes", "prune"]

# class/id fragments of boxes that hold no article text on any site
_BOX_NAMES = ("baca-juga", "bacajuga", "baca_juga", "read-also", "readalso", "berita-terkait",
              "artikel-terkait", "related-post", "related-article", "related-news",
              "relatedpost", "share-bar", "sharebar", "social-share", "share-buttons",
              "sharing-buttons", "newsletter-signup")
_BOX_RE = re.compile("|".join(re.escape(name) for name in _BOX_NAMES), re.IGNORECASE)
_HAS_NAME = XPath("//*[@class or @id]")
_PARAGRAPHS = XPath(".//p")


def may_have_boxes(html: str) -> bool:
    """Cheap test on the raw page: most pages name none of the boxes, and skip the tree scan."""
    # str.__contains__ is a fast substring search; a regex alternation over 500 kB is not
    return any(name in html for name in _BOX_NAMES)


def _general_boxes(tree: HtmlElement) -> list[HtmlElement]:
    # one regex per element: an XPath with translate() per element is ten times slower
    search = _BOX_RE.search
    return [element for element in _HAS_NAME(tree)
            if search(element.get("class") or "") or search(element.get("id") or "")]


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
