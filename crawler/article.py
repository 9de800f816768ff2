"""The fields an article is known by (title, authors, dates, ...), written once.

The page's metadata, the extraction, the row clean stores in liputan.documents and a document
handed to the load all build on `ArticleFields`; the SQL column lists of clean and load are
derived from `FIELDS` and `SQL_TYPES`, so a new field is added here (and in a migration).
The columns SQL consumers see: README.md, "The SQL interface".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from psycopg import sql

__all__ = ["FIELDS", "LIST_FIELDS", "SQL_TYPES", "ArticleFields", "assignments", "column_list"]


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
