"""Bytes and a Content-Type header in, the text as written out, or NotText."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.decode import NotText, decode_body, parser_encoding, repair_double_utf8

TEXT = "Harga kopi di café “Dago” naik — kata Zoë: «naïve»."


def html(charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{TEXT}</p></body></html>"


def test_header_charset_is_used():
    decoded = decode_body(html().encode("cp1252"), "text/html; charset=windows-1252")
    assert TEXT in decoded.text and decoded.encoding == "windows-1252"


def test_meta_charset_is_used_without_a_header_charset():
    decoded = decode_body(html("windows-1252").encode("cp1252"), "text/html")
    assert TEXT in decoded.text


def test_header_wins_over_meta():
    body = html("utf-8").replace(TEXT, "Привет, мир").encode("koi8-r")
    assert "Привет, мир" in decode_body(body, "text/html; charset=koi8-r").text


def test_a_byte_order_mark_wins_over_any_declaration():
    body = b"\xef\xbb\xbf" + html("windows-1252").encode("utf-8")
    decoded = decode_body(body, "text/html; charset=iso-8859-1")
    assert TEXT in decoded.text and not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_a_byte_order_mark(encoding):
    bom = "\ufeff".encode(encoding)
    assert TEXT in decode_body(bom + html().encode(encoding)).text
    assert TEXT in decode_body(html().encode(encoding)).text


@pytest.mark.parametrize(("charset", "content_type"), [
    ("utf-16", "text/html"), ("UTF-16LE", None), ("utf-16be", "text/html"), ("utf-32", None),
    ("utf-8", "text/html; charset=utf-16"), ("utf-16", "text/html; charset=UTF-16LE"),
])
def test_a_utf16_declaration_over_ascii_compatible_bytes_is_read_as_utf8(charset, content_type):
    # WHATWG: a <meta> read as ASCII cannot be UTF-16, so utf-16 there means utf-8
    body = html(charset).encode("utf-8")
    decoded = decode_body(body, content_type)
    assert TEXT in decoded.text and decoded.encoding == "utf-8"
    assert parser_encoding(body, content_type) == "utf-8"


@pytest.mark.parametrize(("body", "content_type", "encoding"), [
    (html("utf-16").encode("utf-8"), "text/html", "utf-8"),
    (html().encode("utf-8"), "text/html; charset=utf-16", "utf-8"),
    (html("windows-1252").encode("cp1252"), "text/html", "windows-1252"),
    (html("utf-8").encode("cp1252"), "text/html; charset=utf-8", "windows-1252"),
    (html().encode("utf-8") + "<p>“Très”</p>".encode("cp1252"), None, "utf-8"),
    (b"\xff\xfe" + html("utf-8").encode("utf-16-le"), "text/html; charset=utf-8", "utf-16-le"),
])
def test_a_parser_given_parser_encoding_reads_the_page_as_decode_body(body, content_type,
                                                                      encoding):
    # what the spider does with a response Scrapy would read by its declaration alone
    from scrapy.http import HtmlResponse

    assert parser_encoding(body, content_type) == encoding
    response = HtmlResponse("https://kabar.example/berita/1", body=body,
                            headers={"Content-Type": content_type or "text/html"})
    assert TEXT in response.replace(encoding=encoding).text


def test_parser_encoding_raises_not_text_as_decode_body_does():
    with pytest.raises(NotText):
        parser_encoding(random.Random(2).randbytes(4096), "text/html")


def test_utf8_declared_as_latin1_is_read_as_utf8():
    decoded = decode_body(html("iso-8859-1").encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert TEXT in decoded.text and decoded.encoding == "utf-8"


def test_legacy_bytes_declared_as_utf8_are_read_as_windows_1252():
    decoded = decode_body(html("utf-8").encode("cp1252"), "text/html; charset=utf-8")
    assert TEXT in decoded.text


def test_utf8_with_a_windows_1252_paste_keeps_both_parts():
    body = html().encode("utf-8").replace(b"</body>", "<p>“Très” café</p></body>".encode("cp1252"))
    decoded = decode_body(body, "text/html")
    assert TEXT in decoded.text and "“Très” café" in decoded.text
    assert decoded.encoding == "utf-8+windows-1252"


def test_undeclared_cyrillic_is_guessed():
    body = ("<html><body>" + "<p>Сегодня в городе открыли новый мост через реку.</p>" * 30
            + "</body></html>").encode("cp1251")
    assert "открыли новый мост" in decode_body(body).text


def test_an_unknown_charset_label_is_ignored():
    assert TEXT in decode_body(html().encode("utf-8"), "text/html; charset=x-no-such").text


def test_nul_characters_are_dropped():
    assert "\x00" not in decode_body(html().encode("utf-16-le")).text
    assert decode_body(b"<p>a</p>" + b"x" * 9000 + b"\x00b").text.endswith("xb")


@pytest.mark.parametrize(("body", "content_type"), [
    (random.Random(1).randbytes(4096), "text/html"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, None),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "text/html"),
    (b"PK\x03\x04" + b"\x14" * 100, None),
    (html().encode(), "image/jpeg"),
    (html().encode(), "application/pdf"),
    (b"<p>" + bytes(range(1, 9)) * 50 + b"</p>", None),
])
def test_bytes_that_are_not_text_raise_not_text(body, content_type):
    with pytest.raises(NotText):
        decode_body(body, content_type)


def test_an_empty_body_is_empty_text():
    assert decode_body(b"", "text/html").text == ""


CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=ISO-8859-1",
                 "text/html; charset=shift_jis", "text/html; charset=utf-16", "charset=bogus"]


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=3000), content_type=st.sampled_from(CONTENT_TYPES))
def test_any_bytes_decode_to_storable_text_or_not_text(body, content_type):
    try:
        decoded = decode_body(body, content_type)
    except NotText:
        return
    assert "\x00" not in decoded.text
    decoded.text.encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=500), encoding=st.sampled_from(["utf-8-sig", "utf-16"]),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_unicode_text_with_a_byte_order_mark_round_trips(text, encoding, content_type):
    body = text.encode(encoding, "surrogatepass")  # each of these writes a BOM
    assert decode_body(body, content_type).text == text.replace("\x00", "")


def _encoded_twice(text: str) -> str:
    # what a CMS that encodes UTF-8 once more as windows-1252 puts in its pages
    return text.encode("utf-8").decode("cp1252", errors="liputan.windows-1252")


def test_text_encoded_twice_is_read_as_meant():
    assert repair_double_utf8(_encoded_twice(TEXT)) == TEXT
    assert repair_double_utf8(_encoded_twice("we’re")) == "we’re"  # holds U+0080 and U+0099


def test_real_latin_text_is_not_repaired():
    for text in ("São Paulo, coração, ÂGE, Ã", "Ägypten für naïve Straße", TEXT):
        assert repair_double_utf8(text) == text
