"""A better body than trafilatura's choice when that choice is a list of teasers.

On some article pages trafilatura's first matching container is an "other news" box (teaser
headlines, one-line leads, "2 jam lalu"), a related-news list or a comment thread, and the
article itself sits in a container it did not look for. Such a text shares few words with the
page's own headline and description and is mostly short lines or link texts. Only then, on
pages declaring an article (about 1 in 70 in the corpus), are other candidates built: the
JSON-LD articleBody, a readability-style extraction of the unpruned page (trafilatura's copy of
readability-lxml) and trafilatura in precision mode. One replaces trafilatura's text only when
it is prose and matches the headline and description far better.

docs/extract.md, "Teaser lists".
"""

from __future__ import annotations

import html as entities
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.readability_lxml import Document as Readability

from crawler.clean import jsonld
from crawler.clean.dates import ARTICLE_TYPES
from crawler.clean.html_tree import fromstring, load_page

logger = logging.getLogger(__name__)

__all__ = ["better_body"]

# A body holding at least this share of the page's key words (headline and description, stop
# words aside; lines repeating them not counted) is kept without looking further. Measured on
# the corpus (scratch analysis with bench/low_f1.py's pages): article bodies of id_news and
# wcxb_test hold .84 of them in the median, .47 at the 5th percentile (14 of 271 under .5:
# abstract-like descriptions); the teaser box of tests/extract/test_candidates.py holds .40.
KEEP_FIT = 0.5
# Fewer key words than this (no description, a headline of two words): too little to judge by.
MIN_KEY_WORDS = 4
# A body under KEEP_FIT is looked at more closely only when, of its lines (at least MIN_LINES),
# this share is short (not a sentence: headlines, dates, names, "Balas") or this share is the
# text of a link in the page (the test's teaser box: .68 short, .32 linked; most low-fit
# article bodies: no linked line, under .5 short), or when it has under MIN_WORDS words. With
# the page declaring an article, candidates are then built on 21 of the corpus's 1,508 pages
# (~35 ms each: precision 25, readability 8), 0.5 % of extract_text's time in all.
MIN_LINES = 5
MIN_SHORT_SHARE = 0.6
MIN_LINKED_SHARE = 0.2
# A candidate replaces the body only when it holds this much more of the key words, and at least
# MIN_FIT of them: a generic description ("Berita terkini hari ini") leaves every candidate low,
# and then nothing changes. The two corpus pages replaced went from .32 to 1.0 and from .20 to
# .80, the test's teaser box from .40 to .87; no candidate of the other 19 came within bounds.
MIN_GAIN = 0.3
MIN_FIT = 0.6
# ... and when it is prose: this share of its words in sentences (a teaser list with one-line
# leads: .6 or less), and at least this many words. A body shorter than that, far from the key
# words, is looked at too (a site's slogan taken for the article).
MIN_SENTENCE_SHARE = 0.7
MIN_WORDS = 40
SENTENCE_MIN_WORDS = 8  # a shorter line ending with a full stop is a caption or a teaser lead
MIN_SENTENCE_BREAKS = 2  # "Sentence. Next" twice in a line: prose whatever its last word

# Function words of Indonesian and English: in a headline they say nothing of its story.
_STOP_WORDS = """
yang dan di ke dari untuk dengan pada ini itu dalam tidak akan juga atau oleh karena sebagai
ada bisa telah sudah para saat kata bagi agar hingga secara lebih masih menjadi namun serta
the and for with that this from are was were has have had not but you your its into about
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]?$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)\]]?\s+[\"“‘(]?[A-Z]")
_TAG = re.compile(r"<[^>]+>")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
           "br", "dd", "dt", "figcaption", "section", "article", "table")


@dataclass
class _Candidate:
    name: str
    text: str
    fit: float


def better_body(html: str, tree: HtmlElement, url: str | None, text: str, *,
                title: str | None, description: str | None,
                article_body: str | None, article: bool | None = None) -> str:
    """`text`, or a better candidate when `text` looks like teasers, related news or comments
    (or is a line or two) and shares few words with the page's headline and description.

    html: the page as given; tree: the page as parsed and pruned (not modified here);
    article_body: JSON-LD articleBody where the page has one; article: whether the page
    declares itself an article (metadata.is_article_type), read from `tree` when not given.
    A page that does not is left alone: on a listing, the list is the content.
    """
    key = key_words(title, description)
    if len(key) < MIN_KEY_WORDS:
        return text
    shown = (title, description)
    current = fit(text, key, shown)
    if current >= KEEP_FIT or not (len(text.split()) < MIN_WORDS or looks_like_teasers(text, tree)):
        return text
    if article is None:
        article = bool(article_body) or declares_article(tree)
    if not article:
        return text
    best = _best_candidate(key, shown, current, (
        ("articleBody", lambda: _article_body(article_body)),
        ("readability", lambda: _readability(html)),
        ("precision", lambda: _precision(tree, url)),
    ))
    if best is None:
        return text
    logger.debug("body of %s from %s (key words %.2f instead of %.2f)",
                 url, best.name, best.fit, current)
    return best.text


def looks_like_teasers(text: str, tree: HtmlElement) -> bool:
    """Mostly short lines (headlines, dates, names, "Balas"), or many lines that are the text
    of links in the page: a teaser box, a related-news list or a comment thread."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(lines) < MIN_LINES:
        return False
    short = sum(len(line.split()) < SENTENCE_MIN_WORDS or not _SENTENCE_END.search(line)
                for line in lines)
    if short >= MIN_SHORT_SHARE * len(lines):
        return True
    anchors = {" ".join(link.text_content().split()) for link in tree.iter("a")}
    return sum(line in anchors for line in lines) >= MIN_LINKED_SHARE * len(lines)


def key_words(title: str | None, description: str | None) -> set[str]:
    """The words that name what the page is about: its headline's and description's."""
    return {word for word in _words(f"{title or ''} {description or ''}")
            if len(word) > 2 and word not in STOP_WORDS}


def fit(text: str, key: set[str], shown: tuple[str | None, ...] = ()) -> float:
    """Share of the key words `text` holds, its lines repeating the headline or description
    aside: a teaser box often lists the page's own headline, and a candidate must not win by
    printing the headline and lead above the article rather than the article."""
    if not key:
        return 0.0
    repeated = {" ".join(_words(line)) for line in shown if line}
    words = set()
    for line in text.splitlines():
        tokens = _words(line)
        if tokens and " ".join(tokens) not in repeated:
            words.update(tokens)
    return len(key & words) / len(key)


def is_prose(text: str) -> bool:
    """Enough words, most of them in sentences: an article, not a list of headlines."""
    counts = [(len(line.split()), line.rstrip()) for line in text.splitlines()]
    total = sum(count for count, _ in counts)
    in_sentences = sum(count for count, line in counts
                       if count >= SENTENCE_MIN_WORDS and _is_sentences(line))
    return total >= MIN_WORDS and in_sentences >= MIN_SENTENCE_SHARE * total


def _is_sentences(line: str) -> bool:
    # a line ending a sentence, or holding several: an articleBody is often one line of the
    # whole article, ending with the author's bio rather than a full stop
    return _SENTENCE_END.search(line) is not None or \
        len(_SENTENCE_BREAK.findall(line)) >= MIN_SENTENCE_BREAKS


def declares_article(tree: HtmlElement) -> bool:
    """og:type or a JSON-LD @type says the page is an article (as metadata.is_article_type)."""
    og_type = tree.xpath('string(.//head/meta[@property="og:type"]/@content)').strip().lower()
    if og_type in ARTICLE_TYPES:
        return True
    for item in jsonld.objects(tree):
        types = item.get("@type")
        for name in types if isinstance(types, list) else [types]:
            if isinstance(name, str) and name.lower() in ARTICLE_TYPES:
                return True
    return False


def _best_candidate(key: set[str], shown: tuple[str | None, ...], current: float,
                    builders: tuple[tuple[str, Callable[[], str]], ...]) -> _Candidate | None:
    """The candidate matching the key words best, if it beats `current` by MIN_GAIN and is prose."""
    best = None
    for name, build in builders:
        try:
            candidate = build()
        except Exception:  # one failing extractor must not cost the page its body
            logger.debug("candidate %s failed", name, exc_info=True)
            continue
        if not candidate:
            continue
        score = fit(candidate, key, shown)
        if score < max(MIN_FIT, current + MIN_GAIN) or not is_prose(candidate):
            continue
        if best is None or score > best.fit:
            best = _Candidate(name, candidate, score)
    return best


def _article_body(article_body: str | None) -> str:
    """JSON-LD articleBody as lines: some sites put HTML and entities in it."""
    if not article_body:
        return ""
    text = entities.unescape(_TAG.sub("\n", article_body)) if "<" in article_body else \
        entities.unescape(article_body)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _precision(tree: HtmlElement, url: str | None) -> str:
    # bare_extraction cleans a copy: the tree stays as extract.py's later stages expect it;
    # fast: without trafilatura's own readability and jusText fallbacks (90 ms instead of 25 ms
    # on the pages concerned), readability being a candidate of its own
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
        include_formatting=False, deduplicate=False, favor_precision=True, fast=True)
    return (document.text or "") if document is not None else ""


def _readability(html: str) -> str:
    """readability's main block (trafilatura's copy of readability-lxml), one line per block.
    It rewrites the tree it reads: the page is parsed again, unpruned, as readability expects."""
    tree = load_page(html)
    if tree is None:
        return ""
    summary = Readability(tree, min_text_length=25).summary()
    if not summary.strip():
        return ""
    root = fromstring(summary)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())
