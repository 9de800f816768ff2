"""One HTML page in, the article (text and metadata) or the reason it is not one, out.

`extract` is what `liputan clean` stores; `extract_text` returns exactly the stored body text,
so anyone can score it (`../shared/corpus/eval_extract.py -e crawler.extract:extract_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import trafilatura

from crawler.rules import NO_RULES, CleaningRules

__all__ = ["EXTRACTOR_VERSION", "Extraction", "extract", "extract_text"]

# Stored with every document; `liputan clean` re-extracts pages cleaned by another version.
EXTRACTOR_VERSION = "2026.11.27-0"

# Shorter bodies are teasers, paywall stubs or listing blurbs, not articles.
MIN_ARTICLE_WORDS = 40


@dataclass
class Extraction:
    is_article: bool
    reason: str | None = None  # why it is not an article: listing, too_short, ...
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    image: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def extract(html: str, url: str | None = None, *, rules: CleaningRules = NO_RULES,
            language: str | None = None) -> Extraction:
    """Extract the article of one page; `language` is the source's expected language."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        prune_xpath=None)
    if document is None or not (document.text or "").strip():
        return Extraction(is_article=False, reason="no_text")
    text = _drop_lines(document.text, rules)
    result = Extraction(
        is_article=True, title=document.title, authors=_split_authors(document.author),
        published_at=_date(document.date), language=document.language or language,
        site_name=document.sitename, canonical_url=document.url, description=document.description,
        image=document.image, categories=list(document.categories or []),
        tags=list(document.tags or []), text=text)
    if result.word_count < MIN_ARTICLE_WORDS:
        result.is_article, result.reason = False, "too_short"
    return result


def extract_text(html: str, url: str | None = None) -> str:
    """Exactly the body text `liputan clean` would store for this page ("" if none)."""
    result = extract(html, url)
    return result.text if result.is_article else ""


def _drop_lines(text: str, rules: CleaningRules) -> str:
    patterns = [re.compile(p) for p in rules.drop_patterns]
    lines = [line for line in text.splitlines() if not any(p.search(line) for p in patterns)]
    return "\n".join(lines).strip()


def _split_authors(author: str | None) -> list[str]:
    return [a.strip() for a in re.split(r";|,| dan | and ", author or "") if a.strip()]


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
