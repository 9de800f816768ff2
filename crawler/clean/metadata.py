"""Article metadata of one parsed page: trafilatura's readers, then JSON-LD and OpenGraph.

trafilatura's own `extract_metadata` runs htmldate's date search over the whole tree, which
costs about as much as the body extraction. News pages almost always state their dates in
JSON-LD (`datePublished`), meta tags (`article:published_time`), `<time datetime>` or the URL,
so only those are read.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml.html import HtmlElement
from trafilatura import metadata as tmeta

from crawler.article import ArticleFields

logger = logging.getLogger(__name__)

__all__ = ["Metadata", "parse_date", "read_metadata"]

# meta names/properties that carry the publication date, most specific first
DATE_META = ("article:published_time", "og:published_time", "datepublished",
             "publishdate", "pubdate", "date", "dc.date.issued", "dc.date", "content_publishdate",
             "publish-date", "parsely-pub-date", "sailthru.date", "article.published")
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report",
                 "liveblogposting", "scholarlyarticle", "techarticle"}
# og:type "website" is not here: many sites give it to every page, articles included
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}
MAX_JSON_LD_CHARS = 500_000  # larger scripts are app state, not article metadata
# news URLs often carry the date: /read/2016/02/23/..., /2024-03-02/..., /20240302...
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\D)")


@dataclass(kw_only=True)
class Metadata(ArticleFields):
    """What the page says of itself; `language` is the declared one (<html lang>, og:locale)."""

    page_types: set[str] = field(default_factory=set)  # og:type and JSON-LD @type, lowercased
    paywalled: bool = False  # JSON-LD isAccessibleForFree: false


def read_metadata(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Metadata of a parsed page; every reader is guarded so one bad field never costs the rest."""
    found = Metadata()
    document = _guarded(tmeta.examine_meta, tree) or tmeta.Document()
    json_ld = list(_json_ld_objects(tree))
    document = _guarded(tmeta.extract_meta_json, tree, document) or document
    found.title = document.title or _guarded(tmeta.extract_title, tree)
    author = document.author
    if author and " " not in author.strip():  # single tokens are handles, not names
        author = None
    found.authors = split_authors(author or _byline(tree))
    found.canonical_url = _guarded(tmeta.extract_url, tree, url) or url
    found.site_name = (document.sitename or _guarded(tmeta.extract_sitename, tree) or "")
    found.site_name = found.site_name.lstrip("@") or None
    found.description = document.description
    found.image = document.image
    found.categories = _unique(document.categories or tree.xpath(
        './/head/meta[@property="article:section"]/@content'))
    found.tags = _unique(document.tags or tree.xpath('.//a[contains(concat(" ", @rel, " "), " tag ")]'
                                                     '//text()'))
    found.language = _declared_language(tree)
    og_type = tree.xpath('string(.//head/meta[@property="og:type"]/@content)').strip().lower()
    if og_type:
        found.page_types.add(og_type)
    for item in json_ld:
        types = item.get("@type")
        for name in types if isinstance(types, list) else [types]:
            if isinstance(name, str):
                found.page_types.add(name.lower())
        if item.get("isAccessibleForFree") in (False, "False", "false"):
            found.paywalled = True
    found.published_at = _published(tree, json_ld, found.canonical_url)
    return found


def is_article_type(metadata: Metadata) -> bool:
    return bool(metadata.page_types & ARTICLE_TYPES)


def is_listing_type(metadata: Metadata) -> bool:
    return bool(metadata.page_types & LISTING_TYPES) and not is_article_type(metadata)


def split_authors(author: str | None) -> list[str]:
    parts = re.split(r";|,|\||\s+(?:dan|and|&)\s+", author or "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def parse_date(value: object) -> datetime | None:
    """ISO 8601 (with or without zone; a bare date is midnight UTC); anything else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)  # +0700 -> +07:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = re.match(r"\d{4}-\d\d-\d\d", text)
        if not match:
            return None
        try:
            parsed = datetime.fromisoformat(match.group(0))
        except ValueError:
            return None
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published(tree: HtmlElement, json_ld: list[dict], url: str | None) -> datetime | None:
    for item in json_ld:
        if str(item.get("@type", "")).lower() in ARTICLE_TYPES or "datePublished" in item:
            parsed = parse_date(item.get("datePublished") or item.get("dateCreated"))
            if parsed:
                return parsed
    metas = {}
    for elem in tree.iterfind(".//meta[@content]"):
        key = (elem.get("property") or elem.get("name") or elem.get("itemprop") or "").lower()
        if key in DATE_META and key not in metas:
            metas[key] = elem.get("content")
    for key in DATE_META:
        parsed = parse_date(metas.get(key))
        if parsed:
            return parsed
    for elem in tree.iterfind(".//time[@datetime]"):
        parsed = parse_date(elem.get("datetime"))
        if parsed:
            return parsed
    match = URL_DATE.search(url or "")
    if match:
        return parse_date("-".join(match.groups()))
    return None


def _byline(tree: HtmlElement) -> str | None:
    # trafilatura's author search copies the whole tree; rel/itemprop bylines are the common case
    for text in tree.xpath('.//*[@rel="author" or @itemprop="author"]//text()'):
        text = " ".join(text.split())
        if 3 <= len(text) <= 60 and " " in text:
            return text
    return None


def _unique(values) -> list[str]:
    return list(dict.fromkeys(" ".join(str(v).split()) for v in values if str(v).strip()))


def _json_ld_objects(tree: HtmlElement):
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _objects(data, depth=0)


def _objects(data: object, depth: int):
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"], depth + 1)


def _declared_language(tree: HtmlElement) -> str | None:
    value = tree.get("lang") or tree.xpath(
        'string(.//head/meta[@property="og:locale" or @http-equiv="content-language"]/@content)')
    match = re.match(r"\s*([A-Za-z]{2,3})\b", value or "")
    return match.group(1).lower() if match else None


def _guarded(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception:  # a reader bug costs one field, never the page
        logger.debug("metadata reader %s failed", function.__name__, exc_info=True)
        return None
