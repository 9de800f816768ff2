"""`liputan load`: cleaned documents -> articles, with provenance, versions and duplicates.

Reads the pending rows of liputan.documents (and 304 fetches) and writes liputan.articles,
article_versions, article_fetches and article_lsh in batches by COPY and INSERT ... SELECT;
a rerun changes nothing. What an article is, duplicates, the bulk path: docs/load.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from psycopg import sql

from crawler import fingerprint
from crawler.article import FIELDS, LIST_FIELDS, ArticleFields, assignments, column_list
from crawler.db.connect import connection
from crawler.errors import UserError
from crawler.load.reader import Pending, article_url, pending_batches, reject_reason
from crawler.progress import Progress

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "LOCK_KEY",
    "ExternalDocument",
    "LoadResult",
    "article_url",
    "load",
    "load_documents",
    "reject_reason",
    "store_documents",
]

logger = logging.getLogger(__name__)

# Any constant works; every process that loads into this database must use the same one.
LOCK_KEY = 0x4C4F4144  # "LOAD"
# Large enough that per-statement overhead vanishes (11 statements per batch), small enough
# that a crash loses little work and the lock is held well under a second.
DEFAULT_BATCH_SIZE = 2000

OUTCOMES = ("new", "updated", "unchanged", "duplicate")


@dataclass
class LoadResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    rejected: int = 0
    not_modified: int = 0   # 304 fetches linked (also counted in unchanged)
    waiting: int = 0        # 304 fetches whose URL has no article yet: linked by a later load
    skipped: int = 0        # documents another load merged first, or re-cleaned meanwhile
    batches: int = 0
    rejections: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        text = (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.duplicate} duplicate, {self.rejected} rejected")
        if self.rejections:
            text += " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.rejections.items())) + ")"
        if self.waiting:
            text += f", {self.waiting} not-modified waiting for their article"
        return text + f" in {self.batches} batch(es)"


# ------------------------------------------------------------------------------------------
# Writing one batch


# The planner's estimates for the temporary tables are guesses, and a guess large enough to
# trigger JIT compilation cost ~1 s per statement (measured: more than the statement itself).
# random_page_cost: the default (4) prices an index probe for a spinning disk, so with a batch
# of 2,000 keys the planner joined by reading all of articles instead, every batch: the load
# slowed down as the table grew (measured on 50,000 documents: 8.3 s of server CPU, batches
# 0.35 -> 0.6 s; at 1.1, the usual value for SSD or cached data, 5.6 s and flat ~0.3 s).
SESSION_SQL = "SET jit = off; SET random_page_cost = 1.1"

TEMP_TABLES = """
CREATE TEMPORARY TABLE IF NOT EXISTS load_articles (
    canonical_url text PRIMARY KEY, is_new boolean, source text, url text,
    text_fetch_id bigint, text_sha256 bytea, word_count integer, sketch integer[],
    version integer, text_created_at timestamptz,
    duplicate_id bigint, duplicate_key text, duplicate_kind text,
    first_seen_at timestamptz, last_seen_at timestamptz
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS load_versions (
    article_id bigint, version integer, fetch_id bigint, text_sha256 bytea,
    word_count integer, created_at timestamptz
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS load_links (
    fetch_id bigint, article_id bigint, version integer, outcome text
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS load_lsh (
    article_id bigint, lsh bigint[]
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS load_candidates (
    idx integer, keys bigint[]
) ON COMMIT DELETE ROWS;
"""

# Claims the batch's documents that are still pending as the reader saw them (a concurrent
# load may have merged them, a re-clean replaced them): marks them loaded and keeps them
# locked until the batch commits. One statement for what a SELECT ... FOR UPDATE and a later
# UPDATE did: each wrote every row once.
CLAIM_SQL = """
UPDATE liputan.documents d SET loaded_at = now()
FROM unnest(%s::bigint[], %s::timestamptz[]) AS p(fetch_id, cleaned_at)
WHERE d.fetch_id = p.fetch_id AND d.cleaned_at = p.cleaned_at
  AND d.loaded_at IS NULL AND d.is_article
RETURNING d.fetch_id
"""

EXISTING_SQL = """
SELECT a.article_id, a.canonical_url, a.text_sha256, a.version, a.last_seen_at,
       (SELECT max(v.version) FROM liputan.article_versions v
        WHERE v.article_id = a.article_id) AS max_version
FROM liputan.articles a
WHERE a.canonical_url = ANY(%s) OR a.article_id = ANY(%s)
"""

EXACT_SQL = """
SELECT DISTINCT ON (text_sha256) text_sha256, article_id, duplicate_of, duplicate_kind
FROM liputan.articles
WHERE text_sha256 = ANY(%s)
ORDER BY text_sha256, article_id
"""

# One index probe per band key and one per candidate, written as LATERAL subqueries that
# cannot be flattened (OFFSET 0): as plain joins the planner misjudged how many articles share
# a key and sorted the whole of article_lsh joined with articles for every batch (measured:
# ~1 s per batch at 30,000 articles, growing with the tables; 0.07 s this way).
NEAR_SQL = """
SELECT c.idx, a.article_id, a.sketch, a.duplicate_of
FROM load_candidates c
CROSS JOIN LATERAL unnest(c.keys) AS k(key)
CROSS JOIN LATERAL (SELECT l.article_id FROM liputan.article_lsh l
                    WHERE l.key = k.key OFFSET 0) l
CROSS JOIN LATERAL (SELECT a.article_id, a.sketch, a.duplicate_of FROM liputan.articles a
                    WHERE a.article_id = l.article_id AND a.sketch IS NOT NULL OFFSET 0) a
"""

# An article's fields as the document has them; its canonical_url is the load's own.
_FROM_DOCUMENT = tuple(name for name in FIELDS if name != "canonical_url")

INSERT_ARTICLES_SQL = sql.SQL("""
INSERT INTO liputan.articles (
    source, canonical_url, url, {fields}, text, text_sha256, word_count, sketch, version,
    version_fetch_id, version_created_at, duplicate_of, duplicate_kind, first_seen_at,
    last_seen_at)
SELECT t.source, t.canonical_url, t.url, {document_fields}, d.text, t.text_sha256,
       t.word_count, t.sketch, t.version, t.text_fetch_id, t.text_created_at,
       coalesce(t.duplicate_id,
                (SELECT o.article_id FROM liputan.articles o
                 WHERE o.canonical_url = t.duplicate_key)),
       t.duplicate_kind, t.first_seen_at, t.last_seen_at
FROM load_articles t
JOIN liputan.documents d ON d.fetch_id = t.text_fetch_id
WHERE t.is_new AND (t.duplicate_key IS NULL) = %(roots)s
ON CONFLICT (canonical_url) DO NOTHING
RETURNING canonical_url, article_id
""").format(fields=column_list(_FROM_DOCUMENT), document_fields=column_list(_FROM_DOCUMENT, "d"))

# Only if an INSERT above met a conflict (an article made outside the load): its id.
ARTICLE_IDS_SQL = """
SELECT canonical_url, article_id FROM liputan.articles WHERE canonical_url = ANY(%s)
"""

# The current text is about to be replaced: it becomes one of the article's other versions
# (sql/007: a text is stored once, in articles while current, in article_versions after).
ARCHIVE_CURRENT_SQL = """
INSERT INTO liputan.article_versions (article_id, version, title, text, text_sha256, word_count,
                                      fetch_id, created_at)
SELECT a.article_id, a.version, a.title, a.text, a.text_sha256, a.word_count,
       a.version_fetch_id, a.version_created_at
FROM load_articles t
JOIN liputan.articles a ON a.canonical_url = t.canonical_url
WHERE NOT t.is_new AND t.text_fetch_id IS NOT NULL
ON CONFLICT (article_id, version) DO NOTHING
"""

# A new text keeps the article's date (and what gave it) if the new document has none.
UPDATE_TEXT_SQL = sql.SQL("""
UPDATE liputan.articles a
SET {fields}, published_at = coalesce(d.published_at, a.published_at),
    published_at_source = CASE WHEN d.published_at IS NULL THEN a.published_at_source
                               ELSE d.published_at_source END, text = d.text,
    text_sha256 = t.text_sha256, word_count = t.word_count, sketch = t.sketch,
    version = t.version, version_fetch_id = t.text_fetch_id,
    version_created_at = t.text_created_at,
    last_seen_at = greatest(a.last_seen_at, t.last_seen_at), search = NULL
FROM load_articles t
JOIN liputan.documents d ON d.fetch_id = t.text_fetch_id
WHERE NOT t.is_new AND a.canonical_url = t.canonical_url
""").format(fields=assignments([name for name in _FROM_DOCUMENT
                                 if name not in ("published_at", "published_at_source")], "d"))

UPDATE_SEEN_SQL = """
UPDATE liputan.articles a SET last_seen_at = t.last_seen_at
FROM load_articles t
WHERE NOT t.is_new AND t.text_fetch_id IS NULL AND a.canonical_url = t.canonical_url
  AND a.last_seen_at < t.last_seen_at
"""

INSERT_VERSIONS_SQL = """
INSERT INTO liputan.article_versions (article_id, version, title, text, text_sha256, word_count,
                                      fetch_id, created_at)
SELECT t.article_id, t.version, d.title, d.text, t.text_sha256, t.word_count, t.fetch_id,
       t.created_at
FROM load_versions t
JOIN liputan.documents d ON d.fetch_id = t.fetch_id
ON CONFLICT (article_id, version) DO NOTHING
"""

INSERT_LINKS_SQL = """
INSERT INTO liputan.article_fetches (fetch_id, article_id, version, outcome)
SELECT t.fetch_id, t.article_id, t.version, t.outcome
FROM load_links t
ON CONFLICT (fetch_id) DO UPDATE SET version = EXCLUDED.version
    WHERE liputan.article_fetches.version IS DISTINCT FROM EXCLUDED.version
RETURNING outcome, (xmax = 0) AS inserted
"""

INSERT_LSH_SQL = """
INSERT INTO liputan.article_lsh (key, article_id)
SELECT k.key, t.article_id
FROM load_lsh t
CROSS JOIN unnest(t.lsh) AS k(key)
"""

REJECT_SQL = """
INSERT INTO liputan.load_rejections (fetch_id, reason, detail) VALUES (%s, %s, %s)
ON CONFLICT (fetch_id) DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail,
    rejected_at = now()
"""

CLEAR_REJECTIONS_SQL = "DELETE FROM liputan.load_rejections WHERE fetch_id = ANY(%s)"


@dataclass(slots=True)
class _Article:
    """What one batch knows and decides about one article (existing or new)."""

    key: str
    article_id: int | None
    sha: bytes
    version: int
    max_version: int
    last_seen_at: datetime
    is_new: bool
    source: str = ""
    url: str = ""
    first_seen_at: datetime | None = None
    text_fetch_id: int | None = None    # fetch whose document holds the (new) current text
    text_created_at: datetime | None = None  # when that fetch was made
    word_count: int = 0
    sketch: fingerprint.Sketch | None = None
    bands: list[int] | None = None
    sketch_sql: str | None = None
    bands_sql: str | None = None
    duplicate_id: int | None = None
    duplicate_key: str | None = None
    duplicate_kind: str | None = None
    touched: bool = False


class _Batch:
    """Decides, in fetch order, what each document does; then writes it all set-based."""

    def __init__(self, items: list[Pending]):
        self.items = items
        self.articles: dict[str, _Article] = {}
        self.by_id: dict[int, _Article] = {}
        self.versions: list[tuple] = []
        self.links: list[tuple] = []
        self.exact_in_db: dict[bytes, tuple[int, str]] = {}
        self.near_in_db: dict[int, dict[int, tuple[list[int], int | None]]] = {}
        self.exact_here: dict[bytes, str] = {}
        self.near_here: dict[int, list[tuple[str, fingerprint.Sketch]]] = {}

    # -- reading what exists -------------------------------------------------------------

    def read_existing(self, cur: psycopg.Cursor) -> None:
        keys = list({p.key for p in self.items})
        linked = list({p.linked_article for p in self.items if p.linked_article})
        for article_id, key, sha, version, last_seen, max_version in cur.execute(
                EXISTING_SQL, (keys, linked)):
            art = _Article(key, article_id, bytes(sha), version, max(version, max_version or 0),
                           last_seen, is_new=False)
            self.articles[key] = art
            self.by_id[article_id] = art
        fresh = {i for i, p in enumerate(self.items)
                 if p.key not in self.articles and not p.linked_article}
        shas = list({self.items[i].sha for i in fresh})
        for sha, article_id, duplicate_of, kind in cur.execute(EXACT_SQL, (shas,)):
            # The first article with this text, or what it duplicates (same text if exact).
            self.exact_in_db[bytes(sha)] = ((duplicate_of, kind) if duplicate_of
                                            else (article_id, "exact"))
        candidates = [(i, p.bands_sql) for i, p in enumerate(self.items)
                      if i in fresh and p.bands and p.sha not in self.exact_in_db]
        if candidates:
            with cur.copy("COPY load_candidates (idx, keys) FROM STDIN") as copy:
                for row in candidates:
                    copy.write_row(row)
            for idx, article_id, sketch, duplicate_of in cur.execute(NEAR_SQL):
                # A candidate sharing several band keys comes back once per key.
                self.near_in_db.setdefault(idx, {})[article_id] = (sketch, duplicate_of)

    # -- deciding ------------------------------------------------------------------------

    def decide(self) -> None:
        for idx, item in enumerate(self.items):
            art = (self.by_id.get(item.linked_article) if item.linked_article
                   else self.articles.get(item.key))
            if art is None:
                self._new_article(idx, item)
            elif item.sha == art.sha:
                art.last_seen_at = max(art.last_seen_at, item.fetched_at)
                art.touched = True
                self.links.append((item.fetch_id, art.key, art.version, "unchanged"))
            else:
                art.max_version += 1
                version = art.max_version
                self.versions.append((art.key, version, item.fetch_id, item.sha,
                                      item.word_count, item.fetched_at))
                if item.fetched_at >= art.last_seen_at:
                    art.sha, art.version, art.text_fetch_id = item.sha, version, item.fetch_id
                    art.text_created_at = item.fetched_at
                    art.word_count, art.sketch = item.word_count, item.sketch
                    art.bands, art.sketch_sql, art.bands_sql = (item.bands, item.sketch_sql,
                                                                item.bands_sql)
                    art.last_seen_at = item.fetched_at
                art.touched = True
                self.links.append((item.fetch_id, art.key, version, "updated"))

    def _new_article(self, idx: int, item: Pending) -> None:
        art = _Article(item.key, None, item.sha, 1, 1, item.fetched_at, is_new=True,
                       source=item.source, url=item.url, first_seen_at=item.fetched_at,
                       text_fetch_id=item.fetch_id, text_created_at=item.fetched_at,
                       word_count=item.word_count,
                       sketch=item.sketch, bands=item.bands, sketch_sql=item.sketch_sql,
                       bands_sql=item.bands_sql, touched=True)
        self._find_original(idx, item, art)
        self.articles[item.key] = art
        self.versions.append((art.key, 1, item.fetch_id, item.sha, item.word_count,
                              item.fetched_at))
        outcome = "duplicate" if art.duplicate_kind else "new"
        self.links.append((item.fetch_id, art.key, 1, outcome))
        if art.duplicate_kind is None:
            self.exact_here.setdefault(item.sha, art.key)
            for band in item.bands or ():
                self.near_here.setdefault(band, []).append((art.key, item.sketch))

    def _find_original(self, idx: int, item: Pending, art: _Article) -> None:
        if item.sha in self.exact_in_db:
            art.duplicate_id, art.duplicate_kind = self.exact_in_db[item.sha]
            return
        if item.sha in self.exact_here:
            art.duplicate_key, art.duplicate_kind = self.exact_here[item.sha], "exact"
            return
        if not item.sketch:
            return
        best: tuple[float, int, int | None, str | None] | None = None
        for article_id, (sketch, duplicate_of) in self.near_in_db.get(idx, {}).items():
            score = fingerprint.similarity(item.sketch, tuple(sketch))
            if score >= fingerprint.NEAR_SIMILARITY and (best is None or score > best[0]):
                best = (score, 0, duplicate_of or article_id, None)
        if best is None:
            seen = set()
            for band in item.bands or ():
                for key, sketch in self.near_here.get(band, ()):
                    if key in seen:
                        continue
                    seen.add(key)
                    score = fingerprint.similarity(item.sketch, sketch)
                    if score >= fingerprint.NEAR_SIMILARITY and (best is None or score > best[0]):
                        best = (score, 1, None, key)
        if best is not None:
            art.duplicate_id, art.duplicate_key, art.duplicate_kind = best[2], best[3], "near"

    # -- writing -------------------------------------------------------------------------

    def write(self, cur: psycopg.Cursor) -> Counter:
        touched = [a for a in self.articles.values() if a.touched]
        with cur.copy("COPY load_articles FROM STDIN") as copy:
            for a in touched:
                copy.write_row((a.key, a.is_new, a.source, a.url, a.text_fetch_id,
                                a.sha if a.text_fetch_id else None, a.word_count,
                                a.sketch_sql, a.version, a.text_created_at,
                                a.duplicate_id, a.duplicate_key, a.duplicate_kind,
                                a.first_seen_at, a.last_seen_at))
        # Originals before their duplicates, so duplicate_key finds the original's id. The
        # new articles' ids come back, so the rows below carry ids, not keys to join on.
        ids = {a.key: a.article_id for a in touched if a.article_id is not None}
        for roots in (True, False):
            ids.update(cur.execute(INSERT_ARTICLES_SQL, {"roots": roots}).fetchall())
        missing = [a.key for a in touched if a.key not in ids]
        if missing:
            ids.update(cur.execute(ARTICLE_IDS_SQL, (missing,)).fetchall())
        cur.execute(ARCHIVE_CURRENT_SQL)
        cur.execute(UPDATE_TEXT_SQL)
        cur.execute(UPDATE_SEEN_SQL)
        with cur.copy("COPY load_versions FROM STDIN") as copy:
            for key, version, fetch_id, sha, word_count, created_at in self.versions:
                if self.articles[key].text_fetch_id == fetch_id:
                    continue  # the article's current text: stored in articles only
                copy.write_row((ids[key], version, fetch_id, sha, word_count, created_at))
        cur.execute(INSERT_VERSIONS_SQL)
        with cur.copy("COPY load_lsh FROM STDIN") as copy:
            for a in touched:
                if a.text_fetch_id and a.bands and not a.duplicate_kind:
                    copy.write_row((ids[a.key], a.bands_sql))
        cur.execute(INSERT_LSH_SQL)
        with cur.copy("COPY load_links FROM STDIN") as copy:
            for fetch_id, key, version, outcome in self.links:
                copy.write_row((fetch_id, ids[key], version, outcome))
        outcomes: Counter = Counter()
        for outcome, inserted in cur.execute(INSERT_LINKS_SQL).fetchall():
            if inserted:
                outcomes[outcome] += 1
        return outcomes


def _merge(conn: psycopg.Connection, items: list[Pending], result: LoadResult) -> None:
    """One batch, one transaction."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET LOCAL liputan.defer_search = 'on'")
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        claimed = {row[0] for row in cur.execute(
            CLAIM_SQL, ([p.fetch_id for p in items], [p.cleaned_at for p in items]))}
        # Another load merged it, or the clean step replaced it since we read it.
        fresh = [p for p in items if p.fetch_id in claimed]
        result.skipped += len(items) - len(fresh)
        if not fresh:
            return
        rejected = [p for p in fresh if p.reject]
        accepted = [p for p in fresh if not p.reject]
        if accepted:
            batch = _Batch(accepted)
            batch.read_existing(cur)
            batch.decide()
            outcomes = batch.write(cur)
            for outcome in OUTCOMES:
                setattr(result, outcome, getattr(result, outcome) + outcomes[outcome])
            cur.execute(CLEAR_REJECTIONS_SQL, ([p.fetch_id for p in accepted],))
        for p in rejected:
            cur.execute(REJECT_SQL, (p.fetch_id, p.reject, None))
            result.rejected += 1
            result.rejections[p.reject] += 1
    result.batches += 1


# ------------------------------------------------------------------------------------------
# 304 fetches


NOT_MODIFIED_SQL = """
WITH pending AS (
    SELECT f.fetch_id, f.fetched_at,
           coalesce((SELECT af.article_id
                     FROM liputan.fetches f2 JOIN liputan.article_fetches af USING (fetch_id)
                     WHERE f2.source = f.source AND f2.canonical_url = f.canonical_url
                     ORDER BY f2.fetched_at DESC LIMIT 1),
                    (SELECT a.article_id FROM liputan.articles a
                     WHERE a.canonical_url = f.canonical_url)) AS article_id
    FROM liputan.fetches f
    WHERE f.http_status = 304 AND f.reason IS NULL AND f.kind = 'article'
      AND (%(sources)s::text[] IS NULL OR f.source = ANY(%(sources)s::text[]))
      AND NOT EXISTS (SELECT 1 FROM liputan.article_fetches x WHERE x.fetch_id = f.fetch_id)
),
linked AS (
    INSERT INTO liputan.article_fetches (fetch_id, article_id, version, outcome)
    SELECT p.fetch_id, p.article_id, a.version, 'unchanged'
    FROM pending p JOIN liputan.articles a USING (article_id)
    ON CONFLICT (fetch_id) DO NOTHING
    RETURNING fetch_id, article_id
),
seen AS (
    UPDATE liputan.articles a SET last_seen_at = s.last_seen_at
    FROM (SELECT l.article_id, max(p.fetched_at) AS last_seen_at
          FROM linked l JOIN pending p USING (fetch_id) GROUP BY l.article_id) s
    WHERE a.article_id = s.article_id AND a.last_seen_at < s.last_seen_at
)
SELECT (SELECT count(*) FROM linked), (SELECT count(*) FROM pending WHERE article_id IS NULL)
"""


def _link_not_modified(conn: psycopg.Connection, sources: Sequence[str] | None,
                       result: LoadResult) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        linked, waiting = conn.execute(
            NOT_MODIFIED_SQL, {"sources": list(sources) if sources else None}).fetchone()
    result.not_modified += linked
    result.unchanged += linked
    result.waiting = waiting


# ------------------------------------------------------------------------------------------
# Documents handed over in memory


@dataclass
class ExternalDocument(ArticleFields):
    """A cleaned page of an existing fetch, handed over without `liputan clean` having stored it
    (an importer of an archive, an extraction run elsewhere)."""

    fetch_id: int
    text: str | None
    extractor_version: str = "external"

    def reject_reason(self) -> str | None:
        reason = reject_reason(self.text)
        if reason:
            return reason
        for name, value in self.article_fields().items():
            values = value if name in LIST_FIELDS else [value]
            if any(isinstance(v, str) and "\x00" in v for v in values):
                return "nul_byte"
        return None


STAGE_COLUMNS = ("fetch_id", "extractor_version", *FIELDS, "text", "text_sha256", "word_count",
                 "sketch")
STAGE_SQL = sql.SQL("""
INSERT INTO liputan.documents (is_article, {columns})
SELECT true, {columns}
FROM load_documents
ON CONFLICT (fetch_id) DO UPDATE SET
    cleaned_at = now(), is_article = true, reason = NULL, {updates}, loaded_at = NULL
WHERE liputan.documents.text_sha256 IS DISTINCT FROM EXCLUDED.text_sha256
   OR liputan.documents.title IS DISTINCT FROM EXCLUDED.title
   OR NOT liputan.documents.is_article
""").format(columns=column_list(STAGE_COLUMNS),
            updates=assignments(STAGE_COLUMNS[1:], "excluded"))


def store_documents(dsn: str, documents: Iterable[ExternalDocument]) -> Counter:
    """Store documents for the next load (upsert by fetch_id, as `liputan clean` does).

    One that PostgreSQL cannot hold (a NUL byte in any text) or with an empty text is not
    stored: it is recorded in liputan.load_rejections with its reason, and the others go on.
    Returns the rejection reasons counted.
    """
    rejected: Counter = Counter()
    with connection(dsn) as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TEMPORARY TABLE load_documents ON COMMIT DROP AS"
                            " SELECT {} FROM liputan.documents WITH NO DATA").format(
                                column_list(STAGE_COLUMNS)))
        rejections = []
        copy_sql = sql.SQL("COPY load_documents ({}) FROM STDIN").format(
            column_list(STAGE_COLUMNS))
        with cur.copy(copy_sql) as copy:
            for doc in documents:
                reason = doc.reject_reason()
                if reason:
                    rejections.append((doc.fetch_id, reason, None))
                    rejected[reason] += 1
                    continue
                fields = [list(value) if name in LIST_FIELDS else value
                          for name, value in doc.article_fields().items()]
                copy.write_row((doc.fetch_id, doc.extractor_version, *fields, doc.text,
                                hashlib.sha256(doc.text.encode()).digest(),
                                len(doc.text.split()), fingerprint.sketch_literal(doc.text)))
        cur.execute(STAGE_SQL)
        cur.executemany(REJECT_SQL, rejections)
    return rejected


def load_documents(dsn: str, documents: Iterable[ExternalDocument], **options) -> LoadResult:
    """`store_documents`, then `load`: what was refused is counted in the result."""
    rejected = store_documents(dsn, documents)
    result = load(dsn, **options)
    result.rejected += sum(rejected.values())
    result.rejections.update(rejected)
    return result


# ------------------------------------------------------------------------------------------


def load(dsn: str, *, sources: Iterable[str] | None = None,
         batch_size: int = DEFAULT_BATCH_SIZE) -> LoadResult:
    """Merge every pending document (of `sources`, default all) into articles.

    New and changed articles have news.articles.search = NULL until
    `crawler.load.search_index.fill_search` (`liputan index`) runs.
    """
    if batch_size < 1:
        raise UserError(f"load batch size must be at least 1, not {batch_size}")
    names = sorted(set(sources)) if sources else None
    result = LoadResult()
    try:
        with connection(dsn) as conn:
            conn.execute(SESSION_SQL)
            conn.execute(TEMP_TABLES)
            conn.commit()
            progress = Progress("load", None, unit="documents", logger=logger)
            merged = 0
            try:
                for items in pending_batches(dsn, names, batch_size):
                    _merge(conn, items, result)
                    merged += len(items)
                    progress.update(merged, f"{result.new} new, {result.updated} updated")
                    logger.debug("load: batch %d merged (%d documents)", result.batches,
                                 len(items))
            finally:
                progress.close()
            _link_not_modified(conn, names, result)
    except psycopg.OperationalError as exc:
        # The server went away (restart, network): every committed batch is kept and the
        # rest is still pending, so rerunning finishes the job.
        detail = " ".join(str(exc).split())
        raise UserError(f"load interrupted after {result.batches} batch(es): {detail}; "
                        "run `liputan load` again to finish") from exc
    logger.debug("load: %s", result.summary())  # the caller prints or logs it
    return result
