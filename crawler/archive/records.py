"""One fetch as WARC records, and its body read back from a WARC file by offset.

Every record is a gzip member of its own (warcio's gzip=True), so a fetch's response record
is read with one seek to its offset. Liputan's own WARC headers say which fetch, crawl run,
source and kind a record holds, so a WARC stays readable as provenance without the database.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["FETCH_ID", "read_body", "warc_date", "write_fetch"]

FETCH_ID = "WARC-Liputan-Fetch-Id"
CRAWL_RUN = "WARC-Liputan-Crawl-Run-Id"
SOURCE = "WARC-Liputan-Source"
KIND = "WARC-Liputan-Kind"
DISCOVERED_VIA = "WARC-Liputan-Discovered-Via"
REQUESTED = "WARC-Liputan-Requested-URI"
# Stored headers describe the body as received on the wire; the stored body is decoded.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_fetch(writer: WARCWriter, *, fetch_id: int, crawl_run_id: int, source: str, kind: str,
                discovered_via: str, url: str, final_url: str | None, fetched_at: datetime,
                status: int | None, content_type: str | None, headers: dict,
                body: bytes) -> tuple[int, str]:
    """Write the response and request records of one fetch: (the response record's offset in
    the file, its WARC-Record-ID)."""
    target = final_url or url
    status = status or 200
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    pairs = [(name, str(value)) for name, value in (headers or {}).items()
             if name.lower() not in _WIRE_HEADERS and name.lower() != "content-type"]
    if content_type:
        pairs.insert(0, ("Content-Type", content_type))
    pairs.append(("Content-Length", str(len(body))))
    own = {"WARC-Date": warc_date(fetched_at), FETCH_ID: str(fetch_id),
           CRAWL_RUN: str(crawl_run_id), SOURCE: source, KIND: kind,
           DISCOVERED_VIA: discovered_via, REQUESTED: url}
    response = writer.create_warc_record(
        target, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders(f"{status} {phrase}", pairs, protocol="HTTP/1.1"),
        warc_headers_dict=own)
    record_id = response.rec_headers.get_header("WARC-Record-ID")
    request = writer.create_warc_record(
        target, "request", payload=io.BytesIO(b""), length=0,
        http_headers=StatusAndHeaders(f"GET {_path(target)} HTTP/1.1",
                                      [("Host", _host(target))], is_http_request=True),
        warc_headers_dict={"WARC-Date": own["WARC-Date"], "WARC-Concurrent-To": record_id,
                           FETCH_ID: str(fetch_id)})
    offset = writer.out.tell()
    writer.write_record(response)
    writer.write_record(request)
    return offset, record_id


def read_body(path: str | Path, offset: int) -> bytes:
    """The payload of the response record at `offset` of a WARC file."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                break
            return record.content_stream().read()
    raise ValueError(f"{path}: no response record at offset {offset}")


def _path(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]
