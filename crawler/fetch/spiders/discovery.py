"""Finding article URLs in feeds, sitemaps and listing pages, and telling an article page.

Pure functions over bytes and Scrapy responses: no requests are made here. Formats and signals:
docs/crawl.md ("Discovery", and the `article_url_pattern` key).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number

from crawler.decode import NotText, parser_encoding

__all__ = ["Entry", "Link", "is_next_page", "looks_like_article", "page_is_article",
           "page_links", "parse_date", "parse_feed", "parse_sitemap", "readable",
           "robots_sitemaps", "sitemap_body"]


@dataclass(frozen=True)
class Entry:
    """A URL found in a feed or sitemap, with the date the document gives for it."""

    url: str
    date: datetime | None = None  # published, else the only date given
    modified: datetime | None = None  # last modified, else `date`


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    rel: str


_PARSER = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                               remove_comments=True, remove_pis=True, huge_tree=True)


def _root(body: bytes) -> lxml.etree._Element | None:
    try:
        return lxml.etree.fromstring(body.strip(), parser=_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _children(element: lxml.etree._Element, name: str) -> list[lxml.etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: lxml.etree._Element, *names: str) -> str | None:
    for name in names:
        for child in element.iter():
            if _local(child.tag) == name and child.text and child.text.strip():
                return child.text.strip()
    return None


def parse_date(text: str | None) -> datetime | None:
    """W3C (sitemaps, Atom, Dublin Core) or RFC 822 (RSS) dates; None when unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sitemap_body(response: Response, max_size: int) -> bytes | None:
    """The XML of a sitemap response, gunzipped when it is a .gz file; None if not XML."""
    body = response.body
    if gzip_magic_number(response):
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, EOFError, ValueError):  # broken or oversized: not a sitemap
            return None
    return body


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[Entry]]:
    """("index", sitemaps) or ("urlset", pages); ("", []) when `body` is not a sitemap.

    A Google News sitemap is a urlset whose entries carry news:publication_date, which is
    preferred to lastmod as the article's date.
    """
    root = _root(body)
    if root is None:
        return "", []
    kind = _local(root.tag)
    if kind == "sitemapindex":
        wanted = "sitemap"
    elif kind == "urlset":
        wanted = "url"
    else:
        return "", []
    entries = []
    for element in _children(root, wanted):
        loc = _text(element, "loc")
        if not loc:
            continue
        lastmod = parse_date(_text(element, "lastmod"))
        published = parse_date(_text(element, "publication_date"))
        entries.append(Entry(urljoin(base_url, loc), published or lastmod, lastmod or published))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


# A `Sitemap:` line of robots.txt (RFC 9309 leaves it to the sitemaps protocol; the field name
# is matched without regard to case, as Google and Protego do). The rest of the line is the URL.
_ROBOTS_SITEMAP = re.compile(rb"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The sitemap URLs a robots.txt names, absolute, in order, each once. A relative URL
    (not allowed by the protocol, but written) is read against the robots.txt URL."""
    urls: list[str] = []
    for match in _ROBOTS_SITEMAP.finditer(body):
        url = urljoin(base_url, match.group(1).decode("utf-8", "replace"))
        if url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Article URLs of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, newest information first."""
    root = _root(body)
    if root is None:
        return []
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":  # RSS 2.0 and RSS 1.0
            url = _text(element, "link") or element.get(
                "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            date = parse_date(_text(element, "pubdate", "date", "published"))
            modified = parse_date(_text(element, "updated", "modified")) or date
        elif name == "entry":  # Atom
            url = _atom_link(element)
            modified = parse_date(_text(element, "updated"))
            date = parse_date(_text(element, "published")) or modified
            modified = modified or date
        else:
            continue
        if url:
            entries.append(Entry(urljoin(base_url, url.strip()), date, modified))
    return entries


def _atom_link(entry: lxml.etree._Element) -> str | None:
    links = _children(entry, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return links[0].get("href") if links else None


def page_links(response: TextResponse) -> list[Link]:
    """Every <a href> and <link rel=next> of an HTML page, absolute, fragments kept."""
    links = []
    for node in response.xpath("//a[@href] | //link[@href][contains(@rel, 'next')]"):
        href = node.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        text = " ".join(" ".join(node.xpath(".//text()").getall()).split())
        links.append(Link(response.urljoin(href), text, node.attrib.get("rel", "").lower()))
    return links


# Pager words of Indonesian and English sites; digits are page numbers.
_NEXT_WORDS = {"next", "berikutnya", "selanjutnya", "lanjut", "›", "»", ">", "next ›",
               "older"}


def is_next_page(link: Link, page_url: str) -> bool:
    """A pagination link of the listing `page_url`: rel=next, a pager word or a page number
    on the same section."""
    if "next" in link.rel.split():
        return True
    text = link.text.lower()
    if text in _NEXT_WORDS:
        return True
    if text.isdigit() and len(text) <= 3:
        here, there = urlsplit(page_url), urlsplit(link.url)
        return here.netloc == there.netloc and _section(here.path) == _section(there.path)
    return False


def _section(path: str) -> str:
    parts = [p for p in path.split("/") if p and not p.isdigit() and p != "page"]
    return "/".join(parts[:1])


# Paths that are never articles, whatever their slug looks like.
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|topik|topic|kategori|category|author|penulis|reporter|search|cari|login|"
    r"akun|account|video|foto|galeri|gallery|indeks/page|page)(/|$)", re.IGNORECASE)
_STATIC = re.compile(r"\.(jpe?g|png|gif|webp|svg|css|js|ico|mp4|mp3|zip|xml|rss)$", re.IGNORECASE)
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+){3,}", re.IGNORECASE)
_NUMERIC_ID = re.compile(r"\d{5,}")


def looks_like_article(url: str) -> bool:
    """URL shape of a news article: a long hyphenated slug or a long numeric id, not a
    section, tag, author or static file. Used for sources without article_url_pattern."""
    path = urlsplit(url).path
    if _NOT_ARTICLE.search(path) or _STATIC.search(path):
        return False
    last = [p for p in path.split("/") if p]
    if not last:
        return False
    tail = last[-1].rsplit(".", 1)[0]
    return bool(_SLUG.fullmatch(tail) or (_NUMERIC_ID.search(path) and len(last) >= 2))


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "blogposting", "opinionnewsarticle"}


def readable(response: Response) -> TextResponse | None:
    """`response` read as the clean step reads its body (crawler.clean.decode), or None if it
    is no text. Scrapy believes what a page declares: a <meta charset="utf-16"> over UTF-8
    bytes reads as CJK noise, with no sign of an article and no link."""
    if not isinstance(response, TextResponse):
        return None
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
    try:
        encoding = parser_encoding(response.body, content_type)
    except NotText:
        return None
    return response.replace(encoding=encoding)


def page_is_article(response: TextResponse) -> bool:
    """Page signals of an article: og:type=article, a JSON-LD (News)Article, or
    article:published_time."""
    og_type = response.xpath("//meta[@property='og:type']/@content").get("")
    if og_type.strip().lower() == "article":
        return True
    if response.xpath("//meta[@property='article:published_time']/@content").get():
        return True
    for block in response.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(block)
        except ValueError:
            continue
        if _jsonld_is_article(data):
            return True
    return False


def _jsonld_is_article(data: object) -> bool:
    if isinstance(data, list):
        return any(_jsonld_is_article(item) for item in data)
    if not isinstance(data, dict):
        return False
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
        return True
    return _jsonld_is_article(data.get("@graph", []))
