"""Regular expressions from a sources file, compiled by RE2: matching takes linear time.

Used for `article_url_pattern` (the crawl) and `clean.drop_patterns` (the clean step), and by
the validation of both (crawler/config.py). docs/crawl.md, "Sources file".
"""

from __future__ import annotations

from functools import lru_cache

import re2

__all__ = ["compile_pattern"]


def compile_pattern(pattern: str) -> re2._Regexp:
    """`pattern` (from a sources file) compiled by RE2, whose matching takes linear time, so
    that no pattern and no text can hang the crawler ('(a+)+$' against 'aaaa...!' does with
    Python's backtracking `re`). re2.error for what RE2 cannot do (backreferences, lookarounds).
    Matching differs from `re` in little: `\\d`, `\\w`, `\\b` are ASCII-only, `$` matches only
    at the very end."""
    return _compile_re2(pattern)


@lru_cache(maxsize=1024)
def _compile_re2(pattern: str) -> re2._Regexp:
    options = re2.Options()
    options.log_errors = False  # errors are reported by the caller, once, not on stderr
    return re2.compile(pattern, options)
