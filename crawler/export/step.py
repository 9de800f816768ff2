"""Run one export: the query through a server-side cursor into one writer, into a file that
appears under its name only once complete."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from crawler.db.connect import connection
from crawler.errors import UserError
from crawler.export.query import ExportFilter, check_filter, export_query
from crawler.export.writers import CsvWriter, JsonlWriter, ParquetWriter, Writer, require_pyarrow

__all__ = ["FORMATS", "ExportResult", "export"]

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")
# Rows the server-side cursor hands over per round trip: enough that round trips cost little
# next to encoding (~5 KB per article), few enough that one page stays a few MB.
CURSOR_PAGE_ROWS = 500


@dataclass
class ExportResult:
    articles: int
    seconds: float

    def summary(self, out: str) -> str:
        rate = self.articles / self.seconds if self.seconds else 0
        return f"exported {self.articles} article(s) to {out} in {self.seconds:.1f}s ({rate:.0f}/s)"


def export(dsn: str, fmt: str, out: Path | None, selection: ExportFilter | None = None
           ) -> ExportResult:
    """Write the selected articles to `out` (None: stdout, jsonl and csv only)."""
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if out is None and fmt == "parquet":
        raise UserError("parquet is not written to stdout: give a file name")
    if fmt == "parquet":
        require_pyarrow()  # before any database work
    selection = selection or ExportFilter()
    started = time.monotonic()
    with connection(dsn) as conn:
        check_filter(conn, selection)
        query, params = export_query(selection)
        with _destination(fmt, out) as writer, conn.cursor(name="liputan_export") as cur:
            cur.itersize = CURSOR_PAGE_ROWS
            cur.execute(query, params)
            count = 0
            for row in cur:
                writer.write(row)
                count += 1
    return ExportResult(articles=count, seconds=time.monotonic() - started)


@contextmanager
def _destination(fmt: str, out: Path | None) -> Iterator[Writer]:
    """A writer on stdout, or on OUT.part renamed to OUT once complete (a failed or
    interrupted export leaves no file that looks whole)."""
    if out is None:
        writer = _text_writer(fmt)(sys.stdout)
        yield writer
        writer.close()
        return
    partial = out.with_name(out.name + ".part")
    try:
        partial.touch()
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from exc
    try:
        if fmt == "parquet":
            writer: Writer = ParquetWriter(str(partial))
            yield writer
            writer.close()
        else:
            with open(partial, "w", encoding="utf-8", newline="") as stream:
                writer = _text_writer(fmt)(stream)
                yield writer
                writer.close()
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _text_writer(fmt: str) -> Callable[[IO[str]], Writer]:
    return {"jsonl": JsonlWriter, "csv": CsvWriter}[fmt]
