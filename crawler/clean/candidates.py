"""A better body than trafilatura's choice when that choice is a list of teasers.

docs/extract.md, "Teaser lists".
"""

from __future__ import annotations

from lxml.html import HtmlElement

__all__ = ["better_body"]


def better_body(html: str, tree: HtmlElement, url: str | None, text: str, *,
                title: str | None, description: str | None,
                article_body: str | None) -> str:
    """`text`, or a better candidate when `text` looks like teasers, related news or comments.

    html: the page as given; tree: the page as parsed, before pruning (do not modify it);
    article_body: JSON-LD articleBody where the page has one.
    """
    return text
