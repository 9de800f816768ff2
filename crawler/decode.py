"""Raw page bytes (and their Content-Type header) in, text out, or the reason there is none.

Follows browsers' encoding sniffing (WHATWG), with repairs a crawler needs because pages are
stored whatever they declare. Bytes that are no text raise `NotText`, so the clean step records
`not_text` instead of feeding them to an HTML parser. docs/clean.md, "Decoding".
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "NotText", "decode_body", "parser_encoding", "repair_double_utf8"]

# How far into the body a <meta charset> is looked for. Browsers stop at 1024 bytes; pages
# with a long <head> of inline scripts put it later, and a wrong guess costs more than a scan.
META_SCAN_BYTES = 8192
# How much of the body is sniffed for binary content and given to the charset guesser.
SNIFF_BYTES = 8192
GUESS_BYTES = 65536
# Below this share of non-ASCII bytes, undeclared legacy text is Latin script and read as
# windows-1252: statistical guessers are unreliable on a few accented letters (one "é" in a
# page comes out as Urdu). Cyrillic, Greek or Arabic in one byte per letter is far above it.
LATIN_HIGH_BYTE_SHARE = 0.05
GUESS_MIN_HIGH_BYTES = 100
# Share of "binary data bytes" (control characters no text uses) above which a sample is not
# text. Random data has ~10%; real pages have none or a handful of strays.
BINARY_BYTE_SHARE = 0.02

# Content types that are never a page, whatever the body looks like.
BINARY_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
BINARY_TYPES = frozenset({
    "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
    "application/x-tar", "application/x-7z-compressed", "application/x-rar-compressed",
    "application/msword", "application/wasm", "application/x-shockwave-flash",
    "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
})
MAGIC_NUMBERS = (
    b"%PDF-", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf", b"Rar!", b"OggS", b"ID3", b"fLaC",
    b"wOFF", b"wOF2", b"\x00\x00\x01\x00", b"\x7fELF", b"MZ",
)
# The byte order marks browsers honour. Not UTF-32's: no page uses it, and its little-endian
# mark is UTF-16's followed by a NUL character.
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# WHATWG "binary data bytes": control characters that no text format uses.
_BINARY_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_HIGH_BYTES = bytes(range(0x80, 0x100))
# One well-formed UTF-8 multi-byte character (RFC 3629, table 3-7 of Unicode).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
# Labels browsers read as another encoding (WHATWG encoding standard).
_ALIASES = {
    "iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", "latin-1": "windows-1252",
    "latin1": "windows-1252", "us-ascii": "windows-1252", "ascii": "windows-1252",
    "iso-8859-9": "windows-1254", "tis-620": "windows-874", "gb2312": "gbk",
    "x-sjis": "shift_jis", "ks_c_5601-1987": "cp949",
}
FALLBACK_ENCODING = "windows-1252"
_UNICODE = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


class NotText(ValueError):
    """The body is not text (an image, an archive, random bytes...)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as read, e.g. "utf-8", "windows-1252", "utf-8+windows-1252" (mixed)
    declared: str | None = None  # what the page or its header said, if anything


def _legacy_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    # Stray bytes in UTF-8 read as windows-1252; its five undefined bytes as Latin-1 (as
    # browsers do), so decoding never fails.
    chunk = error.object[error.start:error.end]
    return "".join(_cp1252_char(byte) for byte in chunk), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


codecs.register_error("liputan.windows-1252", _legacy_fallback)

# A character as windows-1252 (or Latin-1, for the five bytes it leaves undefined) reads it.
_BYTE_OF = {**{chr(b): b for b in range(0x80, 0x100)},
            **{_cp1252_char(b): b for b in range(0x80, 0x100)}}
_CONT = "".join(sorted(ch for ch, b in _BYTE_OF.items() if 0x80 <= b <= 0xBF))
_CONT_CLASS = "[" + re.escape(_CONT) + "]"
# One UTF-8 sequence read byte by byte as windows-1252: a lead byte and its continuations
# ("â€™" for "’", "Ã©" for "é"). Exact sequences only, so real Latin-1 text is not touched.
_DOUBLE_UTF8 = re.compile(
    "(?:[\u00c2-\u00df]" + _CONT_CLASS + "|[\u00e0-\u00ef]" + _CONT_CLASS + "{2}"
    "|[\u00f0-\u00f4]" + _CONT_CLASS + "{3})+")

# the leads of the usual runs: "â€" and "â\x80" (quotes, dashes), "Ã" (accented Latin letters),
# "Â" (no-break space, ©, °)
_DOUBLE_UTF8_MARKS = ("\u00e2\u20ac", "\u00e2\u0080", "\u00c3", "\u00c2")


def repair_double_utf8(text: str) -> str:
    """Text whose UTF-8 was decoded once more as windows-1252 ("weâ€™re"), read as it was meant.

    Pages carry it in their bytes (a CMS that encoded twice), so decoding them right still leaves
    it: each run that is valid UTF-8 when turned back into bytes is replaced by what it says.
    """
    # substring tests are fast; the pattern is searched only on text showing a usual lead
    if any(mark in text for mark in _DOUBLE_UTF8_MARKS):
        return _DOUBLE_UTF8.sub(_undo_double_utf8, text)
    return text


def _undo_double_utf8(match: re.Match[str]) -> str:
    run = match.group()
    try:
        return bytes(_BYTE_OF[ch] for ch in run).decode("utf-8")
    except UnicodeDecodeError:
        return run


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode one page body; raise NotText for bytes that are not text."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith(BINARY_TYPE_PREFIXES) or mime in BINARY_TYPES:
        raise NotText(f"content type {mime}")
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return Decoded(_clean(body[len(bom):].decode(encoding, "replace")), encoding,
                           declared=f"BOM {encoding}")
    if body.startswith(MAGIC_NUMBERS):
        raise NotText("binary file signature")
    sample = body[:SNIFF_BYTES]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return Decoded(_clean(body.decode(utf16, "replace")), utf16)
    if _looks_binary(sample):
        raise NotText("control bytes")

    declared = _header_charset(content_type) or _meta_charset(body[:META_SCAN_BYTES])
    if declared and declared not in _UNICODE:
        if _is_utf8(body) and _has_high_bytes(body):
            return Decoded(_clean(body.decode("utf-8")), "utf-8", declared)
        try:
            return Decoded(_clean(body.decode(declared)), declared, declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong: read it as undeclared
    try:
        return Decoded(_clean(body.decode("utf-8")), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(body):
        text = body.decode("utf-8", "liputan.windows-1252")
        return Decoded(_clean(text), "utf-8+windows-1252", declared)
    guess = _guess(body)
    if guess:
        return Decoded(_clean(body.decode(guess)), guess, declared)
    text = body.decode(FALLBACK_ENCODING, "liputan.windows-1252")
    return Decoded(_clean(text), FALLBACK_ENCODING, declared)


def parser_encoding(body: bytes, content_type: str | None = None) -> str:
    """The codec that reads `body` as decode_body does, for a parser that decodes it itself.

    The crawler's responses are read by Scrapy, which believes any declaration: a
    `<meta charset="utf-16">` (or an HTTP charset naming UTF-16) over ASCII-compatible bytes
    makes the page CJK noise, with no article signals and no links. Giving a response this
    encoding (`response.replace(encoding=...)`) reads it as the clean step will. Pasted
    windows-1252 bytes in UTF-8 ("utf-8+windows-1252") read as UTF-8, with U+FFFD for them.
    Raises NotText as decode_body does.
    """
    return decode_body(body, content_type).encoding.split("+", 1)[0]


def _clean(text: str) -> str:
    # NUL cannot be stored in a PostgreSQL text and means nothing in a page.
    return text.replace("\x00", "") if "\x00" in text else text


def _normalise(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None  # an unknown label is ignored, as browsers do
    name = _ALIASES.get(name, name)
    return "windows-1252" if name == "cp1252" else name.replace("_", "-") if name.startswith(
        "utf") else name


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _normalise(match.group(1)) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = _normalise(match.group(1).decode("ascii", "ignore"))
    # A <meta> read as ASCII cannot be in UTF-16: browsers take UTF-8 then.
    return "utf-8" if name and name.startswith("utf-16") else name


def _utf16_without_bom(sample: bytes) -> str | None:
    # ASCII markup in UTF-16 has a NUL in every other byte.
    if len(sample) < 64:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    binary = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return binary > BINARY_BYTE_SHARE * len(sample)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_high_bytes(body: bytes) -> bool:
    return len(body.translate(None, _HIGH_BYTES)) < len(body)


def _mostly_utf8(body: bytes) -> bool:
    """More non-ASCII bytes belong to well-formed UTF-8 characters than not."""
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    in_utf8 = sum(len(match) for match in _UTF8_MULTIBYTE.findall(body))
    return in_utf8 > 0 and in_utf8 >= high - in_utf8


def _guess(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    sample = body[:GUESS_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high < max(GUESS_MIN_HIGH_BYTES, LATIN_HIGH_BYTE_SHARE * len(sample)):
        return None
    best = from_bytes(sample).best()
    if best is None or best.encoding in _UNICODE:
        return None
    encoding = _normalise(best.encoding)
    if encoding is None:
        return None
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding
