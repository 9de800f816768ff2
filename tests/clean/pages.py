"""Pages written for these tests (never corpus pages) and a way to store them as a crawl would.

`store(dsn, source, pages)` inserts one crawl run and one successful article fetch per page,
with the gzip body, checksum and size the crawler stores; cleaning reads nothing else.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

import psycopg

PARAGRAPHS = (
    ("Pemerintah kota Bandung meresmikan jembatan penyeberangan baru di kawasan Dago pada "
    "Senin pagi, setelah pembangunan yang berlangsung hampir dua tahun."),
    ("Wali kota mengatakan jembatan sepanjang 120 meter itu dirancang untuk mengurangi "
    "kemacetan dan memberi pejalan kaki jalur yang aman menuju pusat kota."),
    ("Warga sekitar menyambut baik peresmian tersebut, meski sebagian berharap pemerintah juga "
    "memperbaiki trotoar yang rusak di sepanjang jalan utama."),
    ("Dinas Perhubungan akan memantau arus lalu lintas selama sebulan pertama untuk menilai "
    "dampak jembatan terhadap kepadatan kendaraan di jam sibuk."),
)


def article_html(title: str = "Jembatan baru diresmikan di Bandung", *, extra: str = "",
                 paragraphs: tuple[str, ...] = PARAGRAPHS, charset: str | None = "utf-8",
                 lang: str = "id") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}
<title>{title} - Kabar Kota</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Kabar Kota">
<meta property="og:description" content="Jembatan penyeberangan baru di Dago resmi dibuka.">
<meta property="og:image" content="https://kabarkota.example/img/jembatan.jpg">
<meta name="author" content="Siti Rahma">
<meta property="article:published_time" content="2026-11-02T08:30:00+07:00">
<link rel="canonical" href="https://kabarkota.example/berita/jembatan-baru">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/kota">Kota</a></li>
<li><a href="/olahraga">Olahraga</a></li></ul></nav>
<article><h1>{title}</h1>
<p class="byline">Oleh Siti Rahma</p>
{body}
{extra}
</article>
<footer><p>Hak cipta 2026 Kabar Kota. Seluruh hak dilindungi.</p></footer>
</body></html>"""


def listing_html() -> str:
    items = "\n".join(
        f'<li><a href="/berita/{n}">Judul berita nomor {n}</a></li>' for n in range(40))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Indeks berita - Kabar Kota</title></head><body>
<nav><a href="/">Beranda</a></nav><h1>Indeks berita</h1><ul>{items}</ul>
<footer>Hak cipta 2026 Kabar Kota</footer></body></html>"""


def short_html() -> str:
    return """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Sedang dalam perbaikan</title></head><body><div><h1>Perbaikan</h1>
<p>Halaman ini sedang diperbaiki.</p>
</div></body></html>"""


@dataclass
class Page:
    name: str
    body: bytes | None
    content_type: str | None = "text/html; charset=utf-8"
    kind: str = "article"
    reason: str | None = None  # a failed fetch
    http_status: int = 200
    body_gz: bytes | None = None  # stored as is instead of gzip(body): a corrupt body
    body_sha256: bytes | None = None  # stored instead of sha256(body)


def store(dsn: str, source: str, pages: list[Page]) -> dict[str, int]:
    """Store pages as one crawl run of `source`; returns page name -> fetch_id."""
    ids: dict[str, int] = {}
    with psycopg.connect(dsn) as conn:
        run = conn.execute("INSERT INTO liputan.crawl_runs (source, status) "
                           "VALUES (%s, 'finished') RETURNING crawl_run_id", [source]).fetchone()
        for page in pages:
            body = page.body
            body_gz = page.body_gz if page.body_gz is not None else (
                gzip.compress(body, 1) if body is not None else None)
            sha = page.body_sha256 if page.body_sha256 is not None else (
                hashlib.sha256(body).digest() if body is not None else None)
            url = f"https://{source}.example/berita/{page.name}"
            ids[page.name] = conn.execute(
                "INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url, "
                " final_url, kind, discovered_via, fetched_at, elapsed_ms, http_status, reason,"
                " content_type, body_gz, body_sha256, body_bytes) "
                "VALUES (%s, %s, %s, %s, %s, %s, 'feed', now(), 5, %s, %s, %s, %s, %s, %s) "
                "RETURNING fetch_id",
                [run[0], source, url, url, url, page.kind, page.http_status, page.reason,
                 page.content_type, body_gz, sha, len(body) if body is not None else None],
            ).fetchone()[0]
    return ids


def documents(dsn: str, source: str) -> dict[int, dict]:
    """fetch_id -> the document row (by column name) of every page of `source`."""
    with psycopg.connect(dsn, row_factory=psycopg.rows.dict_row) as conn:
        rows = conn.execute(
            "SELECT d.* FROM liputan.documents d JOIN liputan.fetches f USING (fetch_id) "
            "WHERE f.source = %s ORDER BY d.fetch_id", [source]).fetchall()
    return {row["fetch_id"]: row for row in rows}
