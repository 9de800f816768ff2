"""Reading for `liputan load`: pending documents, streamed and prepared for the merge.

Preparing is the Python half of the load: the article's key (`article_url`), the text's hash,
word count and MinHash sketch (computed here only where the clean step did not store them,
sql/006), and what would make the document a rejection. A thread runs it ahead of the merge
(crawler/load/merge.py). docs/load.md, "Bulk path, reruns, concurrency, crashes".
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from crawler import fingerprint
from crawler.db.connect import connection
from crawler.urls import canonicalize

__all__ = ["Pending", "article_url", "pending_batches", "reject_reason"]

logger = logging.getLogger(__name__)

# How many prepared batches the reader may run ahead of the writer.
PREFETCH_BATCHES = 2


@dataclass(slots=True)
class Pending:
    """One document to merge, as the reader prepared it."""

    fetch_id: int
    source: str
    url: str
    fetched_at: datetime
    cleaned_at: datetime
    key: str                        # the article's canonical URL
    linked_article: int | None      # already merged once (a re-cleaned document)
    sha: bytes | None = None
    word_count: int = 0
    sketch: fingerprint.Sketch | None = None
    bands: list[int] | None = None
    # The same as PostgreSQL array literals, written by the reader (COPY text format): the
    # writer's own conversion of 40 ints per document was a third of its Python time.
    sketch_sql: str | None = None
    bands_sql: str | None = None
    reject: str | None = None


# ------------------------------------------------------------------------------------------
# Decisions that need no database


def reject_reason(text: str | None) -> str | None:
    """Why a text cannot become an article, or None. PostgreSQL text cannot hold NUL."""
    if text is None or not text.strip():
        return "empty_text"
    if "\x00" in text:
        return "nul_byte"
    return None


# Second-level labels under a country code that are not themselves a site (kompas.co.id).
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "go", "gov", "mil", "my", "net", "or",
                           "org", "sch", "web", "ne"})


def _site(url: str) -> str:
    """The registrable domain of `url`, approximately: amp.kabar.co.id -> kabar.co.id.

    Without a public-suffix list: two labels, three when the second-level label is one of the
    usual ones under a two-letter country code.
    """
    labels = (urlsplit(url).hostname or "").lower().split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def article_url(fetch_canonical_url: str, page_url: str | None,
                document_canonical_url: str | None) -> str:
    """The canonical URL an article is kept under.

    The page's declared canonical (`<link rel=canonical>`, as the extractor found it) wins when
    it is an http(s) URL on the same site that is not the site's front page: it merges URL
    variants the crawler could not recognise (slug changes, ?page=1, AMP copies). Otherwise the
    fetch's canonical URL: a canonical pointing at another site is syndication (a duplicate of
    that outlet's article, not the same article), and one pointing at the front page is a common
    CMS bug that would merge every article of the site into one.
    """
    if not document_canonical_url:
        return fetch_canonical_url
    base = page_url or fetch_canonical_url
    try:
        declared = canonicalize(urljoin(base, document_canonical_url.strip()))
    except ValueError:
        return fetch_canonical_url
    parts = urlsplit(declared)
    if parts.scheme not in ("http", "https") or _site(declared) != _site(base):
        return fetch_canonical_url
    if parts.path in ("", "/") and not parts.query and urlsplit(base).path not in ("", "/"):
        return fetch_canonical_url
    return declared


def _prepare(row: tuple) -> Pending:
    (fetch_id, source, url, final_url, fetch_canonical, fetched_at, doc_canonical, cleaned_at,
     text, no_text, sha, word_count, sketch_sql, linked) = row
    item = Pending(fetch_id, source, url, fetched_at, cleaned_at,
                   article_url(fetch_canonical, final_url or url, doc_canonical), linked)
    if text is not None:
        # Read only when something derived from it was not stored (PENDING_SQL).
        item.reject = reject_reason(text)
        if item.reject:
            return item
        sha = sha or hashlib.sha256(text.encode()).digest()
        word_count = word_count if word_count is not None else len(text.split())
        sketch_sql = fingerprint.sketch_literal(text)
    elif no_text or not word_count:
        # word_count is len(text.split()) wherever it is stored: 0 means a blank text.
        item.reject = "empty_text"
        return item
    item.sha = bytes(sha)
    item.word_count = word_count
    if sketch_sql and sketch_sql != "{}":
        item.sketch = tuple(map(int, sketch_sql[1:-1].split(",")))
        item.bands = fingerprint.band_keys(item.sketch)
        item.sketch_sql = sketch_sql
        item.bands_sql = fingerprint.array_literal(item.bands)
    return item


# ------------------------------------------------------------------------------------------
# Reading


PENDING_SQL = """
SELECT d.fetch_id, f.source, f.url, f.final_url, f.canonical_url, f.fetched_at,
       d.canonical_url, d.cleaned_at,
       -- The text itself only when its hash, word count or sketch was not stored: reading
       -- and decompressing every text cost the reader as much as the rest of its work.
       CASE WHEN d.text_sha256 IS NULL OR d.word_count IS NULL OR d.sketch IS NULL
            THEN d.text END,
       d.text IS NULL, d.text_sha256, d.word_count, d.sketch::text, af.article_id
FROM liputan.documents d
JOIN liputan.fetches f USING (fetch_id)
LEFT JOIN liputan.article_fetches af USING (fetch_id)
WHERE d.loaded_at IS NULL AND d.is_article
  AND (%(sources)s::text[] IS NULL OR f.source = ANY(%(sources)s::text[]))
ORDER BY f.fetched_at, d.fetch_id
"""


PENDING_COUNT_SQL = """
SELECT count(*)
FROM liputan.documents d
JOIN liputan.fetches f USING (fetch_id)
WHERE d.loaded_at IS NULL AND d.is_article
  AND (%(sources)s::text[] IS NULL OR f.source = ANY(%(sources)s::text[]))
"""


def _pending_batches(dsn: str, sources: Sequence[str] | None,
                     batch_size: int) -> Iterator[list[Pending]]:
    # A server-side cursor: the pending set may not fit in memory.
    with (connection(dsn) as conn, conn.transaction(),
          conn.cursor(name="liputan_load_pending") as cur):
        cur.itersize = batch_size
        cur.execute(PENDING_SQL, {"sources": list(sources) if sources else None})
        while rows := cur.fetchmany(batch_size):
            yield [_prepare(row) for row in rows]


def _prefetched(batches: Iterator[list[Pending]], depth: int) -> Iterator[list[Pending]]:
    """Run `batches` in a thread, `depth` ahead: preparing (Python) overlaps merging (server)."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                handoff.put(batch)
            handoff.put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            handoff.put(exc)
        finally:
            close = getattr(batches, "close", None)
            if close:
                close()  # closes the reader's connection now, not at garbage collection

    thread = threading.Thread(target=produce, name="liputan-load-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                handoff.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()


def pending_batches(dsn: str, sources: Sequence[str] | None,
                    batch_size: int) -> Iterator[list[Pending]]:
    """The pending documents, prepared, batch by batch, read ahead of the merge by a thread.

    Until sql/006 a child process did this, to compute the sketches on a core of its own (in
    a thread they competed with the merge for the GIL). With the sketch stored by the clean
    step, preparing costs ~13 us a document; a thread starts at once where the process took
    ~0.5 s to start, and measured faster on 20,000 documents three runs out of three.
    """
    return _prefetched(_pending_batches(dsn, sources, batch_size), PREFETCH_BATCHES)
