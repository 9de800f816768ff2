"""One writer per export format; each writes rows as they come and keeps none of them.

Rows are tuples in COLUMNS order, as psycopg reads them (timestamps as datetimes, lists as
lists, the provenance list as dicts whose fetched_at is JSON's ISO text).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any, Protocol

from crawler.errors import UserError
from crawler.export.query import COLUMNS, FETCH_FIELDS

__all__ = ["PARQUET_INSTALL", "CsvWriter", "JsonlWriter", "ParquetWriter", "Writer",
           "require_pyarrow"]

NAMES = tuple(name for name, _ in COLUMNS)
PARQUET_INSTALL = "pip install 'liputan[export]'"
# Rows per Parquet row group: what the writer buffers before writing, so the peak memory.
# On 28,568 synthetic articles (~4.5 KB of text each) an export peaked at 147, 178 and 259 MB
# RSS with 500, 2,000 and 8,000 rows (pyarrow alone: 80 MB); 2,000 keeps groups of ~2 MB
# compressed, which readers skip whole by their statistics. bench/export.py: the peak is the
# same at 10,000 and 50,000 articles.
ROW_GROUP_ROWS = 2000


class Writer(Protocol):
    def write(self, row: Sequence[Any]) -> None: ...
    def close(self) -> None: ...


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class JsonlWriter:
    """One JSON object per line; timestamps as ISO 8601 text, lists as arrays, `fetches` as
    an array of objects."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, row: Sequence[Any]) -> None:
        record = {name: _iso(value) if kind == "time" else value
                  for (name, kind), value in zip(COLUMNS, row, strict=True)}
        self.stream.write(json.dumps(record, ensure_ascii=False))
        self.stream.write("\n")

    def close(self) -> None:
        self.stream.flush()


class CsvWriter:
    """RFC 4180 CSV with a header line; list columns (authors, categories, tags, fetches) as
    JSON text in their cell, so that they come back whole (json.loads) in any tool."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(NAMES)

    def write(self, row: Sequence[Any]) -> None:
        self.writer.writerow([_cell(kind, value) for (_, kind), value in zip(COLUMNS, row,
                                                                               strict=True)])

    def close(self) -> None:
        self.stream.flush()


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    if kind == "time":
        return value.isoformat()
    if kind in ("texts", "fetches"):
        return json.dumps(value, ensure_ascii=False)
    return value


class ParquetWriter:
    """Parquet (zstd) in row groups of ROW_GROUP_ROWS; timestamps in UTC microseconds, lists
    as lists, `fetches` as a list of structs. Needs pyarrow (the `export` extra)."""

    def __init__(self, path: str):
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema([(name, _arrow_type(pa, kind)) for name, kind in COLUMNS])
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.columns: list[list] = [[] for _ in COLUMNS]

    def write(self, row: Sequence[Any]) -> None:
        for column, (_, kind), value in zip(self.columns, COLUMNS, row, strict=True):
            column.append(_fetches(value) if kind == "fetches" else value)
        if len(self.columns[0]) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.columns[0]:
            batch = self.pa.RecordBatch.from_arrays(
                [self.pa.array(values, type=field.type)
                 for values, field in zip(self.columns, self.schema, strict=True)],
                schema=self.schema)
            self.writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
            self.columns = [[] for _ in COLUMNS]

    def close(self) -> None:
        self._flush()
        self.writer.close()


def require_pyarrow() -> Any:
    """pyarrow, or a one-line error naming the extra that installs it."""
    try:
        import pyarrow
    except ImportError:
        raise UserError(f"--format parquet needs pyarrow: {PARQUET_INSTALL}") from None
    return pyarrow


def _arrow_type(pa: Any, kind: str) -> Any:
    types = {"id": pa.int64(), "int": pa.int32(), "text": pa.string(),
             "time": pa.timestamp("us", tz="UTC"), "texts": pa.list_(pa.string())}
    if kind == "fetches":
        return pa.list_(pa.struct([(name, types[k]) for name, k in FETCH_FIELDS]))
    return types[kind]


def _fetches(entries: list[dict]) -> list[dict]:
    """The provenance list with fetched_at parsed (JSON carries it as ISO text)."""
    return [{**entry, "fetched_at": datetime.fromisoformat(entry["fetched_at"])}
            if entry.get("fetched_at") else entry for entry in entries]
