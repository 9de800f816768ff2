"""An article's headline without the site's name (" - Kompas.com", " | ANTARA News",
"Detik.com: ...", "NEWS WEB EASY|子ども…").

A part of the title separated by " - ", " | ", " · " etc. (or a leading "Name: ") goes when
it names the site: its og:site_name or its host name, compared without case, spaces and
punctuation ("ANTARA News" is antaranews.com, "KOMPAS.com" is kompas.com). A suffix may bring a
tagline before it (" - Berita Terkini | Tempo.co"): that goes with it when all its words are
tagline words. The title stays whole when it is only the site's name, and a part that does not
name the site stays, whatever its length. docs/extract.md, "Titles".
"""

from __future__ import annotations

import re

from crawler.article import CJK_CHARACTERS
from crawler.urls import registered_domain

__all__ = ["headline"]

# Separators of a title's parts; a hyphen only between spaces, so "Motorsport-Total" stays.
# Chinese, Japanese and Korean titles leave no space around them: there a full-width bar
# ("｜", "丨"), and a hyphen, underscore or bar touching a CJK character ("…終結-新浪新聞中心",
# "NEWS WEB EASY|子どもへの…", "蔡健雅_百度百科"), but not one between digits ("1-2月").
_SEPARATOR = re.compile(rf"(\s+[-|–—·•»«~/:]+\s+|\s+::\s+|\s*[｜丨]\s*|"
                        rf"(?<=[{CJK_CHARACTERS}])\s*[-_|]\s*(?=\S)|"
                        rf"(?<=\S)\s*[-_|]\s*(?=[{CJK_CHARACTERS}]))")
# "Detik.com: headline" (no space before the colon); the name is at most a few words
_COLON_PREFIX = re.compile(r"^([^:]{2,40}):\s+(\S.*)$")
# Words of the taglines sites put between the headline and their name; a part made only of
# them goes with the name after it, and a title made of them and the name is the name.
TAGLINE_WORDS = frozenset(["berita", "terkini", "terbaru", "terupdate", "hari", "ini",
                           "indonesia", "online", "portal", "situs", "news", "latest",
                           "breaking", "today", "official", "site", "website", "resmi", "home",
                           "homepage", "beranda"])
_NOT_ALNUM = re.compile(r"[\W_]+")
# a short CJK name ending as news sites' names do: 网/網 (net), 新闻/新聞/ニュース/뉴스 (news),
# 日报/日報/일보 (daily), 时报/時報, 新聞/신문 (newspaper), 电子报/電子報, デジタル (digital)
_CJK_NEWS_SITE = re.compile(rf"[{CJK_CHARACTERS}A-Za-z0-9]{{1,8}}"
                            r"(?:网|網|新闻网?|新聞網?|ニュース|뉴스|日报|日報|일보|时报|時報|"
                            r"新聞(?:デジタル)?|신문|电子报|電子報)")
MIN_HOST_PART = 4  # a part found inside a host name needs this many characters ("fern")
# A short part holding a name of the site is the name ("detikNews" on detik.com, "Schweizerische
# Vogelwarte" on vogelwarte.ch): at most this many words, names of at least 5 characters
# (4-letter names such as bola.com's or kini.id's are everyday words in headlines; on the
# corpus, 4 would have changed one title more, rightly).
MAX_NAME_WORDS = 3
MIN_CONTAINED_NAME = 5


def headline(title: str | None, site_name: str | None, url: str | None) -> str | None:
    """The title without a site-name suffix or prefix, unless the name belongs to it."""
    if not title:
        return title
    title = " ".join(title.split())
    title = _without_news_site_suffix(title)
    names = _SiteNames(site_name, url)
    if not names or all(names.match(part, loose=False) or _is_tagline(part)
                        for part in _SEPARATOR.split(title)[::2]):
        return title  # no name to compare with, or the title is only the site's name
    shorter = _without_prefix(_without_suffix(title, names), names)
    return shorter if _has_words(shorter) else title


class _SiteNames:
    """The site's names, folded: og:site_name (and its parts) and the URL's host."""

    def __init__(self, site_name: str | None, url: str | None) -> None:
        self.names: set[str] = set()
        if site_name:
            self.names.add(_fold(site_name))
            self.names.update(_fold(part) for part in _SEPARATOR.split(site_name)[::2])
        self.hosts = _host_names(url)
        self.names.update(self.hosts)
        self.names.discard("")

    def __bool__(self) -> bool:
        return bool(self.names)

    def match(self, part: str, *, loose: bool = True) -> bool:
        """True if `part` is a name of the site; `loose` also takes a short part holding one
        (for suffixes only: a headline's first words hold the site's name more often)."""
        folded = _fold(part)
        if not folded:
            return False
        if folded in self.names:
            return True
        words = len(part.split())
        if loose and words <= MAX_NAME_WORDS and any(len(name) >= MIN_CONTAINED_NAME and name in folded
                                           for name in self.names):
            return True
        # "Fern" on buildwithfern.com: a one-word part inside the host's name
        return loose and len(folded) >= MIN_HOST_PART and words == 1 and \
            any(folded in host for host in self.hosts)


def _without_suffix(title: str, names: _SiteNames) -> str:
    pieces = _SEPARATOR.split(title)
    parts = pieces[::2]
    keep = len(parts)
    # the name may come in parts ("AOC media - Analyse Opinion Critique"), after a tagline
    while keep > 1 and (names.match(parts[keep - 1]) or
                        keep < len(parts) and _is_tagline(parts[keep - 1])):
        keep -= 1
    return "".join(pieces[:2 * keep - 1])


def _without_prefix(title: str, names: _SiteNames) -> str:
    pieces = _SEPARATOR.split(title)
    if len(pieces) >= 3 and names.match(pieces[0], loose=False):
        return "".join(pieces[2:])
    colon = _COLON_PREFIX.match(title)
    if colon and names.match(colon.group(1), loose=False):
        return colon.group(2)
    return title


def _without_news_site_suffix(title: str) -> str:
    """Without a last part that is a news site's name by its form in Chinese, Japanese or
    Korean ("-新华网", "_新浪新闻", " - 연합뉴스"): such names end with "net", "news", "daily"
    or "newspaper", and the page may name its site nowhere else (no og:site_name)."""
    pieces = _SEPARATOR.split(title)
    if len(pieces) >= 3 and _CJK_NEWS_SITE.fullmatch(pieces[-1]) and _has_words(pieces[-3]):
        return "".join(pieces[:-2])
    return title


def _host_names(url: str | None) -> set[str]:
    """'nasional.kompas.com' -> {'kompascom', 'kompas'}: the registered name, with and
    without its top-level domain."""
    domain = registered_domain(url)
    return {_fold(domain), _fold(domain.split(".")[0])} if domain else set()


def _is_tagline(part: str) -> bool:
    words = part.lower().split()
    return bool(words) and all(word in TAGLINE_WORDS for word in words)


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _fold(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())
