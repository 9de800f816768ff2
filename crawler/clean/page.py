"""One stored page in, one `liputan.documents` row out: gunzip, decode, extract.

Every outcome is a row; a page that is not an article keeps its reason (docs/clean.md,
"Reasons").
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from crawler.article import FIELDS, LIST_FIELDS, SQL_TYPES, ArticleFields, count_words
from crawler.clean.extract import Extraction, extract
from crawler.clean.rules import NO_RULES, CleaningRules
from crawler.decode import NotText, decode_body

logger = logging.getLogger(__name__)

__all__ = ["MAX_PAGE_BYTES", "DocumentRow", "SourcePolicy", "clean_page", "not_article"]

# Real article pages are under 2 MB with their inline scripts; trafilatura refuses 20 MB
# itself. Bigger bodies are feeds, dumps or traps, and parsing them would stall a worker.
MAX_PAGE_BYTES = 10_000_000

Extractor = Callable[..., Extraction]


@dataclass
class DocumentRow(ArticleFields):
    """A row of liputan.documents, in COLUMNS order."""

    fetch_id: int
    extractor_version: str
    is_article: bool
    reason: str | None = None
    text: str | None = None
    text_sha256: bytes | None = None
    word_count: int | None = None
    encoding: str | None = None  # how the body was decoded: logged, not stored

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "fetch_id", "extractor_version", "is_article", "reason", *FIELDS,
        "text", "text_sha256", "word_count")

    def row(self) -> tuple:
        return tuple(getattr(self, name) for name in self.COLUMNS)


def not_article(fetch_id: int, version: str, reason: str) -> DocumentRow:
    return DocumentRow(fetch_id=fetch_id, extractor_version=version, is_article=False, reason=reason)


def clean_page(fetch_id: int, body_gz: bytes | None, *, version: str, url: str | None = None,
               body: bytes | None = None,
               content_type: str | None = None, body_sha256: bytes | None = None,
               body_bytes: int | None = None, rules: CleaningRules = NO_RULES,
               language: str | None = None, timezone: ZoneInfo | None = None,
               policy: SourcePolicy | None = None,
               extractor: Extractor = extract,
               listed: tuple[datetime, str] | None = None) -> DocumentRow:
    """Clean one stored page; never raises for anything the page contains.

    language and timezone: the source's (priors for the page's); policy: what the source
    chose not to store (languages, min_words), recorded as the page's reason. body: the raw
    body instead of body_gz (read back from a WARC). listed: (date, "feed" or "sitemap"), what
    the feed or sitemap that listed the page says of it: its publication time when the page
    states none.
    """
    if body_bytes is not None and body_bytes > MAX_PAGE_BYTES:
        return not_article(fetch_id, version, "too_large")  # not even uncompressed
    if body is None:
        try:
            body = gunzip(body_gz, MAX_PAGE_BYTES)
        except TooLarge:
            return not_article(fetch_id, version, "too_large")
        except ValueError as exc:
            logger.debug("fetch %s: corrupt body: %s", fetch_id, exc)
            return not_article(fetch_id, version, "corrupt_body")
    if body_sha256 is not None and hashlib.sha256(body).digest() != bytes(body_sha256):
        return not_article(fetch_id, version, "corrupt_body")
    try:
        decoded = decode_body(body, content_type)
    except NotText as exc:
        logger.debug("fetch %s: not text: %s", fetch_id, exc)
        return not_article(fetch_id, version, "not_text")
    if not decoded.text.strip():
        return not_article(fetch_id, version, "empty")
    try:
        extraction = extractor(decoded.text, url, rules=rules, language=language,
                               timezone=timezone)
    except Exception as exc:  # noqa: BLE001 -- an extractor bug is a page reason, not a crash
        logger.warning("fetch %s: extraction failed: %s: %s", fetch_id, type(exc).__name__, exc)
        return not_article(fetch_id, version, "extraction_failed")
    if listed and extraction.published_at is None:
        extraction.published_at, extraction.published_at_source = listed
    if policy and extraction.is_article:
        extraction.reason = policy.exclusion(extraction)
        extraction.is_article = extraction.reason is None
    document = from_extraction(fetch_id, version, extraction)
    document.encoding = decoded.encoding
    return document


@dataclass(frozen=True)
class SourcePolicy:
    """Articles a source chose not to store (`languages`, `min_words` in the sources file)."""

    languages: tuple[str, ...] = ()
    min_words: int = 0

    def exclusion(self, extraction: Extraction) -> str | None:
        if self.languages and (extraction.language or "")[:2] not in self.languages:
            return "excluded_language"
        if extraction.word_count < self.min_words:
            return "below_min_words"
        return None


class TooLarge(ValueError):
    pass


def gunzip(data: bytes, limit: int) -> bytes:
    """Uncompress without ever holding more than `limit` + 1 bytes (a gzip bomb is too_large)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(bytes(data), limit + 1)
    except zlib.error as exc:
        raise ValueError(str(exc)) from exc
    if len(body) > limit:
        raise TooLarge(f"more than {limit} bytes")
    if not inflater.eof:
        raise ValueError("truncated gzip stream")
    return body


def from_extraction(fetch_id: int, version: str, extraction: Extraction) -> DocumentRow:
    text = _text(extraction.text) or ""
    is_article = bool(extraction.is_article)
    reason = None if is_article else _text(extraction.reason) or "not_article"
    return DocumentRow(
        fetch_id=fetch_id, extractor_version=version, is_article=is_article, reason=reason,
        text=text, text_sha256=hashlib.sha256(text.encode("utf-8")).digest(),
        word_count=count_words(text), **_storable(extraction))


def _storable(extraction: Extraction) -> dict[str, object]:
    """The extraction's fields as PostgreSQL takes them (see _text)."""
    stored = {}
    for name, value in extraction.article_fields().items():
        if name in LIST_FIELDS:
            value = _texts(value)
        elif SQL_TYPES[name] == "text":
            value = _text(value)
        stored[name] = value
    return stored


def _text(value: object) -> str | None:
    """A string PostgreSQL accepts: no NUL, no lone surrogate (from broken UTF-16)."""
    if value is None:
        return None
    value = str(value)
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _texts(values: object) -> list[str]:
    return [text for text in (_text(v) for v in values or ()) if text]
