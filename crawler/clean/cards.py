"""The grid of item cards of a shop or catalogue page whose body came out nearly empty.

On a category page trafilatura finds no prose and returns the banner above the grid; the page's
largest grid of cards (name, label, price) is read instead, for inspection: the page stays a
non-article. Which grids count: docs/extract.md, step 6 ("a shop's card grid").
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.clean.recall import block_lines

__all__ = ["card_lines"]

# Fewer siblings are a row of teasers, not a grid.
MIN_CARDS = 4
# A card holds a name, a label, a price: more words than this make it an article teaser or a
# section of prose, which the extractor handles.
MAX_CARD_WORDS = 40
# Shares of the siblings that must look like cards (a grid has the odd banner tile).
MIN_CARD_SHARE = 0.8
MIN_MULTILINE_SHARE = 0.7
# A grid whose words are (nearly) all link text is a menu.
MAX_LINK_SHARE = 0.9

_NAVIGATION = re.compile(r"menu|nav|header|footer|breadcrumb", re.IGNORECASE)
_OUTSIDE = {"nav", "header", "footer", "aside"}
# children that are never a card
_SKIP = {"script", "style", "noscript", "template", "svg", "button", "select", "option",
         "form", "input", "textarea"}


def card_lines(tree: HtmlElement) -> list[str]:
    """The text lines of the page's largest grid of cards, card after card ([] if none)."""
    best: list[HtmlElement] = []
    best_words = 0
    for parent in tree.iter():
        if not isinstance(parent.tag, str) or len(parent) < MIN_CARDS:
            continue
        groups: dict[tuple, list[HtmlElement]] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _SKIP:
                groups.setdefault((child.tag, child.get("class")), []).append(child)
        for cards in groups.values():
            if len(cards) < MIN_CARDS:
                continue
            words = _grid_words(parent, cards)
            if words > best_words:
                best, best_words = cards, words
    return [line for card in best for line in block_lines(card)]


def _grid_words(parent: HtmlElement, cards: list[HtmlElement]) -> int:
    """How many words the grid holds (card words capped), or 0 if these are no cards."""
    with_link = sum(1 for card in cards if card.tag == "a" or card.find(".//a") is not None)
    if with_link < MIN_CARD_SHARE * len(cards):
        return 0
    words = [len(card.text_content().split()) for card in cards]
    if sum(1 for count in words if 1 <= count <= MAX_CARD_WORDS) < MIN_CARD_SHARE * len(cards):
        return 0
    link_words = sum(len(a.text_content().split()) for card in cards for a in card.iter("a"))
    if link_words >= MAX_LINK_SHARE * sum(words):
        return 0
    if _in_navigation(parent):
        return 0
    if sum(1 for card in cards if len(block_lines(card)) >= 2) < MIN_MULTILINE_SHARE * len(cards):
        return 0
    return sum(min(count, MAX_CARD_WORDS) for count in words)


def _in_navigation(element: HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag in _OUTSIDE or _NAVIGATION.search(names):
            return True
    return False

