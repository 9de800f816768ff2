"""`liputan import-warc`: WARC response records (Common Crawl's CC-NEWS, ...) in as fetches.

Records of the sources' sites (and article patterns, where a source has one) become article
fetches with provenance: discovered_via `warc`, the WARC file and record id, WARC-Date as the
fetch time, the record's offset (so `liputan archive --prune` can drop the body: the WARC
holds it). One crawl run per source and file. Streaming: one record in memory at a time.
Resumable: a finished file is skipped, and a file whose import was killed goes on, record ids
already stored skipped (a unique index on (warc_file, warc_record_id) guarantees no
duplicate). Then clean and load as usual. docs/scale.md, "Backfill from web archives".
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.config import Config, Source
from crawler.db.connect import connection
from crawler.errors import UserError
from crawler.fetch.store import FetchRecord, FetchStore, SourceLocked
from crawler.urls import Site

logger = logging.getLogger(__name__)

__all__ = ["ImportResult", "import_warcs"]

# Response headers worth keeping, as the crawl keeps them (conditional requests, provenance).
KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "content-language", "server")
PROGRESS_EVERY_S = 10.0

DONE_RECORDS = "SELECT warc_record_id FROM liputan.fetches WHERE warc_file = %(file)s"
FINISHED = "SELECT 1 FROM liputan.warc_imports WHERE warc_file = %(file)s"
MARK_FINISHED = """
INSERT INTO liputan.warc_imports (warc_file, bytes, records, fetches)
VALUES (%(file)s, %(bytes)s, %(records)s, %(fetches)s)
ON CONFLICT (warc_file) DO NOTHING
"""


@dataclass
class ImportResult:
    files: int = 0
    skipped_files: int = 0  # finished by an earlier import
    records: int = 0  # response records read
    fetches: int = 0  # stored now
    already: int = 0  # stored by an earlier, interrupted import of the same file
    by_source: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        sources = ", ".join(f"{name} {n}" for name, n in self.by_source.most_common())
        line = (f"read {self.records} response record(s) of {self.files} WARC file(s) in "
                f"{self.seconds:.1f}s: {self.fetches} stored as fetches"
                + (f" ({sources})" if sources else ""))
        if self.already:
            line += f", {self.already} already stored"
        if self.skipped_files:
            line += f"; {self.skipped_files} file(s) imported before, skipped"
        return line


def import_warcs(dsn: str, config: Config, files: list[Path], *,
                 sources: list[str] | None = None) -> ImportResult:
    """Import the response records of `files` that belong to the selected sources."""
    started = time.monotonic()
    selected = [(source, Site([source.url, *source.seed_urls]), source.article_regex)
                for source in config.select(sources)]
    result = ImportResult()
    for path in files:
        path = path.resolve()
        if not path.is_file():
            raise UserError(f"{path}: no such WARC file")
        if path.stat().st_size == 0:
            raise UserError(f"{path}: not a readable WARC file (empty)")
        with connection(dsn, autocommit=True) as conn:
            if conn.execute(FINISHED, {"file": str(path)}).fetchone():
                result.skipped_files += 1
                logger.info("import-warc: %s was imported before: skipped", path.name)
                continue
            done = {row[0] for row in conn.execute(DONE_RECORDS, {"file": str(path)})}
            try:
                records, stored = _import_file(dsn, config, path, selected, done, result)
            except ArchiveLoadFailed as exc:
                raise UserError(f"{path}: not a readable WARC file "
                                f"({' '.join(str(exc).split())[:200]})") from None
            conn.execute(MARK_FINISHED, {"file": str(path), "bytes": path.stat().st_size,
                                         "records": records, "fetches": stored})
        result.files += 1
    result.seconds = time.monotonic() - started
    return result


def _import_file(dsn: str, config: Config, path: Path, selected: list, done: set[str],
                 result: ImportResult) -> tuple[int, int]:
    stores: dict[str, FetchStore] = {}
    records = stored = 0
    last_progress = time.monotonic()
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                records += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                source = _source_of(url, selected)
                if source is None:
                    continue
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                if record_id in done:
                    result.already += 1
                    continue
                fetch = _fetch(record, url, config.max_download_bytes, path, record_id)
                # after the body is read: asking first reads the record to its end
                fetch.warc_offset = iterator.get_record_offset()
                if source.name not in stores:
                    stores[source.name] = _open_store(dsn, source, path)
                stores[source.name].add(fetch)
                stored += 1
                result.by_source[source.name] += 1
                if time.monotonic() - last_progress >= PROGRESS_EVERY_S:
                    last_progress = time.monotonic()
                    logger.info("import-warc: %s: %d record(s) read, %d stored", path.name,
                                records, stored)
        for store in stores.values():
            store.finish_run("finished", discovered=sum(store.counts.values()), stats={})
    except BaseException:
        for store in stores.values():  # what is buffered is written: the rerun skips it
            try:
                store.finish_run("interrupted", discovered=0, stats={},
                                 error="import-warc stopped before the end of the file")
            except Exception:  # noqa: BLE001 -- the original error matters more
                logger.warning("import-warc: could not close the run of %s", store.source)
        raise
    finally:
        for store in stores.values():
            store.close()
    result.records += records
    result.fetches += stored
    return records, stored


def _source_of(url: str, selected: list) -> Source | None:
    for source, site, pattern in selected:
        if url in site and (pattern is None or pattern.search(url)):
            return source
    return None


def _open_store(dsn: str, source: Source, path: Path) -> FetchStore:
    store = FetchStore(dsn, source.name)
    try:
        store.begin_run({"warc": str(path)})
    except SourceLocked:
        raise UserError(f"source {source.name!r} is being crawled or imported by another "
                        "process: try again when it is done") from None
    return store


def _fetch(record, url: str, limit: int, path: Path, record_id: str) -> FetchRecord:
    status = int(record.http_headers.get_statuscode() or 0)
    headers = {name.lower(): value for name, value in record.http_headers.headers
               if name.lower() in KEPT_HEADERS}
    body = record.content_stream().read(limit + 1)
    reason = None
    if len(body) > limit:
        body, reason = None, "too_large"
    elif not 200 <= status < 300:
        reason = f"http_{status}"
    return FetchRecord(
        url=url, kind="article", discovered_via="warc", discovered_from=str(path),
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")), final_url=url,
        http_status=status, reason=reason, content_type=headers.get("content-type"),
        headers=headers, body=body if reason is None else None, warc_file=str(path),
        warc_record_id=record_id)


def _warc_date(value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
