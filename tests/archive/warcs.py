"""WARC files written for these tests, laid out as Common Crawl's CC-NEWS: a warcinfo record,
then one response record per page (no request records)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.clean.pages import article_html

START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


def write_warc(path: Path, pages: list[tuple[str, int, bytes]]) -> Path:
    """pages: (url, HTTP status, body); WARC-Date one minute apart from START."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for number, (url, status, body) in enumerate(pages):
            headers = StatusAndHeaders(f"{status} OK", [
                ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1")
            moment = START + timedelta(minutes=number)
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}))
    return path


def news_pages(host: str, count: int, *, start: int = 0) -> list[tuple[str, int, bytes]]:
    return [(f"https://{host}/berita/{n}/kabar-ke-{n}", 200,
             article_html(f"Kabar nomor {n} dari {host}").encode()) for n in range(start, count)]
