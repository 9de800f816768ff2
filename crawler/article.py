"""The fields an article is known by (title, authors, dates, ...), written once.

The page's metadata, the extraction, the row clean stores in liputan.documents and a document
handed to the load all build on `ArticleFields`; the SQL column lists of clean and load are
derived from `FIELDS` and `SQL_TYPES`, so a new field is added here (and in a migration).
The columns SQL consumers see: README.md, "The SQL interface".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from psycopg import sql

__all__ = ["FIELDS", "LIST_FIELDS", "SQL_TYPES", "ArticleFields", "assignments", "column_list",
           "count_words"]


# Each field's PostgreSQL type, for staging tables and COPY.
_TEXT = {"sql_type": "text"}
_TEXTS = {"sql_type": "text[]"}
_TIME = {"sql_type": "timestamptz"}


@dataclass(kw_only=True)
class ArticleFields:
    title: str | None = field(default=None, metadata=_TEXT)
    authors: list[str] = field(default_factory=list, metadata=_TEXTS)
    published_at: datetime | None = field(default=None, metadata=_TIME)
    language: str | None = field(default=None, metadata=_TEXT)
    site_name: str | None = field(default=None, metadata=_TEXT)
    canonical_url: str | None = field(default=None, metadata=_TEXT)
    description: str | None = field(default=None, metadata=_TEXT)
    image: str | None = field(default=None, metadata=_TEXT)
    categories: list[str] = field(default_factory=list, metadata=_TEXTS)
    tags: list[str] = field(default_factory=list, metadata=_TEXTS)
    # which rule gave published_at: json_ld, meta, time_element, text, url, feed, sitemap
    published_at_source: str | None = field(default=None, metadata=_TEXT)
    declared_language: str | None = field(default=None, metadata=_TEXT)  # <html lang>, og:locale
    access: str | None = field(default=None, metadata=_TEXT)  # free or paywalled
    # where a syndicated text comes from, as its closing line says ("Sumber: ...", "(Antara)")
    origin_outlet: str | None = field(default=None, metadata=_TEXT)
    origin_url: str | None = field(default=None, metadata=_TEXT)
    origin_title: str | None = field(default=None, metadata=_TEXT)

    def article_fields(self) -> dict[str, Any]:
        """The article's fields by name, as a subclass's constructor takes them."""
        return {name: getattr(self, name) for name in FIELDS}


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ArticleFields))
SQL_TYPES: dict[str, str] = {f.name: f.metadata["sql_type"] for f in fields(ArticleFields)}
LIST_FIELDS: frozenset[str] = frozenset(name for name, kind in SQL_TYPES.items()
                                        if kind.endswith("[]"))


def column_list(names: tuple[str, ...] | list[str], prefix: str | None = None) -> sql.Composed:
    """`a, b, c` or, with a prefix (a table alias), `p.a, p.b, p.c`, as quoted identifiers."""
    if prefix is None:
        return sql.SQL(", ").join(map(sql.Identifier, names))
    return sql.SQL(", ").join(sql.Identifier(prefix, name) for name in names)


def assignments(names: tuple[str, ...] | list[str], source: str) -> sql.Composed:
    """`a = source.a, b = source.b` (an UPDATE's SET list), as quoted identifiers."""
    return sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(name),
                                                        sql.Identifier(source, name))
                              for name in names)


# Scripts written without spaces between words: each character (CJK) or cluster counts as a
# word, as readers of those languages count; Thai runs are counted by an average word length.
# kana, CJK ideographs (and their extension A and compatibility forms), Hangul syllables
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK = re.compile(f"[{CJK_CHARACTERS}]")
_THAI = re.compile(r"[\u0e00-\u0e7f]+")
THAI_CHARS_PER_WORD = 5


def count_words(text: str) -> int:
    """Words of a text in any script: whitespace-separated tokens, CJK characters one each."""
    if text.isascii():
        return len(text.split())
    cjk = len(_CJK.findall(text))
    thai = sum(-(-len(run) // THAI_CHARS_PER_WORD) for run in _THAI.findall(text))
    rest = _THAI.sub(" ", _CJK.sub(" ", text))
    return cjk + thai + len(rest.split())
