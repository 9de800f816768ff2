"""A second trafilatura pass, in recall mode, where the first one found no container it knows.

It runs only where trafilatura fell back to "wild text" recovery (seen through a hook on
`trafilatura.main_extractor.recover_wild_text`) and the body holds a fifth to 60 % of the
page, on the body's region only; docs/extract.md (step 5) says why and what it costs.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from typing import Any

import lxml.html
import trafilatura.main_extractor
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.clean.recall import matched_paragraphs, text_key

logger = logging.getLogger(__name__)

__all__ = ["body_region", "fell_back_to_wild_text", "recall_body", "watch"]

# The body's share of the page's text inside which the second pass runs.
MIN_PAGE_SHARE = 0.2
MAX_PAGE_SHARE = 0.6
# What the recall body must hold of the first body's words, and how much longer it must be.
MIN_CONTAINED = 0.95
MIN_LONGER = 1.25

_CAPTIONS = XPath(
    "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    " or contains(@class, 'wp-caption') or contains(@class, 'photo')"
    " or contains(@class, 'foto')]")

_state = threading.local()


def watch() -> None:
    """Hook trafilatura's wild-text recovery once per process (idempotent).

    The hook only notes, per thread, that the recovery ran; arguments and result pass through.
    A trafilatura release without the function leaves the pass off (logged once), and
    `test_the_hook_sees_when_trafilatura_falls_back_to_wild_text` fails.
    """
    original = getattr(trafilatura.main_extractor, "recover_wild_text", None)
    if original is None:
        logger.warning("trafilatura %s has no main_extractor.recover_wild_text: the recall-mode "
                       "second pass is off", getattr(trafilatura, "__version__", "?"))
        return
    if getattr(original, "liputan_watched", False):
        return

    @functools.wraps(original)
    def watched(*args: Any, **kwargs: Any) -> Any:
        _state.wild = True
        return original(*args, **kwargs)

    watched.liputan_watched = True  # type: ignore[attr-defined]
    trafilatura.main_extractor.recover_wild_text = watched


# The hook goes in on a process's first extraction rather than at import: importing a module
# should not patch a library.
_watch_once = functools.cache(watch)


def fell_back_to_wild_text(extraction: Callable[[], Any]) -> tuple[Any, bool]:
    """Run `extraction` (a trafilatura call); return its result and whether it used wild text."""
    _watch_once()
    _state.wild = False
    result = extraction()
    return result, _state.wild


def recall_body(tree: HtmlElement, text: str, page_chars: int,
                recall: Callable[[HtmlElement], str]) -> str:
    """`text`, or the body trafilatura's recall mode finds when that is the same text and more.

    Call it only for a first pass that fell back to wild text; `page_chars` is the page's text
    length, `recall(tree)` runs the second pass on the tree it is given: the region of the
    first body (a copy) when there is one, else the page.
    """
    if not text or not MIN_PAGE_SHARE * page_chars <= len(text) < MAX_PAGE_SHARE * page_chars:
        return text
    region = body_region(tree, text)
    second = recall(tree if region is None else _page_of(region))
    if len(second) < MIN_LONGER * len(text):
        return text
    first_words = Counter(text.split())
    second_words = Counter(second.split())
    held = sum(min(count, second_words[word]) for word, count in first_words.items())
    if held < MIN_CONTAINED * sum(first_words.values()):
        return text
    return _without_new_captions(tree, text, second)


def body_region(tree: HtmlElement, body: str) -> HtmlElement | None:
    """The smallest element holding every paragraph of `body`, and its parent, if not the page.

    The parent, because a list in the box next to the paragraphs' own is the body's too; no
    higher, because there sidebars begin.
    """
    paragraphs = list(matched_paragraphs(tree, text_key(body)))
    if len(paragraphs) < 2:
        return None
    others = [set(p.iterancestors()) for p in paragraphs[1:]]
    region = next((a for a in paragraphs[0].iterancestors() if all(a in o for o in others)),
                  None)
    if region is not None and region.tag not in ("html", "body"):
        region = region.getparent()
    if region is None or region.tag in ("html", "body"):
        return None
    return region


def _page_of(region: HtmlElement) -> HtmlElement:
    """A page holding a copy of `region` alone (the second pass costs what the tree weighs)."""
    page = lxml.html.Element("html")
    body = lxml.html.Element("body")
    page.append(body)
    copied = deepcopy(region)
    copied.tail = None
    body.append(copied)
    return page


def _without_new_captions(tree: HtmlElement, first: str, second: str) -> str:
    captions = {" ".join(element.text_content().split()) for element in _CAPTIONS(tree)}
    captions.discard("")
    if not captions:
        return second
    kept = set(first.splitlines())
    return "\n".join(line for line in second.splitlines()
                     if line in kept or not any(" ".join(line.split()) in caption
                                                for caption in captions))
