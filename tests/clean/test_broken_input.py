"""Broken pages end as a document with a reason (or as an article when there is one to read),
never as a crash or a stalled run. The timeout marker bounds the whole run."""

from __future__ import annotations

import gzip
import hashlib
import random

import pytest

from crawler.clean.page import MAX_PAGE_BYTES
from crawler.clean.step import clean
from tests.clean.pages import PARAGRAPHS, Page, article_html, documents, store

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def big_page() -> bytes:
    filler = "<p>" + "isi halaman yang sangat panjang " * 30 + "</p>\n"
    html = article_html(extra=filler * (20_000_000 // len(filler) + 1))
    return html.encode()


def gzip_bomb() -> bytes:
    """A small gzip of more than MAX_PAGE_BYTES, stored without a size (as if unknown)."""
    return gzip.compress(b"<p>" + b" " * (MAX_PAGE_BYTES + 1000) + b"</p>", 9)


@pytest.fixture(scope="module")
def broken(dsn):
    rng = random.Random(7)
    deep = ("<html><body>" + "<div>" * 100_000 + "<p>dalam</p>" + "</div>" * 100_000
            + "</body></html>").encode()
    malformed = ("<html><body><div><p>" + "</p><p>".join(PARAGRAPHS)
                 + "<<<>>></span></div></div></b><table><tr><td>sel <!-- tanpa akhir").encode()
    mixed = (article_html(extra="<p>Harga kopi naik: Rp 5.000 per cangkir.</p>")
             .replace("Senin pagi", "Senin pagi di kafé “Kopi Dago”").encode("utf-8")
             .replace(b"</article>", "<p>Kata pemilik: “naïve” itu café.</p></article>"
                      .encode("cp1252")))
    wrong_charset = article_html(extra="<p>Ucapan “terima kasih” dari café warga.</p>")
    bom_utf16 = article_html(charset=None, extra="<p>Pesan dari Zoë di café.</p>")
    pages = [
        Page("malformed", malformed),
        Page("deeply-nested", deep),
        Page("random-bytes", rng.randbytes(50_000), content_type="text/html"),
        Page("png-as-html", PNG, content_type="text/html"),
        Page("image-type", article_html().encode(), content_type="image/jpeg"),
        Page("empty", b""),
        Page("whitespace", b"  \r\n\t \n"),
        Page("twenty-megabytes", big_page()),
        Page("gzip-bomb", b"x", body_gz=gzip_bomb()),
        Page("corrupt-gzip", b"x", body_gz=b"\x1f\x8b\x08\x00not really gzip"),
        Page("truncated-gzip", article_html().encode(),
             body_gz=gzip.compress(article_html().encode())[:200]),
        Page("checksum-mismatch", article_html().encode(),
             body_sha256=hashlib.sha256(b"another body").digest()),
        Page("mixed-encodings", mixed, content_type="text/html"),
        Page("wrong-charset", wrong_charset.encode("utf-8"),
             content_type="text/html; charset=iso-8859-1"),
        Page("windows-1252-meta", article_html(charset="windows-1252",
             extra="<p>Kopi dari café “Dago”.</p>").encode("cp1252"), content_type="text/html"),
        Page("utf-16-bom", b"\xff\xfe" + bom_utf16.encode("utf-16-le"), content_type=None),
        # UTF-8 declaring UTF-16 in its <meta> or its header: read as UTF-8, as browsers do
        Page("meta-utf-16", article_html(charset="utf-16", extra="<p>Kopi dari café “Dago”.</p>")
             .encode("utf-8"), content_type="text/html"),
        Page("header-utf-16", article_html(extra="<p>Kopi dari café “Dago”.</p>").encode("utf-8"),
             content_type="text/html; charset=utf-16"),
    ]
    ids = store(dsn, "rusak", pages)
    result = clean(dsn, sources=["rusak"], workers=2, batch_size=4)
    docs = documents(dsn, "rusak")
    return result, {name: docs.get(fetch_id) for name, fetch_id in ids.items()}


pytestmark = pytest.mark.timeout(180)


def test_every_broken_page_gets_a_document_and_the_run_succeeds(broken):
    result, docs = broken
    assert result.ok and result.failed == 0
    assert all(doc is not None for doc in docs.values()), [n for n, d in docs.items() if not d]
    assert result.cleaned == len(docs)


@pytest.mark.parametrize(("page", "reason"), [
    ("random-bytes", "not_text"), ("png-as-html", "not_text"), ("image-type", "not_text"),
    ("empty", "empty"), ("whitespace", "empty"),
    ("twenty-megabytes", "too_large"), ("gzip-bomb", "too_large"),
    ("corrupt-gzip", "corrupt_body"), ("truncated-gzip", "corrupt_body"),
    ("checksum-mismatch", "corrupt_body"),
])
def test_unreadable_pages_are_recorded_with_their_reason(broken, page, reason):
    doc = broken[1][page]
    assert not doc["is_article"] and doc["reason"] == reason


def test_deeply_nested_page_is_recorded_as_not_an_article(broken):
    doc = broken[1]["deeply-nested"]
    assert not doc["is_article"] and doc["reason"]


def test_malformed_html_still_yields_its_article(broken):
    doc = broken[1]["malformed"]
    assert doc["is_article"], doc["reason"]
    assert "jembatan sepanjang 120 meter" in doc["text"]


@pytest.mark.parametrize(("page", "expected"), [
    ("mixed-encodings", ["kafé “Kopi Dago”", "“naïve” itu café"]),
    ("wrong-charset", ["“terima kasih” dari café"]),
    ("windows-1252-meta", ["café “Dago”"]),
    ("utf-16-bom", ["Zoë di café"]),
    ("meta-utf-16", ["café “Dago”"]),
    ("header-utf-16", ["café “Dago”"]),
])
def test_text_in_any_encoding_is_stored_as_written(broken, page, expected):
    doc = broken[1][page]
    assert doc["is_article"], doc["reason"]
    for fragment in expected:
        assert fragment in doc["text"]
    assert "Ã" not in doc["text"] and "\ufffd" not in doc["text"]
