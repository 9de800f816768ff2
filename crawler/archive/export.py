"""`liputan archive`: stored fetches to WARC.gz files of bounded size, and their bodies pruned.

A file is written under a temporary name, synced, renamed, and only then do its fetches get
their warc_file and offset (one transaction): a killed archive leaves at most a `.part` file
and no reference to it, and the rerun writes the same fetches to the same name again. Pruning
reads each file back and drops a body from PostgreSQL only when the WARC holds the same bytes
(sha256). docs/scale.md, "Bodies out of PostgreSQL".
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from crawler.archive.records import write_fetch
from crawler.db.connect import connection
from crawler.errors import UserError

logger = logging.getLogger(__name__)

__all__ = ["ArchiveResult", "archive", "prune"]

# A WARC file is closed once this big; Common Crawl's are ~1 GB, which tools expect.
MAX_FILE_BYTES = 1 << 30
FETCHES_PER_READ = 200  # rows the cursor brings per round trip; bodies are ~20-50 kB gzipped

SELECT_UNARCHIVED = """
SELECT fetch_id, crawl_run_id, source, kind, discovered_via, url, final_url, fetched_at,
       http_status, content_type, headers, body_gz
FROM liputan.fetches
WHERE warc_file IS NULL AND body_gz IS NOT NULL AND fetched_at < %(before)s
ORDER BY fetch_id
"""
SET_LOCATIONS = """
UPDATE liputan.fetches f SET warc_file = %(file)s, warc_offset = l.warc_offset,
       warc_record_id = l.warc_record_id
FROM unnest(%(ids)s::bigint[], %(offsets)s::bigint[], %(records)s::text[])
     AS l(fetch_id, warc_offset, warc_record_id)
WHERE f.fetch_id = l.fetch_id AND f.warc_file IS NULL
"""
PRUNABLE = """
SELECT warc_record_id, fetch_id, body_sha256 FROM liputan.fetches
WHERE warc_file = %(file)s AND body_gz IS NOT NULL AND fetched_at < %(before)s
"""
DROP_BODIES = "UPDATE liputan.fetches SET body_gz = NULL WHERE fetch_id = ANY(%(ids)s)"
FILES_TO_PRUNE = """
SELECT DISTINCT warc_file FROM liputan.fetches
WHERE warc_file IS NOT NULL AND body_gz IS NOT NULL AND fetched_at < %(before)s
ORDER BY warc_file
"""


@dataclass
class ArchiveResult:
    files: list[Path] = field(default_factory=list)
    fetches: int = 0
    bytes: int = 0
    pruned: int = 0
    prune_refused: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        line = (f"archived {self.fetches} fetch(es) into {len(self.files)} WARC file(s), "
                f"{self.bytes / 1e6:.1f} MB, in {self.seconds:.1f}s")
        if self.pruned or self.prune_refused:
            line += f"; {self.pruned} body(ies) pruned from PostgreSQL"
        if self.prune_refused:
            line += f"; NOT pruned (WARC differs or unreadable): {', '.join(self.prune_refused)}"
        return line


def archive(dsn: str, out_dir: Path, *, older_than: timedelta = timedelta(days=30),
            do_prune: bool = False, max_file_bytes: int = MAX_FILE_BYTES,
            now: datetime | None = None) -> ArchiveResult:
    """Write every stored fetch body older than `older_than` and not yet archived to WARC."""
    started = time.monotonic()
    out_dir = out_dir.resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out_dir}: cannot create the archive folder ({exc.strerror})") \
            from None
    before = (now or datetime.now().astimezone()) - older_than
    result = ArchiveResult()
    with connection(dsn) as reader, connection(dsn, autocommit=True) as writer_conn:
        with reader.transaction(), reader.cursor(name="liputan_archive") as cursor:
            cursor.itersize = FETCHES_PER_READ
            cursor.execute(SELECT_UNARCHIVED, {"before": before})
            current: _OpenFile | None = None
            for row in cursor:
                if current is None:
                    current = _OpenFile(out_dir, first_fetch_id=row[0])
                current.add(row)
                if current.size >= max_file_bytes:
                    _finish(current, writer_conn, result)
                    current = None
            if current is not None:
                _finish(current, writer_conn, result)
        if do_prune:
            prune(dsn, before=before, result=result)
    result.seconds = time.monotonic() - started
    return result


class _OpenFile:
    def __init__(self, out_dir: Path, first_fetch_id: int) -> None:
        # Named by its first fetch: a rerun after a kill writes the same fetches to the same name.
        self.path = out_dir / f"liputan-fetches-{first_fetch_id:012d}.warc.gz"
        self.part = self.path.with_name(self.path.name + ".part")
        self.stream = open(self.part, "wb")  # noqa: SIM115 -- closed in close()
        self.writer = WARCWriter(self.stream, gzip=True)
        self.ids: list[int] = []
        self.offsets: list[int] = []
        self.records: list[str] = []
        self.writer.write_record(self.writer.create_warcinfo_record(
            self.path.name, {"software": "Liputan (crawler/archive)",
                             "format": "WARC File Format 1.1",
                             "description": "Fetches of liputan.fetches, one response and one "
                                            "request record each"}))

    @property
    def size(self) -> int:
        return self.stream.tell()

    def add(self, row: tuple) -> None:
        (fetch_id, run_id, source, kind, via, url, final_url, fetched_at, status, content_type,
         headers, body_gz) = row
        offset, record_id = write_fetch(
            self.writer, fetch_id=fetch_id, crawl_run_id=run_id, source=source, kind=kind,
            discovered_via=via, url=url, final_url=final_url, fetched_at=fetched_at,
            status=status, content_type=content_type, headers=headers,
            body=gzip.decompress(body_gz))
        self.ids.append(fetch_id)
        self.offsets.append(offset)
        self.records.append(record_id)

    def close(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.part, self.path)


def _finish(current: _OpenFile, conn: psycopg.Connection, result: ArchiveResult) -> None:
    current.close()
    with conn.transaction():
        conn.execute(SET_LOCATIONS, {"file": str(current.path), "ids": current.ids,
                                     "offsets": current.offsets, "records": current.records})
    result.files.append(current.path)
    result.fetches += len(current.ids)
    result.bytes += current.path.stat().st_size
    logger.info("archive: %s: %d fetch(es), %.1f MB", current.path.name, len(current.ids),
                current.path.stat().st_size / 1e6)


def prune(dsn: str, *, before: datetime, result: ArchiveResult | None = None) -> ArchiveResult:
    """Drop from PostgreSQL the bodies archived before `before` whose WARC holds the same bytes."""
    result = result or ArchiveResult()
    with connection(dsn, autocommit=True) as conn:
        files = [row[0] for row in conn.execute(FILES_TO_PRUNE, {"before": before})]
        for name in files:
            expected = {record_id: (fetch_id, bytes(sha)) for record_id, fetch_id, sha
                        in conn.execute(PRUNABLE, {"file": name, "before": before})}
            verified = _verified(Path(name), expected)
            if verified is None:
                result.prune_refused.append(name)
                logger.error("archive: %s does not hold the stored bodies: not pruned", name)
                continue
            with conn.transaction():
                conn.execute(DROP_BODIES, {"ids": verified})
            result.pruned += len(verified)
    return result


def _verified(path: Path, expected: dict[str, tuple[int, bytes]]) -> list[int] | None:
    """The fetch ids whose body the file holds byte for byte (records found by their
    WARC-Record-ID: written by `archive` or imported); None if any differs or is missing."""
    found: dict[str, bytes] = {}
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                if record.rec_type == "response" and record_id in expected:
                    found[record_id] = hashlib.sha256(record.content_stream().read()).digest()
    except (OSError, ValueError) as exc:
        logger.error("archive: cannot read %s: %s", path, exc)
        return None
    if any(found.get(record_id) != sha for record_id, (_, sha) in expected.items()):
        return None
    return sorted(fetch_id for fetch_id, _ in expected.values())
