"""Group loaded articles into stories: the step after `liputan load`.

Only articles without a story are read; each is placed once (crawler/stories/index.py) and keeps
its story for good, and duplicates join their original's. The state (frequencies, centroids,
member vectors) is committed with the assignments chunk by chunk, so an interrupted run loses
at most the chunk in progress. docs/stories.md, "Method".
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
from crawler.stories.text import article_terms

logger = logging.getLogger(__name__)

__all__ = ["StoriesResult", "update_stories"]

# One story run at a time per database: two would place the same articles twice.
LOCK_KEY = 0x53544F52  # "STOR"
# Articles per transaction: bounds the work an interruption loses and the memory of one read.
CHUNK_SIZE = 2000
# Enough for the longest lead the parameters use (150 words) in any language.
LEAD_CHARS = 3000

UNASSIGNED = """
SELECT a.article_id, coalesce(a.published_at, a.first_seen_at) AS at, a.language
FROM liputan.articles a
WHERE a.duplicate_of IS NULL
  AND NOT EXISTS (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = a.article_id)
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
), per_story AS (
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


@dataclass
class StoriesResult:
    placed: int = 0          # articles placed by content
    new_stories: int = 0     # ... of which started a story
    duplicates: int = 0      # copies that joined their original's story
    seconds: float = 0.0

    @property
    def joined(self) -> int:
        return self.placed - self.new_stories

    def summary(self) -> str:
        return (f"{self.placed + self.duplicates} article(s) assigned: {self.new_stories} new "
                f"stor{'y' if self.new_stories == 1 else 'ies'}, {self.joined} joined a story, "
                f"{self.duplicates} duplicate(s) joined their original's story "
                f"({self.seconds:.1f}s)")


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
            _place_articles(conn, params, chunk_size, result)
            result.duplicates = _join_duplicates(conn)
        finally:
            conn.rollback()
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
            conn.commit()
    result.seconds = time.monotonic() - started
    logger.info("stories: %s", result.summary())
    return result


def _place_articles(conn: psycopg.Connection, params: StoryParams, chunk_size: int,
                    result: StoriesResult) -> None:
    todo = conn.execute(UNASSIGNED).fetchall()
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


def _join_duplicates(conn: psycopg.Connection) -> int:
    joined = 0
    while True:
        n = conn.execute(JOIN_DUPLICATES).fetchone()[0]
        conn.commit()
        if not n:
            break
        joined += n
    # Only a cycle of duplicate_of links could leave one behind; say so rather than hide it.
    stranded = conn.execute(
        "SELECT count(*) FROM liputan.articles a WHERE a.duplicate_of IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM liputan.story_articles sa WHERE sa.article_id = a.article_id)"
    ).fetchone()[0]
    conn.commit()
    if stranded:
        logger.warning("stories: %d duplicate(s) have no original with a story (a cycle of "
                       "duplicate_of links?); left without a story", stranded)
    return joined


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
