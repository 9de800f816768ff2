"""Labelled fixture articles (tests/fixtures/stories/*.jsonl) as rows of liputan.articles."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import psycopg

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stories"


def fixture(name: str) -> list[dict]:
    """The rows of one set (tuning, holdout, seeds), published_at parsed."""
    rows = []
    for line in (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["published_at"] = datetime.fromisoformat(row["published_at"])
            rows.append(row)
    return rows


def insert_articles(conn: psycopg.Connection, rows: list[dict], *,
                    without_published_at: bool = False) -> dict[str, int]:
    """Insert the rows as articles (duplicates pointing at their original); key -> article_id.

    Originals go first so that duplicate_of can name them, as the load does.
    """
    ids: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r.get("duplicate_of") is not None):
        url = f"https://{row['source']}.example/{row['id']}"
        original = ids[row["duplicate_of"]] if row.get("duplicate_of") else None
        published = None if without_published_at else row["published_at"]
        ids[row["id"]] = conn.execute(
            "INSERT INTO liputan.articles (source, canonical_url, url, title, published_at,"
            " language, text, text_sha256, word_count, first_seen_at, last_seen_at,"
            " duplicate_of, duplicate_kind)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING article_id",
            (row["source"], url, url, row["title"], published, row.get("language"),
             row["text"], hashlib.sha256(row["text"].encode()).digest(),
             len(row["text"].split()), row["published_at"], row["published_at"],
             original, "exact" if original else None)).fetchone()[0]
    conn.commit()
    return ids


def story_of(conn: psycopg.Connection, ids: dict[str, int]) -> dict[str, int]:
    """key -> story_id, read through the consumer view."""
    by_article = dict(conn.execute(
        "SELECT article_id, story_id FROM news.story_articles").fetchall())
    return {key: by_article[article_id] for key, article_id in ids.items()}


def groups(assignment: dict[str, int]) -> set[frozenset[str]]:
    """The partition of keys, independent of story id values."""
    by_story: dict[int, set[str]] = {}
    for key, story in assignment.items():
        by_story.setdefault(story, set()).add(key)
    return {frozenset(keys) for keys in by_story.values()}
