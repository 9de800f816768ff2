"""`liputan sources discover`: from an outlet's homepage to a ready sources-file entry.

What is looked at, in order (README.md, "Finding and checking sources"):

1. the homepage: `<link rel="alternate">` RSS and Atom feeds, `<html lang>`, the links of its
   navigation (section pages) and its tag, topic and author links;
2. the usual feed paths (FEED_PATHS), kept when they answer a feed with entries;
3. the `Sitemap:` lines of robots.txt and the usual sitemap paths (SITEMAP_PATHS); an index is
   followed to a few of its sitemaps (MAX_CHILD_SITEMAPS) for examples;
4. the article URLs of those feeds and sitemaps are the examples `article_url_pattern` is
   learnt from (crawler/sources/pattern.py), tested against the section and tag URLs.

Every request goes through crawler/sources/fetcher.py: robots.txt, the User-Agent, size and
time limits and the private-address guard, as in the crawl.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from scrapy.http import HtmlResponse

from crawler.config import load_config, parse_config
from crawler.decode import NotText, parser_encoding
from crawler.errors import UserError
from crawler.fetch.spiders.discovery import (
    Entry,
    looks_like_article,
    page_links,
    parse_feed,
    parse_sitemap,
)
from crawler.sources.fetcher import Fetched, Fetcher, gunzip_limited
from crawler.sources.pattern import Proposal, propose_pattern
from crawler.urls import Site, canonicalize

logger = logging.getLogger(__name__)

__all__ = ["Discovery", "append_entry", "discover", "source_name", "unusable_reason"]

# Where sites put their feeds and sitemaps when their homepage does not say (WordPress: /feed;
# Hugo: /index.xml; Ghost and many CMSs: /rss, /rss.xml, /feed.xml, /atom.xml). Each is one
# request, tried in this order.
FEED_PATHS = ("/rss", "/feed", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss/")
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-news.xml", "/sitemap_news.xml",
                 "/news-sitemap.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Sitemaps of an index fetched for examples: an outlet's index lists one sitemap per day or
# month for years back; the newest few hold today's URL shape.
MAX_CHILD_SITEMAPS = 3
# Section pages proposed as start_urls: listing pages are fetched on every crawl, and three
# sections plus the feeds and sitemaps find an outlet's day of news.
MAX_START_URLS = 3
# Path words of pages that list articles by tag, topic, author or search: never articles,
# and no section either (a section or category page, or the "indeks" of all news, is).
_TAG_PATH = re.compile(r"/(tag|tags|topik|topic|topics|penulis|author|authors|reporter|"
                       r"search|cari)(/|$)", re.IGNORECASE)
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_ARTICLE_SITEMAP = re.compile(r"news|post|article|berita|artikel", re.IGNORECASE)
_NOT_ARTICLE_SITEMAP = re.compile(r"(?<![a-z])(tags?|categor(y|ies)|kategori|pages?|authors?|"
                                  r"penulis|topik|topics?|videos?|images?)(?![a-z])[^/]*$",
                                  re.IGNORECASE)
_FILE = re.compile(r"\.(?!html?$|php$|aspx?$)[a-z0-9]{2,5}$", re.IGNORECASE)  # .pdf, .xml, .jpg
# Section pages are one or two levels deep (/nasional, /kanal/nasional); deeper links in a
# menu are sub-sections or articles.
MAX_SECTION_DEPTH = 2


@dataclass
class Discovery:
    url: str  # the homepage, after redirects
    name: str
    language: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    examples: list[Entry] = field(default_factory=list)  # article URLs found
    non_articles: list[str] = field(default_factory=list)  # URLs the pattern must reject
    proposal: Proposal | None = None
    skipped: list[str] = field(default_factory=list)  # "URL: reason" of what was not used
    requests: int = 0

    @property
    def newest(self) -> datetime | None:
        dates = [e.date for e in self.examples if e.date]
        return max(dates) if dates else None

    def entry(self) -> dict:
        """The sources-file entry, keys in the order docs/crawl.md lists them."""
        data: dict = {"name": self.name, "url": self.url}
        if self.language:
            data["language"] = self.language
        if self.feeds:
            data["feeds"] = list(self.feeds)
        if self.sitemaps:
            data["sitemaps"] = list(self.sitemaps)
        if self.sections:
            data["start_urls"] = list(self.sections[:MAX_START_URLS])
        if self.proposal is not None:
            data["article_url_pattern"] = self.proposal.pattern
        return data

    def yaml(self, indent: int = 2) -> str:
        """The entry as a YAML list item (comments first) to paste under `sources:`."""
        comments = [f"# {line}" for line in self.summary()]
        body = yaml.safe_dump([self.entry()], sort_keys=False, allow_unicode=True, width=1000)
        pad = " " * indent
        lines = [pad + line if line else line for line in [*comments, *body.splitlines()]]
        return "\n".join(lines) + "\n"

    def summary(self, now: datetime | None = None) -> list[str]:
        now = now or datetime.now(UTC)
        lines = [(f"discovered from {self.url} ({self.requests} requests): "
                  f"{len(self.feeds)} feed(s), {len(self.sitemaps)} sitemap(s), "
                  f"{len(self.sections)} section page(s), "
                  f"{len(self.examples)} article URL(s)")]
        if self.newest:
            lines.append(f"newest article: {_age(now - self.newest)} old")
        if self.proposal is not None:
            p = self.proposal
            lines.append(f"article_url_pattern accepts {p.accepted}/{p.examples} article URLs "
                         f"and rejects {len(p.rejected)}/{len(p.rejected) + len(p.wrongly_accepted)}"
                         " section, tag and homepage URLs")
            lines += [f"WARNING: it also accepts {url}" for url in p.wrongly_accepted[:5]]
        else:
            lines.append("no article URL found: no article_url_pattern proposed")
        if len(self.sections) > MAX_START_URLS:
            lines.append("other sections: " + " ".join(self.sections[MAX_START_URLS:][:10]))
        lines += [f"not used: {item}" for item in self.skipped[:10]]
        return lines


def discover(url: str, fetcher: Fetcher, name: str | None = None) -> Discovery:
    """Find the feeds, sitemaps, sections and article URL pattern of the site at `url`.
    UserError (one line) when `url` cannot be used: unreachable, refused, not an HTML page."""
    home = fetcher.get(url)
    problem = unusable_reason(home, fetcher)
    if problem:
        raise UserError(problem)
    found = Discovery(url=home.final_url, name=name or source_name(home.final_url))
    page = _html_response(home)
    found.language = _language(page)
    links = _page_links(page)
    found.feeds = _feeds(page, fetcher, found)
    found.sitemaps = _sitemaps(home.final_url, fetcher, found)
    if not found.examples:
        # No feed or sitemap listed any: the homepage's own article-looking links.
        found.examples = [Entry(u) for u in links if looks_like_article(u)]
    # One example per page: a feed's ?utm_source=rss spelling and the sitemap's are one URL.
    found.examples = list({canonicalize(e.url): e for e in found.examples}.values())
    article_urls = {canonicalize(e.url) for e in found.examples}
    found.sections = _sections(page, fetcher, article_urls)
    found.non_articles = _non_articles(found, links)
    found.proposal = propose_pattern([e.url for e in found.examples], found.non_articles)
    if found.proposal is not None:
        # A menu link the pattern takes for an article is one (a featured story), not a
        # section to list.
        accepted = set(found.proposal.wrongly_accepted)
        found.sections = [u for u in found.sections if u not in accepted]
    found.requests = fetcher.requests
    return found


def unusable_reason(home: Fetched, fetcher: Fetcher) -> str | None:
    """Why a homepage answer cannot be discovered from, as one line; None when it can."""
    url = home.url
    if home.reason == "private_address":
        return (f"{url}: refused: its host is not a public address (add --allow-private to "
                "discover a site on this machine or network)")
    if home.reason == "robots":
        return f"{url}: robots.txt forbids it to {fetcher.policy.user_agent}"
    if home.reason == "bad_url":
        return f"{url}: not an http:// or https:// URL with a host"
    if home.status is None:
        return f"cannot reach {url}: {home.reason}"
    if home.reason == "too_large":
        return f"{url}: larger than the limit of {fetcher.policy.max_bytes} bytes"
    if home.reason is not None:
        return f"{url}: answered HTTP {home.status}, not a page to discover from"
    if home.mime not in HTML_TYPES:
        return f"{url}: not an HTML page ({home.mime or 'no content type'})"
    try:
        parser_encoding(home.body, home.content_type)
    except NotText:
        return f"{url}: not an HTML page (its body is not text)"
    return None


def source_name(url: str) -> str:
    """A source name from a URL: the host's main label (www.kompas.com -> kompas)."""
    host = (urlsplit(url).hostname or "source").lower().removeprefix("www.")
    labels = host.split(".")
    if not host.replace(".", "").isdigit() and len(labels) >= 2:
        # co.id, or.id, com.au: the label before the second-level one names the outlet.
        short = len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2
        host = labels[-3] if short else labels[-2]
    name = re.sub(r"[^a-z0-9_-]+", "-", host).strip("-_")[:63]
    return name or "source"


# -- the homepage -----------------------------------------------------------------------------
def _html_response(fetched: Fetched) -> HtmlResponse:
    encoding = parser_encoding(fetched.body, fetched.content_type)
    return HtmlResponse(url=fetched.final_url, body=fetched.body, encoding=encoding)


def _language(page: HtmlResponse) -> str | None:
    lang = (page.xpath("/html/@lang").get() or "").strip().lower().split("-")[0]
    return lang if _LANGUAGE.fullmatch(lang) else None


def _page_links(page: HtmlResponse) -> list[str]:
    """Same-site links of the page, without fragments, each once."""
    return list(dict.fromkeys(link.url.split("#", 1)[0] for link in page_links(page)
                              if _same_site(link.url, page.url)))


def _same_site(url: str, home: str) -> bool:
    """On the homepage's host or a subdomain of it, as the crawl judges it (www. aside)."""
    return url in Site((home,))


# -- feeds ------------------------------------------------------------------------------------
def _feeds(page: HtmlResponse, fetcher: Fetcher, found: Discovery) -> list[str]:
    declared = [page.urljoin(href.strip()) for href in page.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
        "[contains(@type, 'rss') or contains(@type, 'atom') or contains(@type, 'rdf')]"
        "/@href").getall() if href.strip()]
    probed = [urljoin(page.url, path) for path in FEED_PATHS]
    feeds: dict[str, str] = {}  # final URL -> URL as written (redirects: one feed)
    for url in dict.fromkeys(declared + probed):
        if not _same_site(url, page.url) and url not in declared:
            continue
        fetched = fetcher.get(url)
        entries = parse_feed(fetched.body, fetched.final_url) if fetched.ok else []
        if not entries:
            if url in declared:  # a probe that is not there is expected, not news
                found.skipped.append(f"{url}: {fetched.reason or 'not a feed with entries'}")
            continue
        final = canonicalize(fetched.final_url)
        if final not in feeds:
            # The URL it answers at: a redirect from /rss to /rss.xml would cost every crawl
            # one more request.
            feeds[final] = fetched.final_url
            found.examples += [e for e in entries if _same_site(e.url, page.url)]
    return list(feeds.values())


# -- sitemaps ---------------------------------------------------------------------------------
def _sitemaps(home: str, fetcher: Fetcher, found: Discovery) -> list[str]:
    listed = fetcher.robots_sitemaps(home)
    probed = [urljoin(home, path) for path in SITEMAP_PATHS]
    kept: list[str] = []
    children: set[str] = set()
    for url in dict.fromkeys(listed + probed):
        if canonicalize(url) in children:
            continue  # already read through an index that is kept
        fetched = fetcher.get(url)
        kind, entries = _read_sitemap(fetched, fetcher)
        if not kind:
            if url in listed:
                found.skipped.append(f"{url}: {fetched.reason or 'not a sitemap'}")
            continue
        if kind == "index":
            children |= {canonicalize(e.url) for e in entries}
            found.examples += _index_examples(entries, fetcher, home)
        else:
            found.examples += [e for e in entries if _same_site(e.url, home)]
        kept.append(fetched.final_url)
    return kept


def _read_sitemap(fetched: Fetched, fetcher: Fetcher) -> tuple[str, list[Entry]]:
    if not fetched.ok:
        return "", []
    # .gz files: a gzip bomb stops at ten times the page limit, as in the crawl.
    body = gunzip_limited(fetched.body, fetcher.policy.max_bytes * 10)
    if body is None:
        return "", []
    return parse_sitemap(body, fetched.final_url)


def _index_examples(entries: list[Entry], fetcher: Fetcher, home: str) -> list[Entry]:
    """Article URLs of the newest few sitemaps of an index (news sitemaps first)."""
    oldest = datetime.min.replace(tzinfo=UTC)
    # WordPress and other CMSs index their tag, category, page and author sitemaps beside
    # the posts': those list no article.
    articles = [e for e in entries if not _NOT_ARTICLE_SITEMAP.search(urlsplit(e.url).path)]
    ordered = sorted(articles, key=lambda e: (bool(_ARTICLE_SITEMAP.search(e.url)),
                                              e.date or oldest), reverse=True)
    examples: list[Entry] = []
    for entry in ordered[:MAX_CHILD_SITEMAPS]:
        if not _same_site(entry.url, home):
            continue
        kind, found = _read_sitemap(fetcher.get(entry.url), fetcher)
        if kind == "urlset":
            examples += [e for e in found if _same_site(e.url, home)]
    return examples


# -- sections ---------------------------------------------------------------------------------
def _sections(page: HtmlResponse, fetcher: Fetcher, article_urls: set[str]) -> list[str]:
    """Links of the page's navigation (<nav> first, then menus, then the header) that are
    neither articles, tag pages nor files, and that robots.txt lets us fetch."""
    hrefs = [*page.xpath("//nav//a/@href").getall(),
             *page.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' menu ')]"
                         "//a/@href").getall(),
             *page.xpath("//header//a/@href").getall()]
    home = canonicalize(page.url)
    sections = []
    for href in dict.fromkeys(h.strip() for h in hrefs if h.strip()):
        url = page.urljoin(href).split("#", 1)[0]
        canonical = canonicalize(url)
        path = urlsplit(url).path
        if (not _same_site(url, page.url) or canonical == home or canonical in article_urls
                or _TAG_PATH.search(path) or _FILE.search(path) or looks_like_article(url)
                or len([p for p in path.split("/") if p]) > MAX_SECTION_DEPTH):
            continue
        if fetcher.robots_allow(url):
            sections.append(url)
    return list(dict.fromkeys(sections))


def _non_articles(found: Discovery, links: list[str]) -> list[str]:
    """URLs the pattern must reject: the homepage, sections, tag/author pages, feeds."""
    tags = [u for u in links if _TAG_PATH.search(urlsplit(u).path)]
    return list(dict.fromkeys([found.url, *found.sections, *tags, *found.feeds,
                               *found.sitemaps]))


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} hour(s)" if hours < 48 else f"{hours / 24:.0f} day(s)"


# -- writing ----------------------------------------------------------------------------------
def append_entry(path: Path, found: Discovery) -> None:
    """Append the entry to the sources file `path` (created if missing), keeping it valid:
    UserError if it already has a source of that name or the result would not load."""
    if not path.exists():
        text = "sources:\n"
        indent = 2
    else:
        config = load_config(path)  # a broken file is reported as it is, before any change
        if found.name in {s.name for s in config.sources}:
            raise UserError(f"{path}: already has a source named {found.name!r} "
                            "(choose another with --name)")
        text = path.read_text(encoding="utf-8")
        indent = _item_indent(text)
    if text and not text.endswith("\n"):
        text += "\n"
    new = text + "\n" + found.yaml(indent)
    _check_appended(path, new, found.name)
    _write_atomically(path, new)


def _item_indent(text: str) -> int:
    """How far the items of the top-level `sources:` list are indented (2 if unknown)."""
    match = re.search(r"^sources:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", text,
                      re.MULTILINE)
    return len(match.group(1)) if match else 2


def _check_appended(path: Path, text: str, name: str) -> None:
    """The appended file must load with the new source last, else nothing is written (a
    `sources:` list that is not the file's last key, a flow-style list)."""
    problem = None
    try:
        data = yaml.safe_load(text)
        config = parse_config(data, path)
        if config.sources[-1].name != name:
            problem = "the `sources:` list is not the last key of the file"
    except yaml.YAMLError:
        problem = "the file would not be valid YAML: is `sources:` its last key?"
    except UserError as exc:
        problem = str(exc)
    if problem:
        raise UserError(f"{path}: cannot append the entry ({problem}); paste it by hand "
                        "(run without --write to print it)")


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
