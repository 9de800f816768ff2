"""Where a syndicated text comes from, as its own lines say ("Sumber: ...", "(Antara)").

Those lines are cut from the body and kept as the article's origin. docs/extract.md, "Origin".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Origin", "cut_origin"]


@dataclass(frozen=True)
class Origin:
    outlet: str | None = None
    url: str | None = None
    title: str | None = None


def cut_origin(text: str) -> tuple[str, Origin | None]:
    """(the text without its provenance lines, the origin they name or None)."""
    return text, None
