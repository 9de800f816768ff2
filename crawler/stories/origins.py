"""Which stored article a syndicated or translated copy names as its original.

The clean step reads an article's origin from its own closing lines (crawler/clean/origin.py:
origin_url, origin_outlet, origin_title). A copy whose origin URL is a stored article's URL, or
whose origin outlet and title are a stored article's outlet and title, is that article's copy,
however different the texts (a translation shares little but names and numbers): it joins the
original's story (crawler/stories/assign.py). docs/stories.md, "Method", step 4.
"""

from __future__ import annotations

import re
from datetime import timedelta

import psycopg

from crawler.urls import canonicalize

__all__ = ["origin_links", "outlet_key", "url_keys"]

# Titles are compared with the articles published this long before the copy (syndication
# follows within hours or days; a month covers a weekly's reprint) or shortly after it (a copy
# stamped before its original by a wrong time zone): an index range, not the whole history.
TITLE_BEFORE = timedelta(days=30)
TITLE_AFTER = timedelta(days=2)

# Articles without a story that name an origin precise enough to find: a URL, or an outlet
# with a title. Copies with duplicate_of follow their duplicate original instead.
CANDIDATES = """
SELECT a.article_id, a.origin_url, a.origin_outlet, a.origin_title,
       coalesce(a.published_at, a.first_seen_at) AS at
FROM liputan.articles a
WHERE a.duplicate_of IS NULL
  AND (a.origin_url IS NOT NULL OR (a.origin_outlet IS NOT NULL AND a.origin_title IS NOT NULL))
  AND NOT EXISTS (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = a.article_id)
"""

# One original per copy: a URL match before a title match, then the earliest stored article.
# Titles are compared as lower-case words; an outlet matches an article whose source name,
# site name or host starts with the outlet's key, or the other way round ("detiknews" and the
# source "detik", "antara" and "antaranews").
ORIGINALS = r"""
WITH by_url AS (
    SELECT u.article_id, o.article_id AS original_id, 0 AS rank
    FROM unnest(%(url_ids)s::bigint[], %(urls)s::text[]) AS u(article_id, url)
    JOIN liputan.articles o ON o.canonical_url = u.url
    UNION ALL
    SELECT u.article_id, o.article_id, 1
    FROM unnest(%(url_ids)s::bigint[], %(urls)s::text[]) AS u(article_id, url)
    JOIN liputan.articles o ON o.url = u.url
), by_title AS (
    SELECT t.article_id, o.article_id AS original_id, 2 AS rank
    FROM unnest(%(title_ids)s::bigint[], %(outlets)s::text[], %(titles)s::text[],
                %(ats)s::timestamptz[]) AS t(article_id, outlet, title, at)
    JOIN liputan.articles o
      ON o.published_at BETWEEN t.at - %(before)s AND t.at + %(after)s
     AND trim(regexp_replace(lower(o.title), '[^[:alnum:]]+', ' ', 'g'))
         = trim(regexp_replace(lower(t.title), '[^[:alnum:]]+', ' ', 'g'))
    WHERE EXISTS (
        SELECT 1
        FROM (VALUES (o.source), (o.site_name),
                     (substring(o.canonical_url FROM '^[a-z]+://(?:www\.)?([^/:?#]+)'))) AS n(name)
        CROSS JOIN LATERAL (SELECT regexp_replace(regexp_replace(lower(n.name),
            '\.(?:co\.id|or\.id|go\.id|co\.uk|com|id|co|net|org|tv|news)$', ''),
            '^(?:.*\.)?([^.]*)$', '\1')) AS h(host)
        CROSS JOIN LATERAL (SELECT regexp_replace(h.host, '[^a-z0-9]+', '', 'g')) AS k(key)
        WHERE k.key <> '' AND (starts_with(k.key, t.outlet) OR starts_with(t.outlet, k.key)))
)
SELECT DISTINCT ON (article_id) article_id, original_id
FROM (SELECT * FROM by_url UNION ALL SELECT * FROM by_title) found
WHERE original_id <> article_id
ORDER BY article_id, rank, original_id
"""

_SUFFIX = re.compile(r"\.(?:co\.id|or\.id|go\.id|co\.uk|com|id|co|net|org|tv|news)$")


def origin_links(conn: psycopg.Connection) -> dict[int, int]:
    """{article without a story: the stored article its origin lines name}."""
    url_ids, urls, title_ids, outlets, titles, ats = [], [], [], [], [], []
    for article_id, url, outlet, title, at in conn.execute(CANDIDATES):
        for key in url_keys(url) if url else ():
            url_ids.append(article_id)
            urls.append(key)
        key = outlet_key(outlet) if outlet and title else ""
        if key:
            title_ids.append(article_id)
            outlets.append(key)
            titles.append(title)
            ats.append(at)
    if not url_ids and not title_ids:
        return {}
    return dict(conn.execute(ORIGINALS, {
        "url_ids": url_ids, "urls": urls, "title_ids": title_ids, "outlets": outlets,
        "titles": titles, "ats": ats, "before": TITLE_BEFORE, "after": TITLE_AFTER,
    }).fetchall())


def url_keys(url: str) -> list[str]:
    """The spellings under which an origin URL may be stored: as given, canonical (as the load
    stores canonical_url), and canonical with the other scheme and with or without www."""
    url = url.strip()
    keys = [url]
    try:
        canonical = canonicalize(url)
    except ValueError:  # not a URL urllib can parse (a bracketed host that is not IPv6)
        return keys
    scheme, _, rest = canonical.partition("://")
    hosts = [rest, rest.removeprefix("www.") if rest.startswith("www.") else "www." + rest]
    keys += [f"{s}://{h}" for s in (scheme, "https" if scheme == "http" else "http")
             for h in hosts]
    return list(dict.fromkeys(keys))


def outlet_key(outlet: str) -> str:
    """An outlet's name as the stories compare it: "Kompas.com" -> "kompas", "detikNews" ->
    "detiknews", "The Jakarta Post" -> "thejakartapost"."""
    name = _SUFFIX.sub("", outlet.strip().lower()).split(".")[-1]  # news.detik.com -> detik
    return re.sub(r"[^a-z0-9]+", "", name)
