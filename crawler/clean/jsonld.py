"""The JSON-LD objects of a page (schema.org), flattened: what metadata, dates and authors read.

docs/extract.md, "Metadata".
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from lxml.html import HtmlElement

__all__ = ["MAX_JSON_LD_CHARS", "objects"]

MAX_JSON_LD_CHARS = 500_000  # larger scripts are app state, not article metadata


def objects(tree: HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's ld+json scripts, @graph members included."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _objects(data, depth=0)


def _objects(data: object, depth: int) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"], depth + 1)
