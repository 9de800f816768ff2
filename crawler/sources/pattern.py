"""Propose an `article_url_pattern` from example article URLs, by the shape of their paths.

Article URLs of one outlet share a shape (`/berita/2024/05/01/some-slug`, `/read/5001/x.html`,
`/nasional/some-slug-30001`): the same number of path segments, the same section words, digits
of the same length. `propose_pattern` groups the examples by shape, generalises each group
segment by segment (constant words stay literal, digits become `\\d{n}`, slugs any text up to
the next `/`), and keeps the groups that cover the examples. The result is checked: it is
compiled by RE2 (crawler.patterns, what the crawl uses), it must accept the examples it was
made from and is tested against URLs it must reject (sections, tags, the homepage).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.patterns import compile_pattern

__all__ = ["Proposal", "propose_pattern"]

# Groups kept: enough for the two or three URL shapes an outlet uses (e.g. a news and a photo
# section), few enough that one stray URL in a sitemap does not widen the pattern.
MAX_GROUPS = 3
# A group joins the pattern while the ones before it cover less than this share of examples.
TARGET_COVERAGE = 0.9
# A group smaller than this share of the examples is a stray (an "about" page in a sitemap).
MIN_GROUP_SHARE = 0.05
# Digit runs of this length or less are fixed-width numbers (months, days: 05); 4 digits are
# fixed when they are all years, and otherwise ids, which grow: `\d{n,}` accepts tomorrow's
# longer ids (an outlet's article 9999 is followed by 10000).
FIXED_DIGITS = 2
YEARS = range(1990, 2100)
# A slug ends in an id when all of them do with at least this many digits (`-30001`):
# shorter trailing numbers are part of the words ("kabar-nusa-2", "indeks-2024").
SLUG_ID_DIGITS = 5

_SLUG = re.compile(r"[^/]*[A-Za-z][^/]*[-_][^/]*[A-Za-z][^/]*")  # two words or more
_RUN = re.compile(r"\d+|[A-Za-z]+|.")
_EXTENSION = re.compile(r"\.(html?|php|aspx?|shtml)$", re.IGNORECASE)
_TRAILING_ID = re.compile(r"[-_](\d+)$")
_ANY = r"[^/?#]+"


@dataclass(frozen=True)
class Proposal:
    pattern: str
    examples: int  # article URLs it was made from
    accepted: int  # of them, how many it matches
    rejected: tuple[str, ...]  # non-article URLs tested: those it correctly does not match
    wrongly_accepted: tuple[str, ...]  # non-article URLs it matches (a warning)

    @property
    def coverage(self) -> float:
        return self.accepted / self.examples if self.examples else 0.0


def propose_pattern(article_urls: Iterable[str], non_article_urls: Iterable[str] = ()
                    ) -> Proposal | None:
    """A pattern accepting most of `article_urls` (full URLs), tested against
    `non_article_urls`; None when there is no example to learn from."""
    paths = [_segments(url) for url in dict.fromkeys(article_urls)]
    paths = [p for p in paths if p]
    if not paths:
        return None
    groups = _groups(paths)
    chosen: list[list[tuple[str, ...]]] = []
    covered = 0
    for group in groups:
        if len(chosen) >= MAX_GROUPS or covered >= TARGET_COVERAGE * len(paths):
            break
        if chosen and len(group) < MIN_GROUP_SHARE * len(paths):
            break
        chosen.append(group)
        covered += len(group)
    bodies = [_group_pattern(group) for group in chosen]
    bodies = list(dict.fromkeys(bodies))
    path = bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")"
    # Any host of the outlet (the crawl keeps to the source's hosts anyway), then the path,
    # then the end of the path: a query (?utm_source=rss) or fragment may follow.
    pattern = r"^https?://[^/]+/" + path + r"/?(?:[?#]|$)"
    return _tested(pattern, article_urls, non_article_urls)


def _tested(pattern: str, article_urls: Iterable[str], non_article_urls: Iterable[str]
            ) -> Proposal:
    regex = compile_pattern(pattern)
    examples = list(dict.fromkeys(article_urls))
    accepted = sum(1 for url in examples if regex.search(url))
    wrong, right = [], []
    for url in dict.fromkeys(non_article_urls):
        (wrong if regex.search(url) else right).append(url)
    return Proposal(pattern, len(examples), accepted, tuple(right), tuple(wrong))


def _segments(url: str) -> tuple[str, ...]:
    path = urlsplit(url).path
    return tuple(part for part in path.split("/") if part)


def _kind(segment: str, last: bool) -> str:
    """The coarse shape a segment's group is keyed by."""
    if segment.isdigit():
        return f"d{len(segment)}" if len(segment) <= 4 else "id"
    if last and _SLUG.fullmatch(segment):
        return "slug"
    return "word"


def _groups(paths: Sequence[tuple[str, ...]]) -> list[list[tuple[str, ...]]]:
    """Paths grouped by depth and each segment's kind, largest group first; within a group,
    a word position whose value varies stays one group (sections: /nasional/, /ekonomi/)."""
    grouped: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for path in paths:
        grouped[tuple(_kind(s, i == len(path) - 1) for i, s in enumerate(path))].append(path)
    return sorted(grouped.values(), key=len, reverse=True)


def _group_pattern(group: list[tuple[str, ...]]) -> str:
    depth = len(group[0])
    parts = []
    for position in range(depth):
        values = [path[position] for path in group]
        parts.append(_generalise(values, last=position == depth - 1))
    return "/".join(parts)


def _generalise(values: list[str], *, last: bool) -> str:
    distinct = set(values)
    if all(v.isdigit() for v in values):
        return _number(values)
    if len(distinct) == 1 and not (last and _SLUG.fullmatch(values[0])):
        # A constant section word. A constant slug in the last place is one article seen
        # several times, not a rule.
        return _escape(values[0])
    if all(_SLUG.fullmatch(v) for v in values):
        return _slug(values)
    shape = _shared_shape(values)
    if shape is not None:
        return shape
    if all(re.fullmatch(r"[A-Za-z0-9_-]+", v) for v in values):
        return "[A-Za-z0-9_-]+"  # section words: /nasional/, /sepak-bola/
    return _ANY


def _number(values: list[str]) -> str:
    if all(len(v) == 4 and int(v) in YEARS for v in values):
        return r"\d{4}"
    return _digits([len(v) for v in values])


def _digits(lengths: list[int]) -> str:
    if len(set(lengths)) == 1 and lengths[0] <= FIXED_DIGITS:
        return rf"\d{{{lengths[0]}}}"
    return rf"\d{{{min(lengths)},}}" if min(lengths) > 1 else r"\d+"


def _slug(values: list[str]) -> str:
    """Any slug, keeping what every one of them ends with: an extension, a numeric id."""
    suffix = ""
    extensions = Counter(_EXTENSION.search(v).group(0).lower() if _EXTENSION.search(v) else ""
                         for v in values)
    if len(extensions) == 1 and "" not in extensions:
        suffix = _escape(next(iter(extensions)))
        values = [_EXTENSION.sub("", v) for v in values]
    ids = [_TRAILING_ID.search(v) for v in values]
    if all(ids) and min(len(m.group(1)) for m in ids) >= SLUG_ID_DIGITS:
        separators = {m.group(0)[0] for m in ids}
        separator = separators.pop() if len(separators) == 1 else "[-_]"
        return r"[^/?#]+" + separator + _digits([len(m.group(1)) for m in ids]) + suffix
    return _ANY + suffix if suffix else _ANY


def _escape(text: str) -> str:
    """re.escape without its needless `\\-`: patterns are read by people in YAML files."""
    return re.escape(text).replace("\\-", "-")


def _shared_shape(values: list[str]) -> str | None:
    """`d-7123456` and `d-7123999` -> `d-\\d{7,}`: the same runs of letters, digits and
    punctuation in every value, letters kept when constant."""
    runs = [_RUN.findall(v) for v in values]
    if len({len(r) for r in runs}) != 1:
        return None
    parts = []
    for column in zip(*runs, strict=True):
        if all(c.isdigit() for c in column):
            parts.append(_number(list(column)))
        elif all(c.isalpha() for c in column):
            parts.append(_escape(column[0]) if len(set(column)) == 1 else "[A-Za-z]+")
        elif len(set(column)) == 1:
            parts.append(_escape(column[0]))
        else:
            return None
    return "".join(parts)
