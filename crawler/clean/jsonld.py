"""The JSON-LD objects of a page (schema.org), flattened: what metadata, dates and authors read.

Scripts are read as pages write them, not as the standard wants them: wrapped in `<!--` or
`<![CDATA[`, with trailing commas, or with several objects one after the other; each is
repaired cheaply (a second parse only when the first fails).

docs/extract.md, "Metadata".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

__all__ = ["MAX_JSON_LD_CHARS", "NESTED_KEYS", "objects"]

MAX_JSON_LD_CHARS = 500_000  # larger scripts are app state, not article metadata
# Keys whose objects describe the page itself (a WebPage whose mainEntity is the article): they
# are yielded too. Not itemListElement, hasPart or related lists: those describe other pages,
# and a listing page with NewsArticle items must not read as an article.
NESTED_KEYS = ("@graph", "mainEntity", "mainEntityOfPage")
MAX_DEPTH = 4  # deeper nesting is data, not the page's description

_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_DECODER = json.JSONDecoder(strict=False)


def objects(tree: HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's ld+json scripts: @graph members and the objects under
    mainEntity / mainEntityOfPage included, containers before their members."""
    for script in tree.iterfind(".//script[@type]"):
        if script.get("type", "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSON_LD_CHARS:
            continue
        for data in _parsed(text):
            yield from _objects(data, depth=0)


def _parsed(text: str) -> list[object]:
    """The JSON values of one script, [] if it cannot be repaired cheaply."""
    try:
        return [_DECODER.decode(text)]
    except ValueError:
        pass
    text = _TRAILING_COMMA.sub(r"\1", _WRAPPERS.sub("", text.strip()))
    values, position = [], 0
    while True:  # several objects in one script: `{...}{...}` or `{...},{...};`
        while position < len(text) and text[position] in " \t\r\n,;":
            position += 1
        if position >= len(text):
            return values
        try:
            value, position = _DECODER.raw_decode(text, position)
        except ValueError:
            return values
        values.append(value)


def _objects(data: object, depth: int) -> Iterator[dict]:
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in NESTED_KEYS:
            nested = data.get(key)
            if isinstance(nested, dict | list):
                yield from _objects(nested, depth + 1)
