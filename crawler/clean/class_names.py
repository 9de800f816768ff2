"""Patterns searched in the class and id names of every element of a page."""

from __future__ import annotations

import re

__all__ = ["NamePattern"]


class NamePattern:
    """A case-insensitive pattern (written in lowercase) for class and id names.

    It is searched on every named element of a walk, so ASCII names (nearly all) are lowercased
    and searched by a case-sensitive copy: the same matches at a third of the cost (case-
    insensitive alternations are slow). IGNORECASE also folds a few non-ASCII letters ("ſ" as
    "s"): other names take the pattern as written.
    """

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower():
            raise ValueError(f"not written in lowercase: {pattern!r}")
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self._lowercase = re.compile(pattern)

    def search(self, name: str) -> bool:
        if name.isascii():
            return self._lowercase.search(name.lower()) is not None
        return self.pattern.search(name) is not None
