"""Article metadata of one parsed page: trafilatura's readers, then JSON-LD and OpenGraph.

Dates (crawler/clean/dates.py), authors (authors.py) and the headline (titles.py) have modules
of their own; each reader is guarded, so a bug costs one field, never the page.
docs/extract.md, "Dates", "Authors", "Titles".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import metadata as tmeta

from crawler.article import ArticleFields
from crawler.clean import jsonld
from crawler.clean.authors import metadata_authors
from crawler.clean.dates import ARTICLE_TYPES, published
from crawler.clean.titles import headline

logger = logging.getLogger(__name__)

__all__ = ["Metadata", "read_metadata"]

# og:type "website" is not here: many sites give it to every page, articles included
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
# rel="tag" links; the test of presence first spares the string test on the page's other links
_TAG_LINK_TEXTS = XPath('.//a[@rel][contains(concat(" ", @rel, " "), " tag ")]//text()')
# The head's children only: ".//head" walks the whole tree, and the parser keeps one <head>, the
# root's child (a misplaced one is dropped; a page parsed as a fragment has none).
_SECTIONS = XPath('head/meta[@property="article:section"]/@content')
_OG_TYPE = XPath('string(head/meta[@property="og:type"]/@content)')
_LOCALE = XPath('string(head/meta[@property="og:locale" or @http-equiv="content-language"]'
                '/@content)')


@dataclass(kw_only=True)
class Metadata(ArticleFields):
    """What the page says of itself."""

    page_types: set[str] = field(default_factory=set)  # og:type and JSON-LD @type, lowercased
    paywalled: bool = False  # JSON-LD isAccessibleForFree: false
    article_body: str | None = None  # JSON-LD articleBody


def read_metadata(tree: HtmlElement, url: str | None = None, *,
                  timezone: ZoneInfo | None = None) -> Metadata:
    """Metadata of a parsed page; every reader is guarded so one bad field never costs the rest.

    timezone: the source's, for dates the page gives without one.
    """
    found = Metadata()
    document = _guarded(tmeta.examine_meta, tree) or tmeta.Document()
    json_ld = list(jsonld.objects(tree))
    document = _guarded(tmeta.extract_meta_json, tree, document) or document
    found.canonical_url = _guarded(tmeta.extract_url, tree, url) or url
    found.site_name = (document.sitename or _guarded(tmeta.extract_sitename, tree) or "")
    found.site_name = found.site_name.lstrip("@") or None
    found.title = headline(document.title or _guarded(tmeta.extract_title, tree),
                           found.site_name, url)
    found.authors = metadata_authors(tree, document.author, site_name=found.site_name,
                                     url=found.canonical_url)
    found.description = document.description
    found.image = document.image
    found.categories = _unique(document.categories or _SECTIONS(tree))
    found.tags = _unique(document.tags or _TAG_LINK_TEXTS(tree))
    found.declared_language = _declared_language(tree)
    og_type = _OG_TYPE(tree).strip().lower()
    if og_type:
        found.page_types.add(og_type)
    for item in json_ld:
        types = item.get("@type")
        for name in types if isinstance(types, list) else [types]:
            if isinstance(name, str):
                found.page_types.add(name.lower())
        if item.get("isAccessibleForFree") in (False, "False", "false"):
            found.paywalled = True
        body = item.get("articleBody")
        if isinstance(body, str) and body.strip() and not found.article_body:
            found.article_body = body
    found.published_at, found.published_at_source = _guarded(
        published, tree, json_ld, found.canonical_url, timezone=timezone) or (None, None)
    return found


def is_article_type(metadata: Metadata) -> bool:
    return bool(metadata.page_types & ARTICLE_TYPES)


def is_listing_type(metadata: Metadata) -> bool:
    return bool(metadata.page_types & LISTING_TYPES) and not is_article_type(metadata)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(" ".join(str(v).split()) for v in values if str(v).strip()))


def _declared_language(tree: HtmlElement) -> str | None:
    value = tree.get("lang") or _LOCALE(tree)
    match = re.match(r"\s*([A-Za-z]{2,3})\b", value or "")
    return match.group(1).lower() if match else None


def _guarded(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception:  # a reader bug costs one field, never the page
        logger.debug("metadata reader %s failed", function.__name__, exc_info=True)
        return None
