"""One HTML page in, the article (text and metadata) or the reason it is not one, out.

`extract` is what `liputan clean` stores; `extract_text` returns exactly the stored body text,
so anyone can score it (`../shared/corpus/eval_extract.py -e crawler.clean.extract:extract_text`).
The cascade of stages, each working on what the previous one left, is docs/extract.md.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.article import ArticleFields, count_words
from crawler.clean import metadata as meta
from crawler.clean.authors import text_authors
from crawler.clean.candidates import better_body
from crawler.clean.cards import card_lines
from crawler.clean.html_tree import control_characters, load_page
from crawler.clean.language import text_language
from crawler.clean.origin import cut_origin
from crawler.clean.paragraphs import within_liputan
from crawler.clean.prune import (
    keep_page_sized_comment_boxes,
    may_have_boxes,
    may_have_comment_boxes,
    prune,
)
from crawler.clean.recall import question_and_answers, restore
from crawler.clean.residue import clean_text, without_server_errors
from crawler.clean.rules import NO_RULES, CleaningRules
from crawler.clean.second_pass import fell_back_to_wild_text, recall_body
from crawler.decode import repair_double_utf8
from crawler.patterns import compile_pattern

logger = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "Extraction", "extract", "extract_text"]

# Stored with every document; `liputan clean` re-extracts pages cleaned by another version.
EXTRACTOR_VERSION = "2026.12.06-6"

# Shorter bodies are teasers or listing blurbs, not articles, unless the page declares itself
# an article (JSON-LD, og:type) or a paywalled one: then a short text is still coverage.
MIN_ARTICLE_WORDS = 40
MIN_DECLARED_WORDS = 10
# Bigger inputs are not web pages (or are pages with megabytes of inline data): the scripts and
# styles are dropped first, and what is still above this is refused rather than parsed.
MAX_HTML_CHARS = 5_000_000
# Shares of C0 control characters (NUL included, whitespace not) and of U+FFFD (what a decoder
# leaves of undecodable bytes) above which a "page" is binary data; real pages carry a few
# stray NULs (one in the trafilatura corpus has 22 in its first 100 kB).
MAX_CONTROL_SHARE = 0.01
MAX_REPLACEMENT_SHARE = 0.2
# A page whose words are mostly in short headline lines rather than in sentences is a list of
# links to articles (index, tag or search page) unless it declares itself an article.
LISTING_MAX_SENTENCE_SHARE = 0.35
LISTING_MIN_LINES = 8

PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read)|subscribers? only|for subscribers|"
    r"already a subscriber|to continue reading|artikel ini khusus (?:untuk )?pelanggan|"
    r"konten (?:ini )?(?:khusus|eksklusif) (?:untuk )?pelanggan|berlangganan untuk membaca|"
    r"khusus pelanggan)\b", re.IGNORECASE)
LISTING_PATH = re.compile(
    r"/(?:tag|tags|topik|topic|topics|category|categories|kategori|kanal|indeks|index|search|"
    r"cari|arsip|archive|author|penulis|label)(?:/|$|\?)|[?&](?:page|halaman|p)=\d+$|"
    r"/page/\d+/?$", re.IGNORECASE)
DISCUSSION_PATH = re.compile(
    r"/(?:threads?|topic|topics|t|discussion|discussions|questions|forums?|community|"
    r"viewtopic\.php|showthread\.php)(?:/|\?|$|\.)", re.IGNORECASE)
DISCUSSION_TYPES = {"discussionforumposting", "qapage", "question"}

# A body of fewer words, on a page not declaring itself an article, is completed by the page's
# grid of item cards if it has one (crawler.clean.cards): a shop's category page.
CARD_PAGE_MAX_WORDS = 80
# A body holding less than this share of the page's text (scripts aside) is checked for a
# page-sized "comment" box trafilatura removed (crawler.clean.prune.keep_page_sized_comment_boxes):
# the check costs 2 ms a page, the share 0.2 ms.
SHORT_BODY_SHARE = 0.4
_BODY_CHARS = XPath("string-length(normalize-space(//body))")
_HEAVY = re.compile(r"<(script|style|svg)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# a line ending a sentence: Latin scripts, Chinese/Japanese ("。", full-width marks), the
# danda of Hindi, Nepali and Bengali ("।"), Burmese "။", Ethiopic "።", Arabic "؟", Urdu "۔",
# Armenian "։" and Tibetan "།"
_SENTENCE = re.compile(r"[.!?。！？।॥။።؟۔։།][\"”’)」』]?$")
# scripts that mark no sentence end at all (Thai, Lao, Khmer: a space between sentences): a
# line in them is running text when it is longer than headlines are (120 characters)
_UNMARKED_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff]{8}")
UNMARKED_SENTENCE_WORDS = 24


@dataclass
class Extraction(ArticleFields):
    is_article: bool
    reason: str | None = None  # why it is not an article: listing, too_short, ...
    text: str = ""

    @property
    def word_count(self) -> int:
        return count_words(self.text)


def extract(html: str, url: str | None = None, *, rules: CleaningRules = NO_RULES,
            language: str | None = None, timezone: ZoneInfo | None = None) -> Extraction:
    """Extract the article of one page.

    language: the source's (a prior for the detected one); timezone: the source's, for dates
    the page gives without a zone.

    Never raises for bad input: the result then has `is_article=False` and a `reason`.
    """
    refused = _refusal(html)
    if refused:
        return Extraction(is_article=False, reason=refused)
    if len(html) > MAX_HTML_CHARS:
        html = _HEAVY.sub("", html)
        if len(html) > MAX_HTML_CHARS:
            return Extraction(is_article=False, reason="too_large")
    html = html.replace("\x00", "")  # libxml2 stops at a NUL
    try:
        return _extract(html, url, rules, language, timezone)
    except Exception:  # a parser or extractor bug on one page must not stop a clean run
        logger.warning("extraction failed for %s", url, exc_info=True)
        return Extraction(is_article=False, reason="extraction_failed")


def extract_text(html: str, url: str | None = None) -> str:
    """Exactly the body text `liputan clean` would store for this page ("" if none)."""
    return extract(html, url).text


def _refusal(html: object) -> str | None:
    if not isinstance(html, str):
        return "not_text"
    if not html.strip():
        return "no_text"
    sample = html[:100_000]
    if control_characters(sample) > MAX_CONTROL_SHARE * len(sample) or \
            sample.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(sample):
        return "binary"
    return None


def _extract(html: str, url: str | None, rules: CleaningRules, language: str | None,
             timezone: ZoneInfo | None) -> Extraction:
    # pages encoded twice by their CMS ("weâ€™re"): repaired before parsing, because the
    # extractor drops the C1 control characters such runs hold
    html = repair_double_utf8(html)
    # trafilatura returns its text in NFC; the other routes to a body (the restore net, the
    # candidates, JSON-LD) read the tree as written. One form for all, or a line in another
    # form is taken for a new one (Bengali ya + nukta: precomposed in markup, NFC splits it)
    html = unicodedata.normalize("NFC", html)
    tree = load_page(html)
    if tree is None:
        return Extraction(is_article=False, reason="no_text")
    found = meta.read_metadata(tree, url, timezone=timezone)
    prune(tree, rules.drop_selectors, general=may_have_boxes(html))
    discussion = _is_discussion(found, url)
    # a question-and-answer page whose markup names its posts: the posts, all of them
    posts = question_and_answers(tree) if discussion else None
    raw = posts or _body(tree, url, found, discussion,
                         comment_boxes=may_have_comment_boxes(html))
    if not posts:
        raw = _without_server_errors(raw, tree, url)
        raw = better_body(html, tree, url, raw, title=found.title,
                          description=found.description, article_body=found.article_body,
                          article=meta.is_article_type(found))
    detected = text_language(raw, declared=found.declared_language, expected=language)
    text = clean_text(raw, language=detected, title=found.title,
                      drop_patterns=_patterns(rules.drop_patterns))
    text, origin = cut_origin(text, raw=raw)
    authors, text = text_authors(found.authors, text, site_name=found.site_name,
                                 url=found.canonical_url or url)
    result = Extraction(is_article=True, text=text, **{
        **found.article_fields(), "language": detected, "authors": authors})
    if origin:
        result.origin_outlet, result.origin_url, result.origin_title = \
            origin.outlet, origin.url, origin.title
    words = result.word_count  # counted once: a long text's count costs a tenth of a ms
    result.access = "paywalled" if _paywalled(result, found, words) else "free"
    result.reason = _verdict(result, found, url, words)
    result.is_article = result.reason is None
    return result


def _body(tree: HtmlElement, url: str | None, found: meta.Metadata, discussion: bool, *,
          comment_boxes: bool = True) -> str:
    """trafilatura's body (with the posts of a discussion), completed by the recall nets."""
    document, wild = fell_back_to_wild_text(lambda: _trafilatura(tree, url, comments=discussion))
    if discussion:
        # the posts trafilatura took as comments are posts too: evidence for the others
        text = "\n".join(part for part in (document.text, document.comments) if part)
        return restore(tree, text, posts=True)
    text = document.text
    # the page's length matters only to the comment-box check and the second pass
    page_chars = _page_chars(tree) if comment_boxes or wild else 0
    if comment_boxes and len(text) < SHORT_BODY_SHARE * page_chars and \
            keep_page_sized_comment_boxes(tree):
        # trafilatura removed the page's wrapper as comments: again, with the wrapper kept
        document, wild = fell_back_to_wild_text(lambda: _trafilatura(tree, url))
        text = document.text
    if wild:
        # no container trafilatura knows: its recall mode also takes divs and lists
        text = recall_body(tree, text, page_chars, lambda part: _trafilatura(
            part, url, favor_recall=True, fast=True).text)
    article = meta.is_article_type(found)
    # a page declaring itself an article is one text, not a series of posts or sections:
    # the repeated-block net (5 % of the extraction time) is for the other pages
    text = restore(tree, text, repeated=not article)
    if not article and len(text.split()) < CARD_PAGE_MAX_WORDS:
        # a shop's category page: its content is a grid of cards, not prose
        known = set(text.splitlines())
        text = "\n".join([text, *(line for line in card_lines(tree) if line not in known)])
    return text.strip()


def _without_server_errors(text: str, tree: HtmlElement, url: str | None) -> str:
    """The body without the site's error messages; when they were all of it, trafilatura's
    choice in precision mode, which looks at other containers."""
    kept = without_server_errors(text)
    if text.strip() and not kept.strip():
        kept = without_server_errors(_trafilatura(tree, url, favor_precision=True).text)
    return kept


@dataclass
class _Body:
    text: str = ""
    comments: str = ""


def _trafilatura(tree: HtmlElement, url: str | None, *, comments: bool = False,
                 **options: bool) -> _Body:
    with within_liputan():  # its jusText fallback with the same paragraphs, made faster
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=False, include_comments=comments, include_tables=True,
            include_formatting=False, deduplicate=False, **options)
    if document is None:
        return _Body()
    return _Body(document.text or "", document.comments or "")


def _page_chars(tree: HtmlElement) -> int:
    """Characters of the page's text (scripts and styles left out), cheaply."""
    hidden = sum(len(" ".join((element.text or "").split()))
                 for element in tree.iter("script", "style", "noscript", "template"))
    return int(_BODY_CHARS(tree)) - hidden


def _paywalled(result: Extraction, found: meta.Metadata, words: int) -> bool:
    return found.paywalled or (words < 3 * MIN_ARTICLE_WORDS
                               and PAYWALL.search(result.text) is not None)


def _verdict(result: Extraction, found: meta.Metadata, url: str | None, words: int
             ) -> str | None:
    """Why the page is not an article, or None. Language and access never make a page
    something else: a paywalled teaser or an English article on an Indonesian site is coverage.
    """
    if not meta.is_article_type(found) and _looks_like_listing(result.text, found, url):
        return "listing"
    if not result.text:
        return "no_text"
    minimum = MIN_DECLARED_WORDS if meta.is_article_type(found) or result.access == \
        "paywalled" else MIN_ARTICLE_WORDS
    if words < minimum:
        return "too_short"
    return None


def _looks_like_listing(text: str, found: meta.Metadata, url: str | None) -> bool:
    if meta.is_listing_type(found) or (url and LISTING_PATH.search(url)):
        return True
    lines = text.splitlines()
    if len(lines) < LISTING_MIN_LINES:
        return False
    words = [count_words(line) for line in lines]
    in_sentences = sum(count for line, count in zip(lines, words) if count > 8 and (
        _SENTENCE.search(line) or
        count > UNMARKED_SENTENCE_WORDS and _UNMARKED_SCRIPT.search(line)))
    return in_sentences < LISTING_MAX_SENTENCE_SHARE * sum(words)


def _is_discussion(found: meta.Metadata, url: str | None) -> bool:
    return bool(found.page_types & DISCUSSION_TYPES) or bool(url and DISCUSSION_PATH.search(url))


def _patterns(patterns: tuple[str, ...]) -> tuple:
    # RE2, as validated: a source's pattern cannot hang a clean worker on a crafted line
    return tuple(compile_pattern(p) for p in patterns)
