"""Group loaded articles into stories: the step after `liputan load`.

Only articles without a story are read; each is placed once (crawler/stories/index.py) and keeps
its story for good; duplicates, and syndicated or translated copies whose lines name a stored
original (crawler/stories/origins.py), join their original's story. The state (frequencies,
centroids, member vectors) is committed with the assignments chunk by chunk, so an interrupted
run loses at most the chunk in progress. docs/stories.md, "Method".
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.types.json import Jsonb

from crawler.db.connect import connection
from crawler.stories.index import Story, StoryIndex, StoryParams, Vocabulary
from crawler.stories.origins import origin_links
from crawler.stories.text import article_terms

logger = logging.getLogger(__name__)

__all__ = ["StoriesResult", "update_stories"]

# One story run at a time per database: two would place the same articles twice.
LOCK_KEY = 0x53544F52  # "STOR"
# Articles per transaction: bounds the work an interruption loses and the memory of one read.
CHUNK_SIZE = 2000
# Enough for the longest lead the parameters use (150 words) in any language.
LEAD_CHARS = 3000
# How a copy that names its original (origin_url, origin_outlet + origin_title) is recorded
# (sql/012): like a duplicate, it joined its original's story without being compared.
ORIGIN_HOW = "origin"

UNASSIGNED = """
SELECT a.article_id, coalesce(a.published_at, a.first_seen_at) AS at, a.language
FROM liputan.articles a
WHERE a.duplicate_of IS NULL
  AND NOT EXISTS (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = a.article_id)
  AND a.article_id <> ALL(%(copies)s::bigint[])
ORDER BY at, a.article_id
"""

TEXTS = """
SELECT article_id, title, left(text, %(chars)s) FROM liputan.articles
WHERE article_id = ANY(%(ids)s)
"""

STORIES_AROUND = """
SELECT story_id, title, first_article_id, first_published_at, last_published_at, article_count,
       centroid, languages
FROM liputan.stories
WHERE first_published_at BETWEEN %(low)s AND %(high)s
"""

MEMBERS = """
SELECT story_id, terms FROM (
    SELECT story_id, terms, published_at, article_id,
           row_number() OVER (PARTITION BY story_id ORDER BY published_at DESC, article_id DESC)
               AS recent
    FROM liputan.story_articles
    WHERE story_id = ANY(%(ids)s) AND how <> 'duplicate'
) m
WHERE recent <= %(keep)s
ORDER BY story_id, published_at, article_id
"""

SAVE_STORY = """
INSERT INTO liputan.stories (story_id, title, first_article_id, first_published_at,
                             last_published_at, article_count, centroid, languages)
OVERRIDING SYSTEM VALUE
VALUES (%(story_id)s, %(title)s, %(first_article_id)s, %(first)s, %(last)s, %(count)s,
        %(centroid)s, %(languages)s)
ON CONFLICT (story_id) DO UPDATE
SET first_published_at = least(liputan.stories.first_published_at, EXCLUDED.first_published_at),
    last_published_at = greatest(liputan.stories.last_published_at, EXCLUDED.last_published_at),
    article_count = liputan.stories.article_count + EXCLUDED.article_count,
    centroid = EXCLUDED.centroid,
    languages = EXCLUDED.languages,
    updated_at = now()
"""

SAVE_TERMS = """
INSERT INTO liputan.story_terms (term, df)
SELECT * FROM unnest(%(terms)s::text[], %(df)s::integer[])
ON CONFLICT (term) DO UPDATE SET df = liputan.story_terms.df + EXCLUDED.df
"""

# What articles joining a story without being compared add to it (article count, span); the
# statement ending with it returns how many joined.
_ADD_JOINED = """
, per_story AS (
    SELECT story_id, count(*) AS n, min(published_at) AS first, max(published_at) AS last
    FROM joined GROUP BY story_id
), updated AS (
    UPDATE liputan.stories s
    SET article_count = s.article_count + p.n,
        first_published_at = least(s.first_published_at, p.first),
        last_published_at = greatest(s.last_published_at, p.last),
        updated_at = now()
    FROM per_story p WHERE p.story_id = s.story_id
    RETURNING s.story_id
)
SELECT coalesce(sum(n), 0)::integer FROM per_story
"""

# Copies join the story of their original; repeated for copies of copies.
JOIN_DUPLICATES = """
WITH joined AS (
    INSERT INTO liputan.story_articles (article_id, story_id, published_at, how)
    SELECT a.article_id, o.story_id, coalesce(a.published_at, a.first_seen_at), 'duplicate'
    FROM liputan.articles a
    JOIN liputan.story_articles o ON o.article_id = a.duplicate_of
    WHERE a.duplicate_of IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM liputan.story_articles x WHERE x.article_id = a.article_id)
    RETURNING story_id, published_at
)""" + _ADD_JOINED

# Syndicated and translated copies join the story of the original their lines name
# (crawler/stories/origins.py), once that original has one.
JOIN_ORIGINS = """
WITH joined AS (
    INSERT INTO liputan.story_articles (article_id, story_id, published_at, how)
    SELECT a.article_id, o.story_id, coalesce(a.published_at, a.first_seen_at), %(how)s
    FROM unnest(%(copies)s::bigint[], %(originals)s::bigint[]) AS l(article_id, original_id)
    JOIN liputan.articles a ON a.article_id = l.article_id
    JOIN liputan.story_articles o ON o.article_id = l.original_id
    WHERE NOT EXISTS (SELECT 1 FROM liputan.story_articles x WHERE x.article_id = l.article_id)
    RETURNING story_id, published_at
)""" + _ADD_JOINED


@dataclass
class StoriesResult:
    placed: int = 0          # articles placed by content
    new_stories: int = 0     # ... of which started a story
    duplicates: int = 0      # copies that joined their original's story
    syndicated: int = 0      # copies that joined the story of the original their lines name
    seconds: float = 0.0

    @property
    def joined(self) -> int:
        return self.placed - self.new_stories

    def summary(self, *, timed: bool = True) -> str:
        syndicated = (f", {self.syndicated} syndicated cop{'y' if self.syndicated == 1 else 'ies'}"
                      " joined their original's story" if self.syndicated else "")
        return (f"{self.placed + self.duplicates + self.syndicated} article(s) assigned: "
                f"{self.new_stories} new stor{'y' if self.new_stories == 1 else 'ies'}, "
                f"{self.joined} joined a story, {self.duplicates} duplicate(s) joined their "
                f"original's story{syndicated}" + (f" ({self.seconds:.1f}s)" if timed else ""))


def update_stories(dsn: str, *, params: StoryParams | None = None,
                   chunk_size: int = CHUNK_SIZE) -> StoriesResult:
    """Give every article without a story one; assigned articles are never moved."""
    params = params or StoryParams()
    started = time.monotonic()
    result = StoriesResult()
    with connection(dsn) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        conn.commit()
        try:
            # copies naming a stored original are not compared: they join its story
            copies = origin_links(conn)
            _place_articles(conn, params, chunk_size, result, copies=list(copies))
            _join_copies(conn, copies, result)
            if _stranded_copies(conn, copies):
                # a copy whose original never got a story (copies naming each other): by content
                _place_articles(conn, params, chunk_size, result)
                _join_copies(conn, {}, result)
            _warn_stranded_duplicates(conn)
        finally:
            conn.rollback()
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
            conn.commit()
    result.seconds = time.monotonic() - started
    logger.debug("stories: %s", result.summary())  # the caller prints or logs it
    return result


def _place_articles(conn: psycopg.Connection, params: StoryParams, chunk_size: int,
                    result: StoriesResult, *, copies: list[int] | None = None) -> None:
    """Place by content the articles without a story, except `copies` and duplicates."""
    todo = conn.execute(UNASSIGNED, {"copies": copies or []}).fetchall()
    if not todo:
        return
    documents = conn.execute("SELECT documents FROM liputan.story_corpus").fetchone()[0]
    vocabulary = Vocabulary(documents=documents, loader=lambda terms: _frequencies(conn, terms))
    index = StoryIndex(params, vocabulary, allocate_id=_id_allocator(conn),
                       load_stories=lambda low, high: _stories_around(conn, params, low, high))
    for start in range(0, len(todo), chunk_size):
        chunk = todo[start:start + chunk_size]
        texts = {row[0]: row[1:] for row in conn.execute(
            TEXTS, {"ids": [article_id for article_id, _, _ in chunk], "chars": LEAD_CHARS})}
        vectors = {article_id: article_terms(*texts[article_id], params.text)
                   for article_id, _, _ in chunk}
        vocabulary.add_documents(vectors.values())
        assignments = [index.place(article_id, texts[article_id][0], at, vectors[article_id],
                                   language)
                       for article_id, at, language in chunk]
        _save(conn, index, vocabulary, assignments)
        conn.commit()
        index.written()
        vocabulary.written()
        result.placed += len(assignments)
        result.new_stories += sum(a.how == "new" for a in assignments)
        logger.info("stories: %d/%d article(s) placed", result.placed, len(todo))


def _join_copies(conn: psycopg.Connection, copies: dict[int, int],
                 result: StoriesResult) -> None:
    """Duplicates and syndicated copies into their original's story, repeated for copies of
    copies (a duplicate of a syndicated copy, a syndicated copy of a duplicate)."""
    links = {"copies": list(copies), "originals": list(copies.values()), "how": ORIGIN_HOW}
    while True:
        duplicates = conn.execute(JOIN_DUPLICATES).fetchone()[0]
        syndicated = conn.execute(JOIN_ORIGINS, links).fetchone()[0] if copies else 0
        conn.commit()
        if not duplicates and not syndicated:
            break
        result.duplicates += duplicates
        result.syndicated += syndicated


def _stranded_copies(conn: psycopg.Connection, copies: dict[int, int]) -> bool:
    if not copies:
        return False
    left = conn.execute(
        "SELECT count(*) FROM unnest(%s::bigint[]) AS c(article_id) WHERE NOT EXISTS"
        " (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = c.article_id)",
        (list(copies),)).fetchone()[0]
    conn.commit()
    return left > 0


def _warn_stranded_duplicates(conn: psycopg.Connection) -> None:
    # Only a cycle of duplicate_of links could leave one behind; say so rather than hide it.
    stranded = conn.execute(
        "SELECT count(*) FROM liputan.articles a WHERE a.duplicate_of IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = a.article_id)"
    ).fetchone()[0]
    conn.commit()
    if stranded:
        logger.warning("stories: %d duplicate(s) have no original with a story (a cycle of "
                       "duplicate_of links?); left without a story", stranded)


def _frequencies(conn: psycopg.Connection, terms: list[str]) -> dict[str, int]:
    return dict(conn.execute("SELECT term, df FROM liputan.story_terms WHERE term = ANY(%s)",
                             (terms,)).fetchall())


def _id_allocator(conn: psycopg.Connection, block: int = 500):
    """Story ids from the table's own sequence, a block at a time (gaps are harmless)."""
    def ids() -> Iterator[int]:
        while True:
            yield from (row[0] for row in conn.execute(
                "SELECT nextval(pg_get_serial_sequence('liputan.stories', 'story_id'))"
                " FROM generate_series(1, %s)", (block,)))
    numbers = ids()
    return lambda: next(numbers)


def _stories_around(conn: psycopg.Connection, params: StoryParams, low: datetime,
                    high: datetime) -> list[Story]:
    stories = {
        row[0]: Story(story_id=row[0], title=row[1], first_article_id=row[2], first=row[3],
                      last=row[4], count=row[5], sums=row[6], languages=set(row[7]))
        for row in conn.execute(STORIES_AROUND, {"low": low, "high": high})
    }
    if stories and params.link != "centroid":
        for story_id, terms in conn.execute(
                MEMBERS, {"ids": list(stories), "keep": params.members_compared}):
            stories[story_id].members.append(terms)
    return list(stories.values())


def _save(conn: psycopg.Connection, index: StoryIndex, vocabulary: Vocabulary,
          assignments: list) -> None:
    """One chunk's stories, assignments and frequencies, in the caller's transaction."""
    added = {}
    for a in assignments:
        added[a.story_id] = added.get(a.story_id, 0) + 1
    with conn.cursor() as cur:
        cur.executemany(SAVE_STORY, [
            {"story_id": s.story_id, "title": s.title, "first_article_id": s.first_article_id,
             "first": s.first, "last": s.last, "count": added.get(s.story_id, 0),
             "centroid": Jsonb(s.sums),
             "languages": sorted(s.languages)}
            for s in index.dirty_stories()])
        with cur.copy("COPY liputan.story_articles (article_id, story_id, published_at, how,"
                      " similarity, terms) FROM STDIN") as copy:
            for a in assignments:
                copy.write_row((a.article_id, a.story_id, a.published_at, a.how, a.similarity,
                                json.dumps(a.terms, ensure_ascii=False)))
        terms = sorted(vocabulary.added)
        cur.execute(SAVE_TERMS, {"terms": terms, "df": [vocabulary.added[t] for t in terms]})
        cur.execute("UPDATE liputan.story_corpus SET documents = documents + %s",
                    (vocabulary.added_documents,))
