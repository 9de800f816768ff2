"""When an article was published, and which rule of the page said so.

News pages state their dates in JSON-LD (`datePublished`), meta tags
(`article:published_time`), `<time datetime>` or the URL; those are read in that order.
docs/extract.md, "Dates".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

__all__ = ["parse_date", "published"]

# meta names/properties that carry the publication date, most specific first
DATE_META = ("article:published_time", "og:published_time", "datepublished",
             "publishdate", "pubdate", "date", "dc.date.issued", "dc.date", "content_publishdate",
             "publish-date", "parsely-pub-date", "sailthru.date", "article.published")
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report",
                 "liveblogposting", "scholarlyarticle", "techarticle"}
# news URLs often carry the date: /read/2016/02/23/..., /2024-03-02/..., /20240302...
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\D)")


def published(tree: HtmlElement, json_ld: list[dict], url: str | None, *,
              timezone: ZoneInfo | None = None) -> tuple[datetime | None, str | None]:
    """(publication time, the rule that gave it: json_ld, meta, time_element or url).

    timezone: the source's, for times the page gives without a zone (None: UTC).
    """
    for item in json_ld:
        if str(item.get("@type", "")).lower() in ARTICLE_TYPES or "datePublished" in item:
            parsed = parse_date(item.get("datePublished") or item.get("dateCreated"), timezone)
            if parsed:
                return parsed, "json_ld"
    metas = {}
    for elem in tree.iterfind(".//meta[@content]"):
        key = (elem.get("property") or elem.get("name") or elem.get("itemprop") or "").lower()
        if key in DATE_META and key not in metas:
            metas[key] = elem.get("content")
    for key in DATE_META:
        parsed = parse_date(metas.get(key), timezone)
        if parsed:
            return parsed, "meta"
    for elem in tree.iterfind(".//time[@datetime]"):
        parsed = parse_date(elem.get("datetime"), timezone)
        if parsed:
            return parsed, "time_element"
    match = URL_DATE.search(url or "")
    if match:
        parsed = parse_date("-".join(match.groups()), timezone)
        if parsed:
            return parsed, "url"
    return None, None


def parse_date(value: object, timezone: ZoneInfo | None = None) -> datetime | None:
    """ISO 8601; without a zone, in `timezone` (else UTC); anything else None."""
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
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone or UTC)
